//! The transcript pane: one entry per message, speaker marked by colour and by a text label,
//! long and multi-line messages wrapped under a hanging indent.

use super::super::app::{App, ChatPane, Focus};
use super::super::theme::Theme;
use super::wrap::wrap;
use crate::format::fit;
use crate::model::shown::{show, Form, Zone};
use crate::model::{Entry, SpeakerKind};
use crate::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The text label of each kind, padded to one width, so speakers stay apart without colour.
pub fn tag(kind: SpeakerKind) -> &'static str {
    match kind {
        SpeakerKind::Agent => "AGENT  ",
        SpeakerKind::Visitor => "VISITOR",
        SpeakerKind::Bot => "BOT    ",
        SpeakerKind::System => "SYSTEM ",
    }
}

/// Lay out every entry for a pane `width` columns wide. Returns the lines and, per entry, the
/// line it starts on (for jumping to search hits).
pub fn layout(
    entries: &[Entry],
    width: usize,
    zone: &Zone,
    theme: Theme,
    terms: &[String],
    hit: Option<usize>,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let show_time = width >= 50;
    let indent = if show_time { 8 + 1 + 7 + 1 } else { 7 + 1 };
    let text_w = width.saturating_sub(indent).max(8);
    let mut lines = Vec::new();
    let mut starts = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        starts.push(lines.len());
        let style = theme.speaker(e.kind);
        let mut lead = Vec::new();
        if show_time {
            // The instant when the line's clock could be placed in the chat, as written otherwise.
            let clock = e.at.map_or_else(
                || e.time.clone().unwrap_or_default(),
                |t| show(t, zone, Form::Clock),
            );
            lead.push(Span::styled(format!("{:<8} ", fit(&clock, 8)), theme.dim()));
        }
        lead.push(Span::styled(format!("{} ", tag(e.kind)), style));
        let body = sanitize::text(&e.text);
        let speaker = e.speaker.as_deref().map(sanitize::line);
        let mut first = true;
        let highlight = hit == Some(i);
        for para in body.split('\n') {
            // The speaker's name starts the first line and takes part in wrapping.
            let prefix_w = match (&speaker, first) {
                (Some(s), true) => s.width() + 2,
                _ => 0,
            };
            let pieces = wrap(&format!("{}{para}", " ".repeat(prefix_w)), text_w);
            for (n, piece) in pieces.into_iter().enumerate() {
                let mut spans = if first {
                    std::mem::take(&mut lead)
                } else {
                    vec![Span::raw(" ".repeat(indent))]
                };
                let mut text = piece.as_str();
                if first && n == 0 {
                    if let Some(s) = &speaker {
                        spans.push(Span::styled(format!("{s}:"), style));
                        text = text.get(prefix_w - 1..).unwrap_or("");
                    }
                }
                let base = if e.kind == SpeakerKind::System {
                    theme.speaker(SpeakerKind::System)
                } else {
                    theme.base()
                };
                spans.extend(highlighted(text, terms, base, theme));
                let mut line = Line::from(spans);
                if highlight {
                    line = line.patch_style(
                        ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
                    );
                }
                lines.push(line);
                first = false;
            }
        }
    }
    (lines, starts)
}

/// Split `text` into spans with every case-insensitive occurrence of a term highlighted.
fn highlighted(
    text: &str,
    terms: &[String],
    base: ratatui::style::Style,
    theme: Theme,
) -> Vec<Span<'static>> {
    if terms.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths (rare scripts); highlight only when it did not.
    if lower.len() != text.len() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let mut marks = vec![false; text.len()];
    for t in terms.iter().filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(t.as_str()) {
            let start = from + pos;
            marks[start..start + t.len()]
                .iter_mut()
                .for_each(|m| *m = true);
            from = start + t.len();
        }
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        if i == text.len() || marks[i] != marks[start] {
            let style = if marks[start] { theme.hit() } else { base };
            spans.push(Span::styled(text[start..i].to_string(), style));
            start = i;
        }
    }
    spans
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let focused = app.focus == Focus::Transcript && !app.searching;
    let (title_info, entries) = match &app.chat {
        ChatPane::Ready(_, chat) => (
            // One count in the title (messages); the footer counts screen lines.
            format!(
                "{} · times {} ",
                crate::format::plural(chat.message_count(), "message", "messages"),
                app.zone.label()
            ),
            Some(chat.clone()),
        ),
        ChatPane::Loading(_) => ("reading… ".to_string(), None),
        ChatPane::Failed(..) => ("unreadable ".to_string(), None),
        ChatPane::None => (String::new(), None),
    };
    let title = Line::from(vec![
        Span::styled(" Transcript ", app.theme.title()),
        Span::styled(title_info, app.theme.dim()),
    ]);
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(chat) = entries else {
        if let ChatPane::Failed(_, e) = &app.chat {
            super::message(
                frame,
                inner,
                vec![Line::styled(
                    format!("Cannot read this chat: {}", sanitize::line(e)),
                    app.theme.error(),
                )],
            );
        }
        return;
    };
    if chat.transcript.is_empty() {
        super::message(
            frame,
            inner,
            vec![Line::styled(
                "This chat has no transcript.",
                app.theme.dim(),
            )],
        );
        return;
    }
    let terms = app.transcript_terms();
    let (lines, starts) = layout(
        &chat.transcript,
        usize::from(inner.width),
        &app.zone,
        app.theme,
        &terms,
        app.transcript_jump,
    );
    let height = usize::from(inner.height);
    let max = lines.len().saturating_sub(height);
    if let Some(entry) = app.transcript_jump {
        if let Some(&line) = starts.get(entry) {
            // Bring the hit into view with a little context above it.
            if line < app.transcript_scroll || line >= app.transcript_scroll + height {
                app.transcript_scroll = line.saturating_sub(2);
            }
        }
    }
    app.transcript_scroll = app.transcript_scroll.min(max);
    let total = lines.len();
    let scroll = u16::try_from(app.transcript_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    // Position indicator on the bottom border: percentage through the transcript.
    let pct = (app.transcript_scroll * 100)
        .checked_div(max)
        .unwrap_or(100);
    let pos = format!(
        " lines {}-{} of {total} · {pct}% ",
        app.transcript_scroll + 1,
        (app.transcript_scroll + height).min(total),
    );
    let w = u16::try_from(pos.width()).unwrap_or(0);
    if area.width > w + 2 {
        let r = Rect::new(area.x + area.width - w - 1, area.y + area.height - 1, w, 1);
        frame.render_widget(Line::styled(pos, app.theme.dim()), r);
    }
}
