//! Interactive speed: keystroke to updated list (parse the query, filter, sort; as the TUI does
//! it, through a search index of the snapshot, and without one as the CLI does), opening a chat
//! (`spool::load_chat`), and the peer `fzf --filter` over the same visitor/agent lines, with time
//! and memory as the spool grows.
//!
//! ```text
//! cargo bench --bench query                                     # generated 10k and 100k spools
//! CHATSPOOL_BENCH_SPOOL=/tmp/s-10k:/tmp/s-100k:/tmp/s-1m cargo bench --bench query
//! ```
//! The spool is loaded once through the index cache; the rows are the real ones.

mod common;

use chatspool::model::ChatSummary;
use chatspool::query::{Hit, Query, SearchIndex};
use chatspool::search;
use chatspool::spool::{self, Store};
use common::*;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a user types, one keystroke at a time.
const TYPED: &[&str] = &[
    "jason clark",
    "agent:walid",
    "agent:\"pt: jas\"",
    "dept:sup rating:>=4",
    "emma !comm100",
];

/// Repetitions of each keystroke (the median and worst are reported).
const REPEAT: usize = 7;

fn main() {
    private_cache();
    println!("# query bench: {}", machine());
    let mut growth = Vec::new();
    for root in spools() {
        // The first load may parse every file and write the cache; measure the list as it is
        // after a normal start, loaded from the cache. (Rows made by parsing in parallel are
        // scattered through the heap, and every search is then several times slower.)
        drop(spool::load(&root, &|_, _| {}).expect("loading the spool"));
        let t = Instant::now();
        let before = rss_bytes().unwrap_or(0);
        let store = spool::load(&root, &|_, _| {}).expect("loading the spool");
        let load = t.elapsed();
        let chats = store.chats();
        let rss = rss_bytes().unwrap_or(0).saturating_sub(before);
        println!(
            "\n## {} — {} chats (loaded from the cache in {}, {} MB resident for store and list)",
            root.display(),
            chats.len(),
            show(load),
            rss / 1_000_000
        );
        let (median3, worst) = keystrokes(&chats, &root);
        // Generated visitors reuse a few dozen names, which the index stores once; real visitors
        // are mostly distinct people. Measure that worst case too: every name and e-mail unique.
        println!("\n### the same rows with every visitor name and e-mail made distinct");
        keystrokes(&distinct_visitors(&chats), &root);
        let fzf = fzf_peer(&chats);
        open_chats(&store, &chats, &root);
        growth.push((chats.len(), median3, worst, fzf));
    }
    println!("\n## cost growth (typing `jason`, from the third character)");
    println!("(chatspool's memory per chat is measured in a fresh process by the load bench)");
    println!("| chats | chatspool median | chatspool worst | fzf --filter median | fzf worst | fzf peak RSS |");
    println!("|---|---|---|---|---|---|");
    for (n, m, w, fzf) in growth {
        let (fm, fw, fr) = fzf.map_or(("-".into(), "-".into(), "-".into()), |(m, w, r)| {
            (
                show(m),
                show(w),
                r.map_or("-".into(), |kb| format!("{} MB", kb / 1024)),
            )
        });
        println!("| {n} | {} | {} | {fm} | {fw} | {fr} |", show(m), show(w));
    }
}

/// Time every keystroke of every typed query, three ways: as the TUI does it (through the
/// snapshot's search index, refining the previous hits when the new query narrows the old one),
/// through the index from scratch (what a keystroke that widens the query costs, e.g. Backspace),
/// and without an index (what `list --query` does once). Returns the median and worst of the
/// TUI's keystrokes from the third character on.
fn keystrokes(chats: &[Arc<ChatSummary>], root: &Path) -> (Duration, Duration) {
    let n = chats.len();
    let (target_med, target_worst) = if n > 500_000 {
        (None, Duration::from_millis(150))
    } else {
        (Some(Duration::from_millis(5)), Duration::from_millis(16))
    };
    let t = Instant::now();
    let index = SearchIndex::build(chats).expect("indexing the chats");
    println!(
        "\nsearch index: built in {} on the matcher's side thread after a snapshot ({:.0} B a chat)",
        show(t.elapsed()),
        index.heap_bytes() as f64 / n.max(1) as f64
    );
    let ix = Some(&index);
    println!("\nkeystroke to updated list (parse + filter + sort), median / worst of {REPEAT}:");
    println!("| typed | hits | TUI (index, refine when narrowing) | index, from scratch | no index (CLI) |");
    println!("|---|---|---|---|---|");
    let mut tui = Vec::new();
    // Every run of every keystroke, either index column.
    let mut every_run = Vec::new();
    // The slowest keystroke of all (any position, either index column), by its median: the
    // worst case a user meets. The single slowest run is printed too; on a shared machine it
    // mostly measures the neighbours.
    let mut slowest: (Duration, String) = (Duration::ZERO, String::new());
    let mut jason = Vec::new();
    for typed in TYPED {
        let mut prev: Option<(Query, Vec<Hit>)> = None;
        let chars: Vec<(usize, char)> = typed.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let input = &typed[..at + c.len_utf8()];
            // A half-typed term can be an error (`agent:`): the viewer then matches the terms
            // that are complete, leaving that one out.
            let now = chrono::Utc::now();
            let incomplete = Query::parse(input, now).is_err();
            let time = |f: &mut dyn FnMut() -> search::Found| {
                let mut times = Vec::new();
                let mut last = search::Found::default();
                for _ in 0..REPEAT {
                    let t = Instant::now();
                    last = f();
                    times.push(t.elapsed());
                }
                (times, last)
            };
            let parse = || Query::parse_valid(input, now).0;
            let (plain, _) = time(&mut || search::run_from(chats, &parse(), None, root, None));
            let (scratch, found) =
                time(&mut || search::run_indexed(ix, chats, &parse(), None, root, None, None));
            let (inc, narrowed) = time(&mut || {
                let q = parse();
                let from = prev
                    .as_ref()
                    .filter(|(pq, _)| pq.narrows(&q))
                    .map(|(_, h)| h.as_slice());
                search::run_indexed(ix, chats, &q, None, root, from, None)
            });
            assert_eq!(
                narrowed.display, found.display,
                "refining changed the answer"
            );
            let typical = median(&inc).max(median(&scratch));
            if typical > slowest.0 {
                slowest = (typical, input.to_string());
            }
            every_run.extend(inc.iter().chain(&scratch).copied());
            if k >= 2 {
                tui.extend(inc.iter().copied());
                if input.len() <= "jason".len() && typed.starts_with("jason") {
                    jason.extend(inc.iter().copied());
                }
            }
            println!(
                "| `{input}`{} | {} | {} / {} | {} / {} | {} / {} |",
                if incomplete { " (complete terms)" } else { "" },
                found.display.len(),
                show(median(&inc)),
                show(worst(&inc)),
                show(median(&scratch)),
                show(worst(&scratch)),
                show(median(&plain)),
                show(worst(&plain))
            );
            prev = Some((parse(), narrowed.by_row));
        }
    }
    let m = median(&tui);
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    let worst_text = format!(
        "slowest keystroke `{}` {} (target {}: {}; single slowest run {})",
        slowest.1,
        show(slowest.0),
        show(target_worst),
        verdict(slowest.0 <= target_worst),
        show(worst(&every_run))
    );
    match target_med {
        Some(tm) => println!(
            "\nmedian from the third character {} (target {}: {}), {worst_text}",
            show(m),
            show(tm),
            verdict(m <= tm),
        ),
        None => println!(
            "\nmedian from the third character {}, {worst_text}",
            show(m)
        ),
    }
    (median(&jason), worst(&jason))
}

/// Copies of `chats` whose visitor names and e-mails are all different (a number appended).
fn distinct_visitors(chats: &[Arc<ChatSummary>]) -> Vec<Arc<ChatSummary>> {
    chats
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut c = ChatSummary::clone(c);
            c.visitor = Some(format!("{} {i}", c.visitor_display()).into());
            c.visitor_email = c.visitor_email.map(|e| format!("{i}.{e}").into());
            Arc::new(c)
        })
        .collect()
}

/// The same lines fzf would be given (visitor, e-mail, agents), filtered by `fzf --filter` for
/// each prefix of `jason`; median and worst wall time (process start to exit) and peak RSS.
fn fzf_peer(chats: &[Arc<ChatSummary>]) -> Option<(Duration, Duration, Option<u64>)> {
    if !have("fzf") {
        println!("\nfzf: not installed, peer skipped");
        return None;
    }
    let file = bench_dir().join(format!("fzf-lines-{}.txt", chats.len()));
    let mut w = std::io::BufWriter::new(std::fs::File::create(&file).expect("writing fzf lines"));
    for c in chats {
        writeln!(
            w,
            "{}\t{}\t{}",
            c.visitor_display(),
            c.visitor_email.as_deref().unwrap_or(""),
            c.agents.join(", ")
        )
        .expect("writing fzf lines");
    }
    w.flush().expect("writing fzf lines");
    drop(w);
    let mut times = Vec::new();
    let mut peak = None;
    println!(
        "\nfzf --filter over the same {} lines (process start to exit):",
        chats.len()
    );
    for input in ["jas", "jaso", "jason"] {
        let mut these = Vec::new();
        for _ in 0..3 {
            let (d, rss) = run_sh(&format!(
                "fzf --filter {} < {} > /dev/null || true",
                sh_quote(input),
                sh_quote(&file.to_string_lossy())
            ));
            these.push(d);
            peak = peak.max(rss);
        }
        println!("- `{input}`: median {}", show(median(&these)));
        times.extend(these);
    }
    let _ = std::fs::remove_file(&file);
    Some((median(&times), worst(&times), peak))
}

/// `spool::load_chat` (read and parse the full chat, details and transcript) for a sample of
/// chats, and for a chat with 3,000 messages.
fn open_chats(store: &Store, chats: &[Arc<ChatSummary>], root: &Path) {
    let mut times = Vec::new();
    let step = (chats.len() / 2000).max(1);
    for c in chats.iter().step_by(step) {
        let t = Instant::now();
        let chat = spool::load_chat(root, &c.source, &c.id).expect("opening a chat");
        times.push(t.elapsed());
        std::hint::black_box(chat);
    }
    let _ = store;
    let p99 = pct(&times, 0.99);
    println!(
        "\nopening a chat (`load_chat`), {} chats of the spool: median {}, p99 {} (target 5 ms: {}), worst {}",
        times.len(),
        show(median(&times)),
        show(p99),
        if p99 <= Duration::from_millis(5) { "ok" } else { "MISSED" },
        show(worst(&times))
    );
    let (dir, big) = big_chat(3000);
    let source = chatspool::model::Source {
        path: "big.json".into(),
        line: None,
    };
    let mut times = Vec::new();
    let mut entries = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let chat = spool::load_chat(dir.path(), &source, &big).expect("opening the big chat");
        times.push(t.elapsed());
        entries = chat.transcript.len();
    }
    let p99 = pct(&times, 0.99);
    println!(
        "opening a chat with 3,000 messages ({entries} transcript entries, {} KB): median {}, p99 {} (target 5 ms: {})",
        std::fs::metadata(dir.path().join("big.json")).map_or(0, |m| m.len() / 1024),
        show(median(&times)),
        show(p99),
        if p99 <= Duration::from_millis(5) { "ok" } else { "MISSED" }
    );
}

/// A spool holding one chat of `messages` messages (the vendor sample, transcript replaced).
fn big_chat(messages: usize) -> (tempfile::TempDir, String) {
    let mut v: serde_json::Value = serde_json::from_str(include_str!(
        "../tests/fixtures/variants/vendor-sample.json"
    ))
    .expect("vendor sample");
    let mut transcript = String::from("Agent Walid has joined the chat.⊙");
    for i in 0..messages {
        let (h, m, s) = (3 + i / 3600, (i / 60) % 60, i % 60);
        if i % 2 == 0 {
            transcript.push_str(&format!(
                "[{h:02}:{m:02}:{s:02}] Walid: Message {i}: could you try the refund page again?⊙"
            ));
        } else {
            transcript.push_str(&format!(
                "[{h:02}:{m:02}:{s:02}] testName: Reply {i}: still broken: [12:00:00] says error⊙"
            ));
        }
    }
    transcript.push_str("The chat is ended.(23:00:00)⊙");
    v["chat"]["chat_transcript"] = serde_json::json!(transcript);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("big.json"), v.to_string()).expect("writing the big chat");
    let id = v["chat"]["id"].as_str().unwrap_or_default().to_string();
    (dir, id)
}
