//! Writing a text store: incrementally, with a load of the index cache. Texts of files parsed by
//! the load come straight from the parse; texts of unchanged files are copied from the previous
//! store (blocks whose files all stay are copied whole, after their checksum is checked); only
//! files the previous store lacks are read again. The new store is written to a temporary file
//! and renamed over the old one, as the index is.

use super::format::{
    self, FileView, Header, Table, TableBlock, TableBytes, TableChat, TableFile, View,
};
use super::shared::{self, Sharing};
use super::Texts;
use crate::model::ChatSummary;
use crate::spool::bytes as codec;
use crate::spool::temps;
use crate::spool::{names, read, FileEntry, Stamp, Store};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Close a block once it holds this many bytes: blocks are the unit of parallel search and of
/// checking, so small enough to spread over the threads, large enough to keep reads efficient.
const BLOCK_BYTES: usize = 512 * 1024;

/// A store being written to its temporary file.
pub struct Builder {
    tmp: PathBuf,
    file: File,
    prefix_len: u64,
    table: Table,
    region_len: u64,
    /// The open block: its bytes and how many files it holds.
    cur: Vec<u8>,
    cur_files: usize,
    /// The shared entries: those of the previous store (whose texts may be copied) and those
    /// found recurring since.
    sharing: Sharing,
    failed: bool,
}

impl Builder {
    /// Start writing the store that will be renamed to `path`, continuing `sharing`.
    pub fn create(
        path: &Path,
        root: &str,
        build: &str,
        sharing: Sharing,
    ) -> std::io::Result<Builder> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path
            .file_name()
            .map_or_else(|| "text".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(temps::name_for(&name));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        let mut head = format::prefix(root, build);
        let prefix_len = head.len() as u64;
        head.extend_from_slice(&[0; format::TRAILER]);
        let mut b = Builder {
            tmp,
            file,
            prefix_len,
            table: Table::default(),
            region_len: 0,
            cur: Vec::with_capacity(BLOCK_BYTES * 2),
            cur_files: 0,
            sharing,
            failed: false,
        };
        if let Err(e) = b.file.write_all(&head) {
            b.abandon();
            return Err(e);
        }
        Ok(b)
    }

    /// Add one file's chats and their texts (one per chat, in order, as
    /// `fold::transcript_text` gives them); the table's lengths become those stored.
    pub fn add(&mut self, mut file: TableFile, texts: &[Vec<u8>]) {
        for (chat, t) in file.chats.iter_mut().zip(texts) {
            let at = self.cur.len();
            self.sharing.encode(t, &mut self.cur);
            chat.len = (self.cur.len() - at) as u64;
        }
        self.push(file);
    }

    /// Add one file whose texts lie together in `bytes`.
    fn add_joined(&mut self, file: TableFile, bytes: &[u8]) {
        self.cur.extend_from_slice(bytes);
        self.push(file);
    }

    fn push(&mut self, file: TableFile) {
        self.table.files.push(file);
        self.cur_files += 1;
        if self.cur.len() >= BLOCK_BYTES {
            self.close_block();
        }
    }

    fn close_block(&mut self) {
        if self.cur_files == 0 {
            return;
        }
        let cur = std::mem::take(&mut self.cur);
        self.put_block(&cur, self.cur_files, codec::checksum(&cur));
        self.cur = cur;
        self.cur.clear();
        self.cur_files = 0;
    }

    /// Write `bytes` as a block of the last `files` files of the table.
    fn put_block(&mut self, bytes: &[u8], files: usize, sum: u64) {
        self.failed |= self.file.write_all(bytes).is_err();
        let len = bytes.len() as u64;
        self.table.blocks.push(TableBlock { files, len, sum });
        self.region_len += len;
    }

    /// Copy a checked block of the previous store whose files all stay.
    fn add_block(&mut self, files: &[TableFile], bytes: &[u8], sum: u64) {
        self.close_block();
        self.table.files.extend_from_slice(files);
        self.put_block(bytes, files.len(), sum);
    }

    /// The paths of the files added so far.
    fn added(&self) -> HashSet<&str> {
        self.table.files.iter().map(|f| &*f.rel).collect()
    }

    /// Write the table and header and rename the store into place; the store is then read
    /// through this very file.
    pub fn finish(mut self, path: &Path) -> Option<Texts> {
        self.close_block();
        let table = format::encode(&self.table);
        let view = format::view(&table);
        let section = self.sharing.section();
        let header = Header {
            region_at: self.prefix_len + format::TRAILER as u64,
            region_len: self.region_len,
            shared_len: section.len() as u64,
            shared_sum: codec::checksum(section),
            table_len: table.len() as u64,
            table_sum: codec::checksum(&table),
        };
        let starts = shared::entry_starts(section);
        let trailer = format::trailer(&header);
        let written = !self.failed
            && starts.is_some()
            && view.is_ok()
            && self.file.write_all(section).is_ok()
            && self.file.write_all(&table).is_ok()
            && self.file.write_all_at(&trailer, self.prefix_len).is_ok()
            && std::fs::rename(&self.tmp, path).is_ok();
        if !written {
            self.abandon();
            return None;
        }
        let file = self.file.try_clone().ok()?;
        Texts::from_table(file, path, header, &view.ok()?, starts?).ok()
    }

    fn abandon(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// The keys of a parsed file's chats as the table records them, with their text lengths.
pub fn table_file(
    rel: &str,
    stamp: Stamp,
    trusted: bool,
    chats: &[Arc<ChatSummary>],
    texts: &[Vec<u8>],
) -> TableFile {
    TableFile {
        rel: rel.into(),
        stamp,
        trusted,
        chats: chats
            .iter()
            .zip(texts)
            .map(|(c, t)| TableChat {
                line: c.source.line,
                id: (*c.id).into(),
                len: t.len() as u64,
            })
            .collect(),
    }
}

/// The text store's side of one load: the previous store, and the new one being written while
/// files are parsed (none when the previous store still answers for every file).
pub struct Refresh {
    path: PathBuf,
    old: Option<(Texts, TableBytes)>,
    builder: Option<Mutex<Builder>>,
}

impl Refresh {
    /// Begin, given the previous store (if valid) and the store as the index cache filled it
    /// (before any file is parsed); `parsing` says whether any file will be.
    pub fn start(
        path: PathBuf,
        root: &str,
        build: &str,
        old: Option<(Texts, TableBytes)>,
        store: &Store,
        parsing: bool,
    ) -> Refresh {
        let current = !parsing && old.as_ref().is_some_and(|(_, t)| covers(&t.view(), store));
        if current {
            return Refresh {
                path,
                old,
                builder: None,
            };
        }
        // The old store's texts refer to its shared entries: copy them only with those.
        let section = |t: &Texts| t.shared_section().map(<[u8]>::to_vec);
        let (old, sharing) = match old.map(|(t, table)| (section(&t), (t, table))) {
            Some((Ok(section), old)) => match Sharing::from_section(section) {
                Some(sharing) => (Some(old), sharing),
                None => (None, Sharing::default()),
            },
            _ => (None, Sharing::default()),
        };
        let builder = Builder::create(&path, root, build, sharing)
            .ok()
            .map(Mutex::new);
        Refresh { path, old, builder }
    }

    /// Whether parsed files should hand over their texts.
    pub fn wants_texts(&self) -> bool {
        self.builder.is_some()
    }

    /// A file parsed by the load, with its texts.
    pub fn parsed(&self, rel: &str, entry: &FileEntry, trusted: bool, texts: &[Vec<u8>]) {
        if entry.record.chats.is_empty() || entry.record.chats.len() != texts.len() {
            return;
        }
        if let Some(b) = &self.builder {
            let file = table_file(rel, entry.stamp, trusted, &entry.record.chats, texts);
            if let Ok(mut b) = b.lock() {
                b.add(file, texts);
            }
        }
    }

    /// Complete the new store for the loaded `store` (at spool `root`): copy what the old one
    /// still answers for, read the files neither gave texts for, write it. `trusted(stamp)`
    /// says whether a later load may reuse a file read now; `progress(done, total)` counts the
    /// store's files with chats as their texts are in.
    pub fn finish(
        self,
        store: &Store,
        root: &Path,
        trusted: &(dyn Fn(Stamp) -> bool + Sync),
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Option<Texts> {
        let Some(builder) = self.builder else {
            return self.old.map(|(t, _)| t);
        };
        let mut b = builder.into_inner().ok()?;
        if let Some((old, table)) = &self.old {
            copy_old(&mut b, old, table, store);
        }
        let added: HashSet<Box<str>> = b.added().into_iter().map(Box::from).collect();
        let missing: Vec<(&Arc<str>, &FileEntry)> = store
            .files()
            .filter(|(rel, e)| !e.record.chats.is_empty() && !added.contains(&***rel))
            .collect();
        let total = added.len() + missing.len();
        let done = AtomicUsize::new(added.len());
        progress(added.len(), total);
        let b = Mutex::new(b);
        missing.par_iter().for_each(|(rel, entry)| {
            if let Some(texts) = reread(root, rel, entry) {
                let file = table_file(
                    rel,
                    entry.stamp,
                    trusted(entry.stamp),
                    &entry.record.chats,
                    &texts,
                );
                if let Ok(mut b) = b.lock() {
                    b.add(file, &texts);
                }
            }
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        });
        b.into_inner().ok()?.finish(&self.path)
    }
}

/// Whether the old file's text still answers for `store`'s file: trusted, same stamp, and the
/// same chats.
fn still(t: &View<'_>, f: &FileView<'_>, store: &Store) -> bool {
    store.file(f.rel).is_some_and(|e| {
        f.trusted
            && e.stamp == f.stamp
            && e.record.chats.len() == f.count as usize
            && e.record
                .chats
                .iter()
                .zip(t.chats_of(f))
                .all(|(r, c)| f.is(c, r.source.line, &r.id))
    })
}

/// Whether the table answers for every file of `store` with chats, and for nothing else.
fn covers(t: &View<'_>, store: &Store) -> bool {
    let with_chats = store
        .files()
        .filter(|(_, e)| !e.record.chats.is_empty())
        .count();
    t.files.len() == with_chats && t.files.par_iter().all(|f| still(t, f, store))
}

/// Copy the old store's texts of files that did not change (and were not parsed again).
fn copy_old(b: &mut Builder, old: &Texts, bytes: &TableBytes, store: &Store) {
    let parsed: HashSet<Box<str>> = b.added().into_iter().map(Box::from).collect();
    let view = bytes.view();
    let keep: Vec<bool> = view
        .files
        .iter()
        .map(|f| !parsed.contains(f.rel) && still(&view, f, store))
        .collect();
    let table = bytes.decode();
    let mut at = 0usize;
    for (tb, block) in table.blocks.iter().zip(&old.blocks) {
        let files = &table.files[at..at + tb.files];
        let keep = &keep[at..at + tb.files];
        at += tb.files;
        let kept = keep.iter().filter(|&&k| k).count();
        if kept == 0 {
            continue;
        }
        let Ok(buf) = old.checked(block) else {
            continue;
        };
        if kept == files.len() {
            b.add_block(files, buf, tb.sum);
            continue;
        }
        let mut pos = 0usize;
        for (f, &k) in files.iter().zip(keep) {
            let len = f.bytes() as usize;
            if k {
                b.add_joined(f.clone(), &buf[pos..pos + len]);
            }
            pos += len;
        }
    }
}

/// Read a file again for the texts of the chats the store holds from it; `None` when it cannot
/// be read or no longer holds the same chats.
fn reread(root: &Path, rel: &str, entry: &FileEntry) -> Option<Vec<Vec<u8>>> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let kind = read::kind_of(name)?;
    let path = names::path_of(root, rel);
    let now = crate::spool::stamp_of(&path)?;
    if now != entry.stamp {
        return None;
    }
    let bytes = read::read_known(&path, kind, true, now.size).ok()?;
    let rel: Arc<str> = rel.into();
    let (record, texts) = read::parse_file_texts(&bytes, kind, &rel);
    let same = record.chats.len() == entry.record.chats.len()
        && record
            .chats
            .iter()
            .zip(entry.record.chats.iter())
            .all(|(a, b)| a.source.line == b.source.line && a.id == b.id);
    same.then_some(texts)
}
