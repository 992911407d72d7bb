//! Following a review directory: other people's entries show up while the viewer runs.
//!
//! Polling, not inotify: review directories are often network shares, where inotify never hears
//! about other machines' writes. A poll stats the journals (a handful of files) and re-reads
//! only those that changed.

use super::journal::{read_dir, JournalSet};
use super::{merge, Reviews};
use std::path::Path;

/// The journals of one directory, re-read as they change.
#[derive(Debug)]
pub struct Poller {
    set: JournalSet,
}

impl Poller {
    /// Read the directory once; the merged reviews of that first read.
    pub fn start(dir: &Path) -> (Poller, Reviews) {
        let set = read_dir(dir);
        let reviews = merge(&set);
        (Poller { set }, reviews)
    }

    /// The merged reviews when some journal changed since the last call, `None` otherwise.
    pub fn poll(&mut self) -> Option<Reviews> {
        self.set.refresh().then(|| merge(&self.set))
    }
}
