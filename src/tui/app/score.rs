//! The scoring form (`c`): a chat's rubric as a form over the transcript. Move between criteria
//! with ↑/↓ (Tab, Shift-Tab), type a value (points, `pass`/`fail`, `n` for N/A), Enter saves,
//! Esc cancels; PageUp/PageDown switch rubric when the review directory has several.
//!
//! As for tags, the app never writes: Enter asks the review thread to append one `score` record
//! ([`Effect::Review`]); the scorecard shows once it is saved and merged back.

use super::{App, Effect, LineInput};
use crate::review::rubric::Rubric;
use crate::review::{card, Op, Record, Value};
use crate::tui::keymap::{self, Action, Mode};
use crossterm::event::{KeyCode, KeyEvent};
use std::sync::Arc;

/// The open form: one input per criterion of the rubric, then the comment.
#[derive(Debug, Clone)]
pub struct ScoreForm {
    pub chat: Arc<str>,
    /// Index into [`App::rubrics`].
    pub rubric: usize,
    /// One per criterion, then one for the comment.
    pub fields: Vec<LineInput>,
    /// The field with the cursor.
    pub at: usize,
    /// Why the last Enter did not save (a value out of range).
    pub error: Option<String>,
}

fn filled(text: String) -> LineInput {
    LineInput {
        cursor: text.len(),
        text,
    }
}

impl App {
    /// `c`: open the form on the selected chat, filled with this reviewer's last scorecard of
    /// the rubric when there is one.
    pub(super) fn open_score_form(&mut self) -> Vec<Effect> {
        let Some(chat) = self.selected_chat().map(|c| c.id.clone()) else {
            self.flash = Some("no chat selected".into());
            return Vec::new();
        };
        if !self.reviewing {
            self.flash = Some(crate::review::place::NO_DIR.into());
            return Vec::new();
        }
        if self.rubrics.is_empty() {
            self.flash = Some(match self.rubric_problems.first() {
                Some(p) => p.clone(),
                None => "no rubric to score with: write one as rubrics/NAME.toml in the review \
                         directory (README, \"Scorecards\")"
                    .into(),
            });
            return Vec::new();
        }
        // The rubric this reviewer last used on the chat, else the first.
        let last = self
            .reviews
            .get(&chat)
            .and_then(|r| r.scorecards.iter().find(|c| c.author == self.author))
            .and_then(|c| self.rubrics.iter().position(|r| r.name == c.rubric))
            .unwrap_or(0);
        self.score_form = Some(self.form_for(chat, last));
        Vec::new()
    }

    fn form_for(&self, chat: Arc<str>, rubric: usize) -> ScoreForm {
        let r = &self.rubrics[rubric];
        let mine = self
            .reviews
            .get(&chat)
            .and_then(|rv| rv.scorecards.iter().find(|c| c.author == self.author))
            .filter(|c| c.rubric == r.name);
        let mut fields: Vec<LineInput> = r
            .criteria
            .iter()
            .map(|c| {
                let v = mine.and_then(|m| m.items.get(&c.id).copied().flatten());
                filled(match v {
                    None => String::new(),
                    Some(Value::Points(p)) => p.to_string(),
                    Some(Value::Pass) => "pass".into(),
                    Some(Value::Fail) => "fail".into(),
                })
            })
            .collect();
        fields.push(filled(
            mine.and_then(|m| m.comment.clone()).unwrap_or_default(),
        ));
        ScoreForm {
            chat,
            rubric,
            fields,
            at: 0,
            error: None,
        }
    }

    /// The rubric files changed while the viewer runs: an open form stays on its rubric when it
    /// still exists unchanged, and is closed (saying why) when not.
    pub fn on_rubrics(&mut self, rubrics: Vec<Rubric>, problems: Vec<String>) {
        if let Some(form) = &mut self.score_form {
            let old = self.rubrics.get(form.rubric);
            match rubrics.iter().position(|r| Some(r) == old) {
                Some(i) => form.rubric = i,
                None => {
                    self.score_form = None;
                    self.flash = Some("the rubric changed on disk: scoring form closed".into());
                }
            }
        }
        self.rubrics = rubrics;
        self.rubric_problems = problems;
    }

    /// A key while the form is open.
    pub(super) fn on_score_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let rubrics = self.rubrics.len();
        let Some(form) = self.score_form.as_mut() else {
            return Vec::new();
        };
        let n = form.fields.len();
        match key.code {
            KeyCode::Up | KeyCode::BackTab => {
                form.at = (form.at + n - 1) % n;
                return Vec::new();
            }
            KeyCode::Down | KeyCode::Tab => {
                form.at = (form.at + 1) % n;
                return Vec::new();
            }
            KeyCode::PageUp | KeyCode::PageDown if rubrics > 1 => {
                let step = if key.code == KeyCode::PageDown {
                    1
                } else {
                    rubrics - 1
                };
                let next = (form.rubric + step) % rubrics;
                let chat = form.chat.clone();
                self.score_form = Some(self.form_for(chat, next));
                return Vec::new();
            }
            _ => {}
        }
        match keymap::action_for(Mode::Prompting, &key) {
            Some(Action::Cancel) => self.score_form = None,
            Some(Action::Accept) => return self.submit_score(),
            Some(Action::Suspend) => return vec![Effect::Suspend],
            Some(Action::Redraw) => return vec![Effect::Clear],
            Some(action) => form.fields[form.at].apply(action),
            None => {
                if let Some(c) = super::printable(&key) {
                    form.fields[form.at].insert(c);
                    form.error = None;
                }
            }
        }
        Vec::new()
    }

    /// Enter: the scorecard as one record, or the reason it is refused (the form stays open).
    fn submit_score(&mut self) -> Vec<Effect> {
        let Some(form) = self.score_form.as_mut() else {
            return Vec::new();
        };
        let rubric: &Rubric = &self.rubrics[form.rubric];
        let (criteria, comment) = form.fields.split_at(form.fields.len() - 1);
        let mut set = Vec::new();
        let mut na = Vec::new();
        for (c, input) in rubric.criteria.iter().zip(criteria) {
            let text = input.text.trim();
            if text.is_empty() || c.value(text).is_ok_and(|v| v.is_none()) {
                na.push(c.id.clone());
            } else {
                set.push((c.id.clone(), text.to_string()));
            }
        }
        let comment = comment.first().map(|c| c.text.as_str());
        match rubric.card(&set, &na, comment) {
            Ok(card) => {
                let record = Record::new(
                    &form.chat,
                    Op::Score,
                    &card::encode(&card),
                    &self.author,
                    self.now,
                );
                self.score_form = None;
                vec![Effect::Review(vec![record])]
            }
            Err(why) => {
                form.error = Some(why);
                Vec::new()
            }
        }
    }

    /// Paste into the form's current field.
    pub(super) fn paste_score(&mut self, text: &str) -> bool {
        match self.score_form.as_mut() {
            Some(f) => {
                f.fields[f.at].insert_str(text);
                true
            }
            None => false,
        }
    }
}

/// The status bar's word once a scorecard is saved: `scored 83.3 (saved)`.
pub fn saved_score(value: &str) -> String {
    let score = card::decode(value).ok().and_then(|c| {
        crate::model::score::score_tenths(
            c.items
                .iter()
                .filter_map(|(id, v)| Some((v.as_ref()?, c.max.get(id).copied()))),
        )
    });
    match score {
        Some(t) => format!("scored {} (saved)", crate::model::score::shown(t)),
        None => "scorecard saved: no score (every criterion N/A)".into(),
    }
}
