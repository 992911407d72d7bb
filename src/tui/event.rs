//! The one message type: input, loader, matcher and chat reader all speak through it.

use crate::model::Chat;
use crate::spool::live::Snapshot;
use crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

/// Something that happened, delivered to the main loop on one channel.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize,
    /// A new state of the spool from the loader/watcher thread.
    Snapshot(Arc<Snapshot>),
    /// Matching finished for a request; results of an older generation are dropped.
    Matched(Matched),
    /// A search that found nothing, counted again with its bare words as `text:` terms in the
    /// text store: how many chats say them (see [`crate::tui::app::MatchRequest::as_text`]).
    TextHint {
        generation: u64,
        chats: usize,
    },
    /// The stats worker's report for a request; results of an older generation are dropped.
    Stats {
        generation: u64,
        report: Arc<crate::stats::Report>,
    },
    /// A chat's full text was read (or could not be).
    ChatLoaded {
        id: Arc<str>,
        result: Result<Arc<Chat>, String>,
    },
    /// The review data changed (ours saved, or another writer's entries seen).
    Reviews(Arc<crate::review::Reviews>),
    /// The review thread's answer to `Effect::Review`: what was saved, or why not.
    ReviewSaved(Result<String, String>),
    /// The review directory's rubrics changed: the good ones, and why the others cannot be used.
    Rubrics(Vec<crate::review::rubric::Rubric>, Vec<String>),
    /// SIGTERM/SIGHUP: leave cleanly.
    Terminate,
    /// Periodic wake-up (clock in the list, flash messages).
    Tick,
    /// Something a background job (an export) wants the status bar to say.
    Notice(String),
}

/// The matcher's answer: positions in `snapshot.chats`, in display order.
#[derive(Debug)]
pub struct Matched {
    pub generation: u64,
    pub snapshot: Arc<Snapshot>,
    pub order: Vec<u32>,
}
