//! Ordering hits.

use super::tests_match::{bare, ms, s};
use super::*;
use proptest::prelude::*;

/// id, started (RFC 3339 or ""), wait, duration secs, rating, visitor, first agent.
type Row = (
    &'static str,
    &'static str,
    Option<u64>,
    Option<i64>,
    Option<u8>,
    Option<&'static str>,
    Option<&'static str>,
);

fn chats(rows: &[Row]) -> Vec<ChatSummary> {
    rows.iter()
        .map(|&(id, started, wait, dur, rating, visitor, agent)| {
            let started_ms = (!started.is_empty()).then(|| ms(started).unwrap());
            ChatSummary {
                started_ms,
                ended_ms: dur.and_then(|d| Some(started_ms? + d * 1000)),
                wait_secs: wait,
                rating,
                visitor: visitor.and_then(s),
                agents: agent.map(|a| vec![Box::from(a)]).unwrap_or_default().into(),
                ..bare(id)
            }
        })
        .collect()
}

const ROWS: &[Row] = &[
    (
        "c",
        "2020-09-02T00:00:00Z",
        Some(10),
        Some(100),
        Some(3),
        Some("bob"),
        Some("Zed"),
    ),
    ("a", "2020-09-03T00:00:00Z", None, None, None, None, None),
    (
        "d",
        "2020-09-01T00:00:00Z",
        Some(99),
        Some(5),
        Some(5),
        Some("Alice"),
        Some("amy"),
    ),
    ("b", "", Some(10), None, Some(3), Some("alice"), Some("Bea")),
    (
        "e",
        "2020-09-02T00:00:00Z",
        Some(10),
        Some(100),
        Some(3),
        Some("Bob"),
        Some("zed"),
    ),
    ("f", "", None, None, None, None, None),
];

fn order(sort: Option<SortKey>, by_score: bool, scores: &[i64]) -> String {
    let chats = chats(ROWS);
    let refs: Vec<&ChatSummary> = chats.iter().collect();
    let mut hits: Vec<Hit> = (0..chats.len())
        .map(|index| Hit {
            index,
            score: scores.get(index).copied().unwrap_or(0),
        })
        .collect();
    sort_hits(&mut hits, &refs, sort, by_score);
    hits.iter().map(|h| &*chats[h.index].id).collect()
}

#[test]
fn each_key_with_unknown_values_last_and_tie_breaks() {
    // Ties (same start: c and e) go by id; no start time goes last, then by id.
    assert_eq!(order(Some(SortKey::Newest), false, &[]), "acedbf");
    assert_eq!(order(None, false, &[]), "acedbf");
    assert_eq!(order(Some(SortKey::Oldest), false, &[]), "dceabf");
    // wait: 99, then the three 10s newest first (c/e same start: by id; b has no start), then None.
    assert_eq!(order(Some(SortKey::Wait), false, &[]), "dcebaf");
    assert_eq!(order(Some(SortKey::Duration), false, &[]), "cedabf");
    assert_eq!(order(Some(SortKey::Rating), false, &[]), "dcebaf");
    // A-Z ignoring case: alice/Alice tie -> newest (d has a start, b none); bob/Bob tie -> id.
    assert_eq!(order(Some(SortKey::Visitor), false, &[]), "dbceaf");
    assert_eq!(order(Some(SortKey::Agent), false, &[]), "dbceaf");
}

#[test]
fn score_order_and_its_ties() {
    let scores = [5, 9, 5, 1, 5, 9];
    assert_eq!(order(None, true, &scores), "afcedb");
    // Explicit keys ignore scores.
    assert_eq!(order(Some(SortKey::Newest), true, &scores), "acedbf");
}

proptest! {
    /// Any permutation of the input sorts to the same order, and the order is consistent.
    #[test]
    fn sort_is_total_and_deterministic(
        perm in Just((0..ROWS.len()).collect::<Vec<_>>()).prop_shuffle(),
        key in proptest::option::of(proptest::sample::select(SortKey::ALL.to_vec())),
        by_score in any::<bool>(),
        scores in proptest::collection::vec(0i64..3, ROWS.len()),
    ) {
        let chats = chats(ROWS);
        let mut a: Vec<Hit> = (0..chats.len()).map(|index| Hit { index, score: scores[index] }).collect();
        let mut b: Vec<Hit> = perm.iter().map(|&index| Hit { index, score: scores[index] }).collect();
        sort_hits(&mut a, &chats, key, by_score);
        sort_hits(&mut b, &chats, key, by_score);
        prop_assert_eq!(a, b);
    }
}
