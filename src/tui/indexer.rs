//! Builds the search index of each snapshot's chats on its own thread, so that no keystroke
//! ever waits for one: until the index of the chats on screen is ready, the matcher searches
//! without it (slower on a large spool, same answer).

use crate::model::ChatSummary;
use crate::query::SearchIndex;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, PoisonError};

type Chats = Arc<[Arc<ChatSummary>]>;

/// The last finished index and the chats it was built from; `None` inside when they cannot be
/// indexed ([`SearchIndex::build`]).
type Built = Option<(Chats, Option<Arc<SearchIndex>>)>;

/// The matcher's handle on the index builder.
pub struct Indexer {
    tx: Sender<Chats>,
    built: Arc<Mutex<Built>>,
    /// The chats last sent to be indexed, so each set is asked for once.
    asked: Option<Chats>,
}

impl Indexer {
    pub fn spawn() -> std::io::Result<Indexer> {
        let (tx, rx) = channel::<Chats>();
        let built: Arc<Mutex<Built>> = Arc::default();
        let slot = built.clone();
        std::thread::Builder::new()
            .name("indexer".into())
            .spawn(move || {
                while let Ok(mut chats) = rx.recv() {
                    // Only the newest set matters.
                    while let Ok(newer) = rx.try_recv() {
                        chats = newer;
                    }
                    let index = SearchIndex::build(&chats).map(Arc::new);
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some((chats, index));
                }
            })?;
        Ok(Indexer {
            tx,
            built,
            asked: None,
        })
    }

    /// The index of `chats` if it is ready. Otherwise `None`, and, when `build`, the builder is
    /// asked for it (once per set of chats).
    pub fn get(&mut self, chats: &Chats, build: bool) -> Option<Arc<SearchIndex>> {
        let ready = self
            .built
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|(of, _)| Arc::ptr_eq(of, chats))
            .map(|(_, index)| index.clone());
        if let Some(index) = ready {
            return index;
        }
        let asked = self.asked.as_ref().is_some_and(|a| Arc::ptr_eq(a, chats));
        if build && !asked {
            self.asked = Some(chats.clone());
            let _ = self.tx.send(chats.clone());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn chats(n: usize) -> Chats {
        (0..n)
            .map(|i| {
                Arc::new(ChatSummary {
                    id: format!("c{i}").into(),
                    visitor: Some(format!("Visitor {i}").into()),
                    ..ChatSummary::default()
                })
            })
            .collect()
    }

    fn wait_for(indexer: &mut Indexer, chats: &Chats) -> Arc<SearchIndex> {
        let start = Instant::now();
        loop {
            if let Some(index) = indexer.get(chats, true) {
                return index;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no index built");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn builds_only_when_asked_and_serves_the_chats_it_was_built_for() {
        let mut indexer = Indexer::spawn().unwrap();
        let first = chats(10);
        assert!(indexer.get(&first, false).is_none());
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            indexer.get(&first, false).is_none(),
            "built without being asked"
        );
        assert_eq!(wait_for(&mut indexer, &first).rows(), 10);
        // Equal contents in a new set are a new snapshot: its own index.
        let second = chats(3);
        assert!(indexer.get(&second, false).is_none());
        assert_eq!(wait_for(&mut indexer, &second).rows(), 3);
        assert!(
            indexer.get(&first, false).is_none(),
            "only the newest index is kept"
        );
    }
}
