//! Review data: tags, notes and reviewed marks a lead records on chats, kept outside the spool.
//!
//! Why journals: several people may point chatspool at one shared directory (a network share),
//! and no lock is reliable there. Each writer (`user@host`) appends to its own journal file, one
//! checksummed record per line, and readers merge every journal. Two writers therefore never
//! touch each other's bytes; processes of one writer on one machine append with `O_APPEND`, which
//! the kernel keeps whole per write. A record is fsynced (and the directory, when the journal is
//! new) before the action is acknowledged.
//!
//! A torn last record (a crash mid-write) is ignored; a damaged record elsewhere is reported as a
//! problem and costs only itself. Nothing here writes inside the spool: [`place`] refuses a
//! review directory that lies in it.

mod journal;
mod merge;
pub mod place;
mod poll;
mod record;

#[cfg(test)]
mod tests;

pub use journal::{append, read_dir, JournalSet};
pub use merge::merge;
pub use poll::Poller;
pub use record::{Op, Record};

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// A note on a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub author: String,
    pub at: DateTime<Utc>,
}

/// Who marked a chat reviewed, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub author: String,
    pub at: DateTime<Utc>,
}

/// Everything recorded on one chat, all journals merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatReview {
    /// In the order they were first added.
    pub tags: Vec<String>,
    /// Oldest first.
    pub notes: Vec<Note>,
    pub reviewed: Option<Mark>,
}

impl ChatReview {
    /// Nothing recorded (or everything undone).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.notes.is_empty() && self.reviewed.is_none()
    }
}

/// A damaged record or an unreadable journal: reported by `check`, costs nothing else.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

/// The merged review data of one review directory: chat id to its review.
#[derive(Debug, Clone, Default)]
pub struct Reviews {
    chats: HashMap<Arc<str>, ChatReview>,
    /// Journals read.
    pub journals: usize,
    /// Records applied.
    pub entries: usize,
    pub problems: Vec<Problem>,
}

impl Reviews {
    /// The review of a chat, `None` when nothing is recorded on it.
    pub fn get(&self, id: &str) -> Option<&ChatReview> {
        self.chats.get(id).filter(|r| !r.is_empty())
    }

    /// Whether the chat carries a reviewed mark.
    pub fn is_reviewed(&self, id: &str) -> bool {
        self.get(id).is_some_and(|r| r.reviewed.is_some())
    }

    /// Chats with something recorded.
    pub fn len(&self) -> usize {
        self.chats.values().filter(|r| !r.is_empty()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The current user's name for review records: `$USER` (then `$LOGNAME`), or `unknown`.
pub fn default_author() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
