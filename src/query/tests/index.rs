//! [`SearchIndex`] gives exactly the answers of the plain scan: same hits, same scores, same order.

use super::bench::synthetic;
use super::matching::now;
use super::narrow::{population, ATOMS};
use crate::query::*;
use proptest::prelude::*;

/// Atoms beyond those of the narrowing tests: the fields only the index splits out, case rules,
/// non-ASCII, and letters that appear nowhere.
const MORE: &[&str] = &[
    "dept:sup",
    "dept:1165",
    "!dept:sales",
    "city:paulo",
    "city:são",
    "country:japan",
    "Jason",
    "müller",
    "MÜLLER",
    "zoë",
    "zoe",
    "bjorn",
    "muller",
    "Muller",
    "aegir",
    "strasse",
    "walid",
    "comm100",
    "'comm100",
    "!comm100",
    "\"^pt:\"",
    "training$",
    "qqq",
    "a",
    "e",
    "o",
    "visitor:@example",
    "agent:\"pt: j\"",
    "agent:^\"pt: j\"",
    "dept:s$",
    "!agent:^a$",
    "\"jason s\"",
];

fn plain(chats: &[ChatSummary], q: &Query, sort: Option<SortKey>) -> Vec<Hit> {
    let mut hits = select(q, chats);
    sort_hits(&mut hits, chats, sort, q.has_fuzzy());
    hits
}

fn indexed(ix: &SearchIndex, chats: &[ChatSummary], q: &Query, sort: Option<SortKey>) -> Vec<Hit> {
    let mut hits = ix.select(q, chats);
    ix.sort(&mut hits, chats, sort, q.has_fuzzy());
    hits
}

const SORTS: [Option<SortKey>; 8] = [
    None,
    Some(SortKey::Newest),
    Some(SortKey::Oldest),
    Some(SortKey::Wait),
    Some(SortKey::Duration),
    Some(SortKey::Rating),
    Some(SortKey::Visitor),
    Some(SortKey::Agent),
];

#[test]
fn large_sets_match_the_scan_for_every_sort() {
    // Large enough for parallel chunks, the order walk and sparse sorting alike.
    let chats = synthetic(30_000);
    let ix = SearchIndex::build(&chats).expect("index");
    assert_eq!(ix.rows(), chats.len());
    for input in [
        "",
        "a",
        "jas",
        "jason s",
        "e o",
        "comm100",
        "!comm100 m",
        "dept:sup rating:>=4",
        "agent:walid",
        "\"^pt:\" müller",
        "Jason",
        "zoë",
        "zoe",
        "muller",
        "bjorn m",
        "Muller",
        "status:2 wait:>1m",
        "qqq",
    ] {
        let query = Query::parse(input, now()).unwrap();
        for sort in SORTS {
            let want = plain(&chats, &query, sort);
            assert_eq!(
                indexed(&ix, &chats, &query, sort),
                want,
                "{input:?} {sort:?}"
            );
        }
    }
}

#[test]
fn refining_through_the_index_matches_the_scan() {
    let chats = synthetic(20_000);
    let ix = SearchIndex::build(&chats).expect("index");
    let mut prev: Option<(Query, Vec<Hit>)> = None;
    for typed in [
        "j", "ja", "jas", "jaso", "jason", "jason ", "jason s", "jason sm",
    ] {
        let query = Query::parse(typed, now()).unwrap();
        let hits = match &prev {
            Some((p, h)) if p.narrows(&query) => ix.refine(&query, &chats, h),
            _ => ix.select(&query, &chats),
        };
        assert_eq!(hits, select(&query, &chats), "{typed:?}");
        prev = Some((query, hits));
    }
    assert!(
        !prev.unwrap().1.is_empty(),
        "the last query should still find chats"
    );
}

#[test]
fn refining_a_few_hits_among_many_strings_matches_the_scan() {
    // Every visitor distinct: refining a handful of hits decides strings without a memo table.
    let chats: Vec<ChatSummary> = synthetic(5_000)
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.visitor = Some(format!("{} {i}", c.visitor_display()).into());
            c
        })
        .collect();
    let ix = SearchIndex::build(&chats).expect("index");
    let prev: Vec<Hit> = (0..chats.len())
        .step_by(997)
        .map(|index| Hit { index, score: 0 })
        .collect();
    for input in [
        "a",
        "jas",
        "1 !smith",
        "agent:pt",
        "dept:s rating:>=3",
        "'99",
    ] {
        let query = Query::parse(input, now()).unwrap();
        assert_eq!(
            ix.refine(&query, &chats, &prev),
            refine(&query, &chats, &prev),
            "{input:?}"
        );
    }
}

#[test]
fn scores_spread_too_wide_for_counting_still_sort() {
    let chats = synthetic(2_000);
    let ix = SearchIndex::build(&chats).expect("index");
    let mut hits: Vec<Hit> = (0..chats.len())
        .map(|index| Hit {
            index,
            score: if index % 2 == 0 {
                i64::MAX / 3
            } else {
                -(index as i64) * 1_000_000
            },
        })
        .collect();
    let mut want = hits.clone();
    sort_hits(&mut want, &chats, None, true);
    ix.sort(&mut hits, &chats, None, true);
    assert_eq!(hits, want);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_queries_match_the_scan(
        atoms in proptest::collection::vec(
            proptest::sample::select([ATOMS, MORE].concat()), 0..4),
        sort in proptest::sample::select(SORTS.to_vec()),
    ) {
        let query = Query::parse(&atoms.join(" "), now()).unwrap();
        for chats in [population(), synthetic(500)] {
            let ix = SearchIndex::build(&chats).expect("index");
            prop_assert_eq!(indexed(&ix, &chats, &query, sort), plain(&chats, &query, sort));
        }
    }
}

/// A rough measurement, ignored by default (timing is not asserted):
/// `cargo test --release --lib measure_index -- --ignored --nocapture`
#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_index() {
    use std::time::Instant;
    // Every visitor name and e-mail distinct: nothing for the index to share.
    let n = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let chats: Vec<ChatSummary> = synthetic(n)
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.visitor = Some(format!("{} {i}", c.visitor_display()).into());
            c.visitor_email = Some(format!("{i}.someone@mail.example").into());
            c
        })
        .collect();
    let t = Instant::now();
    let ix = SearchIndex::build(&chats).expect("index");
    println!("built in {:?}: {ix:?}", t.elapsed());
    for input in [
        "agent", "a", "e", "em", "emm", "jas", "jason", "agent:wa", "dept:s",
    ] {
        let query = Query::parse(input, now()).unwrap();
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..9 {
            let t = Instant::now();
            let mut hits = ix.select(&query, &chats);
            let filtered = t.elapsed();
            ix.sort(&mut hits, &chats, None, query.has_fuzzy());
            times.push((filtered, t.elapsed()));
            n = hits.len();
        }
        times.sort();
        let (f, all) = times[4];
        println!(
            "{input:>10}: {n:>6} hits, filter {f:>10.2?}, filter+sort {all:>10.2?} (median of 9)"
        );
    }
}
