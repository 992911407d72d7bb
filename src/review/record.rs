//! One journal record and its line format: `CRC32 JSON\n`.
//!
//! The checksum (8 hex digits over the JSON bytes) tells a complete record from a torn or
//! damaged one, whatever the damage; JSON keeps the journal readable with `cat` and `jq`.
//!
//! `at` is when the writer says it acted (shown); `ord`, present only when it differs from
//! `at`, is where the record goes in the merge: a writer that has seen a record stamped later
//! than its clock (another machine's clock ahead, or a forged far-future time) orders its own
//! record after it, so what a user just did always takes effect for them.

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// What a record does to a chat's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Add the tag in `value`.
    Tag,
    /// Remove the tag in `value`.
    Untag,
    /// Add a note with the text in `value`.
    Note,
    /// Mark the chat reviewed.
    Review,
    /// Take the reviewed mark away.
    Unreview,
    /// Record this author's scorecard (the JSON in `value`, see `card`), replacing theirs.
    Score,
    /// Put the chat in the named sample in `value`.
    Sample,
    /// Take the chat out of the named sample in `value`.
    Unsample,
}

/// One action on one chat, by one author, at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub chat: String,
    pub op: Op,
    /// The tag or the note text; empty for the reviewed mark.
    pub value: String,
    pub author: String,
    /// When the writer says it acted: shown, and the merge order unless `order` says otherwise.
    pub at: DateTime<Utc>,
    /// The merge position in milliseconds since the epoch: `at`'s, or later when the writer
    /// had seen a later record on the chat (see [`Record::after`]).
    pub order: i64,
}

/// The JSON form (short keys: journals hold many records).
#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    chat: std::borrow::Cow<'a, str>,
    op: Op,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    v: std::borrow::Cow<'a, str>,
    by: std::borrow::Cow<'a, str>,
    at: std::borrow::Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ord: Option<i64>,
}

impl Record {
    pub fn new(chat: &str, op: Op, value: &str, author: &str, at: DateTime<Utc>) -> Record {
        Record {
            chat: chat.to_string(),
            op,
            value: value.to_string(),
            author: author.to_string(),
            at,
            order: at.timestamp_millis(),
        }
    }

    /// The record ordered after `seen` (milliseconds, the latest merge position seen on its
    /// chat) when its own time is not already later. Saturating: no position can overflow.
    pub fn after(mut self, seen: i64) -> Record {
        // Never past the last readable position: a record of ours must always read back.
        self.order = self.order.max(seen.saturating_add(1).min(LAST_ORDER));
        self
    }

    /// The record as one journal line, newline included.
    pub fn encode(&self) -> Vec<u8> {
        let wire = Wire {
            chat: self.chat.as_str().into(),
            op: self.op,
            v: self.value.as_str().into(),
            by: self.author.as_str().into(),
            at: self.at.to_rfc3339_opts(SecondsFormat::Millis, true).into(),
            ord: (self.order != self.at.timestamp_millis()).then_some(self.order),
        };
        // Serialising plain strings cannot fail.
        let json = serde_json::to_vec(&wire).unwrap_or_default();
        let mut line = format!("{:08x} ", crc(&json)).into_bytes();
        line.extend_from_slice(&json);
        line.push(b'\n');
        line
    }

    /// Read one line (without its newline); the error says what is wrong with it.
    pub fn decode(line: &[u8]) -> Result<Record, String> {
        let (sum, json) = match (line.get(..8), line.get(8), line.get(9..)) {
            (Some(sum), Some(b' '), Some(json)) => (sum, json),
            _ => return Err("not a record (too short or no checksum)".into()),
        };
        let sum = std::str::from_utf8(sum)
            .ok()
            .and_then(|s| u32::from_str_radix(s, 16).ok())
            .ok_or("not a record (bad checksum field)")?;
        if sum != crc(json) {
            return Err("checksum mismatch (damaged record)".into());
        }
        let wire: Wire = serde_json::from_slice(json).map_err(|e| format!("bad record: {e}"))?;
        let at = DateTime::parse_from_rfc3339(&wire.at)
            .map_err(|e| format!("bad record time {:?}: {e}", wire.at))?
            .with_timezone(&Utc);
        // RFC 3339 has four-digit years: `9999-12-31T23:59:59-01:00` is `+10000-01-01T…` in UTC.
        if !(0..=9999).contains(&at.year()) {
            return Err(format!(
                "bad record time {:?}: outside years 0000 to 9999",
                wire.at
            ));
        }
        if wire.chat.is_empty() {
            return Err("bad record: empty chat id".into());
        }
        // A scorecard that does not read costs only its own record.
        if wire.op == Op::Score {
            super::card::decode(&wire.v).map_err(|e| format!("bad scorecard: {e}"))?;
        }
        // A merge position is a time in milliseconds too: one outside the years 0000 to 9999
        // is forged, and would outrank every record written after it.
        if let Some(ord) = wire.ord {
            if !(FIRST_ORDER..=LAST_ORDER).contains(&ord) {
                return Err(format!(
                    "bad record order {ord}: outside years 0000 to 9999"
                ));
            }
        }
        Ok(Record {
            chat: wire.chat.into_owned(),
            op: wire.op,
            value: wire.v.into_owned(),
            author: wire.by.into_owned(),
            order: wire.ord.unwrap_or(at.timestamp_millis()),
            at,
        })
    }
}

/// The merge positions a record may hold: milliseconds from 0000-01-01T00:00:00Z to
/// 9999-12-31T23:59:59.999Z, the times a record may carry.
const FIRST_ORDER: i64 = -62_167_219_200_000;
const LAST_ORDER: i64 = 253_402_300_799_999;

pub(super) fn crc(bytes: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(bytes);
    c.sum()
}
