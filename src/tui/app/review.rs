//! Review in the viewer: the tag and note prompts, the reviewed mark, the next unreviewed chat,
//! and the same on every chat of the list at once (`T`, `M`, after a y/n question).
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
    /// Tags for every chat in the list.
    TagAll,
    /// A y/n question before a batch is saved.
    Confirm,
    /// The saved-view picker (`v`).
    PickView,
    /// The search-history picker (`Ctrl-R`).
    PickHistory,
}

/// A one-line question in the search bar's place, about one chat (or, for `TagAll` and
/// `Confirm`, the list).
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineInput,
    pub chat: Arc<str>,
    /// `Confirm`: the question, and the records `y` saves. Decided when asked, so what is
    /// saved is what the question counted, even if chats arrive meanwhile.
    pub question: String,
    pub records: Vec<Record>,
    /// A picker's chosen row among its choices ([`App::picker_choices`]).
    pub choice: usize,
}

impl Prompt {
    pub(super) fn new(kind: PromptKind, chat: Arc<str>) -> Prompt {
        Prompt {
            kind,
            input: LineInput::default(),
            chat,
            question: String::new(),
            records: Vec::new(),
            choice: 0,
        }
    }

    /// The text in front of the input.
    pub fn label(&self) -> std::borrow::Cow<'_, str> {
        match self.kind {
            PromptKind::Tag => "tags (-tag removes): ".into(),
            PromptKind::Note => "note: ".into(),
            PromptKind::TagAll => "tag every chat in the list (-tag removes): ".into(),
            PromptKind::Confirm => format!("{} y/n ", self.question).into(),
            PromptKind::PickView => "view: ".into(),
            PromptKind::PickHistory => "past search: ".into(),
        }
    }
}

impl App {
    /// `t`, `a`, `r`, `u`.
    pub(super) fn on_review_action(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::NextUnreviewed {
            return self.next_unreviewed();
        }
        if matches!(action, Action::TagAll | Action::ReviewAll) {
            return self.on_list_action(action);
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
        self.prompt = Some(Prompt::new(kind, chat));
        Vec::new()
    }

    /// `T` and `M`: a tag prompt for the whole list, or the question to mark it reviewed.
    fn on_list_action(&mut self, action: Action) -> Vec<Effect> {
        if !self.reviewing {
            self.flash = Some(crate::review::place::NO_DIR.into());
            return Vec::new();
        }
        if self.order.is_empty() {
            self.flash = Some("the list is empty".into());
            return Vec::new();
        }
        if action == Action::TagAll {
            self.prompt = Some(Prompt::new(PromptKind::TagAll, Arc::from("")));
            return Vec::new();
        }
        let ids = self.listed_ids();
        let n = ids.len();
        let unmarked: Vec<&Arc<str>> = ids
            .iter()
            .filter(|id| !self.reviews.is_reviewed(id))
            .collect();
        let (op, chats, question) = if unmarked.is_empty() {
            let q = format!("remove the reviewed mark from {}?", chats(n));
            (Op::Unreview, ids.iter().collect(), q)
        } else {
            let q = format!(
                "mark {} reviewed?{}",
                chats(n),
                crate::format::aside(n - unmarked.len(), "already are")
            );
            (Op::Review, unmarked, q)
        };
        let records = chats
            .into_iter()
            .map(|id| Record::new(id, op, "", &self.author, self.now))
            .collect();
        self.ask(question, records);
        Vec::new()
    }

    /// The ids of the chats in the list, in its order.
    fn listed_ids(&self) -> Vec<Arc<str>> {
        self.order
            .iter()
            .filter_map(|&i| self.view.chats.get(i as usize))
            .map(|c| c.id.clone())
            .collect()
    }

    fn ask(&mut self, question: String, records: Vec<Record>) {
        let mut p = Prompt::new(PromptKind::Confirm, Arc::from(""));
        p.question = question;
        p.records = records;
        self.prompt = Some(p);
    }

    /// The tags typed for the whole list: the question that says how many chats they touch.
    fn tag_all(&mut self, add: &[String], remove: &[String]) -> Vec<Effect> {
        let ids = self.listed_ids();
        let n = ids.len();
        let has = |id: &str, t: &str| {
            self.reviews
                .get(id)
                .is_some_and(|r| r.tags.iter().any(|x| x == t))
        };
        let mut records = Vec::new();
        let mut already = 0;
        for id in &ids {
            let mut done = true;
            for t in add.iter().filter(|t| !has(id, t)) {
                records.push(Record::new(id, Op::Tag, t, &self.author, self.now));
                done = false;
            }
            for t in remove.iter().filter(|t| has(id, t)) {
                records.push(Record::new(id, Op::Untag, t, &self.author, self.now));
                done = false;
            }
            already += usize::from(done);
        }
        let quoted = |tags: &[String]| {
            tags.iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let what = match (add.is_empty(), remove.is_empty()) {
            (false, true) => format!("tag {} with {}", chats(n), quoted(add)),
            (true, false) => format!("untag {} of {}", chats(n), quoted(remove)),
            _ => format!(
                "tag {} with {} and untag {}",
                chats(n),
                quoted(add),
                quoted(remove)
            ),
        };
        if records.is_empty() {
            self.flash = Some(format!("nothing to change: {what} is done already"));
            return Vec::new();
        }
        let state = match (remove.is_empty(), already == 1) {
            (true, true) => "already has it",
            (true, false) => "already have it",
            (false, true) => "needs no change",
            (false, false) => "need no change",
        };
        self.ask(
            format!("{what}?{}", crate::format::aside(already, state)),
            records,
        );
        Vec::new()
    }

    /// The answer to a y/n question: `y` saves the batch (one append, one fsync); any other
    /// key saves nothing.
    fn answer(&mut self, key: &KeyEvent, p: Prompt) -> Vec<Effect> {
        if super::printable(key).is_some_and(|c| c.eq_ignore_ascii_case(&'y')) {
            return vec![Effect::Review(p.records)];
        }
        self.flash = Some("nothing changed".into());
        Vec::new()
    }

    /// A key while a prompt is open: Enter saves, Esc cancels, the rest edits.
    pub(super) fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.prompt.as_mut() else {
            return Vec::new();
        };
        if prompt.kind == PromptKind::Confirm {
            return match self.prompt.take() {
                Some(p) => self.answer(&key, p),
                None => Vec::new(),
            };
        }
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
            Some(a @ (Action::Up | Action::Down)) => self.move_choice(a == Action::Down),
            Some(action) => {
                prompt.input.apply(action);
                prompt.choice = 0;
            }
            None => {
                if let Some(c) = super::printable(&key) {
                    prompt.input.insert(c);
                    prompt.choice = 0;
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
            PromptKind::PickView | PromptKind::PickHistory => self.pick(p),
            PromptKind::Note if !crate::review::is_blank(text) => {
                vec![self.record(&p.chat, Op::Note, &[text.to_string()])]
            }
            PromptKind::Tag | PromptKind::TagAll => {
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
                if p.kind == PromptKind::TagAll {
                    let once = |mut v: Vec<String>| {
                        let mut seen = std::collections::HashSet::new();
                        v.retain(|t| seen.insert(t.clone()));
                        v
                    };
                    let (add, remove) = (once(add), once(remove));
                    if add.is_empty() && remove.is_empty() {
                        return Vec::new();
                    }
                    return self.tag_all(&add, &remove);
                }
                if !add.is_empty() {
                    fx.push(self.record(&p.chat, Op::Tag, &add));
                }
                if !remove.is_empty() {
                    fx.push(self.record(&p.chat, Op::Untag, &remove));
                }
                fx
            }
            PromptKind::Note | PromptKind::Confirm => Vec::new(),
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

/// What the status bar says once records are saved: `tagged coaching`, `note added`, …, or
/// for a batch over several chats `tagged 37 chats with "coaching"`.
pub fn saved_message(records: &[Record]) -> String {
    let mut seen: Vec<&str> = records.iter().map(|r| r.chat.as_str()).collect();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() > 1 {
        return batch_message(records);
    }
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

/// [`saved_message`] for a batch: per change, how many chats it was made on.
fn batch_message(records: &[Record]) -> String {
    let mut changes: Vec<(Op, &str, Vec<&str>)> = Vec::new();
    for r in records {
        match changes
            .iter_mut()
            .find(|(op, v, _)| *op == r.op && *v == r.value)
        {
            Some((_, _, chats)) => chats.push(&r.chat),
            None => changes.push((r.op, &r.value, vec![&r.chat])),
        }
    }
    let parts: Vec<String> = changes
        .into_iter()
        .map(|(op, v, mut ids)| {
            ids.sort_unstable();
            ids.dedup();
            let n = chats(ids.len());
            match op {
                Op::Tag => format!("tagged {n} with \"{v}\""),
                Op::Untag => format!("untagged {n} of \"{v}\""),
                Op::Note => format!("note added to {n}"),
                Op::Review => format!("marked {n} reviewed"),
                Op::Unreview => format!("reviewed mark removed from {n}"),
                Op::Score => format!("scored {n}"),
                Op::Sample => format!("{n} added to sample \"{v}\""),
                Op::Unsample => format!("{n} taken out of sample \"{v}\""),
            }
        })
        .collect();
    format!("{} (saved)", parts.join(", "))
}

/// `1 chat`, `37 chats`.
fn chats(n: usize) -> String {
    crate::format::plural(n, "chat", "chats")
}
