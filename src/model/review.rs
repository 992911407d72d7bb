//! What a lead recorded on one chat (tags, notes, the reviewed mark, scorecards, samples), all journals merged: plain
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
    /// Each reviewer's latest scorecard, in the order they were last recorded.
    pub scorecards: Vec<crate::model::score::Scorecard>,
    /// The named samples the chat is assigned to, in the order it joined them.
    pub samples: Vec<String>,
}

impl ChatReview {
    /// Nothing recorded (or everything undone).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
            && self.notes.is_empty()
            && self.reviewed.is_none()
            && self.scorecards.is_empty()
            && self.samples.is_empty()
    }

    /// The chat's score in tenths: the mean of its reviewers' scorecards (`None`: no score).
    pub fn score(&self) -> Option<i64> {
        crate::model::score::chat_score(&self.scorecards)
    }
}

/// The score of a chat's review, `None` when nothing is recorded on it.
pub fn score_of(review: Option<&ChatReview>) -> Option<i64> {
    review.and_then(ChatReview::score)
}
