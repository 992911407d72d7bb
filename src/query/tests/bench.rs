//! A rough measurement, ignored by default (timing is not asserted):
//! `cargo test --release --lib query -- --ignored --nocapture`

use super::matching::now;
use crate::model::Status;
use crate::query::*;
use std::time::{Duration, Instant};

/// Deterministic pseudo-random numbers (xorshift), so every run measures the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Jason", "Maria", "Ahmed", "Li", "Olga", "Pierre", "Aisha", "Kenji", "Sofia", "Liam", "Noah",
    "Emma", "Chen", "Fatima", "Diego", "Hannah", "Ivan", "Zoë", "Mohammed", "Priya", "Lucas",
    "Chloe", "Mateo", "Nora", "Björn",
];
const LAST: &[&str] = &[
    "Smith", "Garcia", "Khan", "Wang", "Petrova", "Dubois", "Okafor", "Tanaka", "Rossi", "Murphy",
    "Johnson", "Müller", "Silva", "Nguyen", "Kowalski", "Haddad", "Andersen", "Cohen", "Lopez",
    "Brown",
];
const AGENTS: &[&str] = &[
    "PT: Jason",
    "Walid - Comm100",
    "Henry - Comm100",
    "Francis - Comm100 ( Training )",
    "Amy Lee",
    "Bruno",
    "Carla Diaz",
    "Dmitri",
    "Eve Support",
    "Comm100 Bot",
    "Grace Hopper",
    "Hiro",
];

pub(super) fn synthetic(n: usize) -> Vec<ChatSummary> {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let named = r.next() % 5 != 0;
            let (first, last) = (r.pick(FIRST), r.pick(LAST));
            let agents: Vec<std::sync::Arc<str>> = (0..r.next() % 3)
                .map(|_| std::sync::Arc::from(r.pick(AGENTS)))
                .collect();
            let start = 1_577_836_800_000 + (r.next() % 31_536_000_000) as i64;
            ChatSummary {
                id: format!(
                    "{:08x}-{:04x}-4562-b3fc-2c963f66afa6",
                    r.next() as u32,
                    i % 65536
                )
                .into(),
                visitor: named.then(|| format!("{first} {last}").into()),
                visitor_email: (r.next() % 2 == 0).then(|| {
                    format!(
                        "{}.{}{}@example.com",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        i % 97
                    )
                    .into()
                }),
                agents: agents.into(),
                place: crate::model::Place::of(
                    Some(r.pick(&["Support", "Sales", "Billing", "1165"]).into()),
                    Some(
                        r.pick(&["United States", "France", "Japan", "Brazil"])
                            .into(),
                    ),
                    Some(r.pick(&["Seattle", "Paris", "Tokyo", "São Paulo"]).into()),
                ),
                status: Some(Status((r.next() % 12) as i64)),
                started: crate::model::PackedMs::new(Some(start)),
                ended: crate::model::PackedMs::new(Some(start + (r.next() % 3_600_000) as i64)),
                wait_secs: (r.next() % 10 != 0).then(|| r.next() % 600),
                rating: [None, Some(1), Some(3), Some(4), Some(5)][(r.next() % 5) as usize],
                // Fields the query does not read (and any added later) keep their defaults.
                ..ChatSummary::default()
            }
        })
        .collect()
}

/// Best, median and worst of several runs (the machine is shared: the best is the least disturbed).
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration, T) {
    let mut last = f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            last = f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2], times[runs - 1], last)
}

#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_select_and_sort() {
    const N: usize = 100_000;
    let chats = synthetic(N);
    let refs: Vec<&ChatSummary> = chats.iter().collect();
    let per = |d: Duration| d.as_nanos() as f64 / N as f64;
    println!("{N} chats, one thread; ns per chat (best / median / worst of 15), hits");
    for input in [
        "a",
        "s",
        "e",
        "an",
        "ea",
        "jas",
        "ana",
        "mül",
        "kow",
        "jasmin",
        "jasmth",
        "comm10",
        "Jas",
        "JasSmi",
        "zqx",
        "zqxvwk",
        "a j",
        "jas smi kow",
        "'smith",
        "^jas",
        "son$",
        "!comm100",
        "agent:wal",
        "rating:>=4 wait:>1m",
        "since:30d",
        "id:3f",
        "status:ended",
        "rating:5 jas",
    ] {
        let q = Query::parse(input, now()).unwrap();
        let (best, med, worst, hits) = time(15, || select(&q, &refs));
        println!(
            "{input:>22}: {:6.1} / {:6.1} / {:6.1} ns  {:>6} hits",
            per(best),
            per(med),
            per(worst),
            hits.len()
        );
    }
    let all = select(&Query::default(), &refs);
    // The same chats stored newest first: the default order is then the slice order.
    let mut by_newest = all.clone();
    sort_hits(&mut by_newest, &refs, None, false);
    let newest_refs: Vec<&ChatSummary> = by_newest.iter().map(|h| refs[h.index]).collect();
    let fuzzy = select(&Query::parse("a", now()).unwrap(), &refs);
    let (rows, newest): (&[&ChatSummary], &[&ChatSummary]) = (&refs, &newest_refs);
    for (name, sort, by_score, hits, chats) in [
        ("newest (all)", None, false, &all, rows),
        ("score ('a' hits)", None, true, &fuzzy, rows),
        ("visitor (all)", Some(SortKey::Visitor), false, &all, rows),
        ("agent (all)", Some(SortKey::Agent), false, &all, rows),
        ("wait (all)", Some(SortKey::Wait), false, &all, rows),
        ("newest (presorted)", None, false, &all, newest),
    ] {
        let (best, med, worst, _) = time(7, || {
            let mut h = hits.clone();
            sort_hits(&mut h, chats, sort, by_score);
            h
        });
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "sort {name:>18}: {:5.2} / {:5.2} / {:5.2} ms for {} hits",
            ms(best),
            ms(med),
            ms(worst),
            hits.len()
        );
    }
}
