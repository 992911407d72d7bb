//! Loading a spool through the index cache: walk and stat every file, reuse the cached record of
//! each file whose stamp is unchanged, parse the others in parallel, and write the cache back
//! when anything changed.
//!
//! The walk lists files by directory, then name, and the cache stores them in the same order,
//! so matching the two is a merge of sorted lists: no hashing of 100,000 paths.

use super::{build_id, encode, index_path, read, settled, write, Index, MIN_FILES};
use crate::spool::texts::{Refresh, Texts};
use crate::spool::walk::{self, Stat, Walked};
use crate::spool::{load_walked_texts, FileEntry, FileRecord, Reading, Stamp, Store};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::Instant;

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
    /// Milliseconds spent walking and stat'ing (and reading the cache, at the same time),
    /// parsing, building the store, and writing the cache.
    pub walk_ms: f64,
    pub parse_ms: f64,
    pub store_ms: f64,
    pub write_ms: f64,
    /// Milliseconds spent completing and writing the text store after the parse.
    pub texts_ms: f64,
}

/// A file the cache could not answer for: directory and file index in the walk.
type Todo = (usize, usize);

/// Load the spool at `root` (already checked by [`crate::spool::open`]). Without
/// `reading.cache`, the cache is neither read nor written.
pub fn load(
    root: &Path,
    reading: Reading,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Store, LoadStats) {
    load_texts(root, reading, true, progress)
}

/// [`load`], choosing whether the transcript text store is checked and written with the
/// index (the benchmarks measure what it adds to a load).
pub fn load_texts(
    root: &Path,
    reading: Reading,
    texts: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Store, LoadStats) {
    let (mut store, mut stats, pending) = load_parts(root, reading, texts, progress);
    if let Some(pending) = pending {
        let t = Instant::now();
        store.texts = pending.finish(&store, root, &|_, _| {}).map(Arc::new);
        stats.texts_ms = ms(t);
    }
    (store, stats)
}

/// [`load`] without finishing the text store: the rows are ready first, and the caller
/// (the viewer) completes the store after showing them, with progress, since that may read
/// every file again when the store is missing or outdated.
pub fn load_deferred(
    root: &Path,
    reading: Reading,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Store, LoadStats, Option<PendingTexts>) {
    load_parts(root, reading, true, progress)
}

/// The text store's part of a load, still to complete ([`load_deferred`]).
pub struct PendingTexts {
    refresh: Refresh,
    start_ns: i64,
}

impl PendingTexts {
    /// `refresh`, whose files read since `start_ns` are not trusted by later loads.
    pub fn new(refresh: Refresh, start_ns: i64) -> Self {
        PendingTexts { refresh, start_ns }
    }

    /// The store being written, for the parse to hand it each file's texts.
    pub fn refresh(&self) -> &Refresh {
        &self.refresh
    }

    /// Whether completing it writes a new store (otherwise the old one answers for every file).
    pub fn writes(&self) -> bool {
        self.refresh.wants_texts()
    }

    /// Complete it for the loaded `store`: `progress(done, total)` in files.
    pub fn finish(
        self,
        store: &Store,
        root: &Path,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Option<Texts> {
        let start_ns = self.start_ns;
        let trusted = |stamp: Stamp| settled(stamp, start_ns);
        self.refresh.finish(store, root, &trusted, progress)
    }
}

fn load_parts(
    root: &Path,
    reading: Reading,
    texts: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Store, LoadStats, Option<PendingTexts>) {
    let start = Instant::now();
    let start_ns = super::now_ns();
    let mut stats = LoadStats::default();
    let cache = reading
        .cache
        .then(|| {
            let canonical = std::fs::canonicalize(root).ok()?;
            let path = index_path(&canonical)?;
            Some((path, canonical.to_string_lossy().into_owned(), build_id()))
        })
        .flatten();
    // Walk the spool (on the thread pool) and read the cache and the text store's table (on
    // this thread) at the same time.
    let (walked, index, old_texts) = std::thread::scope(|s| {
        let walker = s.spawn(|| walk::walk(root, reading));
        let index = cache
            .as_ref()
            .and_then(|(path, root, build)| read(path, root, build));
        let old_texts = cache
            .as_ref()
            .filter(|_| texts)
            .and_then(|(path, root, build)| Texts::open(&text_path(path), root, build));
        let walked = walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, index, old_texts)
    });
    stats.files = walked.file_count();
    stats.cache_hit = index.is_some();
    stats.walk_ms = ms(start);
    // The file's bytes are freed last, after the walk: freeing a large block first would make
    // the allocator keep the walk's memory instead of returning it.
    let (bytes, index, interner) = match index {
        Some((bytes, index, interner)) => (Some(bytes), index, interner),
        None => Default::default(),
    };
    let had = index.iter().map(Vec::len).sum::<usize>();

    // Cached records go straight into the store; the rest is parsed.
    let t = Instant::now();
    let total = stats.files;
    let mut store = Store::with_capacity(total).with_interner(interner);
    let todo = merge(&walked, index, &mut store);
    stats.reused = total - todo.len();
    stats.store_ms = ms(t);
    progress(stats.reused, total);
    let refresh =
        cache
            .as_ref()
            .filter(|_| texts && total >= MIN_FILES)
            .map(|(path, root, build)| {
                let at = text_path(path);
                Refresh::start(at, root, build, old_texts, &store, !todo.is_empty())
            });
    let t = Instant::now();
    let done = AtomicUsize::new(stats.reused);
    let parsed: Vec<(Arc<str>, FileEntry, bool)> = todo
        .par_iter()
        .map(|&(d, i)| {
            let dir = &walked.dirs[d];
            let found = dir.found(i);
            let rel: Arc<str> = found.rel.as_str().into();
            let (entry, texts) = load_walked_texts(&found, rel.clone(), &dir.files[i].stat);
            if let (Some(r), Some(texts)) = (&refresh, &texts) {
                r.parsed(&rel, &entry, settled(entry.stamp, start_ns), texts);
            }
            progress(done.fetch_add(1, AtomicOrdering::Relaxed) + 1, total);
            (rel, entry, texts.is_some())
        })
        .collect();
    stats.parsed = parsed.len();
    stats.parse_ms = ms(t);

    let t = Instant::now();
    let mut unread = HashSet::new();
    for (rel, entry, readable) in parsed {
        if !readable {
            unread.insert(rel.clone());
        }
        store.upsert(rel, entry);
    }
    let Walked {
        dirs,
        problems,
        skipped,
        linked,
    } = walked;
    drop(dirs);
    drop(bytes);
    store.dir_problems = problems;
    store.dir_skipped = skipped;
    store.linked_dirs = linked;
    stats.store_ms += ms(t);

    // Write back when the cache is missing, a file was parsed, or a cached file vanished.
    let vanished = had > stats.reused;
    if let Some((path, root, build)) = &cache {
        if total >= MIN_FILES && (!stats.cache_hit || stats.parsed > 0 || vanished) {
            let t = Instant::now();
            let mut entries: Vec<(&Arc<str>, &FileEntry)> = store.files().collect();
            let trust = |rel: &str, stamp: Stamp| settled(stamp, start_ns) && !unread.contains(rel);
            let bytes = encode(&mut entries, root, build, &trust);
            match write(path, &bytes) {
                Ok(()) => stats.cache_written = true,
                Err(e) => stats.write_error = Some(format!("{}: {e}", path.display())),
            }
            stats.write_ms = ms(t);
        }
    }
    log_load(root, &store, &stats, cache.as_ref().map(|c| c.0.as_path()));
    let pending = refresh.map(|refresh| PendingTexts { refresh, start_ns });
    (store, stats, pending)
}

/// What a load did, for `--log`: the cache's part, what was parsed, and every problem.
fn log_load(root: &Path, store: &Store, stats: &LoadStats, cache: Option<&Path>) {
    tracing::info!(
        spool = %root.display(),
        cache = %cache.map_or_else(|| "off".into(), |p| p.display().to_string()),
        hit = stats.cache_hit,
        files = stats.files,
        reused = stats.reused,
        parsed = stats.parsed,
        written = stats.cache_written,
        walk_ms = stats.walk_ms.round(),
        parse_ms = stats.parse_ms.round(),
        "spool loaded"
    );
    if stats.files >= MIN_FILES && cache.is_some() && !stats.cache_hit {
        tracing::info!(
            "no usable index cache (missing, stale, or for another build): every file parsed"
        );
    }
    if let Some(e) = &stats.write_error {
        tracing::warn!(error = %e, "cannot write the index cache");
    }
    log_problems(store);
}

/// Each file that could not be read, at `debug`; how many, at `warn`.
pub fn log_problems(store: &Store) {
    let problems = store.problems();
    if problems.is_empty() {
        return;
    }
    tracing::warn!(
        count = problems.len(),
        "files with problems (see `chatspool check`)"
    );
    for p in &problems {
        tracing::debug!(path = %p.path, reason = %p.reason, "problem");
    }
}

/// The text store beside an index file (`<hash>.text` next to `<hash>.idx`).
pub fn text_path(index: &Path) -> std::path::PathBuf {
    index.with_extension("text")
}

/// Match the walk against the cache (both sorted by directory, then name): the cached entries
/// of files whose stamp is unchanged go into the store (decoded through its interner, so already
/// shared), the other files are returned, to read.
fn merge(walked: &Walked, index: Index, store: &mut Store) -> Vec<Todo> {
    let mut todo = Vec::new();
    let mut cached = index.into_iter().flatten();
    // The next cached entry, with where its name starts.
    let next = |c: &mut std::iter::Flatten<_>| {
        c.next().map(|e: (Arc<str>, Stamp, FileRecord)| {
            let at = e.0.rfind('/').map_or(0, |i| i + 1);
            (at, e)
        })
    };
    let mut head = next(&mut cached);
    for (d, dir) in walked.dirs.iter().enumerate() {
        for i in 0..dir.files.len() {
            let key = (dir.rel.as_str(), dir.name(i));
            let mut hit = false;
            while let Some((at, (rel, stamp, _))) = &head {
                let split = (&rel[..at.saturating_sub(1)], &rel[*at..]);
                match split.cmp(&key) {
                    // A cached file that is gone.
                    Ordering::Less => head = next(&mut cached),
                    Ordering::Equal => {
                        hit = matches!(&dir.files[i].stat, Stat::Ok { stamp: s, .. } if s == stamp);
                        break;
                    }
                    Ordering::Greater => break,
                }
            }
            if hit {
                if let Some((_, (rel, stamp, record))) = head.take() {
                    store.upsert_shared(rel, FileEntry { stamp, record });
                }
                head = next(&mut cached);
            } else {
                todo.push((d, i));
            }
        }
    }
    todo
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
