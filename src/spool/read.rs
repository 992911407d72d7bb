//! Reading one spool file into chat rows, skipped events and problems (parsing one chat again
//! later is [`super::reload`]).
//!
//! Handles the capture formats docs/FORMAT.md lists — one JSON body per file, JSON Lines, gzip of
//! either, a UTF-8 byte order mark, CRLF — and turns everything that goes wrong into a one-line
//! reason instead of an error, so one bad file never stops a spool from loading.

use crate::model::payload::{self, Body};
use crate::model::{ChatSummary, Source, WrapUpEvent};
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Files (and decompressed contents) larger than this are reported, not read: no real chat
/// payload comes near it, and it bounds memory whatever lands in the spool.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How a file's contents are laid out, decided from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub lines: bool,
    pub gzip: bool,
}

/// The capture kind for a file name, or `None` when the file is not ours (wrong extension, hidden,
/// or a temporary name a writer is still filling).
pub fn kind_of(name: &str) -> Option<Kind> {
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".tmp")
        || name.ends_with(".part")
    {
        return None;
    }
    // Extensions ignore ASCII case; compared in place, since this runs for every name a walk
    // meets.
    let ends = |s: &[u8], suffix: &str| {
        s.len() >= suffix.len()
            && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let name = name.as_bytes();
    let (stem, gzip) = if ends(name, ".gz") {
        (&name[..name.len() - 3], true)
    } else {
        (name, false)
    };
    if ends(stem, ".json") {
        Some(Kind { lines: false, gzip })
    } else if ends(stem, ".jsonl") || ends(stem, ".ndjson") {
        Some(Kind { lines: true, gzip })
    } else {
        None
    }
}

/// A file's chats: nearly every file holds one, kept inline with no list to allocate (the store
/// keeps a record per file, and memory is budgeted per chat).
pub type Chats = smallvec::SmallVec<[Arc<ChatSummary>; 1]>;

/// What one file holds.
#[derive(Debug, Default, Clone)]
pub struct FileRecord {
    pub chats: Chats,
    /// Non-chat events in the file, by name (`event "chat_started"`), one per body.
    pub skipped: Notes,
    /// One-line reasons; for JSON Lines files each names its line.
    pub problems: Notes,
    /// `chat_wrapped_up` events: merged into their chats by the store, never chats themselves.
    pub wrap_ups: Notes<Arc<WrapUpEvent>>,
}

/// A list of lines that is empty for nearly every file: one word when empty, where a `Vec` takes
/// three (the store keeps a record per file, and memory is budgeted per chat).
#[derive(Debug, Clone, PartialEq, Eq)]
// The box is the point: `Option<Box<Vec>>` is one word; a growable list because a JSON Lines
// file can hold thousands of bad lines.
#[allow(clippy::box_collection)]
pub struct Notes<T = String>(Option<Box<Vec<T>>>);

impl<T> Default for Notes<T> {
    fn default() -> Self {
        Notes(None)
    }
}

impl<T> Notes<T> {
    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Box::default).push(item);
    }

    pub fn as_slice(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T> std::ops::Deref for Notes<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<'a, T> IntoIterator for &'a Notes<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T> From<Vec<T>> for Notes<T> {
    fn from(items: Vec<T>) -> Self {
        Notes((!items.is_empty()).then(|| Box::new(items)))
    }
}

impl FileRecord {
    fn problem(reason: impl Into<String>) -> Self {
        FileRecord {
            problems: vec![reason.into()].into(),
            ..Self::default()
        }
    }

    /// The chat ids this file speaks about: its chats' and its wrap-ups' (a change to the file
    /// may change how each of them is shown).
    pub fn chat_ids(&self) -> impl Iterator<Item = &Arc<str>> {
        self.chats
            .iter()
            .map(|c| &c.id)
            .chain(self.wrap_ups.iter().map(|w| &w.chat_id))
    }

    /// One line summing up the skipped events (a JSON Lines file with many is one entry).
    pub fn skipped_reason(&self) -> Option<String> {
        match self.skipped.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => {
                let mut counts: Vec<(&str, usize)> = Vec::new();
                for s in many {
                    match counts.iter_mut().find(|(k, _)| *k == s) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((s, 1)),
                    }
                }
                let parts: Vec<String> = counts
                    .iter()
                    .map(|(k, n)| {
                        if *n == 1 {
                            (*k).to_string()
                        } else {
                            format!("{k} ×{n}")
                        }
                    })
                    .collect();
                Some(format!(
                    "{} non-chat bodies: {}",
                    many.len(),
                    parts.join(", ")
                ))
            }
        }
    }
}

/// Read the raw bytes of a file, decompressing gzip, within the size cap.
pub fn read_bytes(path: &Path, kind: Kind) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| stat_reason(path, &e))?;
    read_known(path, kind, meta.is_file(), meta.len())
}

/// [`read_bytes`] for a caller that has already stat'ed the file (following symlinks): whether
/// it is a regular file and its length. One `open` and the reads, no further `stat`.
pub fn read_known(path: &Path, kind: Kind, regular: bool, len: u64) -> Result<Vec<u8>, String> {
    if !regular {
        return Err("not a regular file".into());
    }
    let too_big = || {
        format!(
            "file is {} bytes, over the {} MiB limit",
            len,
            MAX_FILE_BYTES >> 20
        )
    };
    if len > MAX_FILE_BYTES {
        return Err(too_big());
    }
    // Capacity for the whole file plus the zero-length read that finds its end, so reading a
    // file that did not change since the stat never reallocates. A file that grew past the cap
    // since is refused like one that was already too big.
    let mut raw = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut raw))
        .map_err(|e| io_reason(&e))?;
    if raw.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    if !kind.gzip {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len() * 4);
    MultiGzDecoder::new(raw.as_slice())
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("not valid gzip: {e}"))?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "decompresses to more than {} MiB",
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(out)
}

/// The reason given for a symbolic link whose target does not exist.
pub const BROKEN_LINK: &str = "broken symbolic link (its target does not exist)";

/// [`io_reason`] for a failed stat of `path`: tells a dangling symbolic link from a file that
/// vanished.
pub(crate) fn stat_reason(path: &Path, e: &std::io::Error) -> String {
    let dangling = e.kind() == std::io::ErrorKind::NotFound
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        BROKEN_LINK.into()
    } else {
        io_reason(e)
    }
}

/// `ELOOP` (Linux and most Unixes): `std` names it only on nightly (`FilesystemLoop`).
const ELOOP: i32 = 40;

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(ELOOP) {
        return "symlink loop".into();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "file vanished before it could be read".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

/// Strip a UTF-8 byte order mark; refuse UTF-16/32 text with a clear reason.
pub(crate) fn text_start(bytes: &[u8]) -> Result<&[u8], String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err("UTF-16 text: chatspool reads UTF-8 JSON".into());
    }
    if bytes.len() >= 2 && (bytes[0] == 0 || bytes[1] == 0) {
        return Err("binary or UTF-16 data, not UTF-8 JSON".into());
    }
    Ok(bytes)
}

/// A one-line reason for a JSON error, in words a support lead understands.
pub fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    if e.is_eof() {
        format!("truncated JSON (ends early, {})", location(e))
    } else if msg.contains("recursion limit") {
        format!("JSON nested too deeply ({})", location(e))
    } else if msg.contains("invalid unicode") || msg.contains("UTF-8") {
        format!("not valid UTF-8 ({})", location(e))
    } else {
        format!("invalid JSON: {msg}")
    }
}

fn location(e: &serde_json::Error) -> String {
    format!("line {} column {}", e.line(), e.column())
}

/// Parse the contents of one file. `rel` is the path relative to the spool root.
pub fn parse_file(bytes: &[u8], kind: Kind, rel: &Arc<str>) -> FileRecord {
    parse_file_with(bytes, kind, rel, None)
}

/// [`parse_file`], also giving each chat's transcript as the text store keeps it
/// ([`crate::fold::transcript_text`]), in the order of `chats`: the parse already holds every
/// transcript, so the store costs no second read of the file.
pub fn parse_file_texts(bytes: &[u8], kind: Kind, rel: &Arc<str>) -> (FileRecord, Vec<Vec<u8>>) {
    let mut texts = Vec::new();
    let record = parse_file_with(bytes, kind, rel, Some(&mut texts));
    (record, texts)
}

fn parse_file_with(
    bytes: &[u8],
    kind: Kind,
    rel: &Arc<str>,
    mut texts: Option<&mut Vec<Vec<u8>>>,
) -> FileRecord {
    let bytes = match text_start(bytes) {
        Ok(b) => b,
        Err(reason) => return FileRecord::problem(reason),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return FileRecord::problem("empty file");
    }
    if !kind.lines {
        match payload::parse_body(bytes, rel) {
            Ok(body) => {
                let mut rec = FileRecord::default();
                add_body(&mut rec, body, rel, None, texts.as_deref_mut());
                return rec;
            }
            // Some capture tools append bodies to a `.json` file one per line.
            Err(e) if e.to_string().starts_with("trailing characters") => {}
            Err(e) => return FileRecord::problem(json_reason(&e)),
        }
    }
    parse_lines(bytes, rel, texts)
}

fn parse_lines(bytes: &[u8], rel: &Arc<str>, mut texts: Option<&mut Vec<Vec<u8>>>) -> FileRecord {
    let mut rec = FileRecord::default();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let fallback = format!("{rel}:{n}");
        match payload::parse_body(line, &fallback) {
            Ok(body) => add_body(&mut rec, body, rel, Some(n), texts.as_deref_mut()),
            Err(e) => rec.problems.push(format!("line {n}: {}", json_reason(&e))),
        }
    }
    if rec.chats.is_empty()
        && rec.skipped.is_empty()
        && rec.problems.is_empty()
        && rec.wrap_ups.is_empty()
    {
        rec.problems.push("empty file".into());
    }
    rec
}

fn add_body(
    rec: &mut FileRecord,
    body: Body,
    rel: &Arc<str>,
    line: Option<u32>,
    texts: Option<&mut Vec<Vec<u8>>>,
) {
    match body {
        Body::Chat(chat) => {
            for note in &chat.limits {
                let at = line.map(|n| format!("line {n}: ")).unwrap_or_default();
                rec.problems.push(format!("{at}chat {}: {note}", chat.id));
            }
            if let Some(texts) = texts {
                let mut text = Vec::with_capacity(chat.transcript_len);
                let entries = chat.transcript.iter().map(|e| e.text.as_str());
                crate::fold::transcript_text(entries, &mut text);
                texts.push(text);
            }
            let mut row = ChatSummary::from_chat(&chat);
            row.source = Source {
                path: rel.clone(),
                line,
            };
            rec.chats.push(Arc::new(row));
        }
        Body::WrapUp { chat_id, wrap_up } => rec.wrap_ups.push(Arc::new(WrapUpEvent {
            chat_id: chat_id.into(),
            wrap_up: Arc::new(wrap_up),
            source: Source {
                path: rel.clone(),
                line,
            },
        })),
        Body::Skipped(what) => rec.skipped.push(what),
        Body::Invalid(why) => rec.problems.push(match line {
            Some(n) => format!("line {n}: {why}"),
            None => why,
        }),
    }
}
