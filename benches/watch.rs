//! How fast the watcher notices new chats: `cargo bench --bench watch`.
//!
//! - Latency from a file being closed to its chat being in a published snapshot, with inotify
//!   and with polling every second. Files arrive one at a time, 110–250 ms apart (chats arrive
//!   seconds apart in real life; closer than 100 ms the update throttle decides, see the third
//!   row).
//! - A backlog replay: 50,000 files written into the spool as fast as one thread can, until the
//!   snapshot holds every chat, with inotify and with polling.
//!
//! `CHATSPOOL_BENCH_FILES` (latency sample, default 200) and `CHATSPOOL_BENCH_BURST` (default
//! 50000) shrink the run; `cargo bench --bench watch -- burst` (or `latency`, `inotify`, `poll`)
//! runs only the rows whose name contains the word.

use chatspool::spool::live::Update;
use chatspool::spool::watch::{self, Mode};
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const VENDOR: &str = include_str!("../tests/fixtures/variants/vendor-sample.json");
const VENDOR_ID: &str = "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn body(id: &str) -> String {
    VENDOR.replace(VENDOR_ID, id)
}

/// A tiny xorshift: jitter without a dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Updates with the instant each was published.
fn start(root: &Path, mode: Mode) -> (watch::Handle, Receiver<(Instant, Update)>) {
    let (tx, rx) = channel();
    let h = watch::spawn(
        root.to_path_buf(),
        mode,
        None,
        Default::default(),
        move |u| {
            let _ = tx.send((Instant::now(), u));
        },
    )
    .unwrap();
    loop {
        let (_, u) = rx.recv().unwrap();
        if u.snapshot.progress.finished {
            break;
        }
    }
    (h, rx)
}

fn seed(root: &Path, n: usize) {
    for i in 0..n {
        let d = root.join(format!("seed/{}", i % 10));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(format!("{i}.json")), body(&format!("seed-{i}"))).unwrap();
    }
}

struct Stats {
    median: Duration,
    p99: Duration,
    max: Duration,
    missed: usize,
}

fn stats(mut v: Vec<Duration>, missed: usize) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    Stats {
        median: at(0.5),
        p99: at(0.99),
        max: *v.last().unwrap(),
        missed,
    }
}

/// Write `n` files `gap` apart (plus jitter), then match each to the update that first
/// carried its chat.
fn latency(mode: Mode, n: usize, gap: (u64, u64)) -> Stats {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 1000);
    let (handle, rx) = start(dir.path(), mode);
    // The load's last snapshot was just published: let the update throttle (100 ms) lapse so
    // the first file is not measured against it.
    std::thread::sleep(Duration::from_millis(150));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut closed: HashMap<String, Instant> = HashMap::new();
    let mut seen: HashMap<String, Instant> = HashMap::new();
    let take = |seen: &mut HashMap<String, Instant>, wait: Duration| {
        if let Ok((at, u)) = rx.recv_timeout(wait) {
            for (_, c) in &u.changes {
                seen.entry(c.id.to_string()).or_insert(at);
            }
        }
    };
    for i in 0..n {
        let id = format!("lat-{i}");
        let data = body(&id);
        std::fs::write(dir.path().join(format!("{id}.json")), data).unwrap();
        closed.insert(id, Instant::now());
        let next = Instant::now() + Duration::from_millis(gap.0 + rng.below(gap.1 - gap.0));
        while Instant::now() < next {
            take(&mut seen, next.saturating_duration_since(Instant::now()));
        }
    }
    let end = Instant::now() + Duration::from_secs(10);
    while seen.len() < n && Instant::now() < end {
        take(&mut seen, Duration::from_millis(50));
    }
    drop(handle);
    let lat: Vec<Duration> = closed
        .iter()
        .filter_map(|(id, c)| seen.get(id).map(|s| s.saturating_duration_since(*c)))
        .collect();
    stats(lat, n - seen.len())
}

struct Burst {
    wrote: Duration,
    absorbed: Duration,
    after_last: Duration,
    updates: usize,
    /// Spacing of updates once the first one came.
    min_gap: Duration,
    max_gap: Duration,
    loaded: usize,
    twice: usize,
    problems: usize,
    rescans: bool,
}

/// How a backlog lands in the spool.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// Each file written in place.
    Write,
    /// Each file written elsewhere on the same filesystem first, then renamed in (the write
    /// speed of the disk out of the picture: this measures the watcher).
    Rename,
    /// One directory holding every file, moved in with one rename.
    MoveDir,
}

/// Runs keep their temporary spools until the end: deleting 50,000 files slows the next writes
/// (ext4 with `discard`), which would penalise whichever run comes next.
fn burst(mode: Mode, n: usize, how: Replay, keep: &mut Vec<tempfile::TempDir>) -> Burst {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 100);
    let stage = tempfile::tempdir().unwrap();
    if how != Replay::Write {
        write_replay(stage.path(), n);
    }
    let (handle, rx) = start(dir.path(), mode);
    let root = dir.path().to_path_buf();
    let from = stage.path().to_path_buf();
    let t0 = Instant::now();
    let writer = std::thread::spawn(move || {
        match how {
            Replay::Write => write_replay(&root, n),
            Replay::Rename => {
                for i in 0..n {
                    let rel = format!("replay/{:02}", i / 1000);
                    if i % 1000 == 0 {
                        std::fs::create_dir_all(root.join(&rel)).unwrap();
                    }
                    let name = format!("{rel}/{i}.json");
                    std::fs::rename(from.join(&name), root.join(&name)).unwrap();
                }
            }
            Replay::MoveDir => std::fs::rename(from.join("replay"), root.join("replay")).unwrap(),
        }
        Instant::now()
    });
    let mut reported: HashMap<String, u32> = HashMap::new();
    let mut updates = 0;
    let mut last_at: Option<Instant> = None;
    let mut min_gap = Duration::MAX;
    let mut max_gap = Duration::ZERO;
    let mut rescans = false;
    let deadline = t0 + Duration::from_secs(300);
    let (done_at, snap) = loop {
        let (at, u) = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the burst was not absorbed within 5 minutes");
        updates += 1;
        if let Some(last) = last_at {
            min_gap = min_gap.min(at - last);
            max_gap = max_gap.max(at - last);
        }
        last_at = Some(at);
        rescans |= u
            .snapshot
            .watch
            .as_deref()
            .is_some_and(|w| w.contains("rescan"));
        for (_, c) in &u.changes {
            *reported.entry(c.id.to_string()).or_default() += 1;
        }
        if u.snapshot.chats.len() >= n + 100 {
            break (at, u.snapshot);
        }
    };
    let written = writer.join().unwrap();
    drop(handle);
    keep.push(dir);
    keep.push(stage);
    Burst {
        wrote: written - t0,
        absorbed: done_at - t0,
        after_last: done_at.saturating_duration_since(written),
        updates,
        min_gap,
        max_gap,
        loaded: snap.chats.len() - 100,
        twice: reported.values().filter(|&&k| k > 1).count(),
        problems: snap.problems.len(),
        rescans,
    }
}

/// A replay into dated directories, created as it goes.
fn write_replay(root: &Path, n: usize) {
    for i in 0..n {
        let d = root.join(format!("replay/{:02}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&d).unwrap();
        }
        std::fs::write(d.join(format!("{i}.json")), body(&format!("burst-{i}"))).unwrap();
    }
}

fn ms(d: Duration) -> String {
    if d >= Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let fs = std::fs::read_to_string("/proc/self/mountinfo")
        .ok()
        .and_then(|t| {
            let tmp = std::fs::canonicalize(std::env::temp_dir()).ok()?;
            let mounts = watch::fstype::parse_mountinfo(&t);
            watch::fstype::mount_of(&mounts, &tmp).map(|m| m.fstype.clone())
        })
        .unwrap_or_else(|| "?".into());
    format!("{cores} cores, temp dir on {fs}")
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let n = env_usize("CHATSPOOL_BENCH_FILES", 200);
    let big = env_usize("CHATSPOOL_BENCH_BURST", 50_000);
    println!("chatspool watch benchmark ({})", machine());
    println!(
        "spools seeded with 1,000 chats; files of {} bytes\n",
        VENDOR.len()
    );
    println!(
        "{:<46} {:>10} {:>10} {:>10}  target",
        "close → chat in a published snapshot", "median", "p99", "max"
    );
    let rows = [
        (
            format!("inotify, {n} files 110–250 ms apart"),
            Mode::Notify,
            n,
            (110, 250),
            "p99 < 50 ms",
        ),
        (
            format!("poll every 1 s, {n} files 110–250 ms apart"),
            Mode::Poll(Duration::from_secs(1)),
            n,
            (110, 250),
            "p99 < 1 s + 300 ms",
        ),
        (
            format!("inotify, {} files 10–30 ms apart", n / 2),
            Mode::Notify,
            n / 2,
            (10, 30),
            "≤ 100 ms throttle + p99 above",
        ),
    ];
    for (label, mode, count, gap, target) in rows {
        if !wanted(&format!("latency {label}")) {
            continue;
        }
        let s = latency(mode, count, gap);
        let missed = if s.missed > 0 {
            format!("  ({} never seen!)", s.missed)
        } else {
            String::new()
        };
        println!(
            "{label:<46} {:>10} {:>10} {:>10}  {target}{missed}",
            ms(s.median),
            ms(s.p99),
            ms(s.max)
        );
    }
    println!(
        "\nbacklog replay of {big} files into new dated directories (one thread): written in \
         place, renamed in one by one from the same filesystem, or moved in as one directory"
    );
    let mut keep = Vec::new();
    let poll = Duration::from_secs(1);
    for (label, mode, how, target) in [
        ("inotify, written", Mode::Notify, Replay::Write, "≤ 2 s"),
        ("inotify, renamed", Mode::Notify, Replay::Rename, "≤ 2 s"),
        ("inotify, dir moved", Mode::Notify, Replay::MoveDir, "≤ 2 s"),
        (
            "poll 1 s, written",
            Mode::Poll(poll),
            Replay::Write,
            "≤ 1 s + 2 s",
        ),
        (
            "poll 1 s, renamed",
            Mode::Poll(poll),
            Replay::Rename,
            "≤ 1 s + 2 s",
        ),
    ] {
        if !wanted(&format!("burst {label}")) {
            continue;
        }
        let b = burst(mode, big, how, &mut keep);
        println!(
            "{label:<18} {} of {big} loaded {} after the first write, {} after the last \
             (target {target}); writing took {}",
            b.loaded,
            ms(b.absorbed),
            ms(b.after_last),
            ms(b.wrote),
        );
        println!(
            "{:<18} {} updates, {}–{} apart (target: ≥ ~100 ms, never stalled); reported \
             twice: {} (target 0); problems: {}; overflow rescan: {}",
            "",
            b.updates,
            if b.updates > 1 {
                ms(b.min_gap)
            } else {
                "-".into()
            },
            if b.updates > 1 {
                ms(b.max_gap)
            } else {
                "-".into()
            },
            b.twice,
            b.problems,
            if b.rescans { "yes" } else { "no" },
        );
    }
    println!("\n(cleaning up the temporary spools)");
    drop(keep);
}
