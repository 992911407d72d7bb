//! The watcher's state machine: events in (see `events` for what each one means), store
//! changes and throttled updates out.
//!
//! Every path that may have changed goes into a pending set with a deadline (`schedule`).
//! When a deadline passes, the path is stat'ed and, if it is one of ours and has changed, read
//! and parsed; batches of due paths are examined in parallel and applied in order. A path
//! that is now a directory is compared with the store (`reconcile`); a path that is gone is
//! removed together with everything under it.

use super::super::live::{self, ChangeKind, Progress, Snapshot, Update, PUBLISH_EVERY};
use super::super::read::{self, FileRecord};
use super::super::{scan, stamp_of, FileEntry, PathReason, Stamp, Store};
use super::events::{describe_error, reaction, start_notify, Look};
use super::{describe_interval, fstype, Mode, DEFAULT_POLL};
use crate::model::ChatSummary;
use notify::{Event, EventKind};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Quiet time after the last write to a path before it is read when no close event comes.
const SETTLE: Duration = Duration::from_millis(50);
/// First retry of a file that does not parse yet; doubles up to `RETRY_MAX`.
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(1);
/// A file that has not parsed for this long (without changing) becomes a problem.
const GRACE: Duration = Duration::from_secs(5);
/// ... and one that keeps changing without ever parsing, after this long.
const HOLD_MAX: Duration = Duration::from_secs(30);
/// A new directory is compared with the store again after this, in case files landed in it
/// before the kernel watch on it existed.
const NEW_DIR_AGAIN: Duration = Duration::from_millis(500);
/// Paths examined per parallel batch (between batches the thread publishes and drains events).
const BATCH: usize = 1024;
/// Inputs taken from the channel at a time.
const DRAIN_MAX: usize = 20_000;
/// How long "rescanned after overflow" stays in the status.
const NOTE_FOR: Duration = Duration::from_secs(10);

/// What the engine's channel carries.
#[derive(Debug)]
pub enum Input {
    Event(notify::Result<Event>),
    Stop,
}

/// How the spool is followed, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Health {
    Off,
    Watching,
    Polling {
        every: Duration,
        why: Option<String>,
    },
    Stopped(String),
}

impl Health {
    fn label(&self) -> String {
        match self {
            Health::Off => "not watching".into(),
            Health::Watching => "watching".into(),
            Health::Polling { every, why: None } => {
                format!("polling every {}", describe_interval(*every))
            }
            Health::Polling {
                every,
                why: Some(w),
            } => format!("polling every {} ({w})", describe_interval(*every)),
            Health::Stopped(why) => format!("stopped: {why}"),
        }
    }
}

/// A path waiting to be examined.
#[derive(Debug, Clone, Copy)]
struct Due {
    at: Instant,
    /// Due at a fixed time (close, rename, retry, scan) rather than after writes settle, so
    /// later writes do not push it back.
    fixed: bool,
    /// Read even when size and mtime look unchanged (an event says it was written).
    forced: bool,
    /// A directory that just appeared: compare it again a little later.
    new_dir: bool,
}

/// A file read while it did not parse, kept out of the store for now.
#[derive(Debug, Clone, Copy)]
struct Held {
    first: Instant,
    since: Instant,
    stamp: Stamp,
    attempt: u32,
}

/// A chat affected since the last update: how it was shown then.
#[derive(Debug)]
struct Touched {
    before: Option<Arc<ChatSummary>>,
    /// A single-chat file holding it was rewritten with other bytes.
    rewritten_in: Option<Arc<str>>,
}

#[derive(Debug)]
struct Job {
    rel: Arc<str>,
    forced: bool,
    new_dir: bool,
    known: Option<Stamp>,
}

#[derive(Debug)]
enum Outcome {
    Gone,
    Dir,
    NotOurs,
    Unchanged,
    Read { entry: FileEntry, hash: Option<u64> },
}

/// Run the watcher on this thread until `Input::Stop` arrives or the spool goes away.
pub fn run(
    root: &Path,
    mode: Mode,
    tx: &Sender<Input>,
    rx: &Receiver<Input>,
    mut publish: impl FnMut(Update),
) {
    // Absolute and canonical, so event paths (which start with the watched path) strip cleanly.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut watcher = None;
    let health = match mode {
        Mode::Off => Health::Off,
        Mode::Poll(every) => Health::Polling { every, why: None },
        Mode::Auto | Mode::Notify => {
            let unreliable = if mode == Mode::Auto {
                fstype::inotify_unreliable(&root)
            } else {
                None
            };
            match unreliable {
                Some(fs) => Health::Polling {
                    every: DEFAULT_POLL,
                    why: Some(fs),
                },
                None => match start_notify(&root, tx) {
                    Ok(w) => {
                        watcher = Some(w);
                        Health::Watching
                    }
                    Err(why) => Health::Polling {
                        every: DEFAULT_POLL,
                        why: Some(why),
                    },
                },
            }
        }
    };
    let label = Some(health.label());
    let mut last = Arc::new(Snapshot::default());
    let (store, version) = live::load_progressively(&root, &mut |s| {
        let s = Snapshot::relabel(s, label.clone());
        last = s.clone();
        publish(Update::state(s));
    });
    if health == Health::Off {
        return;
    }
    let mut engine = Engine::new(root, store, version, &last, health, publish);
    engine.after_load();
    engine.run(rx);
    drop(watcher);
}

struct Engine<P: FnMut(Update)> {
    root: PathBuf,
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
    rescan: Option<String>,
    next_poll: Option<Instant>,
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
            rescan: None,
            next_poll,
            publish,
        }
    }

    /// Files that were broken at load time but written moments ago are probably still being
    /// written: look at them again soon.
    fn after_load(&mut self) {
        let now = Instant::now();
        let recent = SystemTime::now()
            .checked_sub(GRACE)
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
        let young: Vec<Arc<str>> = self
            .store
            .files()
            .filter(|(_, e)| !e.record.problems.is_empty() && e.stamp.mtime_ns >= recent)
            .map(|(rel, _)| rel.clone())
            .collect();
        for rel in young {
            self.schedule(rel, now + SETTLE, true, true, false);
        }
    }

    fn run(&mut self, rx: &Receiver<Input>) {
        loop {
            let now = Instant::now();
            let first = match self.next_wake() {
                Some(at) => rx.recv_timeout(at.saturating_duration_since(now)),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match first {
                Ok(Input::Stop) => return,
                Ok(Input::Event(ev)) => self.on_event(ev),
                Err(RecvTimeoutError::Timeout) => {}
                // Cannot happen while `run` holds a sender; nothing more can arrive.
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if !self.drain(rx) || !self.work(rx) {
                return;
            }
            if matches!(self.health, Health::Stopped(_)) {
                self.publish_now();
                return;
            }
        }
    }

    /// Everything due now: rescans, polls, pending paths (in batches, publishing and draining
    /// events between them), then an update if one is due. False when asked to stop.
    fn work(&mut self, rx: &Receiver<Input>) -> bool {
        loop {
            let now = Instant::now();
            if let Some(why) = self.rescan.take() {
                self.reconcile("", now);
                self.note = Some((why, now + NOTE_FOR));
                self.dirty = true;
            }
            if let (Some(at), Health::Polling { every, .. }) = (self.next_poll, &self.health) {
                if now >= at {
                    let every = *every;
                    self.reconcile("", now);
                    self.next_poll = Some(Instant::now() + every);
                }
            }
            if self.note.as_ref().is_some_and(|(_, until)| now >= *until) {
                self.note = None;
                self.dirty = true;
            }
            let jobs = self.take_due(now);
            if jobs.is_empty() {
                self.maybe_publish();
                return true;
            }
            let root = &self.root;
            let outcomes: Vec<Outcome> = jobs.par_iter().map(|j| examine(root, j)).collect();
            let now = Instant::now();
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                self.apply(job, outcome, now);
                if matches!(self.health, Health::Stopped(_)) {
                    return true;
                }
            }
            self.maybe_publish();
            if !self.drain(rx) {
                return false;
            }
        }
    }

    /// Take what is waiting in the channel without blocking. False when asked to stop.
    fn drain(&mut self, rx: &Receiver<Input>) -> bool {
        for _ in 0..DRAIN_MAX {
            match rx.try_recv() {
                Ok(Input::Event(ev)) => self.on_event(ev),
                Ok(Input::Stop) => return false,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        true
    }

    fn next_wake(&self) -> Option<Instant> {
        let mut at = self.queue.peek().map(|Reverse((t, _))| *t);
        let mut earliest = |t: Option<Instant>| {
            if let Some(t) = t {
                at = Some(at.map_or(t, |a| a.min(t)));
            }
        };
        earliest(self.next_poll);
        earliest(self.note.as_ref().map(|(_, until)| *until));
        if self.dirty {
            earliest(Some(self.last_publish + PUBLISH_EVERY));
        }
        if self.rescan.is_some() {
            earliest(Some(Instant::now()));
        }
        at
    }

    fn on_event(&mut self, ev: notify::Result<Event>) {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => return self.on_error(&e),
        };
        if ev.need_rescan() {
            self.rescan = Some("rescanned after overflow".into());
            return;
        }
        let Some(r) = reaction(&ev.kind) else { return };
        let now = Instant::now();
        for path in &ev.paths {
            let Some(rel) = self.rel_of(path) else {
                continue;
            };
            if rel.is_empty() {
                // The spool directory itself: removed, renamed, or its attributes changed.
                if r.dir.is_some() || matches!(ev.kind, EventKind::Remove(_)) {
                    self.schedule(Arc::from(""), now, true, false, false);
                }
                continue;
            }
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let look = match (read::kind_of(name).is_some(), r.file) {
                (true, Some(look)) => Some(look),
                _ => r.dir,
            };
            let rel: Arc<str> = self
                .index
                .get(rel.as_str())
                .cloned()
                .unwrap_or_else(|| rel.into());
            match look {
                Some(Look::Settle) => self.schedule(rel, now + SETTLE, false, true, false),
                Some(Look::Now) => self.schedule(rel, now, true, true, r.new_dir),
                Some(Look::Check) => self.schedule(rel, now, true, false, r.new_dir),
                None => {}
            }
        }
    }

    fn on_error(&mut self, e: &notify::Error) {
        if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
            // New directories are no longer watched: events cannot be trusted any more.
            self.health = Health::Polling {
                every: DEFAULT_POLL,
                why: Some(describe_error(e)),
            };
            self.next_poll = Some(Instant::now());
            self.dirty = true;
        } else {
            self.rescan = Some(format!(
                "rescanned after watcher error: {}",
                describe_error(e)
            ));
        }
    }

    /// The spool-relative, `/`-separated path of an event path; `None` outside the spool or
    /// under a hidden name.
    fn rel_of(&self, path: &Path) -> Option<String> {
        let rest = path.strip_prefix(&self.root).ok()?;
        let mut out = String::new();
        for c in rest.components() {
            let c = c.as_os_str().to_string_lossy();
            if scan::is_hidden(&c) {
                return None;
            }
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&c);
        }
        Some(out)
    }

    /// Look at `rel` at `at`. A `fixed` time only moves earlier; a settle time (not fixed) is
    /// pushed back by each new write.
    fn schedule(&mut self, rel: Arc<str>, at: Instant, fixed: bool, forced: bool, new_dir: bool) {
        use std::collections::hash_map::Entry;
        let push = match self.pending.entry(rel.clone()) {
            Entry::Occupied(mut e) => {
                let d = e.get_mut();
                d.forced |= forced;
                d.new_dir |= new_dir;
                let next = if fixed || d.fixed {
                    d.at.min(at)
                } else {
                    d.at.max(at)
                };
                d.fixed |= fixed;
                let moved = next != d.at;
                d.at = next;
                moved.then_some(next)
            }
            Entry::Vacant(e) => {
                e.insert(Due {
                    at,
                    fixed,
                    forced,
                    new_dir,
                });
                Some(at)
            }
        };
        if let Some(at) = push {
            self.queue.push(Reverse((at, rel)));
        }
    }

    fn take_due(&mut self, now: Instant) -> Vec<Job> {
        let mut jobs = Vec::new();
        while jobs.len() < BATCH {
            match self.queue.peek() {
                Some(Reverse((at, _))) if *at <= now => {}
                _ => break,
            }
            let Some(Reverse((at, rel))) = self.queue.pop() else {
                break;
            };
            // Entries moved to another time leave stale copies in the queue.
            if self.pending.get(&rel).is_none_or(|d| d.at != at) {
                continue;
            }
            let Some(d) = self.pending.remove(&rel) else {
                continue;
            };
            jobs.push(Job {
                known: self.store.file(&rel).map(|e| e.stamp),
                rel,
                forced: d.forced,
                new_dir: d.new_dir,
            });
        }
        jobs
    }

    fn apply(&mut self, job: Job, outcome: Outcome, now: Instant) {
        let rel = job.rel;
        if rel.is_empty() {
            match outcome {
                Outcome::Dir => self.reconcile("", now),
                Outcome::NotOurs => {}
                _ => {
                    self.health =
                        Health::Stopped("the spool directory was removed or renamed".into());
                    self.dirty = true;
                }
            }
            return;
        }
        match outcome {
            Outcome::Gone => {
                self.held.remove(&rel);
                self.forget(&rel);
                self.forget_under(&rel);
            }
            Outcome::Dir => {
                self.forget(&rel);
                self.reconcile(&rel, now);
                if job.new_dir {
                    self.schedule(rel, now + NEW_DIR_AGAIN, true, false, false);
                }
            }
            Outcome::NotOurs | Outcome::Unchanged => {}
            Outcome::Read { entry, hash } => self.settle(rel, entry, hash, now),
        }
    }

    /// A file was read: into the store if it parsed (or its problems are old news, or it has
    /// had its chance); otherwise held back and retried.
    fn settle(&mut self, rel: Arc<str>, entry: FileEntry, hash: Option<u64>, now: Instant) {
        let problems = &entry.record.problems;
        let known = self.store.file(&rel).is_some_and(|old| {
            problems
                .iter()
                .all(|p| old.record.problems.iter().any(|q| q == p))
        });
        if problems.is_empty() || known {
            self.held.remove(&rel);
            self.put(rel, entry, hash);
            return;
        }
        let h = self.held.entry(rel.clone()).or_insert(Held {
            first: now,
            since: now,
            stamp: entry.stamp,
            attempt: 0,
        });
        if h.stamp != entry.stamp {
            h.stamp = entry.stamp;
            h.since = now;
            h.attempt = 0;
        }
        if now.duration_since(h.since) >= GRACE || now.duration_since(h.first) >= HOLD_MAX {
            self.held.remove(&rel);
            self.put(rel, entry, hash);
            return;
        }
        let wait = RETRY_FIRST
            .saturating_mul(1 << h.attempt.min(8))
            .min(RETRY_MAX);
        h.attempt += 1;
        self.schedule(rel, now + wait, true, true, false);
    }

    /// Note how a chat was shown before this update changes it.
    fn touch(&mut self, id: &str) {
        if !self.touched.contains_key(id) {
            let before = self.store.best(id).cloned();
            self.touched.insert(
                id.into(),
                Touched {
                    before,
                    rewritten_in: None,
                },
            );
            self.touch_order.push(id.into());
        }
    }

    fn put(&mut self, rel: Arc<str>, entry: FileEntry, hash: Option<u64>) {
        let rewritten = match (self.hashes.get(&rel), hash) {
            (Some(old), Some(new)) => *old != new,
            _ => false,
        };
        if let Some(old) = self.store.file(&rel) {
            let ids: Vec<Box<str>> = old.record.chats.iter().map(|c| c.id.clone()).collect();
            for id in ids {
                self.touch(&id);
            }
        }
        for c in &entry.record.chats {
            self.touch(&c.id);
        }
        if rewritten && entry.record.chats.len() == 1 {
            if let Some(t) = self.touched.get_mut(&*entry.record.chats[0].id) {
                t.rewritten_in = Some(rel.clone());
            }
        }
        match hash {
            Some(h) => self.hashes.insert(rel.clone(), h),
            None => self.hashes.remove(&rel),
        };
        self.index.insert(rel.clone());
        self.store.upsert(rel, entry);
        self.dirty = true;
    }

    fn forget(&mut self, rel: &str) {
        let Some(old) = self.store.file(rel) else {
            return;
        };
        let ids: Vec<Box<str>> = old.record.chats.iter().map(|c| c.id.clone()).collect();
        for id in ids {
            self.touch(&id);
        }
        self.store.remove(rel);
        self.index.remove(rel);
        self.hashes.remove(rel);
        self.dirty = true;
    }

    /// Store paths under directory `rel` (all of them for the root).
    fn under(&self, rel: &str) -> Vec<Arc<str>> {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        self.index
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|p| p.starts_with(&prefix))
            .cloned()
            .collect()
    }

    fn forget_under(&mut self, rel: &str) {
        for p in self.under(rel) {
            self.forget(&p);
        }
        let prefix = format!("{rel}/");
        self.held.retain(|p, _| !p.starts_with(&prefix));
        let before = self.store.dir_problems.len();
        self.store
            .dir_problems
            .retain(|p| p.path != rel && !p.path.starts_with(&prefix));
        self.dirty |= before != self.store.dir_problems.len();
    }

    /// Compare directory `sub` (the whole spool for `""`) with the store: new and changed
    /// files are read, vanished ones removed. Files under a directory that could not be read
    /// are kept as they are (a hiccup must not empty the list).
    fn reconcile(&mut self, sub: &str, now: Instant) {
        let dir = if sub.is_empty() {
            self.root.clone()
        } else {
            self.root.join(sub)
        };
        if sub.is_empty() {
            let lost = match std::fs::metadata(&dir) {
                Ok(m) => !m.is_dir(),
                Err(e) => gone(&e),
            };
            if lost {
                self.health = Health::Stopped("the spool directory was removed or renamed".into());
                self.dirty = true;
                return;
            }
        }
        let join = |r: &str| -> String {
            match (sub.is_empty(), r.is_empty()) {
                (true, _) => r.to_string(),
                (false, true) => sub.to_string(),
                (false, false) => format!("{sub}/{r}"),
            }
        };
        let listing = scan::walk(&dir);
        let stamps: Vec<Option<Stamp>> = listing
            .files
            .par_iter()
            .map(|f| stamp_of(&f.path))
            .collect();
        let mut seen: HashSet<Arc<str>> = HashSet::with_capacity(listing.files.len());
        for (f, stamp) in listing.files.iter().zip(stamps) {
            let rel = join(&f.rel);
            let rel: Arc<str> = self
                .index
                .get(rel.as_str())
                .cloned()
                .unwrap_or_else(|| rel.into());
            let known = self.store.file(&rel).map(|e| e.stamp);
            if known.is_none() || known != stamp {
                self.schedule(rel.clone(), now, true, false, false);
            }
            seen.insert(rel);
        }
        let failed: Vec<String> = listing.problems.iter().map(|(r, _)| join(r)).collect();
        let inside_failed = |p: &str| {
            failed.iter().any(|f| {
                f.is_empty()
                    || p.strip_prefix(f.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        for rel in self.under(sub) {
            if !seen.contains(&rel) && !inside_failed(&rel) {
                self.schedule(rel, now, true, false, false);
            }
        }
        let prefix = format!("{sub}/");
        let mut problems: Vec<PathReason> = self
            .store
            .dir_problems
            .iter()
            .filter(|p| !sub.is_empty() && p.path != sub && !p.path.starts_with(&prefix))
            .cloned()
            .collect();
        problems.extend(listing.problems.iter().map(|(r, reason)| PathReason {
            path: join(r),
            reason: reason.clone(),
        }));
        problems.sort();
        let mut old = std::mem::take(&mut self.store.dir_problems);
        old.sort();
        self.dirty |= old != problems;
        self.store.dir_problems = problems;
    }

    fn label(&self) -> String {
        let base = self.health.label();
        match (&self.note, &self.health) {
            (Some((note, _)), Health::Watching | Health::Polling { .. }) => {
                format!("{base} ({note})")
            }
            _ => base,
        }
    }

    fn maybe_publish(&mut self) {
        if self.dirty && self.last_publish.elapsed() >= PUBLISH_EVERY {
            self.publish_now();
        }
    }

    fn publish_now(&mut self) {
        self.version += 1;
        let files = self.store.file_count();
        let progress = Progress {
            done: files,
            total: files,
            listed: true,
            finished: true,
        };
        let mut snap = Snapshot::of(&self.store, self.version, progress, Some(self.label()));
        let mut changes = Vec::new();
        for id in std::mem::take(&mut self.touch_order) {
            let Some(t) = self.touched.remove(&id) else {
                continue;
            };
            let Some(now) = self.store.best(&id) else {
                continue;
            };
            let kind = match &t.before {
                None => Some(ChangeKind::New),
                Some(before) => {
                    let rewritten = t.rewritten_in.as_deref() == Some(&*now.source.path);
                    (rewritten || !same_chat(before, now)).then_some(ChangeKind::Changed)
                }
            };
            if let Some(kind) = kind {
                changes.push((kind, now.clone()));
            }
        }
        self.touched.clear();
        snap.fresh = changes.iter().map(|(_, c)| c.id.clone()).collect();
        let current: BTreeSet<PathReason> = snap.problems.iter().cloned().collect();
        let new_problems = current.difference(&self.problems_seen).cloned().collect();
        self.problems_seen = current;
        self.dirty = false;
        self.last_publish = Instant::now();
        (self.publish)(Update {
            snapshot: Arc::new(snap),
            changes,
            new_problems,
        });
    }
}

/// Two copies show the same chat (wherever they were read from).
fn same_chat(a: &ChatSummary, b: &ChatSummary) -> bool {
    if a == b {
        return true;
    }
    let mut a = a.clone();
    a.source = b.source.clone();
    a == *b
}

/// Stat `job.rel` and, if it is one of ours and changed, read and parse it.
fn examine(root: &Path, job: &Job) -> Outcome {
    let path = if job.rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(&*job.rel)
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => Some(m),
        Err(e) if gone(&e) => return Outcome::Gone,
        // The spool directory unreadable for a moment (a network hiccup): leave things be.
        Err(_) if job.rel.is_empty() => return Outcome::NotOurs,
        // Unreadable: reading will say why (permission denied, symlink loop).
        Err(_) => None,
    };
    if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
        return Outcome::Dir;
    }
    if job.rel.is_empty() {
        return Outcome::Gone;
    }
    let name = job.rel.rsplit('/').next().unwrap_or(&job.rel);
    let Some(kind) = read::kind_of(name) else {
        return Outcome::NotOurs;
    };
    let stamp = stamp_of(&path).unwrap_or_default();
    if !job.forced && job.known == Some(stamp) {
        return Outcome::Unchanged;
    }
    let (record, hash) = match read::read_bytes(&path, kind) {
        Ok(bytes) => {
            let mut h = std::hash::DefaultHasher::new();
            bytes.hash(&mut h);
            (read::parse_file(&bytes, kind, &job.rel), Some(h.finish()))
        }
        Err(reason) => (
            FileRecord {
                problems: vec![reason],
                ..FileRecord::default()
            },
            None,
        ),
    };
    if hash.is_none() {
        if let Err(e) = std::fs::symlink_metadata(&path) {
            if gone(&e) {
                return Outcome::Gone;
            }
        }
    }
    Outcome::Read {
        entry: FileEntry { stamp, record },
        hash,
    }
}

/// The path no longer exists (or a directory on the way is now a file).
fn gone(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(20)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine on a thread, fed by hand: polling once an hour, so only injected events and
    /// the initial load make it look at the disk.
    fn engine_on(root: &Path) -> (Sender<Input>, Receiver<Update>, std::thread::JoinHandle<()>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let (out_tx, out_rx) = std::sync::mpsc::channel();
        let root = root.to_path_buf();
        let engine_tx = tx.clone();
        let t = std::thread::spawn(move || {
            run(
                &root,
                Mode::Poll(Duration::from_secs(3600)),
                &engine_tx,
                &rx,
                |u| {
                    let _ = out_tx.send(u);
                },
            );
        });
        (tx, out_rx, t)
    }

    fn until(rx: &Receiver<Update>, cond: impl Fn(&Update) -> bool) -> Update {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let u = rx.recv_timeout(left).expect("no such update within 10 s");
            if cond(&u) {
                return u;
            }
        }
    }

    fn sample(id: &str) -> String {
        let v = include_str!("../../../tests/fixtures/variants/vendor-sample.json");
        v.replace("16c2cc3a-1b15-4b4f-9298-1cd04d6cec15", id)
    }

    #[test]
    fn overflow_rescans_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), sample("a")).unwrap();
        std::fs::write(dir.path().join("b.json"), sample("b")).unwrap();
        let (tx, rx, t) = engine_on(dir.path());
        until(&rx, |u| u.snapshot.progress.finished);
        // Changes the engine hears nothing about...
        std::fs::write(dir.path().join("c.json"), sample("c")).unwrap();
        std::fs::remove_file(dir.path().join("a.json")).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(
            dir.path().join("b.json"),
            sample("b").replace("\"rating\": \"-1\"", "\"rating\": \"4\""),
        )
        .unwrap();
        // ... until the kernel queue overflows.
        let ev = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        tx.send(Input::Event(Ok(ev))).unwrap();
        let u = until(&rx, |u| !u.changes.is_empty());
        let ids = |u: &Update| {
            let mut v: Vec<String> = u.snapshot.chats.iter().map(|c| c.id.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(ids(&u), ["b", "c"]);
        let mut changes: Vec<(ChangeKind, &str, Option<u8>)> = u
            .changes
            .iter()
            .map(|(k, c)| (*k, &*c.id, c.rating))
            .collect();
        changes.sort_by_key(|c| c.1);
        assert_eq!(
            changes,
            [
                (ChangeKind::Changed, "b", Some(4)),
                (ChangeKind::New, "c", None)
            ]
        );
        let w = u.snapshot.watch.as_deref().unwrap();
        assert!(w.ends_with("(rescanned after overflow)"), "{w}");
        tx.send(Input::Stop).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn watcher_errors_rescan_or_fall_back_to_polling() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx, t) = engine_on(dir.path());
        until(&rx, |u| u.snapshot.progress.finished);
        let err = notify::Error::io(std::io::Error::other("boom"));
        tx.send(Input::Event(Err(err))).unwrap();
        std::fs::write(dir.path().join("x.json"), sample("x")).unwrap();
        let u = until(&rx, |u| u.snapshot.chats.len() == 1);
        let w = u.snapshot.watch.as_deref().unwrap();
        assert!(
            w.contains("rescanned after watcher error: inotify: boom"),
            "{w}"
        );
        let full = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        tx.send(Input::Event(Err(full))).unwrap();
        let u = until(&rx, |u| {
            u.snapshot
                .watch
                .as_deref()
                .is_some_and(|w| w.starts_with("polling every 2s (inotify watch limit"))
        });
        assert_eq!(u.snapshot.chats.len(), 1);
        tx.send(Input::Stop).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn labels() {
        assert_eq!(Health::Watching.label(), "watching");
        assert_eq!(
            Health::Polling {
                every: Duration::from_secs(2),
                why: Some("nfs".into())
            }
            .label(),
            "polling every 2s (nfs)"
        );
        assert_eq!(
            Health::Polling {
                every: Duration::from_secs(1),
                why: None
            }
            .label(),
            "polling every 1s"
        );
        assert_eq!(Health::Off.label(), "not watching");
        assert_eq!(Health::Stopped("x".into()).label(), "stopped: x");
    }
}
