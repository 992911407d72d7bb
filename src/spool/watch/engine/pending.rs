//! Paths waiting to be examined, each with one deadline: a close or rename is due at once, a
//! write once the path has been quiet for `SETTLE`. A min-heap orders the deadlines; moving one
//! leaves a stale heap entry that `take_due` skips.

use super::examine::Job;
use super::Engine;
use crate::spool::live::Update;
use std::cmp::Reverse;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Quiet time after the last write to a path before it is read when no close event comes.
pub(super) const SETTLE: Duration = Duration::from_millis(50);
/// Paths examined per parallel batch (between batches the thread publishes and drains events).
const BATCH: usize = 1024;

/// How a path is to be looked at when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ask {
    /// Due at a fixed time (close, rename, retry, scan) rather than after writes settle, so
    /// later writes do not push it back.
    pub fixed: bool,
    /// Read even when size and mtime look unchanged (an event says it was written).
    pub forced: bool,
    /// A directory that just appeared: compare it again a little later.
    pub new_dir: bool,
}

impl Ask {
    /// Compare size and mtime with the store at the time given (scans, attribute changes).
    pub const CHECK: Ask = Ask {
        fixed: true,
        forced: false,
        new_dir: false,
    };
    /// Read at the time given, whatever the stamp says (closed after writing, retries).
    pub const READ: Ask = Ask {
        fixed: true,
        forced: true,
        new_dir: false,
    };
    /// Read once writes have been quiet until the time given (each write pushes it back).
    pub const SETTLE: Ask = Ask {
        fixed: false,
        forced: true,
        new_dir: false,
    };

    /// The same, marking a directory that just appeared (when `yes`).
    pub fn new_dir(self, yes: bool) -> Ask {
        Ask {
            new_dir: self.new_dir || yes,
            ..self
        }
    }
}

/// A path waiting to be examined.
#[derive(Debug, Clone, Copy)]
pub(super) struct Due {
    at: Instant,
    ask: Ask,
}

impl<P: FnMut(Update)> Engine<P> {
    /// Look at `rel` at `at`, as `ask` says. A fixed time only moves earlier; a settle time
    /// (not fixed) is pushed back by each new write.
    pub(super) fn schedule(&mut self, rel: Arc<str>, at: Instant, ask: Ask) {
        use std::collections::hash_map::Entry;
        let push = match self.pending.entry(rel.clone()) {
            Entry::Occupied(mut e) => {
                let d = e.get_mut();
                d.ask.forced |= ask.forced;
                d.ask.new_dir |= ask.new_dir;
                let next = if ask.fixed || d.ask.fixed {
                    d.at.min(at)
                } else {
                    d.at.max(at)
                };
                d.ask.fixed |= ask.fixed;
                let moved = next != d.at;
                d.at = next;
                moved.then_some(next)
            }
            Entry::Vacant(e) => {
                e.insert(Due { at, ask });
                Some(at)
            }
        };
        if let Some(at) = push {
            self.queue.push(Reverse((at, rel)));
        }
    }

    pub(super) fn take_due(&mut self, now: Instant) -> Vec<Job> {
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
                forced: d.ask.forced,
                new_dir: d.ask.new_dir,
            });
        }
        jobs
    }
}
