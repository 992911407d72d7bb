//! The index cache: what every file of a spool held when it was last read, so that loading a
//! spool again only parses the files that are new or changed.
//!
//! One file per spool under the XDG cache directory (`$XDG_CACHE_HOME/chatspool`, usually
//! `~/.cache/chatspool`), named by a hash of the spool's canonical path; never inside the spool.
//! A file's cached record is trusted while its [`Stamp`] (size and modification time) is the one
//! recorded. What makes that safe:
//!
//! - The cache is only a shortcut: anything wrong with it (truncated, corrupt, another format
//!   version, written by another build of chatspool, for another spool) makes the loader ignore it
//!   and parse every file, then write a fresh one. It never fails a command.
//! - Files modified in the two seconds before a load are stored with a stamp that never matches
//!   ("racily clean", as git calls it): file systems keep modification times in coarse ticks, so
//!   a file rewritten with the same size within one tick would otherwise look unchanged.
//! - Files that could not be read are never cached: the reason (permissions, say) can change
//!   without their stamp changing.
//! - The build of chatspool is part of the header, so a new parser never reuses rows an older one
//!   made.
//! - Writes go to a temporary file in the cache directory, renamed over the old cache.
//!
//! Small spools (under [`MIN_FILES`] files) load in a blink and are not cached, which also keeps
//! throwaway spools (tests, demos) from filling the cache directory. When a cache is written,
//! caches of spools that no longer exist are removed.

pub(crate) mod codec;
use crate::spool::temps;
mod dirs;
mod inspect;
mod load;

use crate::spool::interner::Interner;
pub use codec::checksum;
pub use dirs::{cache_dir, unavailable};
pub use inspect::{inspect, CacheInfo};
pub use load::{load, load_deferred, load_texts, log_problems, text_path, LoadStats, PendingTexts};

use crate::spool::walk;
use crate::spool::{FileEntry, Stamp};
use codec::{Corrupt, Reader, Writer};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::spool::{FileRecord, Reading};

/// Whether a cache file exists for the spool at `root` (it may still prove unusable); never
/// without `reading.cache`.
pub fn exists_for(root: &Path, reading: Reading) -> bool {
    reading.cache
        && std::fs::canonicalize(root)
            .ok()
            .and_then(|c| index_path(&c))
            .is_some_and(|p| p.is_file())
}

/// Write the cache for a store that was loaded without it (the viewer's progressive first load),
/// so the next start is fast. Records with problems are stored untrusted: a read error can go
/// away without the file's stamp changing. Returns whether a cache was written.
pub fn save(
    root: &Path,
    store: &crate::spool::Store,
    load_start_ns: i64,
    reading: Reading,
) -> std::io::Result<bool> {
    if !reading.cache || store.file_count() < MIN_FILES {
        return Ok(false);
    }
    let Some(canonical) = std::fs::canonicalize(root).ok() else {
        return Ok(false);
    };
    let Some(path) = index_path(&canonical) else {
        return Ok(false);
    };
    let mut entries: Vec<(&Arc<str>, &FileEntry)> = store.files().collect();
    let trust = |_: &str, stamp: Stamp| settled(stamp, load_start_ns);
    let mut untrusted: Vec<(&Arc<str>, FileEntry)> = Vec::new();
    for (rel, entry) in &entries {
        if !entry.record.problems.is_empty() {
            untrusted.push((
                rel,
                FileEntry {
                    stamp: NEVER,
                    record: entry.record.clone(),
                },
            ));
        }
    }
    entries.retain(|(_, e)| e.record.problems.is_empty());
    entries.extend(untrusted.iter().map(|(rel, e)| (*rel, e)));
    let bytes = encode(
        &mut entries,
        &canonical.to_string_lossy(),
        &build_id(),
        &trust,
    );
    write(&path, &bytes)?;
    Ok(true)
}

/// A text store to fill while the viewer's first load parses a spool without the cache
/// ([`crate::spool::live`]); `None` when there is no cache (disabled, no directory, or a spool
/// too small to cache).
pub fn text_refresh(
    root: &Path,
    files: usize,
    start_ns: i64,
    reading: Reading,
) -> Option<PendingTexts> {
    if !reading.cache || files < MIN_FILES {
        return None;
    }
    let canonical = std::fs::canonicalize(root).ok()?;
    let at = load::text_path(&index_path(&canonical)?);
    let root = canonical.to_string_lossy();
    let refresh = crate::spool::texts::Refresh::start(
        at,
        &root,
        &build_id(),
        None,
        &crate::spool::Store::new(),
        true,
    );
    refresh
        .wants_texts()
        .then(|| PendingTexts::new(refresh, start_ns))
}

/// The text store of `root` brought up to date with `store` (the watcher's, after files
/// arrived, changed or went): unchanged texts copied from the store on disk, the other files
/// read, the result renamed into place. `None` when there is no cache for the spool or the
/// write failed (the old store then still answers for the files it holds).
pub fn refresh_texts(
    root: &Path,
    store: &crate::spool::Store,
    reading: Reading,
) -> Option<crate::spool::texts::Texts> {
    use crate::spool::texts::{Refresh, Texts};
    if !reading.cache || store.file_count() < MIN_FILES {
        return None;
    }
    let canonical = std::fs::canonicalize(root).ok()?;
    let at = load::text_path(&index_path(&canonical)?);
    let (spool, build) = (canonical.to_string_lossy(), build_id());
    let start_ns = now_ns();
    let old = Texts::open(&at, &spool, &build);
    let refresh = Refresh::start(at, &spool, &build, old, store, false);
    let trusted = |stamp| settled(stamp, start_ns);
    refresh.finish(store, root, &trusted, &|_, _| {})
}

/// Nanoseconds since the epoch now: when a load starts, for [`settled`].
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Spools with fewer files than this are not cached.
pub const MIN_FILES: usize = 64;

/// The first bytes of every index file.
const MAGIC: &[u8; 8] = b"CHSPIDX\x1a";

/// Version of the layout below; bump it whenever the encoding changes.
const SCHEMA: u32 = 6;

/// Files modified less than this long before a load are not trusted by the next one.
const RACY_NS: i64 = 2_000_000_000;

/// The stamp stored for a file that must be read again next time: no real file has it.
const NEVER: Stamp = Stamp {
    size: u64::MAX,
    mtime_ns: i64::MIN,
    ctime_ns: i64::MIN,
    ino: u64::MAX,
};

/// Files per independently decodable chunk (decoded in parallel).
const CHUNK_FILES: usize = 4096;

/// The index file for a spool, given its canonical path; `None` when there is no cache
/// directory, or when it lies inside the spool (chatspool never writes into a spool). The
/// directory comes back resolved (see [`crate::paths`]): what was checked is what is written.
pub fn index_path(canonical_root: &Path) -> Option<PathBuf> {
    let dir = crate::paths::resolve(&cache_dir()?);
    if dir.starts_with(canonical_root) {
        return None;
    }
    Some(dir.join(format!("{:016x}.idx", path_hash(canonical_root))))
}

/// FNV-1a over the path's bytes: stable across runs and builds, unlike `std`'s hasher.
pub(crate) fn path_hash(path: &Path) -> u64 {
    let bytes = path_bytes(path);
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().into()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    path.to_string_lossy().into_owned().into_bytes().into()
}

/// The build that writes and reads caches: its version and the executable's size and time, so
/// a rebuilt or upgraded binary starts from a fresh cache.
pub(crate) fn build_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| crate::spool::stamp_of(&p));
    match exe {
        Some(s) => format!(
            "chatspool {} {}/{}",
            env!("CARGO_PKG_VERSION"),
            s.size,
            s.mtime_ns
        ),
        None => format!("chatspool {}", env!("CARGO_PKG_VERSION")),
    }
}

/// The records of a cache file, in [`walk::cmp_rel`] order (directory, then name), in the
/// chunks they were decoded in.
pub type Index = Vec<Vec<(Arc<str>, Stamp, FileRecord)>>;

/// The fixed part before the body: magic, schema, the spool, the build, body length and sum.
fn header(root: &str, build: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Vec::with_capacity(64 + root.len() + build.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&SCHEMA.to_le_bytes());
    for s in [root, build] {
        h.extend_from_slice(&(s.len() as u32).to_le_bytes());
        h.extend_from_slice(s.as_bytes());
    }
    h.extend_from_slice(&(body.len() as u64).to_le_bytes());
    h.extend_from_slice(&codec::checksum(body).to_le_bytes());
    h
}

/// Split a cache file into (root, build, body), checking magic, schema, length and checksum.
fn split(bytes: &[u8]) -> Result<(&str, &str, &[u8]), Corrupt> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], Corrupt> {
        if b.len() < n {
            return Err(Corrupt);
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head)
    }
    fn u32_at(b: &mut &[u8]) -> Result<u32, Corrupt> {
        Ok(u32::from_le_bytes(
            take(b, 4)?.try_into().map_err(|_| Corrupt)?,
        ))
    }
    fn u64_at(b: &mut &[u8]) -> Result<u64, Corrupt> {
        Ok(u64::from_le_bytes(
            take(b, 8)?.try_into().map_err(|_| Corrupt)?,
        ))
    }
    let mut b = bytes;
    if take(&mut b, 8)? != MAGIC || u32_at(&mut b)? != SCHEMA {
        return Err(Corrupt);
    }
    let mut strs = [""; 2];
    for s in &mut strs {
        let n = u32_at(&mut b)? as usize;
        *s = std::str::from_utf8(take(&mut b, n)?).map_err(|_| Corrupt)?;
    }
    let len = u64_at(&mut b)?;
    let sum = u64_at(&mut b)?;
    if b.len() as u64 != len || codec::checksum(b) != sum {
        return Err(Corrupt);
    }
    Ok((strs[0], strs[1], b))
}

/// Only the spool a cache file is for, reading no more than its header (for pruning).
fn root_of(path: &Path) -> Option<String> {
    let mut head = vec![0u8; 16 + 4096];
    let mut f = std::fs::File::open(path).ok()?;
    let n = f.read(&mut head).ok()?;
    let head = &head[..n];
    if head.len() < 16 || &head[..8] != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(head[12..16].try_into().ok()?) as usize;
    let root = head.get(16..16 + len)?;
    String::from_utf8(root.to_vec()).ok()
}

/// Decode an index file's bytes; `None` when they are not a valid index for this spool and
/// this build.
pub fn decode(bytes: &[u8], root: &str, build: &str) -> Option<(Index, Interner)> {
    let (r, b, body) = split(bytes).ok()?;
    if r != root || b != build {
        return None;
    }
    let mut rd = Reader::new(body);
    let chunks = rd.count().ok()?;
    let mut spans = Vec::with_capacity(chunks);
    for _ in 0..chunks {
        let len = rd.count().ok()?;
        spans.push(rd.bytes(len).ok()?);
    }
    if !rd.is_done() {
        return None;
    }
    // One thread: decoding runs while the walk keeps the other threads busy, and the rows then
    // sit together in one heap rather than interleaved with the walk's short-lived data.
    let mut shared = Interner::default();
    let parts: Index = spans
        .iter()
        .map(|span| {
            let mut rd = Reader::new(span);
            let n = rd.count()?;
            let mut files = Vec::with_capacity(n);
            for _ in 0..n {
                files.push(codec::get_file(&mut rd, &mut shared)?);
            }
            if rd.is_done() {
                Ok(files)
            } else {
                Err(Corrupt)
            }
        })
        .collect::<Result<_, Corrupt>>()
        .ok()?;
    Some((parts, shared))
}

/// Encode the files of a store as an index file, in [`walk::cmp_rel`] order. `trust(rel,
/// stamp)` says whether the record may be reused while the file keeps that stamp; others are
/// stored with a stamp that never matches.
pub fn encode<'a>(
    files: &mut [(&'a Arc<str>, &'a FileEntry)],
    root: &str,
    build: &str,
    trust: &(dyn Fn(&str, Stamp) -> bool + Sync),
) -> Vec<u8> {
    files.par_sort_unstable_by(|a, b| walk::cmp_rel(a.0, b.0));
    let chunks: Vec<Vec<u8>> = files
        .par_chunks(CHUNK_FILES)
        .map(|chunk| {
            let mut w = Writer::default();
            w.buf.reserve(chunk.len() * 256);
            w.usize(chunk.len());
            for (rel, entry) in chunk {
                let stamp = if trust(rel, entry.stamp) {
                    entry.stamp
                } else {
                    NEVER
                };
                codec::put_file(&mut w, rel, stamp, &entry.record);
            }
            w.buf
        })
        .collect();
    let mut w = Writer::default();
    w.buf
        .reserve(chunks.iter().map(|c| c.len() + 10).sum::<usize>() + 10);
    w.usize(chunks.len());
    for c in &chunks {
        w.usize(c.len());
        w.buf.extend_from_slice(c);
    }
    let body = w.buf;
    let mut out = header(root, build, &body);
    out.extend_from_slice(&body);
    out
}

/// Read the index file at `path`; `None` when it is missing or not valid. The file's bytes
/// come back too: the caller decides when to free them (see `load`).
pub fn read(path: &Path, root: &str, build: &str) -> Option<(Vec<u8>, Index, Interner)> {
    let bytes = std::fs::read(path).ok()?;
    let (index, interner) = decode(&bytes, root, build)?;
    Some((bytes, index, interner))
}

/// Write `bytes` as the index file at `path`, atomically (a temporary file in the same
/// directory, renamed over the old one), then remove caches of spools that no longer exist.
/// Temporary files left by writers that died before renaming go first (see [`temps`]).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    temps::remove_stale(dir);
    let name = path
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(temps::name_for(&name));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    prune(dir, path);
    Ok(())
}

/// Remove index files whose spool is gone, and text stores whose index is gone.
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path == keep {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // A text store goes with its index.
        let stale = if name.ends_with(".text") {
            !path.with_extension("idx").exists()
        } else {
            name.ends_with(".idx") && root_of(&path).is_some_and(|root| !Path::new(&root).exists())
        };
        if stale {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Whether a record read at `stamp` may be trusted by a later load, given when this load
/// started (nanoseconds since the epoch).
pub fn settled(stamp: Stamp, load_start_ns: i64) -> bool {
    stamp.mtime_ns < load_start_ns.saturating_sub(RACY_NS)
}
