//! Comparing a directory (the whole spool after an overflow or watcher error, and at every
//! poll) with the store by size and mtime: what differs is scheduled to be read or removed.

use super::examine::{gone, path_of};
use super::Engine;
use crate::spool::live::Update;
use crate::spool::{scan, stamp_of, PathReason, Stamp};
use rayon::prelude::*;
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
        let listing = scan::walk(&dir);
        let stamps: Vec<Option<Stamp>> = listing
            .files
            .par_iter()
            .map(|f| stamp_of(&f.path))
            .collect();
        let mut seen: HashSet<Arc<str>> = HashSet::with_capacity(listing.files.len());
        for (f, stamp) in listing.files.iter().zip(stamps) {
            let rel = self.interned(join(&f.rel));
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
}
