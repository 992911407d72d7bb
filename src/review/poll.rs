//! Following a review directory: other people's entries show up while the viewer runs.
//!
//! Polling, not inotify: review directories are often network shares, where inotify never hears
//! about other machines' writes. A poll stats the journals (a handful of files) and re-reads
//! only those that changed.

use super::journal::{read_dir, JournalSet};
use super::{merge, Record, Reviews};
use std::path::Path;

/// The journals of one directory, re-read as they change.
#[derive(Debug)]
pub struct Poller {
    set: JournalSet,
    /// An append re-read journals that changed: the next poll reports them.
    pending: bool,
}

impl Poller {
    /// Read the directory once; the merged reviews of that first read.
    pub fn start(dir: &Path) -> (Poller, Reviews) {
        let set = read_dir(dir);
        let reviews = merge(&set);
        (
            Poller {
                set,
                pending: false,
            },
            reviews,
        )
    }

    /// Append this writer's records ([`JournalSet::append`]): ordered after what the poller has
    /// seen, re-reading only the journals that changed.
    pub fn append(&mut self, writer: &str, records: &[Record]) -> std::io::Result<()> {
        self.pending |= self.set.refresh();
        self.set.append(writer, records)
    }

    /// The merged reviews when some journal changed since the last call, `None` otherwise.
    pub fn poll(&mut self) -> Option<Reviews> {
        let changed = self.set.refresh() | std::mem::take(&mut self.pending);
        changed.then(|| merge(&self.set))
    }
}
