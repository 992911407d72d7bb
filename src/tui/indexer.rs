//! Builds the search index of each snapshot on its own thread, so that no keystroke ever waits
//! for one. Until the index of the newest snapshot is ready, the matcher answers a search from
//! the last index built (one snapshot behind, for the fraction of a second a build takes) or,
//! when there is none, without an index (slower on a large spool, same answer).

use crate::query::{SearchIndex, SortKey};
use crate::spool::live::Snapshot;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, PoisonError};

/// A snapshot and its index (`None` when its chats cannot be indexed: [`SearchIndex::build`]).
pub type Indexed = (Arc<Snapshot>, Option<Arc<SearchIndex>>);

/// Whether two snapshots hold the same rows (an index serves both).
fn same_rows(a: &Snapshot, b: &Snapshot) -> bool {
    Arc::ptr_eq(&a.chats, &b.chats)
}

/// What [`Indexer::get`] knows of a snapshot's index.
pub enum Lookup {
    /// Built: the index, or `None` when these rows cannot be indexed.
    Ready(Option<Arc<SearchIndex>>),
    /// Not built yet.
    Pending,
}

/// The matcher's handle on the index builder.
pub struct Indexer {
    tx: Sender<(Arc<Snapshot>, Option<SortKey>)>,
    built: Arc<Mutex<Option<Indexed>>>,
    /// The snapshot last sent to be indexed, so each set of rows is asked for once.
    asked: Option<Arc<Snapshot>>,
}

impl Indexer {
    pub fn spawn() -> std::io::Result<Indexer> {
        let (tx, rx) = channel::<(Arc<Snapshot>, Option<SortKey>)>();
        let built: Arc<Mutex<Option<Indexed>>> = Arc::default();
        let slot = built.clone();
        std::thread::Builder::new()
            .name("indexer".into())
            .spawn(move || {
                while let Ok(mut job) = rx.recv() {
                    // Only the newest set matters.
                    while let Ok(newer) = rx.try_recv() {
                        job = newer;
                    }
                    let (snapshot, sort) = job;
                    super::crash::test_point("indexer");
                    let index = SearchIndex::build(&snapshot.chats).map(Arc::new);
                    crate::memory::give_back();
                    let done = Some((snapshot.clone(), index.clone()));
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = done;
                    // Published first: a search can use the index while this runs (and waits
                    // for it only if it needs this very order).
                    if let Some(index) = index {
                        index.prepare_order(&snapshot.chats, sort);
                    }
                }
            })?;
        Ok(Indexer {
            tx,
            built,
            asked: None,
        })
    }

    /// The last index built, whatever snapshot it is for.
    pub fn latest(&self) -> Option<Indexed> {
        self.built
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The index of `snapshot`'s rows. When it is not built yet and `build`, the builder is
    /// asked for it (once per set of rows), with the order `sort` will need.
    pub fn get(&mut self, snapshot: &Arc<Snapshot>, build: bool, sort: Option<SortKey>) -> Lookup {
        if let Some((of, index)) = self.latest() {
            if same_rows(&of, snapshot) {
                return Lookup::Ready(index);
            }
        }
        let asked = self.asked.as_ref().is_some_and(|a| same_rows(a, snapshot));
        if build && !asked {
            self.asked = Some(snapshot.clone());
            if self.tx.send((snapshot.clone(), sort)).is_err() {
                // The builder panicked (it ends no other way while we hold its channel), and
                // that panic is ending the viewer: until then, search without an index.
                return Lookup::Ready(None);
            }
        }
        Lookup::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChatSummary;
    use std::time::{Duration, Instant};

    impl Indexer {
        /// [`Indexer::get`], when only a built index matters.
        fn index(
            &mut self,
            snapshot: &Arc<Snapshot>,
            build: bool,
            sort: Option<SortKey>,
        ) -> Option<Arc<SearchIndex>> {
            match self.get(snapshot, build, sort) {
                Lookup::Ready(index) => index,
                Lookup::Pending => None,
            }
        }
    }

    fn snapshot(n: usize) -> Arc<Snapshot> {
        let chats = (0..n)
            .map(|i| {
                Arc::new(ChatSummary {
                    id: format!("c{i}").into(),
                    visitor: Some(format!("Visitor {i}").into()),
                    ..ChatSummary::default()
                })
            })
            .collect();
        Arc::new(Snapshot {
            chats,
            ..Snapshot::default()
        })
    }

    fn wait_for(indexer: &mut Indexer, snapshot: &Arc<Snapshot>) -> Arc<SearchIndex> {
        let start = Instant::now();
        loop {
            if let Some(index) = indexer.index(snapshot, true, None) {
                return index;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no index built");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn builds_only_when_asked_and_serves_the_rows_it_was_built_for() {
        let mut indexer = Indexer::spawn().unwrap();
        let first = snapshot(10);
        assert!(indexer.index(&first, false, None).is_none());
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            indexer.index(&first, false, None).is_none(),
            "built without being asked"
        );
        assert!(indexer.latest().is_none());
        assert_eq!(wait_for(&mut indexer, &first).rows(), 10);
        // Another snapshot of the same rows (progress, watcher state) shares the index.
        let relabelled = Arc::new(Snapshot {
            version: 2,
            ..(*first).clone()
        });
        assert!(indexer.index(&relabelled, false, None).is_some());
        // Equal contents in a new set are new rows: their own index, and until it is built the
        // last one stays available.
        let second = snapshot(3);
        assert!(indexer.index(&second, false, None).is_none());
        let (of, index) = indexer.latest().unwrap();
        assert!(same_rows(&of, &first) && index.unwrap().rows() == 10);
        assert_eq!(wait_for(&mut indexer, &second).rows(), 3);
        assert!(
            indexer.index(&first, false, None).is_none(),
            "only the newest index is kept"
        );
    }

    #[test]
    fn the_order_a_search_needs_is_built_with_the_index() {
        let mut indexer = Indexer::spawn().unwrap();
        let rows = snapshot(1_000);
        let start = Instant::now();
        let index = loop {
            if let Some(index) = indexer.index(&rows, true, Some(SortKey::Wait)) {
                break index;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no index built");
            std::thread::sleep(Duration::from_millis(5));
        };
        // An index as built holds the default order (8 bytes a row); the wait order follows.
        let with_default = SearchIndex::build(&rows.chats).unwrap().heap_bytes();
        while index.heap_bytes() < with_default + 8 * 1_000 {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the wait order was not built"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
