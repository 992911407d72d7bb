//! Splitting a Comm100 transcript string into attributed entries (see FORMAT.md, "The transcript").

use super::Entry;
use chrono::{DateTime, Utc};

/// Who may speak in a chat: the names that tell speaker from text on a stamped line.
#[derive(Debug, Clone, Default)]
pub struct Participants<'a> {
    /// Agent display names from `operators`/`agents`.
    pub agents: Vec<&'a str>,
    /// The visitor's name, if one was collected.
    pub visitor: Option<&'a str>,
}

/// Parse a raw transcript into entries, rebuilding instants from `start`.
pub fn parse(_raw: &str, _who: &Participants<'_>, _start: Option<DateTime<Utc>>) -> Vec<Entry> {
    Vec::new()
}
