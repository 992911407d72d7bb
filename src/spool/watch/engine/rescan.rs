//! Comparing a directory (the whole spool after an overflow or watcher error, and at every
//! poll) with the store by size and mtime: what differs is scheduled to be read or removed.

use super::examine::gone;
use super::pending::Ask;
use super::Engine;
use crate::spool::live::Update;
use crate::spool::names::path_of;
use crate::spool::walk::{self, Stat};
use crate::spool::PathReason;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

impl<P: FnMut(Update)> Engine<P> {
    /// Compare directory `sub` (the whole spool for `""`) with the store: new and changed
    /// files are read, vanished ones removed. Files under a directory that could not be read
    /// are kept as they are (a hiccup must not empty the list).
    pub(super) fn reconcile(&mut self, sub: &str, now: Instant) {
        let dir = path_of(&self.root, sub);
        if sub.is_empty() {
            let lost = match std::fs::metadata(&dir) {
                Ok(m) => !m.is_dir(),
                Err(e) => gone(&e),
            };
            if lost {
                self.spool_lost();
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
        let listing = walk::walk_with(&dir, &self.rules);
        let mut seen: HashSet<Arc<str>> = HashSet::with_capacity(listing.file_count());
        for (f, stat) in listing.files() {
            let rel = self.interned(join(&f.rel));
            let stamp = match stat {
                Stat::Ok { stamp, .. } => Some(*stamp),
                Stat::Failed(_) => None,
            };
            let known = self.store.file(&rel).map(|e| e.stamp);
            if known.is_none() || known != stamp {
                self.schedule(rel.clone(), now, Ask::CHECK);
            }
            seen.insert(rel);
        }
        let failed: Vec<String> = listing.problems.iter().map(|p| join(&p.path)).collect();
        let inside_failed = |p: &str| {
            failed.iter().any(|f| {
                f.is_empty()
                    || p.strip_prefix(f.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        for rel in self.under(sub) {
            if !seen.contains(&rel) && !inside_failed(&rel) {
                self.schedule(rel, now, Ask::CHECK);
            }
        }
        let found = |list: Vec<PathReason>| {
            list.into_iter().map(|p| PathReason {
                path: join(&p.path),
                reason: p.reason,
            })
        };
        let problems = replace_under(&self.store.dir_problems, sub, found(listing.problems));
        let skipped = replace_under(&self.store.dir_skipped, sub, found(listing.skipped));
        self.dirty |= problems != self.store.dir_problems || skipped != self.store.dir_skipped;
        self.store.dir_problems = problems;
        self.store.dir_skipped = skipped;
    }
}

/// `old` with the entries at or under `sub` replaced by `found` (all of them for the root),
/// sorted.
fn replace_under(
    old: &[PathReason],
    sub: &str,
    found: impl Iterator<Item = PathReason>,
) -> Vec<PathReason> {
    let prefix = format!("{sub}/");
    let mut out: Vec<PathReason> = old
        .iter()
        .filter(|p| !sub.is_empty() && p.path != sub && !p.path.starts_with(&prefix))
        .cloned()
        .chain(found)
        .collect();
    out.sort();
    out
}
