//! Every style the TUI uses, in one place: dark and light palettes, and plain (no colour) for
//! `NO_COLOR`. Speakers never rely on colour alone — the transcript also labels them in text.

use crate::model::SpeakerKind;
use ratatui::style::{Color, Modifier, Style};

/// Which palette to draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    /// No colours at all (also chosen by the `NO_COLOR` environment variable).
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
}

impl Theme {
    /// The theme to use: `NO_COLOR` (set and non-empty) wins over any choice.
    pub fn pick(requested: Option<ThemeName>, no_color: bool) -> Theme {
        let name = if no_color {
            ThemeName::Plain
        } else {
            requested.unwrap_or_default()
        };
        Theme { name }
    }

    fn plain(self) -> bool {
        self.name == ThemeName::Plain
    }

    fn fg(self, dark: Color, light: Color) -> Style {
        match self.name {
            ThemeName::Dark => Style::new().fg(dark),
            ThemeName::Light => Style::new().fg(light),
            ThemeName::Plain => Style::new(),
        }
    }

    /// The mark of a sorted column's header: `▼` largest (or newest) first, `▲` smallest (or
    /// A–Z) first; `v` and `^` without colours, where the arrows may be missing from a font.
    pub fn sort_mark(self, descending: bool) -> &'static str {
        match (self.plain(), descending) {
            (false, true) => "▼",
            (false, false) => "▲",
            (true, true) => "v",
            (true, false) => "^",
        }
    }

    /// The mark of a slow reply in the transcript (`⏱ 3m 10s`); `!` without colours, where the
    /// stopwatch may be missing from a font. Either way a text mark, not only a colour.
    pub fn slow_mark(self) -> &'static str {
        if self.plain() {
            "!"
        } else {
            "⏱"
        }
    }

    pub fn base(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        if self.plain() {
            Style::new()
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        match (focused, self.name) {
            (true, ThemeName::Plain) => Style::new().add_modifier(Modifier::BOLD),
            (true, _) => self
                .fg(Color::Cyan, Color::Blue)
                .add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    /// The selected row: reversed video reads on any background and without colour.
    pub fn selected(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM)
        }
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn speaker(self, kind: SpeakerKind) -> Style {
        match kind {
            SpeakerKind::Agent => self
                .fg(Color::LightBlue, Color::Blue)
                .add_modifier(Modifier::BOLD),
            SpeakerKind::Visitor => self
                .fg(Color::LightGreen, Color::Green)
                .add_modifier(Modifier::BOLD),
            SpeakerKind::Bot => self
                .fg(Color::LightMagenta, Color::Magenta)
                .add_modifier(Modifier::BOLD),
            SpeakerKind::System => self.dim().add_modifier(Modifier::ITALIC),
        }
    }

    pub fn label(self) -> Style {
        self.fg(Color::Gray, Color::DarkGray)
            .add_modifier(Modifier::BOLD)
    }

    pub fn warning(self) -> Style {
        self.fg(Color::Yellow, Color::Red)
            .add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::LightRed, Color::Red)
            .add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green, Color::Green)
    }

    pub fn rating(self) -> Style {
        self.fg(Color::Yellow, Color::Rgb(0xb0, 0x80, 0x00))
    }

    pub fn badge(self) -> Style {
        self.fg(Color::LightYellow, Color::Magenta)
            .add_modifier(Modifier::BOLD)
    }

    /// A search hit highlighted inside the transcript.
    pub fn hit(self) -> Style {
        match self.name {
            ThemeName::Plain => Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            _ => Style::new().bg(Color::Yellow).fg(Color::Black),
        }
    }

    /// A heatmap cell at level 1 (few) to 4 (most). The shade character carries the level too,
    /// so plain output loses nothing.
    pub fn heat(self, level: u8) -> Style {
        let dark = [
            Color::DarkGray,
            Color::Green,
            Color::Yellow,
            Color::LightRed,
        ];
        let light = [
            Color::Gray,
            Color::Green,
            Color::Rgb(0xb0, 0x80, 0x00),
            Color::Red,
        ];
        let i = usize::from(level.clamp(1, 4) - 1);
        self.fg(dark[i], light[i])
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan, Color::Blue)
            .add_modifier(Modifier::BOLD)
    }
}
