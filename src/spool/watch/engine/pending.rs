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

/// A path waiting to be examined.
#[derive(Debug, Clone, Copy)]
pub(super) struct Due {
    at: Instant,
    /// Due at a fixed time (close, rename, retry, scan) rather than after writes settle, so
    /// later writes do not push it back.
    fixed: bool,
    /// Read even when size and mtime look unchanged (an event says it was written).
    forced: bool,
    /// A directory that just appeared: compare it again a little later.
    new_dir: bool,
}

impl<P: FnMut(Update)> Engine<P> {
    /// Look at `rel` at `at`. A `fixed` time only moves earlier; a settle time (not fixed) is
    /// pushed back by each new write.
    pub(super) fn schedule(
        &mut self,
        rel: Arc<str>,
        at: Instant,
        fixed: bool,
        forced: bool,
        new_dir: bool,
    ) {
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
                forced: d.forced,
                new_dir: d.new_dir,
            });
        }
        jobs
    }
}
