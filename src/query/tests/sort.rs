//! Ordering hits.

use super::matching::{bare, ms, s};
use crate::query::*;
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
                started: crate::model::PackedMs::new(started_ms),
                ended: crate::model::PackedMs::new(dur.and_then(|d| Some(started_ms? + d * 1000))),
                wait_secs: wait,
                rating,
                visitor: visitor.and_then(s),
                agents: agent
                    .map(|a| vec![std::sync::Arc::from(a)])
                    .unwrap_or_default()
                    .into(),
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
fn sort_keys_parse_and_display() {
    for k in SortKey::ALL {
        assert_eq!(k.to_string().parse::<SortKey>().unwrap(), k);
        assert_eq!(k.to_string().to_uppercase().parse::<SortKey>().unwrap(), k);
    }
    assert_eq!("dur".parse::<SortKey>().unwrap(), SortKey::Duration);
    assert_eq!(
        "best".parse::<SortKey>().unwrap_err().to_string(),
        "unknown order 'best' (newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score)"
    );
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

/// The rules of [`sort_hits`] written as one plain comparator, for comparison.
fn reference(hits: &mut [Hit], chats: &[ChatSummary], sort: Option<SortKey>, by_score: bool) {
    use std::cmp::Ordering;
    fn none_last<T: Ord>(x: Option<T>, y: Option<T>, desc: bool) -> Ordering {
        match (x, y) {
            (Some(x), Some(y)) if desc => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        }
    }
    let az = |x: Option<&str>, y: Option<&str>| {
        none_last(
            x.map(|s| s.to_lowercase()),
            y.map(|s| s.to_lowercase()),
            false,
        )
    };
    hits.sort_by(|a, b| {
        let (x, y) = (&chats[a.index], &chats[b.index]);
        let first = |c: &ChatSummary| c.agents.first().map(|a| a.to_string());
        match sort {
            None if by_score => b.score.cmp(&a.score),
            None | Some(SortKey::Newest | SortKey::Score) => Ordering::Equal,
            Some(SortKey::Oldest) => none_last(x.started_ms(), y.started_ms(), false),
            Some(SortKey::Wait) => none_last(x.wait_secs, y.wait_secs, true),
            Some(SortKey::Frt) => none_last(x.first_response_secs, y.first_response_secs, true),
            Some(SortKey::Duration) => none_last(x.duration_secs(), y.duration_secs(), true),
            Some(SortKey::Rating) => none_last(x.rating, y.rating, true),
            Some(SortKey::Reply) => {
                none_last(x.turns.reply_max_secs(), y.turns.reply_max_secs(), true)
            }
            Some(SortKey::Visitor) => az(x.visitor.as_deref(), y.visitor.as_deref()),
            Some(SortKey::Agent) => az(first(x).as_deref(), first(y).as_deref()),
        }
        .then(none_last(x.started_ms(), y.started_ms(), true))
        .then(x.id.cmp(&y.id))
        .then(a.index.cmp(&b.index))
    });
}

fn arb_chat() -> impl Strategy<Value = ChatSummary> {
    let name = proptest::option::of(proptest::sample::select(vec![
        "Alexandra",
        "alexandra b",
        "ALEXANDRA A",
        "Alexandr",
        "alexandrA",
        "Émile",
        "émile",
        "Zoë",
        "zoe",
        "b",
        "",
        "12345678x",
        "12345678",
        "Ωmega",
        "ωmega",
        "Alexandra Smithson-Jones",
        "alexandra smithson-jonez",
        "ALEXANDRA SMITHS",
        "alexandra smith",
        "alexandra smith\0",
        "alexandra smithß",
        "Alexandra SmithSON",
        "1234567890123456789012345678901",
        "12345678901234567890123456789012",
        "1234567890123456789012345678901\0",
        "Francis - Comm100 ( Training ) b",
        "francis - comm100 ( training ) A",
        "FRANCIS - COMM100 ( TRAINING )",
        "Francis - Comm100 ( Training ) ñ",
        "123456789012345",
        "1234567890123456",
        "123456789012345\0",
    ]));
    (
        "[a-c]{1,2}",
        proptest::option::of(-2i64..3),
        proptest::option::of(0u64..3),
        proptest::option::of(0i64..3),
        proptest::option::of(1u8..=5),
        name.clone(),
        name,
        proptest::option::of(0u32..3),
    )
        .prop_map(
            |(id, start, wait, dur, rating, visitor, agent, frt)| ChatSummary {
                first_response_secs: frt,
                started: crate::model::PackedMs::new(start),
                ended: crate::model::PackedMs::new(start.zip(dur).map(|(s, d)| s + d * 1000)),
                wait_secs: wait,
                rating,
                visitor: visitor.map(Box::from),
                agents: agent
                    .map(|a| vec![std::sync::Arc::from(a)])
                    .unwrap_or_default()
                    .into(),
                ..bare(&id)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The keyed sort agrees with the plain comparator (`to_lowercase` is the same fold for these names).
    #[test]
    fn keyed_sort_matches_plain_comparator(
        chats in proptest::collection::vec(arb_chat(), 0..12),
        key in proptest::option::of(proptest::sample::select(SortKey::ALL.to_vec())),
        by_score in any::<bool>(),
        scores in proptest::collection::vec(-2i64..2, 12),
    ) {
        let mut a: Vec<Hit> = (0..chats.len()).map(|index| Hit { index, score: scores[index] }).collect();
        let mut b = a.clone();
        sort_hits(&mut a, &chats, key, by_score);
        reference(&mut b, &chats, key, by_score);
        prop_assert_eq!(a, b);
    }
}
