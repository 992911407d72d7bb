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

pub mod card;
mod journal;
mod merge;
pub mod place;
mod poll;
mod record;
pub mod rubric;
pub mod sample;

#[cfg(test)]
mod tests;

/// What a chat's review holds is domain data (the query language tests it), defined in the
/// model; the journals here record and merge it.
pub use crate::model::review::{ChatReview, Mark, Note};
pub use crate::model::score::{Scorecard, Value};
pub use journal::{append, read_dir, JournalSet};
pub use merge::merge;
pub use poll::Poller;
pub use record::{Op, Record};

use crate::sanitize;
use std::collections::HashMap;
use std::sync::Arc;

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

    /// Whether the chat has a scorecard, and its score in tenths: what `stats` counts.
    pub fn scored(&self, id: &str) -> (bool, Option<i64>) {
        match self.get(id) {
            Some(r) => (!r.scorecards.is_empty(), r.score()),
            None => (false, None),
        }
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

    /// The ids of the chats assigned to the sample `name`, sorted.
    pub fn in_sample(&self, name: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .chats
            .iter()
            .filter(|(_, r)| r.samples.iter().any(|s| s == name))
            .map(|(id, _)| id.to_string())
            .collect();
        ids.sort();
        ids
    }
}

/// The current user's name for review records: `$USER` (then `$LOGNAME`), or `unknown`. Refused
/// when it has control characters, as the config file's `author` is: it goes into every record.
pub fn default_author() -> Result<String, String> {
    let Some((var, name)) = login_name() else {
        return Ok("unknown".into());
    };
    if name.chars().any(sanitize::is_unsafe) {
        return Err(format!(
            "${var} has control characters, so it cannot name review records: \
             set `author` in the config file"
        ));
    }
    Ok(name)
}

/// The first non-empty of `$USER` and `$LOGNAME`, with the variable's name; unchecked.
pub(crate) fn login_name() -> Option<(&'static str, String)> {
    ["USER", "LOGNAME"]
        .into_iter()
        .filter_map(|var| Some((var, std::env::var_os(var)?)))
        .map(|(var, v)| (var, v.to_string_lossy().trim().to_string()))
        .find(|(_, v)| !v.is_empty())
}

/// Why `name` cannot name a rubric or a sample: it goes into file names and queries, so it is
/// letters, digits, `-`, `_` and `.` (not first), at most 64 characters.
pub fn check_name(kind: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "bad {kind} name {:?}: use letters, digits, -, _ and . (not first), at most 64 characters",
            sanitize::line(name)
        ))
    }
}

/// Why `tag` cannot be a tag: empty, made only of blank or invisible characters (it would show
/// as nothing), or holding characters a terminal acts on.
pub fn check_tag(tag: &str) -> Result<(), String> {
    if tag.chars().any(sanitize::is_unsafe) {
        return Err(format!("bad tag {tag:?}: it has control characters"));
    }
    if is_blank(tag) {
        return Err(format!(
            "bad tag {tag:?}: a tag needs a visible character (not only spaces or invisible ones)"
        ));
    }
    Ok(())
}

/// True when `s` draws as nothing: only spaces, invisible format characters, and the fillers
/// and blank pattern that look like a space without being one (empty too).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || sanitize::is_invisible(c)
            || matches!(
                c,
                '\u{115F}' | '\u{1160}' | '\u{2800}' | '\u{3164}' | '\u{FFA0}'
            )
    })
}
