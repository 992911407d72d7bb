//! Running a query over a set of chats: filter (in parallel for large sets), check transcript
//! terms against the files, and order the result. Shared by the CLI and the TUI's matcher.

use crate::model::ChatSummary;
use crate::query::{self, Hit, Query, SortKey};
use crate::spool::load_chat;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Chats per parallel chunk: below this, threads cost more than they save.
const CHUNK: usize = 8192;

/// Indices into `chats` of the matching chats, in display order.
///
/// `root` is needed only for `text:` terms, which read each candidate's transcript from disk.
pub fn run(
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
) -> Vec<usize> {
    let refs: Vec<&ChatSummary> = chats.iter().map(|c| &**c).collect();
    let mut hits = filter(&refs, query);
    if query.needs_transcript() {
        hits = hits
            .into_par_iter()
            .filter(|h| {
                let c = refs[h.index];
                load_chat(root, &c.source, &c.id)
                    .is_ok_and(|chat| query.match_transcript(&chat.transcript))
            })
            .collect();
    }
    query::sort_hits(&mut hits, &refs, sort, query.has_fuzzy());
    hits.into_iter().map(|h| h.index).collect()
}

/// Filter without the transcript terms, splitting large sets across threads.
pub fn filter(refs: &[&ChatSummary], query: &Query) -> Vec<Hit> {
    if query.is_empty() {
        return (0..refs.len())
            .map(|index| Hit { index, score: 0 })
            .collect();
    }
    if refs.len() <= CHUNK {
        return query::select(query, refs);
    }
    refs.par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(n, chunk)| {
            query::select(query, chunk).into_iter().map(move |h| Hit {
                index: h.index + n * CHUNK,
                score: h.score,
            })
        })
        .collect()
}

/// Incremental filter for a keystroke that narrows the previous query
/// (`prev_query.narrows(query)`, e.g. `jas` → `jaso`): the hits among `prev` (indices into
/// `refs`) that `query` accepts, rescored, in their previous order. Large sets are split
/// across threads. Sort a copy for display: keep `prev` in index order (as [`filter`] and
/// `refine` return it), since visiting the rows in display order is several times slower.
pub fn refine(refs: &[&ChatSummary], query: &Query, prev: &[Hit]) -> Vec<Hit> {
    if prev.len() <= CHUNK {
        return query::refine(query, refs, prev);
    }
    prev.par_chunks(CHUNK)
        .flat_map_iter(|chunk| query::refine(query, refs, chunk))
        .collect()
}
