//! One journal record and its line format: `CRC32 JSON\n`.
//!
//! The checksum (8 hex digits over the JSON bytes) tells a complete record from a torn or
//! damaged one, whatever the damage; JSON keeps the journal readable with `cat` and `jq`.

use chrono::{DateTime, SecondsFormat, Utc};
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
}

/// One action on one chat, by one author, at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub chat: String,
    pub op: Op,
    /// The tag or the note text; empty for the reviewed mark.
    pub value: String,
    pub author: String,
    /// Millisecond precision: the merge orders records by it.
    pub at: DateTime<Utc>,
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
}

impl Record {
    pub fn new(chat: &str, op: Op, value: &str, author: &str, at: DateTime<Utc>) -> Record {
        Record {
            chat: chat.to_string(),
            op,
            value: value.to_string(),
            author: author.to_string(),
            at,
        }
    }

    /// The record as one journal line, newline included.
    pub fn encode(&self) -> Vec<u8> {
        let wire = Wire {
            chat: self.chat.as_str().into(),
            op: self.op,
            v: self.value.as_str().into(),
            by: self.author.as_str().into(),
            at: self.at.to_rfc3339_opts(SecondsFormat::Millis, true).into(),
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
        if wire.chat.is_empty() {
            return Err("bad record: empty chat id".into());
        }
        Ok(Record {
            chat: wire.chat.into_owned(),
            op: wire.op,
            value: wire.v.into_owned(),
            author: wire.by.into_owned(),
            at,
        })
    }
}

fn crc(bytes: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(bytes);
    c.sum()
}
