//! Saved views and search history in the viewer: `v` picks a view and `Ctrl-R` a past search
//! by typing part of its name (fuzzy, best first), in the search bar's place; ↑/↓ on an empty
//! search bar walk the history. Accepting a search records it ([`Effect::SaveHistory`]).

use super::{App, Effect, LineInput, Prompt, PromptKind};
use crate::tui::keymap::Action;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::sync::Arc;

impl App {
    /// `v` and `Ctrl-R`: open the picker, or say why there is nothing to pick.
    pub(super) fn open_picker(&mut self, action: Action) -> Vec<Effect> {
        let (kind, empty) = if action == Action::PickView {
            (
                PromptKind::PickView,
                self.views.is_empty().then_some(
                    "no saved views: add [views.NAME] to the config file, or views.toml to the review directory",
                ),
            )
        } else {
            (
                PromptKind::PickHistory,
                self.history
                    .is_empty()
                    .then_some("no search history yet: searches are kept when Enter accepts them"),
            )
        };
        if let Some(why) = empty {
            self.flash = Some(why.into());
            return Vec::new();
        }
        let mut p = Prompt::new(kind, Arc::from(""));
        // Ctrl-R while typing starts from what is typed, as in a shell.
        if kind == PromptKind::PickHistory && self.search.searching {
            p.input = self.search.input.clone();
        }
        self.prompt = Some(p);
        Vec::new()
    }

    /// The names a picker offers for what is typed: all (views in file order, searches newest
    /// first) when nothing is, else those that fuzzy-match, best first.
    pub fn picker_choices(&self, p: &Prompt) -> Vec<String> {
        let all: Vec<&str> = match p.kind {
            PromptKind::PickView => self.views.iter().map(|v| v.name.as_str()).collect(),
            PromptKind::PickHistory => self.history.iter().rev().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        let typed = p.input.text.trim();
        if typed.is_empty() {
            return all.into_iter().map(String::from).collect();
        }
        let matcher = SkimMatcherV2::default().smart_case();
        let mut scored: Vec<(i64, usize, &str)> = all
            .iter()
            .enumerate()
            .filter_map(|(i, name)| Some((matcher.fuzzy_match(name, typed)?, i, *name)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, n)| n.to_string()).collect()
    }

    /// ↑/↓ in a picker: the previous or next choice (wrapping).
    pub(super) fn move_choice(&mut self, down: bool) {
        let Some(p) = self.prompt.clone() else {
            return;
        };
        let n = self.picker_choices(&p).len();
        if let Some(p) = self.prompt.as_mut().filter(|_| n > 0) {
            p.choice = if down {
                (p.choice + 1) % n
            } else {
                (p.choice + n - 1) % n
            };
        }
    }

    /// Enter in a picker: apply the chosen view or search.
    pub(super) fn pick(&mut self, p: &Prompt) -> Vec<Effect> {
        let choices = self.picker_choices(p);
        let Some(name) = choices.get(p.choice).or(choices.first()).cloned() else {
            self.flash = Some("nothing matches".into());
            return Vec::new();
        };
        if p.kind == PromptKind::PickHistory {
            self.search.searching = true;
            self.search.input = LineInput {
                cursor: name.len(),
                text: name,
            };
            return self.apply_input();
        }
        let Some(view) = self.views.iter().find(|v| v.name == name).cloned() else {
            return Vec::new();
        };
        // The view's query replaces the search; its order and zone apply where it sets them.
        let text = view.query.clone().unwrap_or_default();
        self.search.input = LineInput {
            cursor: text.len(),
            text,
        };
        if view.sort.is_some() {
            self.sort = view.sort;
        }
        if let Some(z) = view.zone {
            self.zone = z;
        }
        self.flash = Some(format!("view {}", view.name));
        self.apply_input()
    }

    /// ↑ on an empty search bar (or while walking the history) steps back; ↓ forward, and past
    /// the newest search back to an empty bar.
    pub(super) fn history_step(&mut self, back: bool) -> Vec<Effect> {
        let n = self.history.len();
        let at = match (self.history_at, back) {
            (_, true) if n == 0 => return Vec::new(),
            (None, true) => Some(n - 1),
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
            (None, false) => return Vec::new(),
        };
        self.history_at = at;
        let text = at
            .and_then(|i| self.history.get(i).cloned())
            .unwrap_or_default();
        self.search.input = LineInput {
            cursor: text.len(),
            text,
        };
        self.apply_input()
    }

    /// Enter on the search bar: the search joins the history; the runtime saves it.
    pub(super) fn remember_search(&mut self) -> Vec<Effect> {
        self.history_at = None;
        let text = self.search.input.text.trim().to_string();
        if crate::tui::history::push(&mut self.history, &text) {
            return vec![Effect::SaveHistory(text)];
        }
        Vec::new()
    }
}
