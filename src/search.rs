//! Running a query over a set of chats: filter (in parallel for large sets), check transcript
//! terms against the files, and order the result. Shared by the CLI and the TUI's matcher.

mod files;
mod transcript;

pub use transcript::TextSource;

use crate::model::ChatSummary;
use crate::query::{self, Hit, Query, SearchIndex, SortKey, PARALLEL_CHUNK};
use crate::review::Reviews;
use crate::spool::texts::Stopped;
use crate::work::Control;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Indices into `chats` of the matching chats, in display order.
///
/// `root` is needed only for `text:` terms, which read each candidate's transcript from disk.
/// Review terms (`tag:`, `note:`, `reviewed:`) see no review data: use [`run_reviewed`].
pub fn run(
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
) -> Vec<usize> {
    run_reviewed(chats, query, sort, root, None)
}

/// [`run`] with the review data that `tag:`, `note:` and `reviewed:` terms are decided on.
pub fn run_reviewed(
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    reviews: Option<&Reviews>,
) -> Vec<usize> {
    run_indexed(None, chats, query, sort, root, None, reviews)
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
    run_indexed(None, chats, query, sort, root, prev, None)
}

/// [`run_from`] through a [`SearchIndex`] of `chats` when there is one: the same answer, much
/// faster when many queries run over the same chats (the TUI builds one per snapshot).
/// `prev` must come from a query over the same chats *and* the same `reviews`.
pub fn run_indexed(
    index: Option<&SearchIndex>,
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    prev: Option<&[Hit]>,
    reviews: Option<&Reviews>,
) -> Found {
    let with = With {
        reviews,
        ..With::default()
    };
    run_texts(index, chats, query, sort, root, prev, with)
        .unwrap_or_else(|_| unreachable!("only a search with a control can be cancelled"))
}

/// What a search may consult beyond the rows and the query.
#[derive(Clone, Copy, Default)]
pub struct With<'a> {
    /// The review data `tag:`, `note:` and `reviewed:` terms are decided on.
    pub reviews: Option<&'a Reviews>,
    /// The transcript text store that answers `text:` terms (files are read without it).
    pub texts: Option<TextSource<'a>>,
    /// Asked whether a transcript search is still wanted, and told how far it is.
    pub ctl: Control<'a>,
}

/// [`run_reviewed`] over a loaded store's rows: `text:` terms answered from its text store when
/// it has one ([`crate::spool::texts`]), by reading the transcripts otherwise.
pub fn run_store(
    store: &crate::spool::Store,
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    reviews: Option<&Reviews>,
) -> Vec<usize> {
    let texts = store.texts.as_deref().filter(|_| query.needs_transcript());
    let ids = texts.map(|t| t.ids_for(chats, store));
    let src = texts
        .zip(ids.as_deref())
        .map(|(texts, ids)| TextSource { texts, ids });
    let with = With {
        reviews,
        texts: src,
        ..With::default()
    };
    let found = run_texts(None, chats, query, sort, root, None, with)
        .unwrap_or_else(|_| unreachable!("never cancelled"));
    found.display.into_iter().map(|h| h.index).collect()
}

/// [`run_indexed`] with the text store: `Err` only when `with.ctl` cancelled it.
pub fn run_texts(
    index: Option<&SearchIndex>,
    chats: &[Arc<ChatSummary>],
    query: &Query,
    sort: Option<SortKey>,
    root: &Path,
    prev: Option<&[Hit]>,
    with: With<'_>,
) -> Result<Found, Cancelled> {
    let With {
        reviews,
        texts,
        ctl,
    } = with;
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
    if query.needs_reviews() {
        // Review terms are decided after the summary terms, the same way on both paths (index
        // and scan), so their answers stay identical.
        by_row.retain(|h| query.match_review(reviews.and_then(|r| r.get(&chats[h.index].id))));
    }
    if query.needs_transcript() {
        let scan = |hits: Vec<Hit>| files::filter(chats, hits, query, root, ctl);
        let stored =
            texts.map(|src| transcript::filter(by_row.clone(), chats, query, src, ctl, &scan));
        by_row = match stored {
            Some(Ok(hits)) => hits,
            Some(Err(Stopped::Cancelled)) => return Err(Cancelled),
            // No store, or it proved corrupt: read the transcripts.
            Some(Err(Stopped::Corrupt)) | None => {
                ctl.begin(by_row.len());
                scan(by_row).ok_or(Cancelled)?
            }
        };
    }
    let mut display = by_row.clone();
    match index {
        Some(ix) => ix.sort(&mut display, chats, sort, query.has_fuzzy()),
        None => query::sort_hits(&mut display, chats, sort, query.has_fuzzy()),
    }
    if sort == Some(SortKey::Score) {
        // Highest score first, chats without one last; stable, so ties stay newest first.
        let score = |h: &Hit| {
            crate::model::review::score_of(reviews.and_then(|r| r.get(&chats[h.index].id)))
        };
        display.sort_by_cached_key(|h| score(h).map_or((1, 0), |s| (0, -s)));
    }
    Ok(Found { display, by_row })
}

/// A search stopped by a newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

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
                started: crate::model::PackedMs::new(Some(1_600_000_000_000 + i as i64 * 1000)),
                ..ChatSummary::default()
            })
        })
        .collect()
    }

    /// Review terms give the same answer with and without the index, refined or not, and
    /// select what the review data says.
    #[test]
    fn review_terms_are_exact_on_both_paths() {
        use crate::review::{Op, Record};
        let chats = chats();
        let root = Path::new("/nonexistent");
        let at = Utc::now();
        let r = |chat: &str, op, v: &str| Record::new(chat, op, v, "ann", at);
        let reviews = Reviews::from_records(vec![
            r("c0", Op::Tag, "coaching"),
            r("c1", Op::Tag, "escalate"),
            r("c1", Op::Review, ""),
            r("c2", Op::Note, "Refund promised"),
            r("c3", Op::Review, ""),
            r("c3", Op::Unreview, ""),
            r("c4", Op::Tag, "coach"),
            r("c4", Op::Untag, "coach"),
        ]);
        let index = SearchIndex::build(&chats).expect("index");
        let cases: &[(&str, &[&str])] = &[
            ("tag:coach", &["c0"]),
            ("tag:ESC", &["c1"]),
            ("!tag:coach", &["c4", "c3", "c2", "c1"]),
            ("-tag:c", &["c4", "c3", "c2"]),
            ("note:refund", &["c2"]),
            ("reviewed:yes", &["c1"]),
            ("reviewed:no jas", &["c0", "c3"]),
            ("!reviewed:no", &["c1"]),
            ("tag:coaching reviewed:yes", &[]),
        ];
        for (q, want) in cases {
            let query = Query::parse(q, Utc::now()).unwrap();
            let scan = run_indexed(None, &chats, &query, None, root, None, Some(&reviews));
            let indexed = run_indexed(
                Some(&index),
                &chats,
                &query,
                None,
                root,
                None,
                Some(&reviews),
            );
            assert_eq!(scan, indexed, "{q}");
            let mut got: Vec<&str> = scan.display.iter().map(|h| &*chats[h.index].id).collect();
            if !query.has_fuzzy() {
                assert_eq!(got, *want, "{q}");
            } else {
                got.sort_unstable();
                let mut want = want.to_vec();
                want.sort_unstable();
                assert_eq!(got, want, "{q}");
            }
        }
        // Narrowing a review term refines from the previous hits with the same answer.
        let wide = Query::parse("tag:c", Utc::now()).unwrap();
        let narrow = Query::parse("tag:coa", Utc::now()).unwrap();
        assert!(wide.narrows(&narrow));
        let prev = run_indexed(
            Some(&index),
            &chats,
            &wide,
            None,
            root,
            None,
            Some(&reviews),
        );
        let refined = run_indexed(
            Some(&index),
            &chats,
            &narrow,
            None,
            root,
            Some(&prev.by_row),
            Some(&reviews),
        );
        let fresh = run_indexed(None, &chats, &narrow, None, root, None, Some(&reviews));
        assert_eq!(refined, fresh);
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
            let indexed = run_indexed(Some(&index), &chats, &query, None, root, from, None);
            assert_eq!(indexed, fresh, "{typed} (indexed)");
            assert!(found.by_row.windows(2).all(|w| w[0].index < w[1].index));
            prev = Some((query, found.by_row));
        }
        let (_, last) = prev.unwrap();
        assert_eq!(last.len(), 1);
        assert_eq!(&*chats[last[0].index].id, "c0");
    }

    #[test]
    fn text_terms_over_a_json_lines_file_find_every_chat_also_after_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let body = |i: usize| {
            let said = if i % 3 == 0 {
                "I want a refund"
            } else {
                "hello"
            };
            format!(
                r#"{{"event":"chat_ended","visitor":{{"name":"V{i}"}},"chat":{{"id":"c{i}","chat_transcript":"[10:00:0{}] V{i}: {said}"}}}}"#,
                i % 10
            )
        };
        let lines: Vec<String> = (0..600).map(body).collect();
        let path = dir.path().join("all.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let kind = crate::spool::read::kind_of("all.jsonl").unwrap();
        let rel: Arc<str> = "all.jsonl".into();
        let rows = crate::spool::read::parse_file(&std::fs::read(&path).unwrap(), kind, &rel).chats;
        assert_eq!(rows.len(), 600);
        let q = Query::parse("text:refund", Utc::now()).unwrap();
        let ids = |found: Vec<usize>| -> Vec<String> {
            found.iter().map(|&i| rows[i].id.to_string()).collect()
        };
        let want: Vec<String> = (0..600).step_by(3).map(|i| format!("c{i}")).collect();
        let mut got = ids(run(&rows, &q, Some(SortKey::Visitor), dir.path()));
        got.sort_by_key(|id| id[1..].parse::<usize>().unwrap());
        assert_eq!(got, want);
        // Lines moved since the file was indexed: each chat is still found, by its id.
        let mut moved = lines.clone();
        moved.reverse();
        moved.insert(0, "not json".into());
        std::fs::write(&path, moved.join("\n")).unwrap();
        let mut got = ids(run(&rows, &q, None, dir.path()));
        got.sort_by_key(|id| id[1..].parse::<usize>().unwrap());
        assert_eq!(got, want);
    }
}
