//! Loading a spool through the index cache: walk and stat every file, reuse the cached record of
//! each file whose stamp is unchanged, parse the others in parallel, and write the cache back
//! when anything changed.

use super::{build_id, encode, index_path, read, settled, walk, write, Index, MIN_FILES};
use crate::spool::read::FileRecord;
use crate::spool::{load_parsed, stamp_from, FileEntry, Stamp, Store};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// What a load did, for benchmarks and diagnostics.
#[derive(Debug, Clone, Default)]
pub struct LoadStats {
    pub files: usize,
    /// Files whose cached record was reused.
    pub reused: usize,
    /// Files read and parsed.
    pub parsed: usize,
    /// A valid cache was found.
    pub cache_hit: bool,
    /// The cache was written back.
    pub cache_written: bool,
    /// Why the cache could not be written, when it could not.
    pub write_error: Option<String>,
    /// Milliseconds spent walking and stat'ing / reading the cache (together, in parallel),
    /// parsing, building the store, and writing the cache.
    pub walk_ms: f64,
    pub parse_ms: f64,
    pub store_ms: f64,
    pub write_ms: f64,
}

/// Load the spool at `root` (already checked by [`crate::spool::open`]). With `use_cache`
/// false, the cache is neither read nor written.
pub fn load(
    root: &Path,
    use_cache: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Store, LoadStats) {
    let start = Instant::now();
    let start_ns = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
    let mut stats = LoadStats::default();
    let cache = use_cache
        .then(|| {
            let canonical = std::fs::canonicalize(root).ok()?;
            let path = index_path(&canonical)?;
            Some((path, canonical.to_string_lossy().into_owned(), build_id()))
        })
        .flatten();
    // Walk the spool and read the cache at the same time.
    let (listing, index) = rayon::join(
        || walk::walk(root),
        || {
            cache
                .as_ref()
                .and_then(|(path, root, build)| read(path, root, build))
        },
    );
    let walk::Walked {
        files,
        problems: dir_problems,
    } = listing;
    stats.files = files.len();
    stats.cache_hit = index.is_some();
    stats.walk_ms = ms(start);
    let mut index: Index = index.unwrap_or_default();
    let had = index.len();

    // Reuse what the cache has for unchanged files; the rest is parsed.
    let t = Instant::now();
    let total = files.len();
    let mut slots: Vec<Option<(Arc<str>, FileEntry)>> = Vec::with_capacity(total);
    let mut todo = Vec::new();
    for (i, seen) in files.iter().enumerate() {
        let cached = match &seen.meta {
            Ok(meta) => {
                let stamp = stamp_from(meta);
                match index.remove_entry(seen.found.rel.as_str()) {
                    Some((rel, (s, record))) if s == stamp => {
                        Some((rel, FileEntry { stamp, record }))
                    }
                    _ => None,
                }
            }
            Err(_) => None,
        };
        if cached.is_none() {
            todo.push(i);
        }
        slots.push(cached);
    }
    stats.reused = total - todo.len();
    progress(stats.reused, total);
    let done = AtomicUsize::new(stats.reused);
    let parsed: Vec<(usize, Arc<str>, FileEntry, bool)> = todo
        .par_iter()
        .map(|&i| {
            let seen = &files[i];
            let rel: Arc<str> = seen.found.rel.as_str().into();
            let (entry, readable) = match &seen.meta {
                Ok(meta) => load_parsed(&seen.found, rel.clone(), meta),
                Err(reason) => (
                    FileEntry {
                        stamp: Stamp::default(),
                        record: FileRecord {
                            problems: vec![reason.clone()],
                            ..FileRecord::default()
                        },
                    },
                    false,
                ),
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            (i, rel, entry, readable)
        })
        .collect();
    stats.parsed = parsed.len();
    let mut unreadable = HashSet::new();
    for (i, rel, entry, readable) in parsed {
        if !readable {
            unreadable.insert(rel.clone());
        }
        slots[i] = Some((rel, entry));
    }
    stats.parse_ms = ms(t);

    let t = Instant::now();
    let mut store = Store::new();
    for (rel, entry) in slots.into_iter().flatten() {
        store.upsert(rel, entry);
    }
    store.dir_problems = dir_problems;
    stats.store_ms = ms(t);

    // Write back when the cache is missing, a file was parsed, or a cached file vanished.
    let vanished = had - stats.reused > 0;
    if let Some((path, root, build)) = &cache {
        if total >= MIN_FILES && (!stats.cache_hit || stats.parsed > 0 || vanished) {
            let t = Instant::now();
            let entries: Vec<(&Arc<str>, &FileEntry)> = store.files().collect();
            let trust =
                |rel: &str, stamp: Stamp| settled(stamp, start_ns) && !unreadable.contains(rel);
            let bytes = encode(&entries, root, build, &trust);
            match write(path, &bytes) {
                Ok(()) => stats.cache_written = true,
                Err(e) => stats.write_error = Some(format!("{}: {e}", path.display())),
            }
            stats.write_ms = ms(t);
        }
    }
    (store, stats)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
