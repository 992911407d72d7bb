//! Files that do not parse yet (a writer still at work): held out of the store, so an older
//! version stays shown, and read again with backoff; only after `GRACE` without parsing (or
//! `HOLD_MAX` of constant change) are their problems let in.

use super::pending::{Ask, SETTLE};
use super::Engine;
use crate::spool::live::Update;
use crate::spool::{FileEntry, Stamp};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// First retry of a file that does not parse yet; doubles up to `RETRY_MAX`.
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(1);
/// A file that has not parsed for this long (without changing) becomes a problem.
const GRACE: Duration = Duration::from_secs(5);
/// ... and one that keeps changing without ever parsing, after this long.
const HOLD_MAX: Duration = Duration::from_secs(30);

/// A file read while it did not parse, kept out of the store for now.
#[derive(Debug, Clone, Copy)]
pub(super) struct Held {
    first: Instant,
    since: Instant,
    stamp: Stamp,
    attempt: u32,
}

impl<P: FnMut(Update)> Engine<P> {
    /// Files that were broken at load time but written moments ago are probably still being
    /// written: look at them again soon.
    pub(super) fn after_load(&mut self) {
        let now = Instant::now();
        let recent = SystemTime::now()
            .checked_sub(GRACE)
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        let young: Vec<Arc<str>> = self
            .store
            .files()
            .filter(|(_, e)| !e.record.problems.is_empty() && e.stamp.mtime_ns >= recent)
            .map(|(rel, _)| rel.clone())
            .collect();
        for rel in young {
            self.schedule(rel, now + SETTLE, Ask::READ);
        }
    }

    /// A file was read: into the store if it parsed (or its problems are old news, or it has
    /// had its chance); otherwise held back and retried.
    pub(super) fn settle(
        &mut self,
        rel: Arc<str>,
        entry: FileEntry,
        hash: Option<u64>,
        now: Instant,
    ) {
        let problems = &entry.record.problems;
        let known = self.store.file(&rel).is_some_and(|old| {
            problems
                .iter()
                .all(|p| old.record.problems.iter().any(|q| q == p))
        });
        if problems.is_empty() || known {
            self.admit(rel, entry, hash);
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
            for p in problems {
                tracing::warn!(path = %rel, reason = %p, "still not readable after retries: now a problem");
            }
            self.admit(rel, entry, hash);
            return;
        }
        let wait = RETRY_FIRST
            .saturating_mul(1 << h.attempt.min(8))
            .min(RETRY_MAX);
        tracing::debug!(path = %rel, attempt = h.attempt + 1, wait_ms = wait.as_millis(), "does not parse yet (still being written?): retrying");
        h.attempt += 1;
        self.schedule(rel, now + wait, Ask::READ);
    }

    /// Into the store, as it is, and no longer held.
    fn admit(&mut self, rel: Arc<str>, entry: FileEntry, hash: Option<u64>) {
        self.held.remove(&rel);
        self.put(rel, entry, hash);
    }
}
