//! `Query::narrows`: when the previous result set may be re-filtered.

use super::matching::{bare, ms, now, q, s, sample};
use crate::model::Status;
use crate::query::*;
use proptest::prelude::*;

fn narrows(prev: &str, next: &str) -> bool {
    q(prev).narrows(&q(next))
}

#[test]
fn typing_more_narrows() {
    for (prev, next) in [
        ("", "jason"),
        ("", "!x"),
        ("j", "ja"),
        ("jas", "jaso"),
        ("jas", "jasO"),
        ("jas", "Jas"),
        ("jas", "j-a-s"),
        ("jas", "'jas"),
        ("jas", "^jasmine"),
        ("Jas", "JasO"),
        ("'jas", "'jaso"),
        ("'jas", "^jaso"),
        ("'jas", "^xjas$"),
        ("^ja", "^jas"),
        ("^ja", "^jas$"),
        ("son$", "ason$"),
        ("'son", "ason$"),
        ("!jason", "!jas"),
        ("!^jas", "!jas"),
        ("!jason$", "!son$"),
        ("agent:wa", "agent:wal"),
        ("agent:wa", "agent:\"walid x\""),
        ("!agent:walid", "!agent:wal"),
        ("text:ref", "text:refund"),
        ("id:3f", "id:3fa"),
        ("status:end", "status:ended"),
        ("status:end", "status:9"),
        ("status:9", "status:9"),
        ("rating:>=3", "rating:>=4"),
        ("rating:>=3", "rating:5"),
        ("rating:<3", "rating:<=1"),
        ("!rating:none", "rating:2"),
        ("!status:9", "status:2"),
        ("!status:chatting", "status:9"),
        ("!wait:<1m", "wait:>5m"),
        ("wait:>1m", "wait:>5m"),
        ("dur:<10m", "dur:<=30s"),
        ("since:2020-09-01", "since:2020-09-02"),
        ("since:2020-09-01", "since:2020-09-01 until:2020-09-03"),
        ("until:2020-09-30", "until:2020-09-01"),
        ("since:7d", "since:today"),
        ("jas agent:w", "agent:wa jaso rating:5"),
        ("jas jas", "jaso"),
    ] {
        assert!(narrows(prev, next), "{prev:?} -> {next:?}");
    }
}

#[test]
fn widening_or_unrelated_does_not_narrow() {
    for (prev, next) in [
        ("jason", ""),
        ("jaso", "jas"),
        ("Jas", "jas"),
        ("jas", "jsa"),
        ("'jas", "jas"),
        ("^jas", "'jas"),
        ("^jas", "^ja"),
        ("^jas$", "^jas"),
        ("!jas", "!jason"),
        ("!jas", "jas"),
        ("jas", "!jas"),
        ("!jas", "!Jas"),
        ("agent:wal", "agent:wa"),
        ("agent:wal", "visitor:wal"),
        ("agent:wal", "wal"),
        ("!agent:wal", "!agent:walid"),
        ("status:9", "status:ended"),
        ("status:ended", "status:2"),
        ("rating:>=4", "rating:>=3"),
        ("rating:4", "rating:none"),
        ("rating:none", "!rating:4"),
        ("!rating:none", "rating:none"),
        ("!status:9", "status:9"),
        ("!wait:<1m", "wait:>30s"),
        ("wait:>5m", "wait:>1m"),
        ("wait:>5m", "dur:>5m"),
        ("since:2020-09-02", "since:2020-09-01"),
        ("since:today", "since:7d"),
        ("text:refund", "text:ref"),
        ("jas agent:w", "jaso"),
    ] {
        assert!(!narrows(prev, next), "{prev:?} -> {next:?}");
    }
}

/// A few summaries varied enough to exercise every field.
pub(super) fn population() -> Vec<ChatSummary> {
    let names = [
        "Jason",
        "jasmine",
        "JASON Wal",
        "Walid",
        "ÉMILE",
        "",
        "Sonja",
        "Anna-Lena Müller",
        "Straße Ægir",
        "Ångström",
    ];
    (0..names.len() * 6)
        .map(|i| {
            let name = names[i % names.len()];
            ChatSummary {
                visitor: (!name.is_empty()).then(|| name.into()),
                visitor_email: (i % 3 == 0)
                    .then(|| format!("{}@x.com", name.to_lowercase()).into()),
                agents: match i % 4 {
                    0 => vec![],
                    1 => vec!["Walid".into()],
                    2 => vec!["PT: Jason".into(), "amy".into()],
                    _ => vec!["walid x".into()],
                }
                .into(),
                status: [None, Some(Status(9)), Some(Status(2)), Some(Status(42))][i % 4],
                rating: [None, Some(1), Some(3), Some(4), Some(5)][i % 5],
                wait_secs: [None, Some(5), Some(90), Some(400)][i % 4],
                started: crate::model::PackedMs::new(
                    [
                        None,
                        ms("2020-09-01T10:00:00Z"),
                        ms("2020-09-15T01:00:00Z"),
                        ms("2020-09-12T00:00:00Z"),
                    ][i % 4],
                ),
                ended: crate::model::PackedMs::new(ms("2020-09-15T11:00:00Z")),
                place: crate::model::Place::of(None, s("France"), None),
                wrap_up: [None, Some("Billing: Refund"), Some("Sales: Quote")][i % 3].map(|c| {
                    std::sync::Arc::new(crate::model::WrapUp {
                        category: Some(c.into()),
                        comment: (i % 5 == 0).then(|| "customer wants a refund".into()),
                        ..crate::model::WrapUp::default()
                    })
                }),
                ..bare(&format!("{i:02x}"))
            }
        })
        .chain([sample(), bare("zz")])
        .collect()
}

pub(super) const ATOMS: &[&str] = &[
    "j",
    "ja",
    "jas",
    "jaso",
    "jason",
    "Jas",
    "JAS",
    "son",
    "wal",
    "wali",
    "émile",
    "emile",
    "mul",
    "muller",
    "Muller",
    "Müller",
    "stras",
    "strasse",
    "aegir",
    "ae",
    "angstrom",
    "'jas",
    "'jaso",
    "^ja",
    "^jas",
    "son$",
    "ason$",
    "^jason$",
    "!jas",
    "!ja",
    "-wal",
    "!^w",
    "!son$",
    "agent:wal",
    "agent:walid",
    "!agent:wal",
    "visitor:jas",
    "status:9",
    "status:chat",
    "status:ended",
    "!status:2",
    "rating:>=3",
    "rating:>=4",
    "rating:5",
    "rating:none",
    "!rating:none",
    "wait:>1m",
    "wait:>=5",
    "wait:<2m",
    "since:2020-09-10",
    "since:today",
    "until:2020-09-12",
    "since:3d",
    "id:0",
    "id:0a",
    "country:fr",
    "dur:>1h",
    "wrapup:ref",
    "wrapup:refund",
    "wrap_up:billing",
    "!wrapup:ref",
    "wrapup:none",
    "!wrapup:none",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Soundness: whenever `narrows` says yes, filtering the previous hits gives exactly the hits.
    #[test]
    fn narrows_is_sound(
        prev in proptest::collection::vec(proptest::sample::select(ATOMS), 0..3),
        next in proptest::collection::vec(proptest::sample::select(ATOMS), 0..4),
    ) {
        let (p, n) = (Query::parse(&prev.join(" "), now()).unwrap(), Query::parse(&next.join(" "), now()).unwrap());
        let chats = population();
        if p.narrows(&n) {
            let prev_hits = select(&p, &chats);
            prop_assert_eq!(refine(&n, &chats, &prev_hits), select(&n, &chats));
        }
        prop_assert!(p.narrows(&p));
    }
}
