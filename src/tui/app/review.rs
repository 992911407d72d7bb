//! Review in the viewer: the tag and note prompts, the reviewed mark, the next unreviewed chat.
//!
//! The app never writes: it asks the runtime to append records ([`Effect::Review`]), and shows a
//! change only when the review thread reports it saved (written and fsynced) and sends the
//! merged data back, so what is on screen is what survives a crash.

use super::{App, Effect, LineInput};
use crate::review::{Op, Record, Reviews};
use crate::tui::keymap::{self, Action, Mode};
use crossterm::event::KeyEvent;
use std::sync::Arc;

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Tag,
    Note,
}

/// A one-line question in the search bar's place, about one chat.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineInput,
    pub chat: Arc<str>,
}

impl Prompt {
    /// The text in front of the input.
    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Tag => "tags (-tag removes): ",
            PromptKind::Note => "note: ",
        }
    }
}

impl App {
    /// `t`, `a`, `r`, `u`.
    pub(super) fn on_review_action(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::NextUnreviewed {
            return self.next_unreviewed();
        }
        let Some(chat) = self.selected_chat().map(|c| c.id.clone()) else {
            self.flash = Some("no chat selected".into());
            return Vec::new();
        };
        if !self.reviewing {
            self.flash = Some(crate::review::place::NO_DIR.into());
            return Vec::new();
        }
        let kind = match action {
            Action::Tag => PromptKind::Tag,
            Action::Note => PromptKind::Note,
            _ => {
                let op = if self.reviews.is_reviewed(&chat) {
                    Op::Unreview
                } else {
                    Op::Review
                };
                return vec![self.record(&chat, op, &[String::new()])];
            }
        };
        self.prompt = Some(Prompt {
            kind,
            input: LineInput::default(),
            chat,
        });
        Vec::new()
    }

    /// A key while a prompt is open: Enter saves, Esc cancels, the rest edits.
    pub(super) fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match keymap::action_for(Mode::Prompting, &key) {
            Some(Action::Cancel) => self.prompt = None,
            Some(Action::Accept) => {
                let Some(p) = self.prompt.take() else {
                    return Vec::new();
                };
                return self.submit(&p);
            }
            Some(Action::Suspend) => return vec![Effect::Suspend],
            Some(Action::Redraw) => return vec![Effect::Clear],
            Some(action) => prompt.input.apply(action),
            None => {
                if let Some(c) = super::printable(&key) {
                    prompt.input.insert(c);
                }
            }
        }
        Vec::new()
    }

    /// Paste into the open prompt.
    pub(super) fn paste_prompt(&mut self, text: &str) -> bool {
        match self.prompt.as_mut() {
            Some(p) => {
                p.input.insert_str(text);
                true
            }
            None => false,
        }
    }

    fn submit(&mut self, p: &Prompt) -> Vec<Effect> {
        let text = p.input.text.trim();
        match p.kind {
            PromptKind::Note if !crate::review::is_blank(text) => {
                vec![self.record(&p.chat, Op::Note, &[text.to_string()])]
            }
            PromptKind::Tag => {
                let (remove, add): (Vec<&str>, Vec<&str>) = text
                    .split_whitespace()
                    .partition(|w| w.len() > 1 && w.starts_with('-'));
                if let Some(why) = add.iter().find_map(|t| crate::review::check_tag(t).err()) {
                    self.flash = Some(why);
                    return Vec::new();
                }
                let mut fx = Vec::new();
                let add: Vec<String> = add.iter().map(|w| (*w).to_string()).collect();
                let remove: Vec<String> = remove.iter().map(|w| w[1..].to_string()).collect();
                if !add.is_empty() {
                    fx.push(self.record(&p.chat, Op::Tag, &add));
                }
                if !remove.is_empty() {
                    fx.push(self.record(&p.chat, Op::Untag, &remove));
                }
                fx
            }
            PromptKind::Note => Vec::new(),
        }
    }

    /// The effect that saves one record per value.
    fn record(&self, chat: &str, op: Op, values: &[String]) -> Effect {
        let records = values
            .iter()
            .map(|v| Record::new(chat, op, v, &self.author, self.now))
            .collect();
        Effect::Review(records)
    }

    /// `u`: the next chat below the cursor (wrapping) with no reviewed mark.
    fn next_unreviewed(&mut self) -> Vec<Effect> {
        let n = self.order.len();
        let unreviewed = |row: usize| {
            let chat = &self.view.chats[self.order[row] as usize];
            !self.reviews.is_reviewed(&chat.id)
        };
        match (1..=n)
            .map(|k| (self.selected + k) % n)
            .find(|&r| unreviewed(r))
        {
            Some(row) => {
                self.selected = row;
                self.selection_changed()
            }
            None => {
                self.flash = Some("every chat in the list is reviewed".into());
                Vec::new()
            }
        }
    }

    /// New review data (ours saved, or someone else's seen): re-run a search that depends on it.
    pub(super) fn on_reviews(&mut self, reviews: Arc<Reviews>) -> Vec<Effect> {
        self.reviews = reviews;
        // The score order is review data too.
        if self.search.query.needs_reviews() || self.sort == Some(crate::query::SortKey::Score) {
            return vec![self.request_match()];
        }
        Vec::new()
    }

    /// The review thread's answer to an [`Effect::Review`].
    pub(super) fn on_review_saved(&mut self, result: Result<String, String>) {
        self.flash = Some(match result {
            Ok(done) => done,
            Err(e) => format!("NOT saved: {e}"),
        });
    }
}

/// What the status bar says once records are saved: `tagged coaching`, `note added`, …
pub fn saved_message(records: &[Record]) -> String {
    let values = || {
        records
            .iter()
            .map(|r| r.value.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match records.first().map(|r| r.op) {
        Some(Op::Tag) => format!("tagged {} (saved)", values()),
        Some(Op::Untag) => format!("untagged {} (saved)", values()),
        Some(Op::Note) => "note added (saved)".into(),
        Some(Op::Review) => "marked reviewed (saved)".into(),
        Some(Op::Unreview) => "reviewed mark removed (saved)".into(),
        Some(Op::Score) => super::score::saved_score(&records[0].value),
        Some(Op::Sample | Op::Unsample) => "sample saved".into(),
        None => String::new(),
    }
}
