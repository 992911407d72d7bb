//! Moving around: the list cursor, pane focus, scrolling, search hits, the mouse.

use super::{Action, App, Effect, Focus, Overlay};
use crate::query::Needle;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    /// Rows a page moves in a pane, from where it was last drawn.
    fn page(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(3)).max(1)
    }

    pub(super) fn move_cursor(&mut self, action: Action) -> Vec<Effect> {
        match self.focus {
            Focus::List => {
                let last = self.order.len().saturating_sub(1);
                let page = Self::page(self.areas.list);
                self.selected = match action {
                    Action::Up => self.selected.saturating_sub(1),
                    Action::Down => (self.selected + 1).min(last),
                    Action::PageUp => self.selected.saturating_sub(page),
                    Action::PageDown => (self.selected + page).min(last),
                    Action::Top => 0,
                    Action::Bottom => last,
                    _ => self.selected,
                };
                if self.follow && self.selected != self.newest_row() {
                    self.follow = false;
                    self.flash = Some("follow off (you moved)".into());
                }
                self.selection_changed()
            }
            Focus::Details => {
                let page = Self::page(self.areas.details);
                scroll(&mut self.details_scroll, action, page);
                Vec::new()
            }
            Focus::Transcript => {
                let page = Self::page(self.areas.transcript);
                self.transcript_jump = None;
                scroll(&mut self.transcript_scroll, action, page);
                Vec::new()
            }
        }
    }

    pub(super) fn cycle_focus(&mut self, action: Action) {
        self.focus = match (action, self.focus) {
            (Action::Open, _) => Focus::Transcript,
            (Action::FocusNext, Focus::List) => Focus::Details,
            (Action::FocusNext, Focus::Details) => Focus::Transcript,
            (Action::FocusNext, Focus::Transcript) => Focus::List,
            (_, Focus::List) => Focus::Transcript,
            (_, Focus::Details) => Focus::List,
            (_, Focus::Transcript) => Focus::Details,
        };
    }

    /// Words of the search to look for inside the transcript: bare words (without sigils) and
    /// `text:` values, lower-cased.
    pub fn transcript_terms(&self) -> Vec<String> {
        transcript_terms(&self.input.text)
    }

    /// Indices of transcript entries containing any search term.
    pub fn transcript_hits(&self) -> Vec<usize> {
        let terms = self.transcript_terms();
        let Some(chat) = self.chat.chat() else {
            return Vec::new();
        };
        if terms.is_empty() {
            return Vec::new();
        }
        let needles: Vec<Needle> = terms.iter().map(|t| Needle::insensitive(t)).collect();
        chat.transcript
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let who = e.speaker.as_deref().unwrap_or("");
                needles.iter().any(|n| n.within(&e.text) || n.within(who))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub(super) fn jump_to_hit(&mut self, forward: bool) -> Vec<Effect> {
        let hits = self.transcript_hits();
        if hits.is_empty() {
            self.flash = Some(if self.transcript_terms().is_empty() {
                "no search words: press / and type what to look for".into()
            } else {
                "no match in this transcript".into()
            });
            return Vec::new();
        }
        let current = self.transcript_jump;
        let next = if forward {
            hits.iter()
                .copied()
                .find(|&h| current.is_none_or(|c| h > c))
                .unwrap_or(hits[0])
        } else {
            hits.iter()
                .rev()
                .copied()
                .find(|&h| current.is_none_or(|c| h < c))
                .unwrap_or(hits[hits.len() - 1])
        };
        let n = hits.iter().position(|&h| h == next).unwrap_or(0) + 1;
        self.flash = Some(format!("match {n}/{}", hits.len()));
        self.transcript_jump = Some(next);
        self.focus = Focus::Transcript;
        Vec::new()
    }

    pub(super) fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if !self.mouse || self.overlay != Overlay::None {
            return Vec::new();
        }
        let at = Position::new(m.column, m.row);
        let pane = [
            (self.areas.list, Focus::List),
            (self.areas.details, Focus::Details),
            (self.areas.transcript, Focus::Transcript),
        ]
        .into_iter()
        .find(|(r, _)| r.contains(at))
        .map(|(_, f)| f);
        let Some(pane) = pane else { return Vec::new() };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let saved = self.focus;
                self.focus = pane;
                let action = if m.kind == MouseEventKind::ScrollDown {
                    Action::Down
                } else {
                    Action::Up
                };
                let mut effects = Vec::new();
                for _ in 0..3 {
                    effects.extend(self.move_cursor(action));
                }
                self.focus = if pane == Focus::List { saved } else { pane };
                effects
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                if pane == Focus::List {
                    // Two lines of border and header above the first row.
                    let row = usize::from(m.row.saturating_sub(self.areas.list.y + 2));
                    let index = self.list_offset + row;
                    if m.row >= self.areas.list.y + 2 && index < self.order.len() {
                        self.selected = index;
                        return self.selection_changed();
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

fn scroll(pos: &mut usize, action: Action, page: usize) {
    *pos = match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => *pos + 1,
        Action::PageUp => pos.saturating_sub(page),
        Action::PageDown => *pos + page,
        Action::Top => 0,
        // The renderer clamps to the real end.
        Action::Bottom => usize::MAX / 2,
        _ => *pos,
    };
}

/// The query's terms, split on unquoted spaces, quotes removed.
fn words(input: &str) -> Vec<String> {
    let mut word = String::new();
    let mut quoted = false;
    let mut words = Vec::new();
    for c in input.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.push(std::mem::take(&mut word)),
            c => word.push(c),
        }
    }
    words.push(word);
    words.retain(|w| !w.trim().is_empty());
    words
}

/// The bare fuzzy words of a query (no field, no sigil): what the list highlights in names.
pub fn fuzzy_words(input: &str) -> Vec<String> {
    words(input)
        .into_iter()
        .filter(|w| !w.contains(':') && !w.starts_with(['!', '-', '\'', '^']) && !w.ends_with('$'))
        .collect()
}

/// Split a query into the plain words worth highlighting in a transcript.
pub fn transcript_terms(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(input) {
        let w = w.trim();
        if w.is_empty() || w.starts_with('!') || w.starts_with('-') {
            continue;
        }
        let value = match w.split_once(':') {
            Some(("text", v)) => v,
            Some(_) => continue,
            None => w.trim_start_matches(['\'', '^']).trim_end_matches('$'),
        };
        if !value.is_empty() {
            out.push(value.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fuzzy_words, transcript_terms};

    #[test]
    fn fuzzy_words_are_the_bare_ones() {
        assert_eq!(
            fuzzy_words("jas 'exact agent:x !no ^pre suf$ \"two words\""),
            ["jas", "two words"]
        );
    }

    #[test]
    fn terms_skip_fields_and_negations() {
        assert_eq!(
            transcript_terms("walid 'refund text:\"credit card\" agent:bob !spam ^pre suf$"),
            ["walid", "refund", "credit card", "pre", "suf"]
        );
    }
}
