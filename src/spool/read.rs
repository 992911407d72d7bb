//! Reading one spool file into chat rows, skipped events and problems.
//!
//! Handles the capture formats docs/FORMAT.md lists — one JSON body per file, JSON Lines, gzip of
//! either, a UTF-8 byte order mark, CRLF — and turns everything that goes wrong into a one-line
//! reason instead of an error, so one bad file never stops a spool from loading.

use crate::model::payload::{self, Body};
use crate::model::{Chat, ChatSummary, Source, WrapUpEvent};
use flate2::read::MultiGzDecoder;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

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

/// What one file holds.
#[derive(Debug, Default, Clone)]
pub struct FileRecord {
    pub chats: Vec<Arc<ChatSummary>>,
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
fn text_start(bytes: &[u8]) -> Result<&[u8], String> {
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
                add_body(&mut rec, body, rel, None);
                return rec;
            }
            // Some capture tools append bodies to a `.json` file one per line.
            Err(e) if e.to_string().starts_with("trailing characters") => {}
            Err(e) => return FileRecord::problem(json_reason(&e)),
        }
    }
    parse_lines(bytes, rel)
}

fn parse_lines(bytes: &[u8], rel: &Arc<str>) -> FileRecord {
    let mut rec = FileRecord::default();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let fallback = format!("{rel}:{n}");
        match payload::parse_body(line, &fallback) {
            Ok(body) => add_body(&mut rec, body, rel, Some(n)),
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

fn add_body(rec: &mut FileRecord, body: Body, rel: &Arc<str>, line: Option<u32>) {
    match body {
        Body::Chat(chat) => {
            for note in &chat.limits {
                let at = line.map(|n| format!("line {n}: ")).unwrap_or_default();
                rec.problems.push(format!("{at}chat {}: {note}", chat.id));
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

/// Parse the full chat behind a row again (details and transcript), for `show` and the TUI.
pub fn load_chat(root: &Path, source: &Source, id: &str) -> Result<Chat, String> {
    let bytes = read_source(root, source)?;
    let bytes = text_start(&bytes)?;
    chat_in(bytes, &Lines::new(bytes, source.line.is_some()), source, id)
}

/// [`load_chat`] for several rows of one file (all `rows` share a path), reading and splitting
/// the file once and parsing the rows in parallel; `f` turns each result into what the caller
/// keeps (a chat's transcript is not held longer than `f` needs it). A `text:` search over a JSON
/// Lines file of 40,000 chats reads it once, not 40,000 times.
pub fn load_chats_with<T: Send>(
    root: &Path,
    rows: &[(&Source, &str)],
    f: impl Fn(Result<Chat, String>) -> T + Sync,
) -> Vec<T> {
    let Some((first, _)) = rows.first() else {
        return Vec::new();
    };
    let read = read_source(root, first);
    let text = read
        .as_deref()
        .map_err(|e| e.clone())
        .and_then(text_start)
        .map(|b| (b, Lines::new(b, rows.iter().any(|(s, _)| s.line.is_some()))));
    rows.par_iter()
        .map(|(source, id)| {
            f(match &text {
                Ok((bytes, lines)) => chat_in(bytes, lines, source, id),
                Err(e) => Err(e.clone()),
            })
        })
        .collect()
}

/// The bytes of the file a row was read from.
fn read_source(root: &Path, source: &Source) -> Result<Vec<u8>, String> {
    // The key leads back to the real name, also when it is not UTF-8.
    let path = super::names::path_of(root, &source.path);
    let name = source.path.rsplit('/').next().unwrap_or("");
    let kind = kind_of(name).unwrap_or(Kind {
        lines: source.line.is_some(),
        gzip: name.ends_with(".gz"),
    });
    read_bytes(&path, kind)
}

/// Where each line of a file starts, found once; and, only if a chat is not where its row says
/// (the file changed since it was indexed), which line holds each chat id.
struct Lines {
    starts: Vec<usize>,
    len: usize,
    ids: OnceLock<HashMap<String, usize>>,
}

impl Lines {
    fn new(bytes: &[u8], split: bool) -> Lines {
        let starts = if split {
            std::iter::once(0)
                .chain(memchr_all(bytes).map(|at| at + 1))
                .collect()
        } else {
            Vec::new()
        };
        Lines {
            starts,
            len: bytes.len(),
            ids: OnceLock::new(),
        }
    }

    /// Line `n` (1-based), without its newline.
    fn line<'a>(&self, bytes: &'a [u8], n: u32) -> Option<&'a [u8]> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.len, |next| next - 1);
        bytes.get(start..end)
    }

    /// Fallback when a file changed since it was indexed: the chat anywhere in it (the first
    /// line holding that id), after one pass that notes every line's chat id.
    fn find(&self, bytes: &[u8], source: &Source, id: &str) -> Result<Chat, String> {
        let ids = self.ids.get_or_init(|| {
            let mut ids = HashMap::new();
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if let Ok(Body::Chat(chat)) = payload::parse_body(line, &source.path) {
                    ids.entry(chat.id).or_insert(i);
                }
            }
            ids
        });
        let line = ids
            .get(id)
            .and_then(|&i| bytes.split(|&b| b == b'\n').nth(i));
        match line.map(|l| payload::parse_body(l, &source.path)) {
            Some(Ok(Body::Chat(chat))) => Ok(*chat),
            _ => Err(format!("chat {id} is no longer in {source}")),
        }
    }
}

/// Positions of every newline.
fn memchr_all(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(at, &b)| (b == b'\n').then_some(at))
}

/// The chat `id` that `source` points at in `bytes` (the file's text).
fn chat_in(bytes: &[u8], lines: &Lines, source: &Source, id: &str) -> Result<Chat, String> {
    let body = match source.line {
        None => payload::parse_body(bytes, &source.path),
        Some(n) => match lines.line(bytes, n) {
            Some(line) => payload::parse_body(line, &format!("{source}")),
            None => {
                return lines
                    .find(bytes, source, id)
                    .map_err(|_| format!("line {n} is gone"))
            }
        },
    }
    .map_err(|e| json_reason(&e));
    match body {
        Ok(Body::Chat(chat)) if chat.id == id => Ok(*chat),
        Ok(_) => lines.find(bytes, source, id),
        Err(e) => lines.find(bytes, source, id).map_err(|_| e),
    }
}
