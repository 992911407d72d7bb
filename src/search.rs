//! Running a query over a set of chats: filter (in parallel for large sets), check transcript
//! terms against the files, and order the result. Shared by the CLI and the TUI's matcher.

use crate::model::ChatSummary;
use crate::query::{self, Hit, Query, SearchIndex, SortKey, PARALLEL_CHUNK};
use crate::spool::load_chat;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Indices into `chats` of the matching chats, in display order.
///
/// `root` is needed only for `text:` terms, which read each candidate's transcript from disk.
pub fn run(
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
) -> Vec<usize> {
    run_from(chats, query, sort, root, None)
        .display
        .into_iter()
        .map(|h| h.index)
        .collect()
}

/// What a search found, in the two orders its users need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Hits in display order.
    pub display: Vec<Hit>,
    /// The same hits in row order: what the next, narrower keystroke refines from (visiting
    /// rows in memory order is several times faster than in display order).
    pub by_row: Vec<Hit>,
}

/// Like [`run`], with scores, and starting from `prev` (the `by_row` hits of an earlier query
/// over the same chats that this one narrows: `prev_query.narrows(query)`), so typing more
/// characters only re-checks what still matched.
pub fn run_from(
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    prev: Option<&[Hit]>,
) -> Found {
    run_indexed(None, chats, query, sort, root, prev)
}

/// [`run_from`] through a [`SearchIndex`] of `chats` when there is one: the same answer, much
/// faster when many queries run over the same chats (the TUI builds one per snapshot).
pub fn run_indexed(
    index: Option<&SearchIndex>,
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    prev: Option<&[Hit]>,
) -> Found {
    let index = index.filter(|ix| ix.rows() == chats.len());
    let mut by_row = match (index, prev) {
        (Some(ix), Some(prev)) => ix.refine(query, chats, prev),
        (Some(ix), None) => ix.select(query, chats),
        (None, _) => {
            let refs: Vec<&ChatSummary> = chats.iter().map(|c| &**c).collect();
            match prev {
                Some(prev) => refine(&refs, query, prev),
                None => filter(&refs, query),
            }
        }
    };
    if query.needs_transcript() {
        by_row = by_row
            .into_par_iter()
            .filter(|h| {
                let c = &chats[h.index];
                load_chat(root, &c.source, &c.id)
                    .is_ok_and(|chat| query.match_transcript(&chat.transcript))
            })
            .collect();
    }
    let mut display = by_row.clone();
    match index {
        Some(ix) => ix.sort(&mut display, chats, sort, query.has_fuzzy()),
        None => query::sort_hits(&mut display, chats, sort, query.has_fuzzy()),
    }
    Found { display, by_row }
}

/// Filter without the transcript terms, splitting large sets across threads.
pub fn filter(refs: &[&ChatSummary], query: &Query) -> Vec<Hit> {
    if query.is_empty() {
        return (0..refs.len())
            .map(|index| Hit { index, score: 0 })
            .collect();
    }
    if refs.len() <= PARALLEL_CHUNK {
        return query::select(query, refs);
    }
    refs.par_chunks(PARALLEL_CHUNK)
        .enumerate()
        .flat_map_iter(|(n, chunk)| {
            query::select(query, chunk).into_iter().map(move |h| Hit {
                index: h.index + n * PARALLEL_CHUNK,
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
    if prev.len() <= PARALLEL_CHUNK {
        return query::refine(query, refs, prev);
    }
    prev.par_chunks(PARALLEL_CHUNK)
        .flat_map_iter(|chunk| query::refine(query, refs, chunk))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn chats() -> Vec<Arc<ChatSummary>> {
        [
            "Jason Smith",
            "Jasmine Lee",
            "Bob Jones",
            "Anna Jasper",
            "Kim",
        ]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            Arc::new(ChatSummary {
                id: format!("c{i}").into(),
                visitor: Some((*v).into()),
                started_ms: Some(1_600_000_000_000 + i as i64 * 1000),
                ..ChatSummary::default()
            })
        })
        .collect()
    }

    #[test]
    fn refining_gives_the_same_answer_as_starting_over() {
        let chats = chats();
        let root = Path::new("/nonexistent");
        let q = |s: &str| Query::parse(s, Utc::now()).unwrap();
        let index = SearchIndex::build(&chats).expect("index");
        let mut prev: Option<(Query, Vec<Hit>)> = None;
        for typed in ["j", "ja", "jas", "jaso", "jason"] {
            let query = q(typed);
            let from = prev
                .as_ref()
                .filter(|(p, _)| p.narrows(&query))
                .map(|(_, h)| h.as_slice());
            let found = run_from(&chats, &query, None, root, from);
            let fresh = run_from(&chats, &query, None, root, None);
            assert_eq!(found, fresh, "{typed}");
            let indexed = run_indexed(Some(&index), &chats, &query, None, root, from);
            assert_eq!(indexed, fresh, "{typed} (indexed)");
            assert!(found.by_row.windows(2).all(|w| w[0].index < w[1].index));
            prev = Some((query, found.by_row));
        }
        let (_, last) = prev.unwrap();
        assert_eq!(last.len(), 1);
        assert_eq!(&*chats[last[0].index].id, "c0");
    }
}
