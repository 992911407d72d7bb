//! The text store kept current while watching: once files stop arriving for a moment, the
//! store is rewritten for the store's files as they now are (unchanged texts copied from the
//! old store, new and changed files read), so `text:` keeps being answered from it instead of
//! reading every file that changed since the viewer started. Until then the rows it does not
//! hold are answered by reading their files: never a wrong answer, only a slower one.

use super::Engine;
use crate::spool::cache;
use crate::spool::live::Update;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Rewrite once no file changed for this long (a burst ends in one rewrite).
const QUIET: Duration = Duration::from_secs(1);

/// Between two rewrites, at least this long, and at least [`SHARE`] times as long as the last
/// one took: the store of a large spool is not rewritten for every file of a steady trickle.
const MIN_GAP: Duration = Duration::from_secs(5);
const SHARE: u32 = 20;

/// Whether the text store fell behind the spool, and when it may next be rewritten.
#[derive(Debug)]
pub(super) struct TextUpkeep {
    behind: bool,
    last_change: Instant,
    not_before: Instant,
}

impl TextUpkeep {
    pub fn new(now: Instant) -> Self {
        TextUpkeep {
            behind: false,
            last_change: now,
            not_before: now,
        }
    }

    /// When the rewrite is due, if one is waiting.
    pub fn due(&self) -> Option<Instant> {
        self.behind
            .then(|| (self.last_change + QUIET).max(self.not_before))
    }
}

impl<P: FnMut(Update)> Engine<P> {
    /// A file of the store was added, changed or removed.
    pub(super) fn texts_behind(&mut self, now: Instant) {
        if self.store.texts.is_some() {
            self.texts.behind = true;
            self.texts.last_change = now;
        }
    }

    /// Rewrite the text store if that is due.
    pub(super) fn keep_texts(&mut self, now: Instant) {
        if self.texts.due().is_none_or(|at| now < at) {
            return;
        }
        let started = Instant::now();
        let fresh = cache::refresh_texts(&self.root, &self.store, self.reading);
        crate::memory::give_back();
        let took = started.elapsed();
        self.texts.behind = false;
        self.texts.not_before = Instant::now() + MIN_GAP.max(took * SHARE);
        match fresh {
            Some(texts) => {
                tracing::debug!(ms = took.as_millis(), "text store brought up to date");
                self.store.texts = Some(Arc::new(texts));
                self.dirty = true;
            }
            // The old store still answers for the files it holds; the next change tries again.
            None => tracing::warn!("cannot rewrite the text store"),
        }
    }
}
