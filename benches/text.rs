//! Transcript text search (`text:`) through the text store: the viewer's keystrokes, `list
//! --query text:refund` beside the plain cached `list` and `grep -rl` / `rg -l` over the same
//! spool, the store's size beside the transcripts', what building it adds to a first load, and
//! anonymous memory per chat after searches.
//!
//! ```text
//! cargo bench --bench text                                  # generated 10k and 100k spools
//! CHATSPOOL_BENCH_SPOOL=/tmp/h13-100k cargo bench --bench text
//! CHATSPOOL_BENCH_ONLY=viewer cargo bench --bench text      # one part: load, viewer or cli
//! ```
//! Every figure is printed next to its target. Times are medians of interleaved runs, warm page
//! cache.

mod common;

use chatspool::model::ChatSummary;
use chatspool::query::{Hit, Query, SearchIndex};
use chatspool::search::{self, TextSource};
use chatspool::spool::{cache, Reading};
use common::*;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_chatspool");

/// Typed one key at a time, and pasted whole (the last two).
const TYPED: &[&str] = &["refund", "cancel my subscription"];
const PASTED: &[&str] = &["text:\"order 9280\"", "text:delivery !text:refund"];

fn main() {
    // As the viewer does (src/tui.rs).
    chatspool::memory::limit_arenas();
    let xdg = private_cache();
    let runs: usize = std::env::var("CHATSPOOL_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    println!("# text bench: {}", machine());
    for root in spools() {
        let (files, bytes) = du(&root);
        println!(
            "\n## {} — {files} files, {:.0} MB",
            root.display(),
            bytes as f64 / 1e6
        );
        // CHATSPOOL_BENCH_ONLY=viewer|cli|load measures one part.
        let only = std::env::var("CHATSPOOL_BENCH_ONLY").unwrap_or_default();
        let part = |name: &str| only.is_empty() || only == name;
        if part("load") {
            first_load(&root, &xdg);
        }
        if part("viewer") {
            viewer(&root);
        }
        if part("cli") {
            cli(&root, runs);
        }
    }
}

/// A first, uncached load with and without the text store (each from an empty cache).
fn first_load(root: &Path, xdg: &Path) {
    let fresh = || {
        let _ = std::fs::remove_dir_all(xdg.join("chatspool"));
    };
    let mut with = Vec::new();
    let mut without = Vec::new();
    for _ in 0..2 {
        fresh();
        let t = Instant::now();
        drop(cache::load_texts(
            root,
            Reading::default(),
            false,
            &|_, _| {},
        ));
        without.push(t.elapsed());
        fresh();
        let t = Instant::now();
        let (store, stats) = cache::load_texts(root, Reading::default(), true, &|_, _| {});
        with.push(t.elapsed());
        if with.len() == 2 {
            let texts = store.texts.as_ref().expect("a text store");
            let transcripts: u64 = store
                .files()
                .flat_map(|(_, e)| e.record.chats.iter())
                .map(|c| u64::from(c.transcript_len))
                .sum();
            let file = std::fs::metadata(texts_file(xdg)).map_or(0, |m| m.len());
            println!(
                "store: {:.1} MB file ({:.1} MB folded text) for {:.1} MB of transcripts: {:.2}x (target <= 0.6x); finishing it took {:.0} ms",
                file as f64 / 1e6,
                texts.text_bytes() as f64 / 1e6,
                transcripts as f64 / 1e6,
                file as f64 / transcripts.max(1) as f64,
                stats.texts_ms
            );
        }
    }
    let (w, wo) = (median(&with), median(&without));
    println!(
        "first uncached load: {} with the text store, {} without: +{:.0}% (target <= 30%)",
        show(w),
        show(wo),
        (ms(w) / ms(wo) - 1.0) * 100.0
    );
}

fn texts_file(xdg: &Path) -> std::path::PathBuf {
    std::fs::read_dir(xdg.join("chatspool"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "text"))
        .unwrap_or_default()
}

/// The viewer's matcher, in process: the rows of a cached load, their search index and text
/// ids (as a snapshot holds them), each keystroke narrowing the previous hits when it can.
fn viewer(root: &Path) {
    let (store, _) = cache::load(root, Reading::default(), &|_, _| {});
    let chats: Vec<Arc<ChatSummary>> = store.chats();
    let Some(texts) = store.texts.as_deref() else {
        println!("no text store (spool too small?)");
        return;
    };
    let ids = texts.ids_for(&chats, &store);
    let index = SearchIndex::build(&chats);
    let src = TextSource { texts, ids: &ids };
    let now = chrono::Utc::now();
    let mut times = Vec::new();
    let mut slowest = (std::time::Duration::ZERO, String::new());
    for round in 0..3 {
        let mut inputs: Vec<String> = Vec::new();
        for word in TYPED {
            for end in 1..=word.len() {
                inputs.push(format!("text:\"{}\"", &word[..end]));
            }
        }
        inputs.extend(PASTED.iter().map(|s| s.to_string()));
        let mut last: Option<(Query, Vec<Hit>)> = None;
        for input in inputs {
            let query = Query::parse(&input, now).expect("query");
            let prev = last
                .as_ref()
                .filter(|(q, _)| q.narrows(&query))
                .map(|(_, h)| h.as_slice());
            let t = Instant::now();
            let with = search::With {
                texts: Some(src),
                ..search::With::default()
            };
            let found = search::run_texts(index.as_ref(), &chats, &query, None, root, prev, with)
                .expect("not cancelled");
            let took = t.elapsed();
            if round > 0 {
                times.push(took);
                if took > slowest.0 {
                    slowest = (took, input.clone());
                }
            }
            last = Some((query, found.by_row));
        }
    }
    println!(
        "viewer text: query at {} chats ({} keystrokes and pastes): median {}, worst {} (`{}`) (targets <= 16 ms, <= 50 ms)",
        chats.len(),
        times.len(),
        show(median(&times)),
        show(worst(&times)),
        slowest.1
    );
    // As the viewer's loader, indexer and matcher do after their work.
    chatspool::memory::give_back();
    let anon = rss_anon().unwrap_or(0);
    println!(
        "RssAnon after loading, indexing and searching: {:.0} MB, {} B a chat (target <= 1024 B for the whole viewer)",
        anon as f64 / 1e6,
        anon / chats.len().max(1) as u64
    );
    std::mem::forget(store);
}

fn rss_anon() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `list --query text:refund --json` beside the plain cached list and grep/ripgrep.
fn cli(root: &Path, runs: usize) {
    let dir = sh_quote(&root.to_string_lossy());
    let bin = sh_quote(BIN);
    let mut cmds = vec![
        (
            "list --json (cached)",
            format!("{bin} list {dir} --json > /dev/null"),
        ),
        (
            "list --query text:refund --json",
            format!("{bin} list {dir} --query text:refund --json > /dev/null"),
        ),
        (
            "grep -rl refund",
            format!("grep -rl refund {dir} > /dev/null"),
        ),
    ];
    if have("rg") {
        cmds.push(("rg -l refund", format!("rg -l refund {dir} > /dev/null")));
    }
    // Warm the cache and the page cache.
    for (_, c) in &cmds {
        run_sh(c);
    }
    let mut times = vec![Vec::new(); cmds.len()];
    for _ in 0..runs {
        for (i, (_, c)) in cmds.iter().enumerate() {
            times[i].push(run_sh(c).0);
        }
    }
    println!("| command | median |");
    println!("|---|---|");
    for ((name, _), t) in cmds.iter().zip(&times) {
        println!("| `{name}` | {} |", show(median(t)));
    }
    let (plain, text, grep) = (median(&times[0]), median(&times[1]), median(&times[2]));
    println!(
        "text: list is {:.2}x the plain cached list (target <= 1.3x), {:.2}x grep -rl (target < 1x)",
        ms(text) / ms(plain),
        ms(text) / ms(grep)
    );
}
