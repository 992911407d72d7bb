//! Moving around: the list cursor, pane focus, scrolling, search hits, the mouse.

use super::{Action, App, Effect, Focus, Overlay};
use crate::model::sla::Sla;
use crate::model::turns::figures::ReplyMark;
use crate::model::turns::Turns;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// A reply slower than this is marked when the config sets no reply level: two minutes, the
/// level help desks commonly start from.
pub const SLOW_REPLY_SECS: u32 = 120;

/// See [`App::slow_replies`].
pub fn slow_replies(turns: &Turns, levels: Option<&Sla>) -> Vec<(usize, u32)> {
    let level = levels.filter(|l| l.reply.is_some());
    let mut out: Vec<(usize, u32)> = Vec::new();
    for r in &turns.replies {
        let Some(secs) = r.secs else { continue };
        let over = match level {
            Some(l) => l.reply_over(ReplyMark::new(r.asked, r.secs, None)) == Some(true),
            None => secs > SLOW_REPLY_SECS,
        };
        if !over {
            continue;
        }
        match out.last_mut() {
            Some((entry, longest)) if *entry == r.entry => *longest = (*longest).max(secs),
            _ => out.push((r.entry, secs)),
        }
    }
    out
}

impl App {
    /// Rows a page moves in a pane, from where it was last drawn.
    fn page(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(3)).max(1)
    }

    pub(super) fn move_cursor(&mut self, action: Action) -> Vec<Effect> {
        match self.focus {
            Focus::List => {
                let last = self.order.len().saturating_sub(1);
                let page = Self::page(self.panes.areas.list);
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
                let page = Self::page(self.panes.areas.details);
                scroll(&mut self.panes.details_scroll, action, page);
                Vec::new()
            }
            Focus::Transcript => {
                let page = Self::page(self.panes.areas.transcript);
                self.panes.transcript_jump = None;
                scroll(&mut self.panes.transcript_scroll, action, page);
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

    /// Transcript entries holding a hit of the search's `text:` terms: exactly the entries the
    /// transcript pane highlights (both come from [`crate::query::Marks`]).
    pub fn transcript_hits(&self) -> Vec<usize> {
        let marks = self.search.query.marks();
        let Some(chat) = self.chat.chat() else {
            return Vec::new();
        };
        if !marks.has_text() {
            return Vec::new();
        }
        chat.transcript
            .iter()
            .enumerate()
            .filter(|(_, e)| marks.text_hit(&e.text))
            .map(|(i, _)| i)
            .collect()
    }

    /// The open chat's slow replies, in transcript order: each agent message that answered a
    /// visitor turn over the SLA reply level (or, with no reply level, over
    /// [`SLOW_REPLY_SECS`]), with its reply time (the longest of the turns it answered). What
    /// the transcript marks and `]`/`[` move between.
    pub fn slow_replies(&self) -> Vec<(usize, u32)> {
        let Some(chat) = self.chat.chat() else {
            return Vec::new();
        };
        slow_replies(&chat.turns(), self.sla.as_deref())
    }

    /// `]` / `[`: the next (previous) slow reply, wrapping around.
    pub(super) fn jump_to_slow(&mut self, forward: bool) -> Vec<Effect> {
        let slow: Vec<usize> = self.slow_replies().into_iter().map(|(e, _)| e).collect();
        if slow.is_empty() {
            self.flash = Some(match self.sla.as_deref().and_then(|l| l.reply) {
                Some(level) => format!(
                    "no reply over the SLA level ({}) in this chat",
                    crate::format::duration(i64::from(level))
                ),
                None => format!(
                    "no reply over {} in this chat",
                    crate::format::duration(i64::from(SLOW_REPLY_SECS))
                ),
            });
            return Vec::new();
        }
        let current = self.panes.transcript_jump;
        let next = if forward {
            slow.iter()
                .copied()
                .find(|&h| current.is_none_or(|c| h > c))
                .unwrap_or(slow[0])
        } else {
            slow.iter()
                .rev()
                .copied()
                .find(|&h| current.is_none_or(|c| h < c))
                .unwrap_or(slow[slow.len() - 1])
        };
        let n = slow.iter().position(|&h| h == next).unwrap_or(0) + 1;
        self.flash = Some(format!("slow reply {n}/{}", slow.len()));
        self.panes.transcript_jump = Some(next);
        self.focus = Focus::Transcript;
        Vec::new()
    }

    pub(super) fn jump_to_hit(&mut self, forward: bool) -> Vec<Effect> {
        let hits = self.transcript_hits();
        if hits.is_empty() {
            self.flash = Some(if !self.search.query.marks().has_text() {
                format!(
                    "no text to find: press {} and type text:word",
                    super::keymap::hint(Action::Search, super::keymap::Context::Browse)
                )
            } else {
                "no match in this transcript".into()
            });
            return Vec::new();
        }
        let current = self.panes.transcript_jump;
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
        self.panes.transcript_jump = Some(next);
        self.focus = Focus::Transcript;
        Vec::new()
    }

    pub(super) fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if !self.mouse || self.overlay != Overlay::None {
            return Vec::new();
        }
        let at = Position::new(m.column, m.row);
        let pane = [
            (self.panes.areas.list, Focus::List),
            (self.panes.areas.details, Focus::Details),
            (self.panes.areas.transcript, Focus::Transcript),
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
                    let row = usize::from(m.row.saturating_sub(self.panes.areas.list.y + 2));
                    let index = self.panes.list_offset + row;
                    if m.row >= self.panes.areas.list.y + 2 && index < self.order.len() {
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
