//! Background workers: the matcher and the chat reader. Each keeps only the newest request
//! (a newer query replaces a pending one), so typing fast never queues work.

use super::app::MatchRequest;
use super::event::{Matched, Msg};
use super::indexer::{Indexer, Lookup};
use crate::model::Source;
use crate::query::{Hit, Query};
use crate::review::Reviews;
use crate::search::{self, TextSource, With};
use crate::spool::live::Snapshot;
use crate::work::{Control, Tally};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, SendError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Take the newest message waiting, dropping older ones.
pub(super) fn newest<T>(rx: &Receiver<T>, mut current: T) -> T {
    while let Ok(newer) = rx.try_recv() {
        current = newer;
    }
    current
}

/// How often the matcher looks whether the index it is waiting for is ready.
const INDEX_POLL: Duration = Duration::from_millis(20);

/// How long an answer from older rows may stand: then the request is answered by scanning its
/// own rows (an index that never comes must not leave the list behind).
const MAX_BEHIND: Duration = Duration::from_secs(5);

/// How long typing must pause before the matcher gives freed memory back (each answer frees
/// the one before it; trimming between keystrokes would slow them).
const TRIM_AFTER: Duration = Duration::from_millis(400);

/// Sends the matcher its requests, and says which is the newest: a transcript search for an
/// older one stops at its next block (a newer keystroke cancels it).
pub struct MatchSender {
    tx: Sender<MatchRequest>,
    newest: Arc<AtomicU64>,
}

impl MatchSender {
    pub fn send(&self, req: MatchRequest) -> Result<(), SendError<MatchRequest>> {
        self.newest.store(req.generation, Ordering::SeqCst);
        self.tx.send(req)
    }
}

/// Start the matcher thread; send it requests, it answers with `Msg::Matched`. A transcript
/// search counts its progress on `tally` (for the screen).
pub fn spawn_matcher(
    root: PathBuf,
    out: Sender<Msg>,
    tally: Arc<Tally>,
) -> std::io::Result<MatchSender> {
    let (tx, rx) = channel::<MatchRequest>();
    let generation = Arc::new(AtomicU64::new(0));
    let latest = generation.clone();
    std::thread::Builder::new()
        .name("matcher".into())
        .spawn(move || {
            let mut matcher = Matcher {
                newest: latest,
                tally,
                root,
                // Without an index thread (cannot spawn), search without an index.
                indexer: Indexer::spawn().ok(),
                last: None,
            };
            // A request answered from an older snapshot's index: answered again once the index
            // of its own snapshot is ready (unless a newer request comes first).
            let mut behind: Option<(MatchRequest, Instant)> = None;
            // An answer was sent since memory was last given back.
            let mut answered = false;
            loop {
                let mut may_lag = true;
                let req = match behind.take() {
                    None if answered => match rx.recv_timeout(TRIM_AFTER) {
                        Ok(req) => req,
                        Err(RecvTimeoutError::Timeout) => {
                            // Typing paused: the answers replaced since are freed, but the
                            // allocator would keep their memory.
                            crate::memory::give_back();
                            answered = false;
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    },
                    None => match rx.recv() {
                        Ok(req) => req,
                        Err(_) => break,
                    },
                    Some((waiting, since)) => match rx.recv_timeout(INDEX_POLL) {
                        Ok(req) => req,
                        Err(RecvTimeoutError::Timeout) => {
                            may_lag = since.elapsed() < MAX_BEHIND;
                            if may_lag && !matcher.index_built(&waiting) {
                                behind = Some((waiting, since));
                                continue;
                            }
                            waiting
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    },
                };
                let req = newest(&rx, req);
                super::crash::test_point("matcher");
                let Some((matched, stale)) = matcher.answer(&req, may_lag) else {
                    // Cancelled by a newer request, which is already on its way.
                    continue;
                };
                let hint = matched
                    .order
                    .is_empty()
                    .then(|| matcher.text_hint(&req, &matched));
                if out.send(Msg::Matched(matched)).is_err() {
                    break;
                }
                if let Some(Some(chats)) = hint {
                    let generation = req.generation;
                    if out.send(Msg::TextHint { generation, chats }).is_err() {
                        break;
                    }
                }
                answered = true;
                behind = stale.then(|| (req, Instant::now()));
            }
        })?;
    Ok(MatchSender {
        tx,
        newest: generation,
    })
}

/// The matcher thread's state.
struct Matcher {
    /// The generation of the newest request sent.
    newest: Arc<AtomicU64>,
    tally: Arc<Tally>,
    root: PathBuf,
    indexer: Option<Indexer>,
    /// The last answer, to narrow the next one from.
    last: Option<Answered>,
}

/// What one answer was about, and its hits in row order.
struct Answered {
    snapshot: Arc<Snapshot>,
    reviews: Arc<Reviews>,
    query: Query,
    by_row: Vec<Hit>,
}

impl Matcher {
    /// Index the rows once the first load is over (indexing every partial snapshot would slow
    /// the load), or as soon as the user searches.
    fn wants_index(req: &MatchRequest) -> bool {
        req.snapshot.progress.finished || !req.query.is_empty()
    }

    /// Whether the index of the request's rows is built (or found impossible).
    fn index_built(&mut self, req: &MatchRequest) -> bool {
        let wanted = Self::wants_index(req);
        self.indexer
            .as_mut()
            .is_some_and(|i| matches!(i.get(&req.snapshot, wanted, req.sort), Lookup::Ready(_)))
    }

    /// Answer `req`, and whether the answer came from an older snapshot than the request's
    /// (only when `may_lag`); `None` when a newer request cancelled it.
    ///
    /// A search on rows whose index is still being built is answered from the last index built,
    /// on its own (slightly older) rows: a keystroke then costs what it costs with an index,
    /// and the list catches up when the new index is ready. Without a query there is nothing
    /// to gain, and the newest rows are shown at once.
    fn answer(&mut self, req: &MatchRequest, may_lag: bool) -> Option<(Matched, bool)> {
        let wanted = Self::wants_index(req);
        let lookup = match self.indexer.as_mut() {
            Some(i) => i.get(&req.snapshot, wanted, req.sort),
            None => Lookup::Ready(None),
        };
        let older = match lookup {
            Lookup::Pending if may_lag && !req.query.is_empty() => {
                self.indexer.as_ref().and_then(Indexer::latest)
            }
            _ => None,
        };
        let (snapshot, index, stale) = match (lookup, older) {
            (Lookup::Ready(index), _) => (req.snapshot.clone(), index, false),
            (Lookup::Pending, Some((older, Some(index)))) => (older, Some(index), true),
            (Lookup::Pending, _) => (req.snapshot.clone(), None, false),
        };
        let chats = &snapshot.chats;
        let prev = self.last.as_ref().and_then(|last| {
            let same_rows = Arc::ptr_eq(&last.snapshot.chats, chats);
            let same_reviews = Arc::ptr_eq(&last.reviews, &req.reviews);
            (same_rows && same_reviews && last.query.narrows(&req.query))
                .then_some(last.by_row.as_slice())
        });
        let newest = &self.newest;
        let cancelled = || newest.load(Ordering::SeqCst) != req.generation;
        let texts = snapshot.texts.as_ref().map(|t| TextSource {
            texts: &t.texts,
            ids: &t.ids,
        });
        self.tally.begin(0);
        let ctl = Control {
            cancelled: Some(&cancelled),
            tally: Some(&self.tally),
        };
        let found = search::run_texts(
            index.as_deref(),
            chats,
            &req.query,
            req.sort,
            &self.root,
            prev,
            With {
                reviews: Some(&req.reviews),
                texts,
                ctl,
            },
        );
        self.tally.begin(0);
        let found = found.ok()?;
        let order = found
            .display
            .iter()
            .map(|h| u32::try_from(h.index).unwrap_or(u32::MAX))
            .collect();
        self.last = Some(Answered {
            snapshot: snapshot.clone(),
            reviews: req.reviews.clone(),
            query: req.query.clone(),
            by_row: found.by_row,
        });
        let matched = Matched {
            generation: req.generation,
            snapshot,
            order,
        };
        Some((matched, stale))
    }
}

impl Matcher {
    /// For a search that found nothing: how many of the answered rows its transcript-scope
    /// twin (`req.as_text`) finds, from the text store (the transcripts are read when there is
    /// none yet). `None` without a twin, or when a newer request cancels the count.
    fn text_hint(&self, req: &MatchRequest, answered: &Matched) -> Option<usize> {
        let query = req.as_text.as_ref()?;
        let snapshot = &answered.snapshot;
        let newest = &self.newest;
        let cancelled = || newest.load(Ordering::SeqCst) != req.generation;
        text_count(snapshot, query, &self.root, &req.reviews, &cancelled)
    }
}

/// How many of `snapshot`'s chats `query` finds, its `text:` terms answered from the text
/// store when the snapshot has one; `None` when cancelled.
pub fn text_count(
    snapshot: &Snapshot,
    query: &Query,
    root: &std::path::Path,
    reviews: &Reviews,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<usize> {
    let with = With {
        reviews: Some(reviews),
        texts: snapshot.texts.as_ref().map(|t| TextSource {
            texts: &t.texts,
            ids: &t.ids,
        }),
        ctl: Control {
            cancelled: Some(cancelled),
            tally: None,
        },
    };
    let found = search::run_texts(None, &snapshot.chats, query, None, root, None, with).ok()?;
    Some(found.by_row.len())
}

/// A request to read one chat in full.
pub struct ReadRequest {
    pub id: Arc<str>,
    pub source: Source,
}

/// Start the chat reader thread; it answers with `Msg::ChatLoaded`.
pub fn spawn_reader(root: PathBuf, out: Sender<Msg>) -> std::io::Result<Sender<ReadRequest>> {
    let (tx, rx) = channel::<ReadRequest>();
    std::thread::Builder::new()
        .name("reader".into())
        .spawn(move || {
            while let Ok(req) = rx.recv() {
                let req = newest(&rx, req);
                super::crash::test_point("reader");
                let result = crate::spool::load_chat(&root, &req.source, &req.id).map(Arc::new);
                if out.send(Msg::ChatLoaded { id: req.id, result }).is_err() {
                    break;
                }
            }
        })?;
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChatSummary;
    use std::sync::mpsc::Receiver;
    use std::time::Instant;

    fn rows(n: usize, extra: Option<&str>) -> Arc<Snapshot> {
        let chats = (0..n)
            .map(|i| format!("Visitor {i}"))
            .chain(extra.map(str::to_string))
            .enumerate()
            .map(|(i, name)| {
                Arc::new(ChatSummary {
                    id: format!("c{i}").into(),
                    visitor: Some(name.into()),
                    started: crate::model::PackedMs::new(Some(i as i64)),
                    ..ChatSummary::default()
                })
            })
            .collect();
        Arc::new(Snapshot {
            chats,
            ..Snapshot::default()
        })
    }

    fn request(generation: u64, query: &str, snapshot: &Arc<Snapshot>) -> MatchRequest {
        MatchRequest {
            generation,
            query: Query::parse(query, chrono::Utc::now()).unwrap(),
            sort: None,
            snapshot: snapshot.clone(),
            reviews: Arc::default(),
            as_text: None,
        }
    }

    /// Answers for `generation` until one is on `snapshot`'s rows (or the time runs out).
    fn answers_until(
        rx: &Receiver<Msg>,
        generation: u64,
        snapshot: &Arc<Snapshot>,
    ) -> Vec<Matched> {
        let start = Instant::now();
        let mut seen = Vec::new();
        while start.elapsed() < Duration::from_secs(20) {
            let Ok(Msg::Matched(m)) = rx.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            if m.generation != generation {
                continue;
            }
            let done = Arc::ptr_eq(&m.snapshot.chats, &snapshot.chats);
            seen.push(m);
            if done {
                return seen;
            }
        }
        panic!("no answer on the newest rows");
    }

    #[test]
    fn a_search_on_new_rows_ends_on_those_rows() {
        let (out, rx) = std::sync::mpsc::channel();
        let tx = spawn_matcher(PathBuf::from("/nonexistent"), out, Arc::default()).unwrap();
        let first = rows(1_000, None);
        tx.send(request(1, "visitor", &first)).unwrap();
        answers_until(&rx, 1, &first);
        // Let the first index be built, so the next search may be answered from it while the
        // index of the new rows is built.
        std::thread::sleep(Duration::from_millis(300));
        let second = rows(60_000, Some("Zed Newcomer"));
        tx.send(request(2, "zed", &second)).unwrap();
        let answers = answers_until(&rx, 2, &second);
        for m in &answers[..answers.len() - 1] {
            assert!(
                Arc::ptr_eq(&m.snapshot.chats, &first.chats),
                "answered from other rows"
            );
        }
        let last = answers.last().unwrap();
        let names: Vec<&str> = last
            .order
            .iter()
            .map(|&i| last.snapshot.chats[i as usize].visitor_display())
            .collect();
        assert_eq!(names, ["Zed Newcomer"]);
    }
}
