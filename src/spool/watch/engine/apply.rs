//! What an examined path does to the store: a file read goes in (through `retry` when it does
//! not parse), a directory is compared with the store, a path gone takes everything under it.

use super::examine::{Job, Outcome};
use super::pending::Ask;
use super::Engine;
use crate::spool::live::Update;
use crate::spool::{FileEntry, PathReason};
use std::ops::Bound;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A new directory is compared with the store again after this, in case files landed in it
/// before the kernel watch on it existed.
const NEW_DIR_AGAIN: Duration = Duration::from_millis(500);

impl<P: FnMut(Update)> Engine<P> {
    pub(super) fn apply(&mut self, job: Job, outcome: Outcome, now: Instant) {
        let rel = job.rel;
        if rel.is_empty() {
            match outcome {
                Outcome::Dir => self.reconcile("", now),
                Outcome::NotOurs => {}
                _ => self.spool_lost(),
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
                    self.schedule(rel, now + NEW_DIR_AGAIN, Ask::CHECK);
                }
            }
            Outcome::Skipped(reason) => {
                self.forget(&rel);
                self.forget_under(&rel);
                self.store.dir_skipped.push(PathReason {
                    path: rel.to_string(),
                    reason,
                });
                self.store.dir_skipped.sort();
                self.dirty = true;
            }
            Outcome::NotOurs | Outcome::Unchanged => {}
            Outcome::Read { entry, hash } => self.settle(rel, entry, hash, now),
        }
    }

    pub(super) fn put(&mut self, rel: Arc<str>, entry: FileEntry, hash: Option<u64>) {
        let rewritten = match (self.hashes.get(&rel), hash) {
            (Some(old), Some(new)) => *old != new,
            // Loaded at start-up, before the watcher kept hashes: a new stamp means new bytes
            // were written over it (at worst an identical rewrite is reported once).
            (None, Some(_)) => self
                .store
                .file(&rel)
                .is_some_and(|before| before.stamp != entry.stamp),
            _ => false,
        };
        self.touch_stored(&rel);
        for id in entry.record.chat_ids() {
            self.touch(id);
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
        self.texts_behind(Instant::now());
    }

    fn forget(&mut self, rel: &str) {
        if self.store.file(rel).is_none() {
            return;
        }
        self.touch_stored(rel);
        self.store.remove(rel);
        self.index.remove(rel);
        self.hashes.remove(rel);
        self.dirty = true;
        self.texts_behind(Instant::now());
    }

    /// `rel` as the index's own `Arc` when the store has it, so a path seen again (every poll,
    /// every event) is not allocated again.
    pub(super) fn interned(&self, rel: String) -> Arc<str> {
        self.index
            .get(rel.as_str())
            .cloned()
            .unwrap_or_else(|| rel.into())
    }

    /// Store paths under directory `rel` (all of them for the root).
    pub(super) fn under(&self, rel: &str) -> Vec<Arc<str>> {
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

    /// Everything: the spool itself is gone.
    pub(super) fn forget_all(&mut self) {
        for p in self.under("") {
            self.forget(&p);
        }
        self.held.clear();
        self.pending.clear();
        self.queue.clear();
        self.dirty |= !self.store.dir_problems.is_empty() || !self.store.dir_skipped.is_empty();
        self.store.dir_problems.clear();
        self.store.dir_skipped.clear();
    }

    fn forget_under(&mut self, rel: &str) {
        for p in self.under(rel) {
            self.forget(&p);
        }
        let prefix = format!("{rel}/");
        self.held.retain(|p, _| !p.starts_with(&prefix));
        for list in [&mut self.store.dir_problems, &mut self.store.dir_skipped] {
            let before = list.len();
            list.retain(|p| p.path != rel && !p.path.starts_with(&prefix));
            self.dirty |= before != list.len();
        }
    }
}
