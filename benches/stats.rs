//! The stats view's recomputation: what the stats worker runs after every query change or new
//! chat (`StatsRequest::compute`: totals, per agent and department with exact percentiles, the
//! weekday × hour grid with median waits, volume over time), over all chats and over a query's
//! share of them, in UTC, an IANA zone and each visitor's zone. Target: 100k chats in 50 ms.
//!
//! ```text
//! cargo bench --bench stats                                   # 10k and 100k generated rows
//! CHATSPOOL_BENCH_SIZES=10000,100000,1000000 cargo bench --bench stats
//! CHATSPOOL_BENCH_SPOOL=/tmp/s-100k cargo bench --bench stats # rows of a real spool
//! ```
//! Without `CHATSPOOL_BENCH_SPOOL` the rows are generated in memory (no spool on disk needed):
//! 40 agents (one in ten chats has two), 9 departments, starts over 90 days, waits, first
//! responses, durations and ratings spread as in the demo spool, visitors in a dozen zones.

mod common;

use chatspool::model::zone::Zone;
use chatspool::model::{ChatSummary, PackedMs, Place};
use chatspool::spool::live::Snapshot;
use chatspool::tui::app::StatsRequest;
use common::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REPEAT: usize = 9;

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn generated(n: usize) -> Vec<Arc<ChatSummary>> {
    let agents: Vec<Arc<str>> = (0..40)
        .map(|i| Arc::from(format!("Agent {i:02}")))
        .collect();
    let depts: Vec<Arc<str>> = (0..9).map(|i| Arc::from(format!("Dept {i}"))).collect();
    let zones = [
        -480i16, -300, -240, 0, 60, 120, 330, 480, 540, 600, -180, 180,
    ];
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let t0 = 1_700_000_000_000i64;
    (0..n)
        .map(|i| {
            let start = t0 + i64::try_from(r.below(90 * 86_400_000)).unwrap_or(0);
            let missed = r.below(20) == 0;
            let mut who = Vec::new();
            if !missed {
                who.push(agents[usize::try_from(r.below(40)).unwrap_or(0)].clone());
                if r.below(10) == 0 {
                    who.push(agents[usize::try_from(r.below(40)).unwrap_or(0)].clone());
                }
            }
            Arc::new(ChatSummary {
                id: Arc::from(format!("{i:08x}")),
                agents: who.into(),
                place: Place::of(
                    Some(depts[usize::try_from(r.below(9)).unwrap_or(0)].clone()),
                    None,
                    None,
                ),
                started: PackedMs::new(Some(start)),
                ended: PackedMs::new(Some(start + i64::try_from(r.below(3_600_000)).unwrap_or(0))),
                wait_secs: (r.below(10) > 0).then(|| r.below(600)),
                first_response_secs: (!missed).then(|| u32::try_from(r.below(300)).unwrap_or(0)),
                rating: (r.below(3) == 0).then(|| u8::try_from(1 + r.below(5)).unwrap_or(5)),
                visitor_offset_min: (r.below(5) > 0)
                    .then(|| zones[usize::try_from(r.below(12)).unwrap_or(0)]),
                ..ChatSummary::default()
            })
        })
        .collect()
}

fn rows_of(root: &std::path::Path) -> Vec<Arc<ChatSummary>> {
    chatspool::spool::load(root, &|_, _| {})
        .expect("loading the spool")
        .chats()
}

/// The process's time on a CPU so far, summed over its threads
/// (`/proc/self/task/*/schedstat`, nanoseconds): the recomputation folds on every core, and on a
/// shared machine the wall clock also counts the time other processes had the cores.
fn cpu_time() -> Option<Duration> {
    let mut ns = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        ns += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(ns))
}

/// Median and slowest wall time, and the median CPU time, of `REPEAT` recomputations.
fn measure(req: &StatsRequest) -> (Duration, Duration, Option<Duration>) {
    let mut times = Vec::with_capacity(REPEAT);
    let mut cpu = Vec::with_capacity(REPEAT);
    for _ in 0..REPEAT {
        let (c, t) = (cpu_time(), Instant::now());
        let report = req.compute();
        times.push(t.elapsed());
        if let (Some(a), Some(b)) = (c, cpu_time()) {
            cpu.push(b.saturating_sub(a));
        }
        assert!(report.total.chats <= req.order.len());
    }
    let cpu = (cpu.len() == REPEAT).then(|| median(&cpu));
    (median(&times), worst(&times), cpu)
}

fn main() {
    private_cache();
    println!("# stats bench: {}", machine());
    let sets: Vec<(String, Vec<Arc<ChatSummary>>)> =
        if std::env::var_os("CHATSPOOL_BENCH_SPOOL").is_some() {
            spools()
                .into_iter()
                .map(|root| (root.display().to_string(), rows_of(&root)))
                .collect()
        } else {
            let sizes =
                std::env::var("CHATSPOOL_BENCH_SIZES").unwrap_or_else(|_| "10000,100000".into());
            sizes
                .split(',')
                .filter_map(|s| s.trim().parse::<usize>().ok())
                .map(|n| (format!("{n} generated rows"), generated(n)))
                .collect()
        };
    println!(
        "\n| rows | selection | zone | median | slowest of {REPEAT} | CPU time (all threads), median | target |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, rows) in sets {
        let n = rows.len();
        let snapshot = Arc::new(Snapshot {
            chats: rows.into(),
            ..Snapshot::default()
        });
        let all: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
        let half: Vec<u32> = all.iter().copied().filter(|i| i % 2 == 0).collect();
        let target = if n >= 1_000_000 {
            "500 ms"
        } else if n >= 100_000 {
            "50 ms"
        } else {
            ""
        };
        for (label, order) in [("all", &all), ("every 2nd", &half)] {
            for zone in [
                Zone::Utc,
                "Europe/Paris".parse().expect("zone"),
                Zone::Visitor,
            ] {
                let req = StatsRequest {
                    generation: 1,
                    snapshot: snapshot.clone(),
                    order: order.as_slice().into(),
                    zone,
                    sla: None,
                    reviews: Default::default(),
                };
                let (med, slow, cpu) = measure(&req);
                println!(
                    "| {name} | {label} ({}) | {zone} | {} | {} | {} | {target} |",
                    order.len(),
                    show(med),
                    show(slow),
                    cpu.map_or_else(|| "-".into(), show)
                );
            }
        }
    }
}
