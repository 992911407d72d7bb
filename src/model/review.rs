//! What a lead recorded on one chat (tags, notes, the reviewed mark), all journals merged: plain
//! data, below the query language that tests it (`tag:`, `note:`, `reviewed:`) and the
//! journals (`crate::review`) that record it.

use chrono::{DateTime, Utc};

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
