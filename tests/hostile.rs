//! Hostile and unlucky input through the real binary: values out of range, broken escapes,
//! impossible times, invisible characters, runaway lists and long problem lists. Every chat that
//! can be read is listed, and every view agrees on what is unknown.

use serde_json::{json, Value};
use std::path::Path;

mod support;

use support::{chat, write, T0};

fn run(spool: &Path, args: &[&str]) -> std::process::Output {
    let cache = tempfile::tempdir().unwrap();
    support::cached_bin(cache.path())
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .output()
        .unwrap()
}

fn json_of(spool: &Path, args: &[&str]) -> Value {
    let out = run(spool, args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn text_of(spool: &Path, args: &[&str]) -> String {
    String::from_utf8(run(spool, args).stdout).unwrap()
}

fn body(id: &str, visitor: &str) -> Value {
    chat(id, visitor, "Walid", T0, "4", "[10:00:05] Walid: hello⊙")
}

#[test]
fn out_of_range_numbers_and_broken_escapes_cost_only_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let raw = |id: &str, extra: &str| {
        body("X", "Nadia")
            .to_string()
            .replace(r#""id":"X""#, &format!(r#""id":{id}{extra}"#))
    };
    write(
        d,
        "a.json",
        raw("18446744073709551616", r#","rating_comment":1e309"#).as_bytes(),
    );
    write(d, "b.json", raw("18446744073709551617", "").as_bytes());
    write(d, "c.json", raw("-9223372036854775809", "").as_bytes());
    write(d, "d.json", raw("-9223372036854775810", "").as_bytes());
    let surrogate = body("lone", "Bad").to_string().replace("Bad", r"Ba\ud800d");
    write(d, "e.json", surrogate.as_bytes());
    let list = json_of(d, &["list", "--json"]);
    let mut ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "-9223372036854775809",
            "-9223372036854775810",
            "18446744073709551616",
            "18446744073709551617",
            "lone"
        ]
    );
    let lone = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lone")
        .unwrap();
    assert_eq!(lone["visitor"], "Ba\u{FFFD}d");
    let check = json_of(d, &["check", "--json"]);
    assert_eq!(check["problems"], json!([]), "{check}");
    assert!(run(d, &["show", "18446744073709551617"]).status.success());
}

#[test]
fn impossible_durations_and_waits_are_unknown_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut back = body("back", "Backwards");
    back["chat"]["end_time"] = json!(format!("/Date({})/", T0 - 419_000));
    back["chat"]["waiting_time"] = json!("99999999999h");
    write(d, "back.json", back.to_string().as_bytes());
    let mut huge = body("huge", "Forever");
    huge["chat"]["waiting_time"] = json!(1e300);
    huge["chat"]["end_time"] = json!(format!("/Date({})/", T0 + 400 * 86_400_000_i64));
    write(d, "huge.json", huge.to_string().as_bytes());
    let mut ok = body("fine", "Normal");
    ok["chat"]["waiting_time"] = json!("1m 5s");
    write(d, "ok.json", ok.to_string().as_bytes());

    for c in json_of(d, &["list", "--json"]).as_array().unwrap() {
        if c["id"] != "fine" {
            assert_eq!(c["duration_secs"], Value::Null, "{c}");
            assert_eq!(c["wait_secs"], Value::Null, "{c}");
        }
    }
    let shown = json_of(d, &["show", "back", "--json"]);
    assert_eq!(shown["duration_secs"], Value::Null);
    assert_eq!(shown["waiting_time"], "99999999999h", "kept as written");
    let stats = json_of(d, &["stats", "--json"]);
    assert_eq!(stats["with_wait"], 1, "{stats}");
    assert_eq!(stats["avg_wait_secs"], 65.0);
    assert_eq!(stats["with_duration"], 1);
    assert_eq!(stats["avg_duration_secs"], 95.0);
    let plain = text_of(d, &["show", "back"]);
    assert!(!plain.contains("-6m"), "{plain}");
    let line = text_of(d, &["list", "--query", "visitor:backwards"]);
    assert!(line.contains("Backwards"), "{line}");
    assert!(!line.contains("-6m") && !line.contains("-419"), "{line}");
    assert_eq!(
        json_of(d, &["list", "--query", "dur:<1m", "--json"]),
        json!([])
    );
}

#[test]
fn invisible_characters_are_not_printed_and_do_not_hide_a_chat() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let name = "\u{FEFF}Ze\u{200B}ro\u{200D}Width";
    write(d, "z.json", body("zw", name).to_string().as_bytes());
    let plain = text_of(d, &["list", "--query", "'zero"]);
    assert!(plain.contains("ZeroWidth"), "{plain:?}");
    assert!(
        !plain.contains(['\u{200B}', '\u{200D}', '\u{FEFF}']),
        "{plain:?}"
    );
    let list = json_of(d, &["list", "--query", "^zerowidth$", "--json"]);
    assert_eq!(list[0]["visitor"], name, "JSON keeps the real text");
}

#[test]
fn runaway_lists_are_capped_and_reported_and_the_chat_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ops = vec!["1"; 200_000].join(",");
    let big = body("big", "Many")
        .to_string()
        .replace(r#""operators":[{"#, &format!(r#""operators":[{ops},{{"#));
    write(d, "big.json", big.as_bytes());
    let check = json_of(d, &["check", "--json"]);
    assert_eq!(check["chats"], 1, "{check}");
    assert_eq!(
        check["problems"],
        json!([{"path": "big.json", "reason": "chat big: kept the first 100 of 200001 agents (more are not read)"}])
    );
}

#[test]
fn problems_are_listed_by_path_then_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut lines = vec![String::new(); 120];
    for n in [2, 10, 100, 11, 101] {
        lines[n - 1] = "not json".into();
    }
    lines[0] = body("j1", "Jay").to_string();
    write(d, "b.jsonl", lines.join("\n").as_bytes());
    write(d, "a.json", b"{");
    let check = json_of(d, &["check", "--json"]);
    let got: Vec<String> = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let reason = p["reason"].as_str().unwrap();
            let head = reason.split(':').next().unwrap();
            format!("{} {}", p["path"].as_str().unwrap(), head)
        })
        .collect();
    assert_eq!(got[0].split(' ').next(), Some("a.json"));
    assert_eq!(
        got[1..],
        [
            "b.jsonl line 2",
            "b.jsonl line 10",
            "b.jsonl line 11",
            "b.jsonl line 100",
            "b.jsonl line 101",
        ]
    );
}
