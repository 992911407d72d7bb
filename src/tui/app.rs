//! The TUI's state and its one entry point, [`App::update`]: a message in, effects out.
//!
//! No I/O and no terminal here: effects (match this query, read that chat, quit) are carried out
//! by the runtime, which is what makes every behaviour testable by feeding messages.

mod chat;
mod copy;
mod input;
mod nav;
mod picker;
mod review;
mod score;
mod stats;

pub use chat::{ChatCache, ChatPane};
pub use copy::{Choice, Clip, ExportJob, Scope, EXPORT_CHOICES};
pub use input::LineInput;
pub use nav::{slow_replies, SLOW_REPLY_SECS};
pub use review::{saved_message, Prompt, PromptKind};
pub use score::ScoreForm;
pub use stats::{StatsRequest, StatsTable, StatsView, COLUMNS};

use super::event::{Matched, Msg};
use super::keymap::{self, Action};
use super::theme::Theme;
use crate::model::shown::Zone;
use crate::model::{ChatSummary, Source};
use crate::query::{Query, SortKey};
use crate::spool::live::Snapshot;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The pane that receives movement keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Details,
    Transcript,
}

/// How much of the screen the focused pane takes (`+` / `_`, as in lazygit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zoom {
    /// The usual layout.
    #[default]
    Normal,
    /// The focused pane gets at least half the screen.
    Half,
    /// The focused pane gets the whole screen.
    Full,
}

impl Zoom {
    /// One step larger (`+`): normal → half → full → normal.
    pub fn larger(self) -> Zoom {
        match self {
            Zoom::Normal => Zoom::Half,
            Zoom::Half => Zoom::Full,
            Zoom::Full => Zoom::Normal,
        }
    }

    /// One step back (`_`): full → half → normal.
    pub fn smaller(self) -> Zoom {
        match self {
            Zoom::Full => Zoom::Half,
            Zoom::Half | Zoom::Normal => Zoom::Normal,
        }
    }
}

/// A full-screen layer over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Problems {
        scroll: usize,
    },
    /// The export menu (`e`): what to export, in which format.
    Export,
}

/// A matching job for the matcher thread.
#[derive(Debug, Clone)]
pub struct MatchRequest {
    pub generation: u64,
    pub query: Query,
    pub sort: Option<SortKey>,
    pub snapshot: Arc<Snapshot>,
    /// The review data `tag:`, `note:` and `reviewed:` terms are decided on.
    pub reviews: Arc<crate::review::Reviews>,
    /// The same search in transcript scope, when its bare words search names: if the search
    /// finds nothing, the matcher counts what this finds in the text store (`Msg::TextHint`).
    pub as_text: Option<Query>,
}

/// Work the runtime does on the app's behalf.
#[derive(Debug)]
pub enum Effect {
    Match(MatchRequest),
    LoadChat {
        id: Arc<str>,
        source: Source,
    },
    /// Append these review records (durably) and report back.
    Review(Vec<crate::review::Record>),
    /// Recompute the stats view's report (off the UI thread).
    Stats(StatsRequest),
    SetMouse(bool),
    /// Put text on the clipboard (through the terminal), or in a file when it cannot copy.
    Copy(Clip),
    /// Write chats to a file in the export directory.
    Export(ExportJob),
    /// Add this search to the history file (as it is on disk now: another viewer's searches
    /// are kept).
    SaveHistory(String),
    Suspend,
    Clear,
    Quit,
}

/// Where the panes were last drawn: for mouse hit-testing and page sizes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub list: Rect,
    pub details: Rect,
    pub transcript: Rect,
}

/// The search bar, the query parsed from it and the matching it asked for.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The search bar has the keyboard.
    pub searching: bool,
    /// The search bar's bare words search transcripts (`text:`), not names (Ctrl-T).
    pub transcript_scope: bool,
    pub input: LineInput,
    /// Every complete term of the input (see [`Query::parse_valid`]).
    pub query: Query,
    /// The first term that does not parse, shown whole under the bar.
    pub query_error: Option<String>,
    /// Numbers match requests, so a late answer to an old query is dropped.
    pub generation: u64,
    /// A match request is out and its answer has not come back yet.
    pub matching: bool,
    /// How far the matcher's transcript search is (shared with the matcher thread).
    pub tally: Arc<crate::work::Tally>,
    /// The next match result puts the cursor on its first row: the query or the order changed,
    /// so the best (or first) chat is what the user wants to see, as in fzf.
    pub to_top: bool,
    /// The bare words of a search that found no chat by name, and how many chats say them
    /// (from the text store): the empty list points at Ctrl-T.
    pub text_hint: Option<(String, usize)>,
}

/// The view state of the panes: changed by keys in [`App::update`] and clamped to the screen by
/// the layout pass (`ui::arrange`), read by the views.
#[derive(Debug, Clone, Copy, Default)]
pub struct Panes {
    /// Where the panes were last laid out.
    pub areas: Areas,
    /// First visible list row (the layout pass keeps the selection visible).
    pub list_offset: usize,
    pub details_scroll: usize,
    pub transcript_scroll: usize,
    /// Transcript entry to bring into view on the next layout pass (n/N).
    pub transcript_jump: Option<usize>,
    /// How much of the screen the focused pane takes.
    pub zoom: Zoom,
}

/// Start-up options that shape the app.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub theme: Theme,
    pub mouse: bool,
    pub follow: bool,
    pub query: String,
    pub sort: Option<SortKey>,
    /// The list columns the config file chooses (`None`: all that fit).
    pub columns: Option<Vec<crate::view::columns::Column>>,
    /// Review data is read and written here; `None` turns review off.
    pub review_dir: Option<PathBuf>,
    /// Who the review records name.
    pub author: String,
    /// The config file's `redact` patterns, masked with the built-in kinds while `R` is on.
    pub redact: Vec<regex::Regex>,
    pub zone: Zone,
    /// The config's service levels (`[sla]`): `sla:` terms, the details' SLA line and the
    /// transcript's slow-reply marks judge by them.
    pub sla: Option<Arc<crate::model::sla::Sla>>,
    /// How the spool is read (`--follow-links`, `--no-cache`).
    pub reading: crate::spool::Reading,
    /// Saved views for the picker (`v`): the config file's, then the team's.
    pub views: Vec<crate::views::View>,
    /// Past searches, oldest first.
    pub history: Vec<String>,
    /// Said on the status bar at start (a damaged views or history file skipped).
    pub notice: Option<String>,
}

#[derive(Debug)]
pub struct App {
    pub root: PathBuf,
    pub theme: Theme,
    /// The time the app renders against ("today", ages); set by the runtime, fixed in tests.
    pub now: DateTime<Utc>,
    /// The newest state of the spool.
    pub snapshot: Arc<Snapshot>,
    /// The snapshot `order` indexes into (may lag `snapshot` until matching catches up).
    pub view: Arc<Snapshot>,
    pub order: Vec<u32>,
    pub selected: usize,
    pub selected_id: Option<Arc<str>>,
    pub focus: Focus,
    pub overlay: Overlay,
    /// The search bar and the query it holds.
    pub search: Search,
    pub sort: Option<SortKey>,
    /// `S`: show the current order backwards.
    pub reversed: bool,
    /// The zone times are shown in (`--tz`, `z`).
    pub zone: Zone,
    /// The list columns the config file chooses (`None`: all that fit).
    pub columns: Option<Vec<crate::view::columns::Column>>,
    /// The stats view (`i`).
    pub stats: StatsView,
    pub chat: ChatPane,
    pub cache: ChatCache,
    pub mouse: bool,
    pub follow: bool,
    /// Chats that arrived while the app ran, shown with a badge until selected.
    pub fresh: HashSet<Arc<str>>,
    pub flash: Option<String>,
    /// Where the panes are and how far each is scrolled: what the layout pass keeps.
    pub panes: Panes,
    pub quit: bool,
    /// Mask personal data on screen and in copies and exports (`R`).
    pub redact: bool,
    /// The masking rules (the config file may add patterns).
    pub redactor: Arc<crate::redact::Redactor>,
    /// The open chat and its masked copy, made once per chat while `redact` is on.
    masked: Option<(Arc<crate::model::Chat>, Arc<crate::model::Chat>)>,
    /// The user pressed a key or used the mouse.
    pub touched: bool,
    /// A fully loaded spool has been shown at least once.
    pub settled: bool,
    /// Tags, notes and reviewed marks, as last read (all journals merged).
    pub reviews: Arc<crate::review::Reviews>,
    /// Review actions are possible (there is a review directory).
    pub reviewing: bool,
    /// Where the team's rubrics go (`rubrics/` in the review directory), for messages.
    pub rubric_dir: Option<PathBuf>,
    pub author: String,
    /// An open tag or note prompt.
    pub prompt: Option<Prompt>,
    /// See [`Options::sla`].
    pub sla: Option<Arc<crate::model::sla::Sla>>,
    /// See [`Options::reading`].
    pub reading: crate::spool::Reading,
    /// Saved views (`v`).
    pub views: Vec<crate::views::View>,
    /// Past searches, oldest first (↑ on an empty search bar, `Ctrl-R`).
    pub history: Vec<String>,
    /// Where ↑/↓ are in the history while walking it.
    pub history_at: Option<usize>,
    /// The review directory's rubrics (`rubrics/*.toml`), by name; set by the runtime.
    pub rubrics: Vec<crate::review::rubric::Rubric>,
    /// Why a rubric file there could not be used (shown when scoring finds none).
    pub rubric_problems: Vec<String>,
    /// The open scoring form (`c`).
    pub score_form: Option<ScoreForm>,
}

impl App {
    /// A new app; the returned effects start the first match.
    pub fn new(opts: Options, now: DateTime<Utc>) -> (App, Vec<Effect>) {
        let (query, error) = Query::parse_valid(&opts.query, now);
        let query = query.with_sla(opts.sla.clone());
        let query_error = error.map(|e| e.to_string());
        let snapshot = Arc::new(Snapshot::default());
        let mut app = App {
            root: opts.root,
            theme: opts.theme,
            now,
            view: snapshot.clone(),
            snapshot,
            order: Vec::new(),
            selected: 0,
            selected_id: None,
            focus: Focus::List,
            overlay: Overlay::None,
            search: Search {
                searching: false,
                transcript_scope: false,
                input: LineInput {
                    cursor: opts.query.len(),
                    text: opts.query,
                },
                query,
                query_error,
                generation: 0,
                matching: false,
                tally: Arc::default(),
                to_top: false,
                text_hint: None,
            },
            sort: opts.sort,
            reversed: false,
            zone: opts.zone,
            columns: opts.columns,
            stats: StatsView::default(),
            chat: ChatPane::None,
            cache: ChatCache::default(),
            mouse: opts.mouse,
            follow: opts.follow,
            fresh: HashSet::new(),
            flash: None,
            panes: Panes::default(),
            quit: false,
            redact: false,
            redactor: Arc::new(crate::redact::Redactor::new(opts.redact)),
            masked: None,
            touched: false,
            settled: false,
            reviews: Arc::default(),
            reviewing: opts.review_dir.is_some(),
            rubric_dir: opts.review_dir.as_ref().map(|d| d.join("rubrics")),
            author: opts.author,
            prompt: None,
            sla: opts.sla,
            reading: opts.reading,
            views: opts.views,
            history: opts.history,
            history_at: None,
            rubrics: Vec::new(),
            rubric_problems: Vec::new(),
            score_form: None,
        };
        let effects = vec![app.request_match()];
        (app, effects)
    }

    /// The chat under the cursor.
    pub fn selected_chat(&self) -> Option<&Arc<ChatSummary>> {
        let i = *self.order.get(self.selected)?;
        self.view.chats.get(i as usize)
    }

    /// Handle one message.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.apply(msg);
        self.refresh_mask();
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Key(_) | Msg::Resize | Msg::Tick => Vec::new(),
            Msg::Paste(text) => self.paste(&text),
            Msg::Mouse(m) => {
                self.touched = true;
                self.on_mouse(m)
            }
            Msg::Snapshot(s) => self.on_snapshot(s),
            Msg::Matched(m) => self.on_matched(m),
            Msg::TextHint { generation, chats } => {
                self.on_text_hint(generation, chats);
                Vec::new()
            }
            Msg::Stats { generation, report } => {
                self.on_stats(generation, report);
                Vec::new()
            }
            Msg::ChatLoaded { id, result } => {
                self.on_chat_loaded(&id, result);
                Vec::new()
            }
            Msg::Reviews(r) => self.on_reviews(r),
            Msg::ReviewSaved(result) => {
                self.on_review_saved(result);
                Vec::new()
            }
            Msg::Rubrics(rubrics, problems) => {
                self.on_rubrics(rubrics, problems);
                Vec::new()
            }
            Msg::Terminate => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Msg::Notice(text) => {
                self.flash = Some(text);
                Vec::new()
            }
        }
    }

    fn request_match(&mut self) -> Effect {
        self.search.generation += 1;
        self.search.matching = true;
        Effect::Match(MatchRequest {
            generation: self.search.generation,
            query: self.search.query.clone(),
            sort: self.sort,
            snapshot: self.snapshot.clone(),
            reviews: self.reviews.clone(),
            as_text: self.as_text(),
        })
    }

    /// The search in transcript scope, when it has bare words searching names.
    fn as_text(&self) -> Option<Query> {
        if self.search.transcript_scope || !self.search.query.has_fuzzy() {
            return None;
        }
        let (q, _) = Query::parse_scoped(&self.search.input.text, self.now, true);
        let q = q.with_sla(self.sla.clone());
        q.needs_transcript().then_some(q)
    }

    /// The words `as_text` searches transcripts for and the search itself does not.
    fn hint_words(&self) -> String {
        let Some(q) = self.as_text() else {
            return String::new();
        };
        let own: Vec<&str> = self.search.query.text_terms().map(|(t, _)| t).collect();
        q.text_terms()
            .filter(|(t, neg)| !neg && !own.contains(t))
            .map(|(t, _)| format!("\"{}\"", crate::sanitize::line(t)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn on_text_hint(&mut self, generation: u64, chats: usize) {
        if generation == self.search.generation && self.order.is_empty() && chats > 0 {
            self.search.text_hint = Some((self.hint_words(), chats));
        }
    }

    fn on_snapshot(&mut self, s: Arc<Snapshot>) -> Vec<Effect> {
        for id in s.fresh.iter() {
            self.fresh.insert(id.clone());
        }
        if !self.fresh.is_empty() {
            // A new chat whose file went away again is no longer news ("0 chats · 1 new").
            let shown: HashSet<Arc<str>> = s
                .chats
                .iter()
                .filter(|c| self.fresh.contains(&c.id))
                .map(|c| c.id.clone())
                .collect();
            self.fresh = shown;
        }
        self.snapshot = s;
        vec![self.request_match()]
    }

    fn on_matched(&mut self, m: Matched) -> Vec<Effect> {
        if m.generation != self.search.generation {
            return Vec::new();
        }
        self.search.matching = false;
        self.search.text_hint = None;
        self.view = m.snapshot;
        self.order = m.order;
        if self.reversed {
            self.order.reverse();
        }
        let old_row = self.selected;
        let at_top = self.panes.list_offset == 0;
        let keep = self.selected_id.clone();
        let found = keep.as_deref().and_then(|id| {
            self.order
                .iter()
                .position(|&i| &*self.view.chats[i as usize].id == id)
        });
        // While the first load fills the list, an untouched list stays at the top (the newest
        // chats) instead of following whichever chat happened to load first.
        let pin_top = (!self.touched && !self.settled) || std::mem::take(&mut self.search.to_top);
        self.settled |= self.view.progress.finished;
        self.selected = if self.follow {
            self.newest_row()
        } else if pin_top {
            self.panes.list_offset = 0;
            0
        } else {
            found.unwrap_or_else(|| self.selected.min(self.order.len().saturating_sub(1)))
        };
        if found.is_some() && !self.follow && !pin_top && !at_top {
            // Scrolled down: keep the selected chat on the same screen line when rows arrive
            // above it. At the top the view stays at the top, so new chats come into sight.
            self.panes.list_offset =
                (self.panes.list_offset + self.selected).saturating_sub(old_row);
        }
        let mut effects = self.selection_changed();
        effects.extend(self.request_stats());
        effects
    }

    fn newest_row(&self) -> usize {
        self.order
            .iter()
            .enumerate()
            .max_by_key(|(_, &i)| {
                let c = &self.view.chats[i as usize];
                (c.started_ms(), std::cmp::Reverse(c.id.clone()))
            })
            .map_or(0, |(row, _)| row)
    }

    /// After the cursor moved or the list changed: load the chat now under the cursor.
    fn selection_changed(&mut self) -> Vec<Effect> {
        let Some(chat) = self.selected_chat().cloned() else {
            self.selected_id = None;
            self.chat = ChatPane::None;
            return Vec::new();
        };
        self.fresh.remove(&chat.id);
        let same = self.selected_id.as_deref() == Some(&*chat.id);
        if same && self.chat.is_current(&chat) {
            return Vec::new();
        }
        if !same {
            self.panes.details_scroll = 0;
            self.panes.transcript_scroll = 0;
            self.panes.transcript_jump = None;
        }
        self.selected_id = Some(chat.id.clone());
        if let Some(loaded) = self.cache.get(&chat) {
            self.chat = ChatPane::Ready(chat.clone(), loaded);
            self.jump_to_first_hit();
            return Vec::new();
        }
        self.chat = ChatPane::Loading(chat.clone());
        vec![Effect::LoadChat {
            id: chat.id.clone(),
            source: chat.source.clone(),
        }]
    }

    /// A chat found by what was said shows its first hit.
    fn jump_to_first_hit(&mut self) {
        if self.search.query.needs_transcript() && self.panes.transcript_jump.is_none() {
            self.panes.transcript_jump = self.transcript_hits().first().copied();
        }
    }

    fn on_chat_loaded(&mut self, id: &str, result: Result<Arc<crate::model::Chat>, String>) {
        let Some(current) = self.selected_chat().cloned() else {
            return;
        };
        if &*current.id != id {
            return;
        }
        match result {
            Ok(mut chat) => {
                // The file knows the chat's own wrap-up; the row has the one merged with later
                // wrap-up events. The reader's `Arc` is normally not shared: no copy is made.
                if !chat.has_wrap_up_of(&current) {
                    Arc::make_mut(&mut chat).adopt_wrap_up(&current);
                }
                self.cache.put(&current, chat.clone());
                self.chat = ChatPane::Ready(current, chat);
                self.jump_to_first_hit();
            }
            Err(e) => self.chat = ChatPane::Failed(current, e),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.flash = None;
        self.touched = true;
        if self.overlay != Overlay::None {
            return self.on_overlay_key(key);
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key);
        }
        if self.score_form.is_some() {
            return self.on_score_key(key);
        }
        // While the search bar is open over the stats view, keys type into it.
        if self.stats.open && !self.search.searching {
            return self.on_stats_key(key);
        }
        if self.search.searching {
            // ↑ on an empty bar (or while walking the history) recalls past searches.
            match keymap::action(true, &key) {
                Some(Action::Up)
                    if !self.history.is_empty()
                        && (self.search.input.text.is_empty() || self.history_at.is_some()) =>
                {
                    return self.history_step(true)
                }
                Some(Action::Down) if self.history_at.is_some() => return self.history_step(false),
                _ => {}
            }
        }
        match keymap::action(self.search.searching, &key) {
            Some(action) if action.edits() => self.on_search_edit(|input| input.apply(action)),
            Some(action) => self.on_action(action),
            None if self.search.searching => match printable(&key) {
                Some(c) => self.on_search_edit(|input| input.insert(c)),
                None => Vec::new(),
            },
            None => Vec::new(),
        }
    }

    fn on_overlay_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let action = keymap::action_for(keymap::Mode::Overlaid, &key);
        let help = matches!(self.overlay, Overlay::Help { .. });
        let scroll = match &mut self.overlay {
            Overlay::Help { scroll } | Overlay::Problems { scroll } => scroll,
            Overlay::Export => return self.on_export_key(key),
            Overlay::None => return Vec::new(),
        };
        match action {
            Some(Action::Down) => *scroll = scroll.saturating_add(1),
            Some(Action::Up) => *scroll = scroll.saturating_sub(1),
            Some(Action::PageDown) => *scroll = scroll.saturating_add(10),
            Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
            Some(Action::Top) => *scroll = 0,
            // Clamped to the last screenful when drawn.
            Some(Action::Bottom) => *scroll = usize::MAX,
            Some(Action::Quit) if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Some(Action::Suspend) => return vec![Effect::Suspend],
            Some(Action::Redraw) => return vec![Effect::Clear],
            Some(Action::Close | Action::Cancel) => self.overlay = Overlay::None,
            // The key that opened an overlay closes it; the other one switches to it.
            Some(Action::Help) if help => self.overlay = Overlay::None,
            Some(Action::Problems) if !help => self.overlay = Overlay::None,
            Some(Action::Help) => self.overlay = Overlay::Help { scroll: 0 },
            Some(Action::Problems) => self.overlay = Overlay::Problems { scroll: 0 },
            _ => {}
        }
        Vec::new()
    }

    fn on_search_edit(&mut self, edit: impl FnOnce(&mut LineInput)) -> Vec<Effect> {
        let before = self.search.input.text.clone();
        edit(&mut self.search.input);
        if self.search.input.text == before {
            return Vec::new();
        }
        self.history_at = None;
        self.apply_input()
    }

    /// Paste into the search bar (bracketed paste), one request for the whole text.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        if self.paste_prompt(text) || self.paste_score(text) || !self.search.searching {
            return Vec::new();
        }
        self.search.input.insert_str(text);
        self.apply_input()
    }

    /// Parse the search bar and match it at once. A term that does not parse (`agent:` while
    /// it is being typed) is left out and the error shown: the list keeps the results of the
    /// complete terms, not those of a half-typed prefix (`agent` as a fuzzy word).
    fn apply_input(&mut self) -> Vec<Effect> {
        let (query, error) = Query::parse_scoped(
            &self.search.input.text,
            self.now,
            self.search.transcript_scope,
        );
        self.search.query_error = error.map(|e| e.to_string()).or_else(|| {
            (query.needs_sla() && self.sla.is_none())
                .then(|| "sla: needs service levels: set [sla] in the config file".to_string())
        });
        self.search.query = query.with_sla(self.sla.clone());
        self.panes.transcript_jump = None;
        self.search.to_top = true;
        vec![self.request_match()]
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::Suspend => vec![Effect::Suspend],
            Action::Redraw => vec![Effect::Clear],
            Action::Help => {
                self.overlay = Overlay::Help { scroll: 0 };
                Vec::new()
            }
            Action::Problems => {
                self.overlay = Overlay::Problems { scroll: 0 };
                Vec::new()
            }
            Action::ToggleMouse => {
                self.mouse = !self.mouse;
                self.flash = Some(if self.mouse {
                    "mouse on: wheel scrolls, click selects".into()
                } else {
                    "mouse off: select text with your terminal".into()
                });
                vec![Effect::SetMouse(self.mouse)]
            }
            Action::CopyChat => self.copy_chat(),
            Action::CopyId => self.copy_id(),
            Action::Export => {
                self.overlay = Overlay::Export;
                Vec::new()
            }
            Action::ToggleRedact => self.toggle_redact(),
            Action::ToggleFollow => {
                self.follow = !self.follow;
                self.flash = Some(
                    if self.follow {
                        "follow on: newest chat stays selected"
                    } else {
                        "follow off"
                    }
                    .into(),
                );
                if self.follow {
                    self.selected = self.newest_row();
                    return self.selection_changed();
                }
                Vec::new()
            }
            Action::Search => {
                self.search.searching = true;
                self.focus = Focus::List;
                self.search.input.end();
                Vec::new()
            }
            Action::Accept => {
                self.search.searching = false;
                self.remember_search()
            }
            Action::PickView | Action::PickHistory => self.open_picker(action),
            Action::Scope => {
                self.search.transcript_scope = !self.search.transcript_scope;
                self.flash = Some(
                    if self.search.transcript_scope {
                        "searching transcripts (Ctrl-T: people)"
                    } else {
                        "searching people (Ctrl-T: transcripts)"
                    }
                    .into(),
                );
                if self.search.input.text.is_empty() {
                    Vec::new()
                } else {
                    self.apply_input()
                }
            }
            Action::Cancel => self.cancel(),
            // Handled where they apply (overlays, the search bar and prompts).
            Action::Close
            | Action::DeleteWord
            | Action::DeleteToStart
            | Action::LineStart
            | Action::LineEnd
            | Action::CharLeft
            | Action::CharRight
            | Action::DeleteBack
            | Action::DeleteForward => Vec::new(),
            Action::Reverse => {
                self.reversed = !self.reversed;
                self.flash = Some(
                    if self.reversed {
                        "order reversed"
                    } else {
                        "order as sorted"
                    }
                    .into(),
                );
                self.search.to_top = true;
                vec![self.request_match()]
            }
            Action::Back => {
                self.focus = Focus::List;
                Vec::new()
            }
            Action::CycleSort => {
                let all = SortKey::ALL;
                let current = self.sort.unwrap_or(SortKey::Newest);
                let i = all.iter().position(|k| *k == current).unwrap_or(0);
                self.sort = Some(all[(i + 1) % all.len()]);
                self.flash = Some(format!("sorted by {}", all[(i + 1) % all.len()]));
                self.search.to_top = true;
                vec![self.request_match()]
            }
            Action::Tag
            | Action::Note
            | Action::ToggleReviewed
            | Action::NextUnreviewed
            | Action::TagAll
            | Action::ReviewAll => self.on_review_action(action),
            Action::Score => self.open_score_form(),
            Action::ToggleStats => self.toggle_stats(),
            Action::CycleZone => self.cycle_zone(),
            Action::StatsTable
            | Action::StatsColumnNext
            | Action::StatsColumnPrev
            | Action::StatsReverse
            | Action::StatsHeat => Vec::new(),
            Action::ZoomIn | Action::ZoomOut => {
                let z = self.panes.zoom;
                self.panes.zoom = if action == Action::ZoomIn {
                    z.larger()
                } else {
                    z.smaller()
                };
                self.flash = Some(
                    match self.panes.zoom {
                        Zoom::Normal => "zoom: normal",
                        Zoom::Half => "zoom: half screen",
                        Zoom::Full => "zoom: full screen",
                    }
                    .into(),
                );
                Vec::new()
            }
            Action::NextMatch => self.jump_to_hit(true),
            Action::PrevMatch => self.jump_to_hit(false),
            Action::NextSlow => self.jump_to_slow(true),
            Action::PrevSlow => self.jump_to_slow(false),
            Action::FocusNext | Action::FocusPrev | Action::Open => {
                self.cycle_focus(action);
                if action == Action::Open {
                    self.jump_to_first_hit();
                }
                Vec::new()
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.move_cursor(action),
        }
    }

    /// Esc walks back one step: from the details or transcript to the list; in the search bar
    /// or on the list it clears the query (the full list comes back, the chat stays selected).
    fn cancel(&mut self) -> Vec<Effect> {
        if !self.search.searching && self.focus != Focus::List {
            self.focus = Focus::List;
            return Vec::new();
        }
        self.search.searching = false;
        // A cleared search starts again in people scope: the next `/` searches names, as the
        // prompt then says, not transcripts left over from Ctrl-T.
        let scoped = std::mem::take(&mut self.search.transcript_scope);
        if self.search.input.text.is_empty() && self.search.query_error.is_none() {
            if scoped {
                self.flash = Some("searching people (Ctrl-T: transcripts)".into());
            }
            return Vec::new();
        }
        self.search.input.clear();
        self.search.query_error = None;
        self.search.query = Query::default();
        vec![self.request_match()]
    }
}

/// The character a key types into a line, if it types one (no Ctrl, not a control character).
pub(crate) fn printable(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => {
            Some(c)
        }
        _ => None,
    }
}
