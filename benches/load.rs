//! Loading a spool: `chatspool list --json` with and without the index cache, side by side with
//! the floor (`cat` over the same files) and with `jq` doing an agent selection; an in-process
//! breakdown of where the time goes; resident memory per chat.
//!
//! ```text
//! cargo bench --bench load                                   # generated 10k and 100k spools
//! CHATSPOOL_BENCH_SPOOL=/tmp/spool-1m cargo bench --bench load   # existing spool(s), ':'-separated
//! CHATSPOOL_BENCH_RUNS=7 CHATSPOOL_BENCH_SIZES=10000,100000,1000000 cargo bench --bench load
//! ```
//! Every figure is printed next to its target. Times are medians of interleaved runs (each round
//! runs every command once), warm page cache.

mod common;

use chatspool::query::Query;
use chatspool::spool::cache;
use common::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_chatspool");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss") {
        rss_child(Path::new(&args[i + 1]));
        return;
    }
    let xdg = private_cache();
    let runs: usize = std::env::var("CHATSPOOL_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    println!("# load bench: {}", machine());
    println!("# cache directory {}", xdg.display());
    for spool in spools() {
        measure(&spool, runs);
    }
}

fn measure(spool: &Path, runs: usize) {
    let (files, bytes) = du(spool);
    println!(
        "\n## {} — {files} files, {:.0} MB",
        spool.display(),
        bytes as f64 / 1e6
    );
    let q = |s: &str| sh_quote(s);
    let dir = q(&spool.to_string_lossy());
    let agent = busiest_agent(spool);
    let cat = format!("find {dir} -type f -print0 | xargs -0 cat > /dev/null");
    let nocache = format!("{} list {dir} --json --no-cache > /dev/null", q(BIN));
    let cached = format!("{} list {dir} --json > /dev/null", q(BIN));
    let by_agent = format!(
        "{} list {dir} --json --query {} > /dev/null",
        q(BIN),
        q(&format!("agent:\"{agent}\""))
    );
    let jq = format!(
        "find {dir} -type f -name '*.json' -print0 | xargs -0 jq -c {} > /dev/null",
        q(&format!(
            "select(.chat.operators[]?.display_name == \"{}\")",
            agent.replace('"', "\\\"")
        ))
    );

    // The first cached run finds no cache (or an outdated one) and writes it.
    clear_cache(spool);
    let (first, _) = run_sh(&cached);

    let mut t: HashMap<&str, Vec<Duration>> = HashMap::new();
    let mut rss: HashMap<&str, u64> = HashMap::new();
    let jq_runs = if !have("jq") {
        0
    } else if files > 300_000 {
        1
    } else {
        runs.min(3)
    };
    for round in 0..runs {
        let mut cmds: Vec<(&str, &str)> = vec![
            ("cat", &cat),
            ("nocache", &nocache),
            ("cached", &cached),
            ("agent", &by_agent),
        ];
        if round < jq_runs {
            cmds.push(("jq", &jq));
        }
        for (name, cmd) in cmds {
            let (d, m) = run_sh(cmd);
            t.entry(name).or_default().push(d);
            if let Some(m) = m {
                let e = rss.entry(name).or_default();
                *e = (*e).max(m);
            }
        }
    }
    let med = |k: &str| t.get(k).map(|v| median(v));
    let floor = med("cat").unwrap_or_default();
    let ratio = |k: &str| med(k).map_or(f64::NAN, |d| d.as_secs_f64() / floor.as_secs_f64());
    let mem = |k: &str| {
        rss.get(k)
            .map_or_else(String::new, |kb| format!("{:.0} MB", *kb as f64 / 1024.0))
    };
    println!("| what | median of {runs} | vs cat floor | target | peak RSS |");
    println!("|---|---|---|---|---|");
    println!(
        "| cat floor: `find | xargs cat` | {} | 1.00x | | {} |",
        show(floor),
        mem("cat")
    );
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "| `list --json --no-cache` | {} | {:.2}x | <= 1.2x ({}) | {} |",
        show(med("nocache").unwrap_or_default()),
        ratio("nocache"),
        verdict(ratio("nocache") <= 1.2),
        mem("nocache")
    );
    println!(
        "| `list --json`, first run (writes the cache) | {} | {:.2}x | | |",
        show(first),
        first.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "| `list --json`, cache present | {} | {:.2}x | <= 0.25x ({}) | {} |",
        show(med("cached").unwrap_or_default()),
        ratio("cached"),
        verdict(ratio("cached") <= 0.25),
        mem("cached")
    );
    let agent_t = med("agent").unwrap_or_default();
    println!(
        "| `list --query 'agent:\"{agent}\"' --json`, cache present | {} | {:.2}x | | {} |",
        show(agent_t),
        ratio("agent"),
        mem("agent")
    );
    match med("jq") {
        Some(j) => {
            let x = j.as_secs_f64() / agent_t.as_secs_f64();
            println!(
                "| jq, same selection (peer) | {} | {:.2}x | chatspool >= 20x faster: {x:.0}x ({}) | {} |",
                show(j),
                ratio("jq"),
                verdict(x >= 20.0),
                mem("jq")
            );
            let nc = med("nocache").unwrap_or_default();
            println!(
                "| (jq vs `list --no-cache --query`, no cache at all) | | | {:.1}x | |",
                j.as_secs_f64() / nc.as_secs_f64()
            );
        }
        None => println!("| jq | not installed | | | |"),
    }
    breakdown(spool);
    rss_report(spool);
}

/// The most frequent agent name, for the `agent:` selection.
fn busiest_agent(spool: &Path) -> String {
    let store = chatspool::spool::load(spool, &|_, _| {}).expect("loading the spool");
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let chats = store.chats();
    for c in &chats {
        for a in c.agents.iter() {
            *counts.entry(a).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(name, n)| (*n, std::cmp::Reverse(*name)))
        .map_or_else(|| "nobody".into(), |(name, _)| name.to_string())
}

fn clear_cache(spool: &Path) {
    if let Some(p) = std::fs::canonicalize(spool)
        .ok()
        .and_then(|c| cache::index_path(&c))
    {
        let _ = std::fs::remove_file(p);
    }
}

/// Where the time of one `list --json` goes, in process (median of 3).
fn breakdown(spool: &Path) {
    println!("\nbreakdown in process (median of 3, ms):");
    println!("| path | walk+stat (+read cache) | parse | store | write cache | chats() | search+sort | JSON | total |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, use_cache) in [("no cache", false), ("cache", true)] {
        let mut rows = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let (store, stats) = cache::load(
                spool,
                chatspool::spool::Reading {
                    cache: use_cache,
                    ..Default::default()
                },
                &|_, _| {},
            );
            let t1 = Instant::now();
            let chats = store.chats();
            let chats_ms = ms(t1.elapsed());
            let t2 = Instant::now();
            let order = chatspool::search::run(&chats, &Query::default(), None, spool);
            let search_ms = ms(t2.elapsed());
            let t3 = Instant::now();
            let picked: Vec<_> = order.iter().map(|&i| chats[i].clone()).collect();
            let mut out = std::io::BufWriter::new(std::io::sink());
            chatspool::cli::write_list_json(&mut out, &picked, &Default::default(), None)
                .expect("serialising");
            out.flush().expect("flushing");
            let json_ms = ms(t3.elapsed());
            let total = ms(t.elapsed());
            rows.push([
                stats.walk_ms,
                stats.parse_ms,
                stats.store_ms,
                stats.write_ms,
                chats_ms,
                search_ms,
                json_ms,
                total,
            ]);
        }
        rows.sort_by(|a, b| a[7].total_cmp(&b[7]));
        let r = rows[1];
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
        );
    }
}

/// Resident memory per chat, measured in a fresh process (`--rss DIR`).
fn rss_report(spool: &Path) {
    let out = std::process::Command::new(std::env::current_exe().expect("bench path"))
        .arg("--rss")
        .arg(spool)
        .output()
        .expect("running the RSS child");
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<f64> = text
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    if let [before, after, chats, list, indexed] = nums[..] {
        let per = (after - before) / chats;
        let viewer = (indexed - before) / chats;
        let verdict = |b: f64| if b <= 1024.0 { "ok" } else { "MISSED" };
        println!(
            "\nresident memory: {:.0} MB before, {:.0} MB after loading {chats} chats: {per:.0} bytes per chat \
             (target <= 1024: {}); with the sorted list of rows a view keeps: {:.0} bytes per chat; \
             with the search index too (store, list and index): {viewer:.0} bytes per chat (target <= 1024: {})",
            before / 1e6,
            after / 1e6,
            verdict(per),
            (list - before) / chats,
            verdict(viewer)
        );
    } else {
        println!("\nresident memory: could not measure ({text})");
    }
}

/// In a fresh process: RSS before and after loading the store (cache present), then after
/// building the list a view holds.
fn rss_child(spool: &Path) {
    let before = rss_bytes().unwrap_or(0);
    let store = chatspool::spool::load(spool, &|_, _| {}).expect("loading");
    let after = rss_bytes().unwrap_or(0);
    let chats = store.chats();
    let order = chatspool::search::run(&chats, &Query::default(), None, spool);
    let list = rss_bytes().unwrap_or(0);
    let index = chatspool::query::SearchIndex::build(&chats);
    let indexed = rss_bytes().unwrap_or(0);
    println!("{before} {after} {} {list} {indexed}", store.len());
    std::hint::black_box((order, index));
}
