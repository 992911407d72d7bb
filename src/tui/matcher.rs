//! Background workers: the matcher and the chat reader. Each keeps only the newest request
//! (a newer query replaces a pending one), so typing fast never queues work.

use super::app::MatchRequest;
use super::event::{Matched, Msg};
use super::indexer::Indexer;
use crate::model::Source;
use crate::query::Hit;
use crate::search;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

/// Take the newest message waiting, dropping older ones.
fn newest<T>(rx: &Receiver<T>, mut current: T) -> T {
    while let Ok(newer) = rx.try_recv() {
        current = newer;
    }
    current
}

/// Start the matcher thread; send it requests, it answers with `Msg::Matched`.
pub fn spawn_matcher(root: PathBuf, out: Sender<Msg>) -> std::io::Result<Sender<MatchRequest>> {
    let (tx, rx) = channel::<MatchRequest>();
    std::thread::Builder::new()
        .name("matcher".into())
        .spawn(move || {
            // The last request and its hits in row order, to narrow the next one from.
            let mut last: Option<(MatchRequest, Vec<Hit>)> = None;
            // Without an index thread (cannot spawn), search without an index.
            let mut indexer = Indexer::spawn().ok();
            while let Ok(req) = rx.recv() {
                let req = newest(&rx, req);
                let chats = &req.snapshot.chats;
                let prev = last.as_ref().and_then(|(prev, by_row)| {
                    let same_chats = Arc::ptr_eq(&prev.snapshot.chats, chats);
                    (same_chats && prev.query.narrows(&req.query)).then_some(by_row.as_slice())
                });
                // Index once the first load is over (indexing every partial snapshot would slow
                // the load), or as soon as the user searches.
                let wanted = req.snapshot.progress.finished || !req.query.is_empty();
                let index = indexer.as_mut().and_then(|i| i.get(chats, wanted));
                let found =
                    search::run_indexed(index.as_deref(), chats, &req.query, req.sort, &root, prev);
                let order = found
                    .display
                    .iter()
                    .map(|h| u32::try_from(h.index).unwrap_or(u32::MAX))
                    .collect();
                last = Some((req.clone(), found.by_row));
                let msg = Msg::Matched(Matched {
                    generation: req.generation,
                    snapshot: req.snapshot.clone(),
                    order,
                });
                if out.send(msg).is_err() {
                    break;
                }
            }
        })?;
    Ok(tx)
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
                let result = crate::spool::load_chat(&root, &req.source, &req.id).map(Arc::new);
                if out.send(Msg::ChatLoaded { id: req.id, result }).is_err() {
                    break;
                }
            }
        })?;
    Ok(tx)
}
