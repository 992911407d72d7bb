//! Shared by the benchmarks: where the spools come from, timing helpers, peers.
//!
//! Spools: `CHATSPOOL_BENCH_SPOOL=DIR[:DIR...]` measures existing spools; otherwise spools of
//! `CHATSPOOL_BENCH_SIZES` chats (default `10000,100000`) are generated once under
//! `CHATSPOOL_BENCH_DIR` (default `/tmp/chatspool-bench`) with
//! `cargo run --release --example gen_spool -- --out DIR --count N --layout dated --seed 7` and
//! kept for the next run. Caches go to `CHATSPOOL_BENCH_DIR/xdg`, never to the real home.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn bench_dir() -> PathBuf {
    std::env::var_os("CHATSPOOL_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/chatspool-bench"), PathBuf::from)
}

/// Point the XDG cache at the bench directory, for this process and every child.
pub fn private_cache() -> PathBuf {
    let xdg = bench_dir().join("xdg");
    std::fs::create_dir_all(&xdg).expect("creating the bench cache directory");
    std::env::set_var("XDG_CACHE_HOME", &xdg);
    xdg
}

/// The spools to measure, smallest first.
pub fn spools() -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os("CHATSPOOL_BENCH_SPOOL") {
        return std::env::split_paths(&list).collect();
    }
    let sizes = std::env::var("CHATSPOOL_BENCH_SIZES").unwrap_or_else(|_| "10000,100000".into());
    sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
        .map(|n| {
            let dir = bench_dir().join(format!("spool-{n}"));
            if !dir.join(".complete").exists() {
                generate(&dir, n);
            }
            dir
        })
        .collect()
}

fn generate(dir: &Path, n: u64) {
    eprintln!("generating {n} chats in {} (once)...", dir.display());
    let _ = std::fs::remove_dir_all(dir);
    let status = Command::new(env!("CARGO"))
        .args([
            "run",
            "--release",
            "--quiet",
            "--example",
            "gen_spool",
            "--",
        ])
        .arg("--out")
        .arg(dir)
        .args([
            "--count",
            &n.to_string(),
            "--layout",
            "dated",
            "--seed",
            "7",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("running cargo");
    assert!(
        status.success(),
        "generating the spool failed; set CHATSPOOL_BENCH_SPOOL=DIR to measure an existing spool"
    );
    // A marker outside the spool's naming rules (hidden): the loader never reads it.
    std::fs::write(dir.join(".complete"), b"").expect("marking the spool complete");
}

/// Files and bytes in a spool.
pub fn du(dir: &Path) -> (usize, u64) {
    let out = Command::new("sh")
        .arg("-c")
        .arg("find \"$0\" -type f -name '*.json*' -printf '%s\\n'")
        .arg(dir)
        .output()
        .expect("running find");
    let text = String::from_utf8_lossy(&out.stdout);
    let sizes: Vec<u64> = text.lines().filter_map(|l| l.parse().ok()).collect();
    (sizes.len(), sizes.iter().sum())
}

/// Run a shell command, output discarded; wall time and peak RSS in KiB (when GNU time is
/// installed). Panics when the command fails.
pub fn run_sh(cmd: &str) -> (Duration, Option<u64>) {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let rss_file = bench_dir().join("rss.txt");
    let mut c = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file);
        c.args(["sh", "-c", cmd]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", cmd]);
        c
    };
    let t = Instant::now();
    let status = c
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("running {cmd}: {e}"));
    let took = t.elapsed();
    assert!(status.success(), "{cmd} failed: {status}");
    let rss = gnu_time
        .then(|| std::fs::read_to_string(&rss_file).ok())
        .flatten()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    (took, rss)
}

/// Whether a program is on the PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

/// Single-quote a string for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub fn median(xs: &[Duration]) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    v[v.len() / 2]
}

pub fn pct(xs: &[Duration], p: f64) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

pub fn worst(xs: &[Duration]) -> Duration {
    xs.iter().copied().max().unwrap_or_default()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A duration for a table: milliseconds below 10 s.
pub fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 0.01 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{:.2} ms", s * 1e3)
    }
}

/// Resident set size of this process, from `/proc/self/statm`.
pub fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A line of the machine description for the report.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or_else(
            || "?".into(),
            |kb| format!("{:.0} GiB", kb as f64 / 1048576.0),
        );
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("{cores} cores, {mem} RAM, load average {load} at start")
}
