//! First response time, percentiles, hour buckets and `--tz` from the outside: the real binary
//! over a temp spool whose expected figures are worked out by hand in the comments.

use serde_json::{json, Value};
use std::path::Path;

mod support;

use support::{chat, write, T0};

/// The binary kept out of the user's directories, with a cache beside the spool.
fn bin(spool: &Path) -> assert_cmd::Command {
    let mut c = support::cached_bin(&spool.join("..").join("xdg-cache"));
    c.env_remove("TZ");
    c
}

fn run(args: &[&str], spool: &Path) -> std::process::Output {
    bin(spool)
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .output()
        .unwrap()
}

fn json_out(args: &[&str], spool: &Path) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(&all, spool);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Five chats (T0 is 2020-09-01T10:00:00Z, a Tuesday):
/// - `f1` starts 10:00:00.000, Walid first speaks at 10:00:05 → 5 s; visitor in GMT -08:00.
/// - `f2` starts 11:00:00.900, Walid at 11:00:05 → 4.1 s, rounded down to 4.
/// - `f3` starts 12:00:00, the visitor speaks at 12:00:01, Ann at 12:01:30 → 90 s.
/// - `f4` starts 13:00:00, only a system line: no agent message → null.
/// - `f5` starts 23:59:50, Ann answers at 00:00:20 the next day → 30 s (across midnight).
fn frt_spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spool");
    let hm = |h: i64, m: i64, s: i64| T0 + ((h - 10) * 3600 + m * 60 + s) * 1000;
    let chats = [
        (
            "f1",
            "Walid",
            hm(10, 0, 0),
            "[10:00:05] Walid: Hello⊙[10:00:09] V1: hi⊙",
            "GMT -08:00",
        ),
        (
            "f2",
            "Walid",
            hm(11, 0, 0) + 900,
            "[11:00:05] Walid: Hi⊙",
            "GMT +05:30",
        ),
        (
            "f3",
            "Ann",
            hm(12, 0, 0),
            "[12:00:01] V3: anyone?⊙[12:01:30] Ann: Sorry⊙",
            "UTC-08:00",
        ),
        (
            "f4",
            "Ann",
            hm(13, 0, 0),
            "The chat is ended.(13:00:10)⊙",
            "",
        ),
        (
            "f5",
            "Ann",
            hm(23, 59, 50),
            "[23:59:55] V5: late⊙[00:00:20] Ann: Here⊙",
            "GMT 06:00",
        ),
    ];
    for (id, agent, start, transcript, tz) in chats {
        let mut c = chat(id, &format!("V{}", &id[1..]), agent, start, "5", transcript);
        c["visitor"]["time_zone"] = json!(tz);
        write(&root, &format!("{id}.json"), c.to_string().as_bytes());
    }
    dir
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn list_json_has_first_response_secs() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let list = json_out(&["list"], &root);
    for (id, want) in [
        ("f1", json!(5)),
        ("f2", json!(4)),
        ("f3", json!(90)),
        ("f4", Value::Null),
        ("f5", json!(30)),
    ] {
        assert_eq!(by_id(&list, id)["first_response_secs"], want, "{id}");
    }
    let show = json_out(&["show", "f3"], &root);
    assert_eq!(show["first_response_secs"], 90);
}

#[test]
fn frt_queries_and_sort() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let ids = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(json_out(
            &["list", "--query", "frt:<=5", "--sort", "oldest"],
            &root
        )),
        ["f1", "f2"]
    );
    assert_eq!(
        ids(json_out(
            &["list", "--query", "first_response:>=30s"],
            &root
        )),
        ["f5", "f3"]
    );
    assert_eq!(
        ids(json_out(
            &["list", "--query", "!frt:<1m", "--sort", "oldest"],
            &root
        )),
        ["f3", "f4"]
    );
    // Longest first, unknown last.
    assert_eq!(
        ids(json_out(&["list", "--sort", "frt"], &root)),
        ["f3", "f5", "f1", "f2", "f4"]
    );
    assert_eq!(
        ids(json_out(&["list", "--query", "agent:^walid$ frt:5"], &root)),
        ["f1"]
    );
}

#[test]
fn stats_percentiles_and_buckets() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let r = json_out(&["stats"], &root);
    // Known first responses 4, 5, 30, 90: p50 is the 2nd smallest, p90 the 4th (⌈0.9 × 4⌉).
    assert_eq!(r["with_first_response"], 4);
    assert_eq!(r["first_response_p50_secs"], 5);
    assert_eq!(r["first_response_p90_secs"], 90);
    assert_eq!(r["avg_first_response_secs"], 32.25);
    // Durations: every chat lasts 95.5 s → 95.
    assert_eq!(r["duration_p50_secs"], 95);
    assert_eq!(r["duration_p90_secs"], 95);
    assert!(r["wait_p50_secs"].is_u64() || r["wait_p50_secs"].is_null());
    let ann = r["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Ann")
        .unwrap();
    assert_eq!(ann["with_first_response"], 2);
    assert_eq!(ann["first_response_p50_secs"], 30);
    assert_eq!(ann["first_response_p90_secs"], 90);
    // Starts in UTC: 10, 11, 12, 13 and 23 o'clock on Tuesday (row 1, Monday first).
    let by_hour: Vec<u64> = serde_json::from_value(r["by_hour"].clone()).unwrap();
    assert_eq!(by_hour.len(), 24);
    for h in [10, 11, 12, 13, 23] {
        assert_eq!(by_hour[h], 1, "hour {h}");
    }
    let grid: Vec<Vec<u64>> = serde_json::from_value(r["by_weekday_hour"].clone()).unwrap();
    assert_eq!(grid.len(), 7);
    assert!(grid.iter().all(|row| row.len() == 24));
    assert_eq!(
        grid[1][10] + grid[1][11] + grid[1][12] + grid[1][13] + grid[1][23],
        5
    );
    assert_eq!(r["tz"], "UTC");
}

#[test]
fn tz_moves_buckets_not_json_times() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let r = json_out(&["stats", "--tz", "+05:30"], &root);
    let grid: Vec<Vec<u64>> = serde_json::from_value(r["by_weekday_hour"].clone()).unwrap();
    // 10:00Z is 15:30 on Tuesday; 23:59:50Z is 05:29 on Wednesday.
    assert_eq!(grid[1][15], 1);
    assert_eq!(grid[2][5], 1);
    assert_eq!(r["first_started_at"], "2020-09-01T10:00:00Z");
    let r = json_out(&["stats", "--tz", "America/New_York"], &root);
    let grid: Vec<Vec<u64>> = serde_json::from_value(r["by_weekday_hour"].clone()).unwrap();
    assert_eq!(grid[1][6], 1, "10:00Z is 06:00 EDT");
    // Each visitor's own zone: f1 at 02:00 (-08:00), f2 at 16:30 (+05:30), f3 at 04:00 (-08:00),
    // f4 (no zone) at 13:00 UTC, f5 at 05:59 on Wednesday (+06:00).
    let r = json_out(&["stats", "--tz", "visitor"], &root);
    let grid: Vec<Vec<u64>> = serde_json::from_value(r["by_weekday_hour"].clone()).unwrap();
    for (day, hour) in [(1, 2), (1, 16), (1, 4), (1, 13), (2, 5)] {
        assert_eq!(grid[day][hour], 1, "{day} {hour}");
    }
    let list = json_out(&["list", "--tz", "Asia/Tokyo"], &root);
    assert_eq!(by_id(&list, "f1")["started_at"], "2020-09-01T10:00:00Z");
    let out = run(&["list", "--tz", "Asia/Tokyo"], &root);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("STARTED (Asia/Tokyo)"), "{text}");
    assert!(
        text.contains("2020-09-01 19:00"),
        "10:00Z is 19:00 in Tokyo: {text}"
    );
    let out = run(&["stats", "--tz", "Mars/Olympus"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mars/Olympus"));
}

#[test]
fn stats_plain_prints_durations_like_list() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let out = run(&["stats"], &root);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1m 35s"), "duration 95 s: {text}");
    assert!(text.contains("1m 30s"), "first response p90 90 s: {text}");
    assert!(text.contains("FRT P90"), "{text}");
    assert!(
        text.contains("CHAT STARTS BY WEEKDAY AND HOUR (UTC)"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
}

/// One zone setting, three sources: `--tz` wins over the config file's `tz`, which wins over UTC.
#[test]
fn tz_flag_beats_the_config_file_which_beats_utc() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let config = d.path().join("config");
    std::fs::create_dir_all(config.join("chatspool")).unwrap();
    std::fs::write(
        config.join("chatspool").join("config.toml"),
        "tz = \"Asia/Tokyo\"\n",
    )
    .unwrap();
    let tz_of = |flag: &[&str], cfg: bool| {
        let mut c = bin(&root);
        if cfg {
            c.env("XDG_CONFIG_HOME", &config);
        }
        let out = c
            .arg("stats")
            .arg(&root)
            .args(flag)
            .arg("--json")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        r["tz"].as_str().unwrap().to_string()
    };
    assert_eq!(tz_of(&[], false), "UTC");
    assert_eq!(tz_of(&[], true), "Asia/Tokyo");
    assert_eq!(tz_of(&["--tz", "-08:00"], true), "UTC-08:00");
    assert_eq!(tz_of(&["--tz", "utc"], true), "UTC");
    // The plain list names the zone in its heading, from the config file too.
    let out = bin(&root)
        .env("XDG_CONFIG_HOME", &config)
        .arg("list")
        .arg(&root)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("STARTED (Asia/Tokyo)"), "{text}");
}

/// `show` and the text exports name the zone over the transcript and convert its clocks; with
/// `visitor`, each chat in its own visitor's offset.
#[test]
fn show_and_export_follow_tz() {
    let d = frt_spool();
    let root = d.path().join("spool");
    let text = |args: &[&str]| {
        let out = run(args, &root);
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    // f1 starts 10:00:00Z, Walid speaks at 10:00:05Z; the visitor is in GMT -08:00.
    let shown = text(&["show", "f1", "--tz", "visitor"]);
    assert!(shown.contains("Transcript (times UTC-08:00)"), "{shown}");
    assert!(shown.contains("02:00:05"), "{shown}");
    assert!(shown.contains("2020-09-01 02:00:00 UTC-08:00"), "{shown}");
    let shown = text(&["show", "f1"]);
    assert!(shown.contains("Transcript (times UTC)"), "{shown}");
    assert!(shown.contains("10:00:05"), "{shown}");
    let md = text(&["export", "--query", "id:f1", "--tz", "Asia/Tokyo"]);
    assert!(md.contains("**Transcript** (times Asia/Tokyo)"), "{md}");
    assert!(md.contains("19:00:05"), "{md}");
    let json = json_out(&["show", "f1", "--tz", "Asia/Tokyo"], &root);
    assert_eq!(json["started_at"], "2020-09-01T10:00:00Z", "JSON stays UTC");
}
