//! Long work someone waits for (a transcript search, building the text store): how far it is,
//! for the status line, and whether a newer request has made it pointless.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Progress of one piece of work, in units the worker chooses (chats, files): written by the
/// worker, read by whoever draws it. Relaxed atomics: a percentage may be a moment old.
#[derive(Debug, Default)]
pub struct Tally {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Tally {
    /// Start counting towards `total` units (0: nothing is being counted).
    pub fn begin(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn add(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Whole percent done (at most 100); `None` while nothing is being counted.
    pub fn percent(&self) -> Option<usize> {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        (total > 0).then(|| (done.saturating_mul(100) / total).min(100))
    }
}

/// What a long search asks before each step and tells after it; the default never stops and
/// counts nothing.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// True once the result is no longer wanted (a newer keystroke).
    pub cancelled: Option<&'a (dyn Fn() -> bool + Sync)>,
    pub tally: Option<&'a Tally>,
}

impl Control<'_> {
    pub fn cancelled(&self) -> bool {
        self.cancelled.is_some_and(|c| c())
    }

    pub fn begin(&self, total: usize) {
        if let Some(t) = self.tally {
            t.begin(total);
        }
    }

    pub fn add(&self, n: usize) {
        if let Some(t) = self.tally {
            t.add(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_counts_from_begin_and_stops_at_100() {
        let t = Tally::default();
        assert_eq!(t.percent(), None);
        t.begin(8);
        t.add(2);
        assert_eq!(t.percent(), Some(25));
        t.add(100);
        assert_eq!(t.percent(), Some(100));
        t.begin(0);
        assert_eq!(t.percent(), None);
        let stop = || true;
        let c = Control {
            cancelled: Some(&stop),
            tally: Some(&t),
        };
        assert!(c.cancelled() && !Control::default().cancelled());
    }
}
