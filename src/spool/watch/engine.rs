//! The watcher's state machine: events in (see `events` for what each one means), store
//! changes and throttled updates out.
//!
//! Every path that may have changed goes into a pending set with a deadline (`schedule`).
//! When a deadline passes, the path is stat'ed and, if it is one of ours and has changed, read
//! and parsed; batches of due paths are examined in parallel and applied in order. A path
//! that is now a directory is compared with the store (`reconcile`); a path that is gone is
//! removed together with everything under it.
//!
//! One [`Engine`] owns all of this state; its `impl` is spread over the submodules, one job
//! each: `main_loop` (waiting and working), `react` (events to pending paths), `pending`
//! (deadlines), `examine` (stat and read, in parallel), `apply` (outcomes into the store),
//! `retry` (files that do not parse yet), `rescan` (the store against the disk), `publish`
//! (throttled updates) and `health` (how the spool is followed).

mod apply;
mod examine;
mod health;
mod main_loop;
mod pending;
mod publish;
mod react;
mod rescan;
mod retry;
mod texts;

use super::super::live::{self, Snapshot, Update};
use super::super::{PathReason, Reading, Store};
use super::events::{self, Input};
use super::Mode;
use crate::spool::walk::Rules;
use health::Health;
use pending::Due;
use publish::Touched;
use retry::Held;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::Instant;

/// Run the watcher on this thread until `Input::Stop` arrives or the spool goes away.
pub fn run(
    root: &Path,
    mode: Mode,
    upstream: Option<super::Upstream>,
    reading: Reading,
    tx: &Sender<Input>,
    rx: &Receiver<Input>,
    mut publish: impl FnMut(Update),
) {
    // Absolute and canonical, so event paths (which start with the watched path) strip cleanly.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (source, mode) = super::source::start(upstream, mode, tx);
    let (health, mut watcher) = health::start(&root, mode, tx);
    let label = Some(source.clone().unwrap_or_else(|| health.label()));
    let mut last = Arc::new(Snapshot::default());
    let (store, version) = live::load_progressively(&root, reading, &mut |s| {
        let s = Snapshot::relabel(s, label.clone());
        last = s.clone();
        publish(Update::state(s));
    });
    if health == Health::Off {
        return;
    }
    let links = match watcher.as_mut() {
        Some(w) => events::watch_linked(w, &root, &store.linked_dirs),
        None => Vec::new(),
    };
    let mut engine = Engine::new(root, store, version, &last, health, publish);
    engine.rules = reading.rules();
    engine.reading = reading;
    engine.source = source;
    // A file that landed behind a link between the load's walk and its watch has no event:
    // compare those directories once more now that they are watched.
    let now = Instant::now();
    for (_, rel) in &links {
        engine.reconcile(rel, now);
    }
    engine.links = links;
    engine.after_load();
    engine.run(rx);
    drop(watcher);
}

struct Engine<P: FnMut(Update)> {
    root: PathBuf,
    /// The walk's rules, for directories that events reveal.
    rules: Rules,
    /// How the spool is read (the cache's text store kept up or not).
    reading: Reading,
    /// Directories entered through symlinks, watched at their real path: (real path, key).
    links: Vec<(PathBuf, String)>,
    store: Store,
    /// The store's file paths, ordered, for "everything under this directory".
    index: BTreeSet<Arc<str>>,
    /// Content hashes of files read by the watcher (not of the initial load).
    hashes: HashMap<Arc<str>, u64>,
    pending: HashMap<Arc<str>, Due>,
    queue: BinaryHeap<Reverse<(Instant, Arc<str>)>>,
    held: HashMap<Arc<str>, Held>,
    touched: HashMap<Box<str>, Touched>,
    touch_order: Vec<Box<str>>,
    problems_seen: BTreeSet<PathReason>,
    version: u64,
    dirty: bool,
    last_publish: Instant,
    health: Health,
    note: Option<(String, Instant)>,
    /// The source's status line, for a bucket's copy (replaces the health's).
    source: Option<String>,
    rescan: Option<String>,
    next_poll: Option<Instant>,
    /// Keeping the transcript text store current.
    texts: texts::TextUpkeep,
    publish: P,
}

impl<P: FnMut(Update)> Engine<P> {
    fn new(
        root: PathBuf,
        store: Store,
        version: u64,
        last: &Snapshot,
        health: Health,
        publish: P,
    ) -> Self {
        let index = store.files().map(|(rel, _)| rel.clone()).collect();
        let next_poll = match &health {
            Health::Polling { every, .. } => Some(Instant::now() + *every),
            _ => None,
        };
        Engine {
            root,
            rules: Reading::default().rules(),
            reading: Reading::default(),
            links: Vec::new(),
            store,
            index,
            hashes: HashMap::new(),
            pending: HashMap::new(),
            queue: BinaryHeap::new(),
            held: HashMap::new(),
            touched: HashMap::new(),
            touch_order: Vec::new(),
            problems_seen: last.problems.iter().cloned().collect(),
            version,
            dirty: false,
            last_publish: Instant::now(),
            health,
            note: None,
            source: None,
            rescan: None,
            next_poll,
            texts: texts::TextUpkeep::new(Instant::now()),
            publish,
        }
    }
}

#[cfg(test)]
mod tests;
