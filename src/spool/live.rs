//! A spool kept up to date on a background thread, published as immutable snapshots.
//!
//! The thread owns the [`Store`]; the UI (or `watch`) only ever sees [`Snapshot`]s, so it never
//! touches the disk and never waits for parsing. The initial load publishes a snapshot every
//! `PUBLISH_EVERY` so the list fills in while a large spool loads.

use super::cache::PendingTexts;
use super::texts::Texts;
use super::walk::{self, Walked};
use super::{cache, load_walked, load_walked_texts, PathReason, Reading, Store};
use crate::model::ChatSummary;
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a loading spool publishes what it has so far.
pub const PUBLISH_EVERY: Duration = Duration::from_millis(100);

/// Files parsed per batch while loading: small enough to publish often, large enough to keep
/// every core busy.
const BATCH: usize = 2048;

/// Load progress of the initial scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// The directory walk has finished (so `total` is final).
    pub listed: bool,
    /// Every file found has been read.
    pub finished: bool,
}

impl Progress {
    /// A finished load of `files` files.
    pub fn complete(files: usize) -> Self {
        Progress {
            done: files,
            total: files,
            listed: true,
            finished: true,
        }
    }
}

/// The state of a spool at one moment, shared read-only with the UI and the matcher.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Increases with every published change.
    pub version: u64,
    /// One row per distinct chat, in no particular order.
    pub chats: Arc<[Arc<ChatSummary>]>,
    pub problems: Arc<[PathReason]>,
    pub skipped: usize,
    pub duplicates: usize,
    pub files: usize,
    pub progress: Progress,
    /// Chats that arrived or changed since the previous snapshot (empty during the first load).
    pub fresh: Arc<[Arc<str>]>,
    /// The watcher's state in words (`watching`, `polling every 2s`, `stopped: …`).
    pub watch: Option<String>,
    /// The text store and each row's chat in it, once the first load is over (see
    /// [`crate::spool::texts`]): `text:` searches read it instead of the rows' files.
    pub texts: Option<TextRows>,
    /// The text store is being built after the load: (files done, files in all). Until it is
    /// ready, `text:` is answered by reading the files.
    pub indexing: Option<(usize, usize)>,
}

/// A text store and where each row of a snapshot lies in it ([`Texts::ids_for`]).
#[derive(Debug, Clone)]
pub struct TextRows {
    pub texts: Arc<Texts>,
    pub ids: Arc<[u32]>,
}

impl Snapshot {
    /// Build a snapshot of a store.
    pub fn of(store: &Store, version: u64, progress: Progress, watch: Option<String>) -> Self {
        let chats: Arc<[Arc<ChatSummary>]> = store.chats().into();
        let texts = store
            .texts
            .as_ref()
            .filter(|_| progress.finished)
            .map(|t| TextRows::of(t, &chats, store));
        Snapshot {
            version,
            chats,
            texts,
            indexing: None,
            problems: store.problems().into(),
            skipped: store.skipped_count(),
            duplicates: store.duplicates(),
            files: store.file_count(),
            progress,
            fresh: Arc::new([]),
            watch,
        }
    }
}

impl TextRows {
    fn of(texts: &Arc<Texts>, chats: &[Arc<ChatSummary>], store: &Store) -> Self {
        TextRows {
            texts: texts.clone(),
            ids: texts.ids_for(chats, store).into(),
        }
    }
}

/// Load `root` in batches, calling `publish` with a fresh snapshot as the store fills. Returns
/// the store and the last version number used, so a watcher can continue from there.
///
/// With a cache file for the spool, the cached load (walk, reuse unchanged files, parse the rest)
/// runs instead and progress is published while it works; without one, the progressive load
/// writes the cache at the end so the next start is fast. `--no-cache` turns both off
/// (`reading.cache`).
pub fn load_progressively(
    root: &Path,
    reading: Reading,
    publish: &mut dyn FnMut(Arc<Snapshot>),
) -> (Store, u64) {
    let loaded = load_either(root, reading, publish);
    // The files' bytes and parse trees are freed: give them back.
    crate::memory::give_back();
    loaded
}

fn load_either(
    root: &Path,
    reading: Reading,
    publish: &mut dyn FnMut(Arc<Snapshot>),
) -> (Store, u64) {
    if cache::exists_for(root, reading) {
        return load_cached(root, reading, publish);
    }
    let start_ns = cache::now_ns();
    let (mut store, mut version, pending) = load_parsing(root, reading, publish, start_ns);
    tracing::info!(
        spool = %root.display(),
        files = store.file_count(),
        chats = store.chats().len(),
        "spool loaded without a cache: every file parsed"
    );
    cache::log_problems(&store);
    // After the last snapshot went out: the screen is complete before the cache is written.
    match cache::save(root, &store, start_ns, reading) {
        Ok(true) => tracing::info!("index cache written for the next start"),
        Ok(false) => tracing::debug!("index cache not written (off, or a small spool)"),
        Err(e) => tracing::warn!(error = %e, "cannot write the index cache"),
    }
    if let Some(pending) = pending {
        let last = Snapshot::of(
            &store,
            version,
            Progress::complete(store.file_count()),
            None,
        );
        finish_texts(root, &mut store, pending, &last, &mut version, publish);
    }
    (store, version)
}

/// Complete the text store on a helper thread while this one publishes how far it is
/// ("indexing transcripts 43%" in the viewer); then publish `last` (the rows as already shown,
/// so their search index is not built again) with the store.
fn finish_texts(
    root: &Path,
    store: &mut Store,
    pending: PendingTexts,
    last: &Snapshot,
    version: &mut u64,
    publish: &mut dyn FnMut(Arc<Snapshot>),
) {
    let done = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let shown = &*store;
    let texts = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            pending.finish(shown, root, &|d, t| {
                done.store(d, Ordering::Relaxed);
                total.store(t, Ordering::Relaxed);
            })
        });
        while !worker.is_finished() {
            std::thread::sleep(PUBLISH_EVERY);
            *version += 1;
            let mut s = last.clone();
            s.version = *version;
            s.indexing = Some((done.load(Ordering::Relaxed), total.load(Ordering::Relaxed)));
            publish(Arc::new(s));
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    store.texts = texts.map(Arc::new);
    *version += 1;
    let mut s = last.clone();
    s.version = *version;
    s.texts = store
        .texts
        .as_ref()
        .map(|t| TextRows::of(t, &last.chats, store));
    publish(Arc::new(s));
}

/// The cached load on a helper thread, while this one publishes its progress.
fn load_cached(
    root: &Path,
    reading: Reading,
    publish: &mut dyn FnMut(Arc<Snapshot>),
) -> (Store, u64) {
    let done = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let mut version = 1;
    let empty = Store::new();
    publish(Arc::new(Snapshot::of(
        &empty,
        version,
        Progress::default(),
        None,
    )));
    let (mut store, pending) = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let (store, _, pending) = cache::load_deferred(root, reading, &|d, t| {
                done.store(d, Ordering::Relaxed);
                total.store(t, Ordering::Relaxed);
            });
            (store, pending)
        });
        while !worker.is_finished() {
            std::thread::sleep(PUBLISH_EVERY);
            let t = total.load(Ordering::Relaxed);
            let progress = Progress {
                done: done.load(Ordering::Relaxed),
                total: t,
                listed: t > 0,
                finished: false,
            };
            version += 1;
            publish(Arc::new(Snapshot::of(&empty, version, progress, None)));
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    // The store on disk answers for every file as it is: nothing to wait for.
    let pending = match pending {
        Some(p) if !p.writes() => {
            store.texts = p.finish(&store, root, &|_, _| {}).map(Arc::new);
            None
        }
        other => other,
    };
    let progress = Progress::complete(store.file_count());
    version += 1;
    let last = Snapshot::of(&store, version, progress, None);
    publish(Arc::new(last.clone()));
    // A new store to write (missing, outdated, or files changed): after the rows are shown.
    if let Some(pending) = pending {
        finish_texts(root, &mut store, pending, &last, &mut version, publish);
    }
    (store, version)
}

/// Parse every file, publishing what is loaded so far every [`PUBLISH_EVERY`], and handing
/// each file's transcripts to the text store being written (when there is a cache).
fn load_parsing(
    root: &Path,
    reading: Reading,
    publish: &mut dyn FnMut(Arc<Snapshot>),
    start_ns: i64,
) -> (Store, u64, Option<PendingTexts>) {
    let mut store = Store::new();
    let mut version = 1;
    let mut progress = Progress::default();
    publish(Arc::new(Snapshot::of(&store, version, progress, None)));
    let Walked {
        dirs,
        problems,
        skipped,
        linked,
    } = walk::walk(root, reading);
    let files: Vec<(usize, usize)> = dirs
        .iter()
        .enumerate()
        .flat_map(|(d, dir)| (0..dir.files.len()).map(move |i| (d, i)))
        .collect();
    progress.total = files.len();
    progress.listed = true;
    let pending = cache::text_refresh(root, files.len(), start_ns, reading);
    let refresh = pending.as_ref().map(PendingTexts::refresh);
    store.dir_problems = problems;
    store.dir_skipped = skipped;
    store.linked_dirs = linked;
    let mut last = Instant::now();
    for batch in files.chunks(BATCH) {
        let entries: Vec<_> = batch
            .par_iter()
            .map(|&(d, i)| {
                let found = dirs[d].found(i);
                let rel = Arc::<str>::from(found.rel.as_str());
                let stat = &dirs[d].files[i].stat;
                let entry = match &refresh {
                    Some(r) => {
                        let (entry, texts) = load_walked_texts(&found, rel.clone(), stat);
                        if let Some(texts) = texts {
                            r.parsed(&rel, &entry, cache::settled(entry.stamp, start_ns), &texts);
                        }
                        entry
                    }
                    None => load_walked(&found, rel.clone(), stat).0,
                };
                (rel, entry)
            })
            .collect();
        for (rel, entry) in entries {
            store.upsert(rel, entry);
        }
        progress.done += batch.len();
        if last.elapsed() >= PUBLISH_EVERY {
            version += 1;
            publish(Arc::new(Snapshot::of(&store, version, progress, None)));
            last = Instant::now();
        }
    }
    progress.finished = true;
    version += 1;
    publish(Arc::new(Snapshot::of(&store, version, progress, None)));
    (store, version, pending)
}

/// How a chat in an [`Update`] differs from the previous update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not in the previous update.
    New,
    /// In the previous update with other contents (a file rewritten, a more complete copy).
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What a live spool publishes: the new state, and what changed since the previous update
/// (both empty while the initial load runs, so only what happens afterwards counts as news).
#[derive(Debug, Clone, Default)]
pub struct Update {
    pub snapshot: Arc<Snapshot>,
    /// Chats that arrived or changed, as now shown, in the order they did; their ids are
    /// `snapshot.fresh`.
    pub changes: Vec<(ChangeKind, Arc<ChatSummary>)>,
    /// Problems that were not in the previous update.
    pub new_problems: Vec<PathReason>,
    /// Chats no file holds any more (their files were deleted), as they were last shown.
    pub gone: Vec<Arc<ChatSummary>>,
}

impl Update {
    /// An update that only carries a state (the initial load).
    pub fn state(snapshot: Arc<Snapshot>) -> Self {
        Update {
            snapshot,
            ..Update::default()
        }
    }
}

impl Snapshot {
    /// The same snapshot with another watcher state.
    pub fn relabel(s: Arc<Snapshot>, watch: Option<String>) -> Arc<Snapshot> {
        if s.watch == watch {
            return s;
        }
        let mut s = Arc::unwrap_or_clone(s);
        s.watch = watch;
        Arc::new(s)
    }
}
