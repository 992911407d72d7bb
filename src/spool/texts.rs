//! The transcript text store: every chat's transcript, folded as `text:` searches it, in one
//! file beside the index cache (`<hash>.text` in `$XDG_CACHE_HOME/chatspool`, never in the
//! spool), so a `text:` query is a parallel `memmem` over one file instead of reading and
//! parsing every file of the spool.
//!
//! - Written and checked with the index cache ([`crate::spool::cache::load`]): the same file
//!   stamps decide what is reused, only new or changed files are read, the same temporary file
//!   and rename make the write atomic, and a store of another schema, spool or build is ignored.
//! - Never a wrong answer: the header must name this spool and build and give the file's exact
//!   length, the table has a checksum and must add up, and every block of text is checked
//!   against its checksum before its answers are used. A row is answered from the store only
//!   when its file's stamp in the store is the one the row was loaded from; other rows (and
//!   every row when anything is wrong) are answered by reading their transcript.
//! - Not held in memory: searches read the file in blocks (the page cache keeps it warm), and
//!   only the chat offsets and block checksums stay in memory (about 10 bytes a chat). The open
//!   file is the one this process checked or wrote: another process renaming a new store over
//!   it later does not change what this one reads.

mod build;
mod find;
pub(crate) mod format;
mod mapped;
mod shared;

pub use build::{Builder, Refresh};
pub use find::{Bits, Stopped};

use crate::model::ChatSummary;
use crate::spool::bytes::Corrupt;
use crate::spool::Store;
use format::{Header, TableBytes, View};
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Row has no text in the store ([`Texts::ids_for`]).
pub const NO_TEXT: u32 = u32::MAX;

/// An open, checked text store.
#[derive(Debug)]
pub struct Texts {
    file: File,
    /// The whole file, mapped: what searches read.
    map: mapped::Map,
    /// Where the file was opened or written: removed there if a block proves corrupt, so the
    /// next load rebuilds the store.
    path: std::path::PathBuf,
    header: Header,
    /// Where each chat's text starts in the region, and the region's end (chats + 1 values).
    starts: Vec<u64>,
    blocks: Vec<Block>,
    /// Where each shared entry starts in the shared section, and its end (checked on open).
    shared: Vec<u32>,
}

/// A run of chats whose bytes are checked together.
#[derive(Debug)]
struct Block {
    /// First chat, and one past the last.
    first: u32,
    end: u32,
    sum: u64,
    /// The block's bytes were read and matched `sum` once: the file cannot have changed since
    /// under this process (it is ours, renamed into place, never written again).
    checked: AtomicBool,
}

impl Texts {
    /// Open the store at `path` for the spool `root` and this `build`; `None` when it is
    /// missing or invalid. The table comes back too, for the loader to reuse texts from.
    pub fn open(path: &Path, root: &str, build: &str) -> Option<(Texts, TableBytes)> {
        let file = File::open(path).ok()?;
        let header = format::read_header(&file, root, build).ok()?;
        let table = format::read_table(&file, &header).ok()?;
        let section = format::read_shared(&file, &header).ok()?;
        let shared = shared::entry_starts(&section)?;
        let texts = Self::from_table(file, path, header, &table.view(), shared).ok()?;
        Some((texts, table))
    }

    /// The shared section's bytes (checked against its checksum when the store was opened or
    /// written).
    fn shared_section(&self) -> Result<&[u8], Corrupt> {
        let at = usize::try_from(self.header.shared_at()).map_err(|_| Corrupt)?;
        let len = usize::try_from(self.header.shared_len).map_err(|_| Corrupt)?;
        self.map.bytes().get(at..at + len).ok_or(Corrupt)
    }

    /// Remove the store's file, if the path still names this very file: a block of it failed
    /// its checksum, and the next load must rebuild it rather than trust its table.
    fn discard(&self) {
        use std::os::unix::fs::MetadataExt;
        let same =
            |a: &std::fs::Metadata, b: &std::fs::Metadata| a.ino() == b.ino() && a.dev() == b.dev();
        let ours = self.file.metadata().ok();
        let there = std::fs::metadata(&self.path).ok();
        if ours.zip(there).is_some_and(|(a, b)| same(&a, &b)) {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// The in-memory part of a store from its checked table.
    fn from_table(
        file: File,
        path: &Path,
        header: Header,
        table: &View<'_>,
        shared: Vec<u32>,
    ) -> Result<Texts, Corrupt> {
        let chats = table.chats.len();
        if chats >= NO_TEXT as usize {
            return Err(Corrupt);
        }
        let mut starts = Vec::with_capacity(chats + 1);
        let mut at = 0u64;
        for c in &table.chats {
            starts.push(at);
            at += c.len;
        }
        starts.push(at);
        let mut blocks = Vec::with_capacity(table.blocks.len());
        let mut files = table.files.iter();
        let mut chat = 0u32;
        for b in &table.blocks {
            let n: u32 = files.by_ref().take(b.files).map(|f| f.count).sum();
            let end = chat + n;
            blocks.push(Block {
                first: chat,
                end,
                sum: b.sum,
                checked: AtomicBool::new(false),
            });
            chat = end;
        }
        let map = mapped::Map::of(&file).ok_or(Corrupt)?;
        Ok(Texts {
            map,
            file,
            path: path.to_path_buf(),
            header,
            starts,
            blocks,
            shared,
        })
    }

    /// Number of chats with text in the store.
    pub fn chats(&self) -> usize {
        self.starts.len() - 1
    }

    /// Bytes of folded text (the chats' texts and the shared entries), for the benchmarks.
    pub fn text_bytes(&self) -> u64 {
        self.header.region_len + self.header.shared_len
    }

    /// For each row, its chat in the store, or [`NO_TEXT`] when the store has no text for it
    /// as the row was loaded (its file is not in the store, or with another stamp, or the row
    /// is not one of the file's chats there).
    pub fn ids_for(&self, rows: &[Arc<ChatSummary>], store: &Store) -> Vec<u32> {
        let bytes = format::read_table_bytes(&self.file, &self.header);
        let Some(view) = bytes.as_deref().ok().and_then(|b| format::view(b).ok()) else {
            return vec![NO_TEXT; rows.len()];
        };
        if view.chats.len() != self.chats() {
            return vec![NO_TEXT; rows.len()];
        }
        let by_rel: HashMap<&str, &format::FileView<'_>> =
            view.files.iter().map(|f| (f.rel, f)).collect();
        // Files of many chats told apart by id only (a JSON array of chats): by id.
        let by_id: HashMap<(&str, &str), u32> = view
            .files
            .iter()
            .filter(|f| f.ids && f.count > MANY)
            .flat_map(|f| {
                let chats = view.chats_of(f).iter();
                (f.first..).zip(chats).map(move |(k, c)| ((f.rel, c.id), k))
            })
            .collect();
        rows.iter()
            .map(|row| {
                let (rel, line) = (&*row.source.path, row.source.line);
                let Some(f) = by_rel.get(rel) else {
                    return NO_TEXT;
                };
                if store.file(rel).is_none_or(|e| e.stamp != f.stamp) {
                    return NO_TEXT;
                }
                let chats = view.chats_of(f);
                let found = if f.count <= MANY {
                    chats
                        .iter()
                        .position(|c| c.line == line && (!f.ids || c.id == &*row.id))
                } else if f.ids {
                    let k = by_id.get(&(rel, &*row.id)).copied();
                    k.map(|k| (k - f.first) as usize)
                        .filter(|&p| chats[p].line == line)
                } else {
                    // Chats on their own lines, in the order of their lines.
                    chats.binary_search_by_key(&line, |c| c.line).ok()
                };
                found.map_or(NO_TEXT, |p| f.first + p as u32)
            })
            .collect()
    }
}

/// Above this many chats, a file's chats are found by a lookup rather than by walking them.
const MANY: u32 = 8;

#[cfg(test)]
mod tests;
