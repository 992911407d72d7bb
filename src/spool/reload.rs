//! Parsing chats again from their files, for what the index does not keep: details and
//! transcripts (`show`, the viewer, `text:` searches). A row says where its chat is; when the
//! file changed since, the chat is looked for by id.

use super::read::{json_reason, kind_of, read_bytes, text_start, Kind};
use crate::model::payload::{self, Body};
use crate::model::{Chat, Source};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

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
