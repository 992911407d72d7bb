//! The command line from the outside: a temp spool with good, duplicate, skipped and broken
//! files, driven through the real binary.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::Path;

mod support;

use support::{spool, write, VENDOR};

fn bin() -> Command {
    support::bin()
}

fn json_out(args: &[&str], spool: &Path) -> Value {
    // The subcommand, then the spool, then the rest: `show SPOOL ID --json`.
    let out = bin()
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[test]
fn list_json_has_every_chat_once_newest_first() {
    let s = spool();
    let list = json_out(&["list"], s.path());
    assert_eq!(
        ids(&list),
        [
            "cccc3333-0000-0000-0000-000000000003",
            "bbbb2222-0000-0000-0000-000000000002",
            "aaaa1111-0000-0000-0000-000000000001",
            "dddd4444-0000-0000-0000-000000000004",
            "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15",
        ]
    );
    let a = &list[2];
    assert_eq!(
        a["source"], "2020/09/01/a.json",
        "the most complete copy wins"
    );
    assert_eq!(a["visitor"], "Alice");
    assert_eq!(a["visitor_email"], "alice@example.com");
    assert_eq!(a["agents"], json!(["Walid"]));
    assert_eq!(a["department"], "Support");
    assert_eq!(a["started_at"], "2020-09-01T10:00:00Z");
    assert_eq!(a["ended_at"], "2020-09-01T10:01:35Z");
    assert_eq!(a["duration_secs"], 95);
    assert_eq!(a["wait_secs"], 0);
    assert_eq!(a["rating"], 5);
    assert_eq!(a["status"], json!({"code": 9, "label": "chat ended"}));
    assert_eq!(a["messages"], 2);
    assert_eq!(list[1]["source"], "batch.jsonl");
    assert_eq!(list[1]["line"], 1);
    assert_eq!(list[2]["line"], Value::Null);
    assert_eq!(list[0]["rating"], Value::Null);
    let v = &list[4];
    assert_eq!(v["duration_secs"], 418);
    assert_eq!(v["rating"], Value::Null);
}

#[test]
fn list_sort_limit_and_query() {
    let s = spool();
    let by_rating = json_out(&["list", "--sort", "rating"], s.path());
    assert_eq!(by_rating[0]["visitor"], "Alice");
    assert_eq!(by_rating[1]["rating"], 4);
    let oldest = json_out(&["list", "--sort", "oldest", "--limit", "2"], s.path());
    assert_eq!(oldest.as_array().unwrap().len(), 2);
    assert_eq!(oldest[0]["id"], "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15");
    let jason = json_out(&["list", "--query", "agent:\"pt: jason\""], s.path());
    assert_eq!(ids(&jason), ["bbbb2222-0000-0000-0000-000000000002"]);
    let rated = json_out(
        &["list", "--query", "rating:>=4 since:2020-09-01"],
        s.path(),
    );
    assert_eq!(ids(&rated), ["aaaa1111-0000-0000-0000-000000000001"]);
    let refund = json_out(&["list", "--query", "text:REFUND"], s.path());
    assert_eq!(ids(&refund), ["aaaa1111-0000-0000-0000-000000000001"]);
    let fuzzy = json_out(&["list", "--query", "alce"], s.path());
    assert_eq!(ids(&fuzzy), ["aaaa1111-0000-0000-0000-000000000001"]);
    let not_walid = json_out(&["list", "--query", "!walid"], s.path());
    assert_eq!(not_walid.as_array().unwrap().len(), 2);
}

#[test]
fn bad_query_is_a_usage_error() {
    let s = spool();
    let out = bin()
        .args(["list", "--query", "colour:red"])
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("agent"),
        "the error names the valid fields: {err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_spool_is_a_usage_error() {
    let out = bin().args(["list", "/nonexistent/spool"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/spool"));
}

#[test]
fn show_by_prefix_and_integer_forms() {
    let s = spool();
    let chat = json_out(&["show", "16c2cc3a"], s.path());
    assert_eq!(chat["id"], "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15");
    assert_eq!(chat["visitor"]["name"], "testName");
    assert_eq!(chat["visitor"]["city"], "Toronto");
    assert_eq!(
        chat["visitor"]["status"],
        json!({"code": 9, "label": "chat ended"})
    );
    assert_eq!(chat["visitor"]["time_zone"], "GMT -08:00");
    assert_eq!(
        chat["agents"][0],
        json!({"name": "Walid", "email": "walidr3157@gmail.com", "id": "1"})
    );
    let t = chat["transcript"].as_array().unwrap();
    assert_eq!(t.len(), 5);
    assert_eq!(
        t[1],
        json!({"kind": "agent", "speaker": "Walid", "time": "03:30:01",
        "at": "2020-03-17T03:30:01Z", "text": "testName thank you for contacting us! How may I help you?"})
    );
    assert_eq!(t[0]["kind"], "system");
    assert_eq!(t[0]["speaker"], Value::Null);
    let b = json_out(&["show", "bbbb2222-0000-0000-0000-000000000002"], s.path());
    assert_eq!(b["transcript"][0]["speaker"], "PT: Jason");
    assert_eq!(b["transcript"][0]["text"], "Hi: how can I help?");
    assert_eq!(b["transcript"][1]["text"], "broken [12:00:00] thing");
    assert_eq!(b["transcript"][1]["kind"], "visitor");
}

#[test]
fn show_takes_a_prefix_of_a_guid_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = support::vendor();
    c["chat"]["id"] = json!(1098);
    write(dir.path(), "int.json", c.to_string().as_bytes());
    let mut big = support::vendor();
    // Integer ids above i64::MAX stay distinct, exact strings.
    big["chat"]["id"] = serde_json::from_str::<Value>("18446744073709551615").unwrap();
    write(dir.path(), "big.json", big.to_string().as_bytes());
    let one = bin()
        .args(["show"])
        .arg(dir.path())
        .args(["1098", "--json"])
        .output()
        .unwrap();
    assert!(one.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&one.stdout).unwrap()["id"],
        "1098"
    );
    let prefix = bin()
        .args(["show"])
        .arg(dir.path())
        .arg("109")
        .output()
        .unwrap();
    assert_eq!(prefix.status.code(), Some(1), "109 is not chat 1098");
    let huge = bin()
        .args(["show"])
        .arg(dir.path())
        .args(["18446744073709551615", "--json"])
        .output()
        .unwrap();
    assert!(huge.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&huge.stdout).unwrap()["id"],
        "18446744073709551615"
    );
}

#[test]
fn show_unknown_or_ambiguous_id_exits_1() {
    let s = spool();
    let out = bin()
        .args(["show"])
        .arg(s.path())
        .arg("zzzz")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zzzz"));
}

#[test]
fn check_reports_skipped_and_problems() {
    let s = spool();
    let out = bin()
        .arg("check")
        .arg(s.path())
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["chats"], 5);
    assert_eq!(r["duplicates"], 1);
    let problems: Vec<(&str, &str)> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), p["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(problems[0].0, "batch.jsonl");
    assert!(problems[0].1.starts_with("line 4:"), "{problems:?}");
    assert_eq!(problems[1], ("broken/empty.json", "empty file"));
    assert_eq!(problems[2].0, "broken/truncated.json");
    assert!(problems[2].1.contains("truncated"));
    let skipped: Vec<&str> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["batch.jsonl", "events/online.json"]);
}

#[test]
fn check_on_a_clean_spool_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "v.json", VENDOR.as_bytes());
    bin().arg("check").arg(dir.path()).assert().success();
}

#[test]
fn plain_output_has_no_escape_sequences() {
    let s = spool();
    for args in [
        vec!["list"],
        vec!["show", "dddd4444"],
        vec!["stats"],
        vec!["check"],
    ] {
        let out = bin()
            .args(&args[..1])
            .arg(s.path())
            .args(&args[1..])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.is_empty(), "{args:?}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
    }
    let out = bin().args(["list"]).arg(s.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Dan ␛]0;pwned␇"));
}

#[test]
fn json_keeps_the_real_text() {
    let s = spool();
    let d = json_out(&["show", "dddd4444"], s.path());
    assert_eq!(d["visitor"]["name"], "Dan \u{1b}]0;pwned\u{7}");
}

#[test]
fn stats_per_agent() {
    let s = spool();
    let r = json_out(&["stats"], s.path());
    assert_eq!(r["chats"], 5);
    let walid = r["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Walid")
        .unwrap();
    assert_eq!(walid["chats"], 3);
    assert_eq!(walid["avg_rating"], 4.5);
    assert_eq!(walid["ratings"]["5"], 1);
    let q = json_out(&["stats", "--query", "agent:walid rating:5"], s.path());
    assert_eq!(q["chats"], 1);
}

/// The plain output of `list`, `show` and `stats` shows times one way, the zone named, and
/// durations as `list` does (`1m 35s`).
#[test]
fn plain_times_and_durations_look_the_same_in_every_command() {
    let s = spool();
    let text = |args: &[&str]| {
        let out = bin()
            .arg(args[0])
            .arg(s.path())
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let list = text(&["list"]);
    assert!(list.contains("STARTED (UTC)"), "{list}");
    assert!(list.contains("2020-09-01 10:00"), "{list}");
    let show = text(&["show", "aaaa1111"]);
    assert!(show.contains("2020-09-01 10:00:00 UTC"), "{show}");
    let stats = text(&["stats"]);
    assert!(
        stats.contains("2020-03-17 03:30 UTC to 2020-09-01 12:00 UTC"),
        "{stats}"
    );
    // Every chat of the test spool lasted 95 s but one (6m 58s): averages are whole seconds.
    assert!(stats.contains("1m 35s"), "{stats}");
    assert!(
        !stats.contains(".0s") && !stats.contains("T03:30"),
        "{stats}"
    );
}

#[test]
fn spool_is_never_written() {
    let s = spool();
    let before = snapshot(s.path());
    for args in [["list"], ["stats"], ["check"]] {
        let _ = bin().args(args).arg(s.path()).output().unwrap();
    }
    assert_eq!(before, snapshot(s.path()));
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn special_files_are_problems_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.json", VENDOR.as_bytes());
    std::os::unix::fs::symlink("missing.json", d.join("dangling.json")).unwrap();
    std::os::unix::fs::symlink("loop.json", d.join("loop.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.json")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    // A named pipe: opening it would wait for a writer forever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.json"))
        .status();
    let have_fifo = fifo.is_ok_and(|s| s.success());
    let out = bin()
        .args(["check", "--json", "--no-cache"])
        .arg(d)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["chats"], 1);
    let reason = |p: &str| {
        r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["path"] == p)
            .map(|x| x["reason"].as_str().unwrap().to_string())
    };
    assert!(reason("dangling.json")
        .unwrap()
        .contains("broken symbolic link"));
    assert!(reason("loop.json").unwrap().contains("loop"));
    assert!(reason("zero.json").unwrap().contains("not a regular file"));
    // A link to a directory is not followed (so it cannot loop): skipped, with the reason.
    assert!(reason("sub/up").is_none());
    let skipped = r["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().any(
            |x| x["path"] == "sub/up" && x["reason"].as_str().unwrap().contains("not followed")
        ),
        "{skipped:?}"
    );
    if have_fifo {
        assert!(reason("pipe.json").unwrap().contains("not a regular file"));
    }
}

#[test]
fn times_shown_in_utc_for_want_of_a_visitor_zone_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut zoned = support::chat(
        "zzzz0001-0000-0000-0000-000000000001",
        "Zed",
        "Walid",
        support::T0,
        "5",
        "",
    );
    zoned["visitor"]["time_zone"] = serde_json::json!("GMT +02:00");
    let mut bare = support::chat(
        "nnnn0002-0000-0000-0000-000000000002",
        "Nia",
        "Walid",
        support::T0,
        "5",
        "",
    );
    bare["visitor"].as_object_mut().unwrap().remove("time_zone");
    support::write(dir.path(), "a.json", zoned.to_string().as_bytes());
    support::write(dir.path(), "b.json", bare.to_string().as_bytes());
    let out = support::bin()
        .args(["list"])
        .arg(dir.path())
        .args(["--tz", "visitor"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |who: &str| text.lines().find(|l| l.contains(who)).unwrap().to_string();
    assert!(line("Nia").starts_with("2020-09-01 10:00*"), "{text}");
    assert!(line("Zed").starts_with("2020-09-01 12:00 "), "{text}");
    assert!(
        text.contains("* no time zone in the payload: shown in UTC"),
        "{text}"
    );
    // In UTC nothing is marked.
    let out = support::bin()
        .args(["list"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains('*'));
}

#[test]
fn show_json_says_what_happened_inside_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let c = support::chat(
        "abcd0001-0000-0000-0000-000000000001",
        "Alice",
        "Walid",
        support::T0,
        "5",
        "[10:00:05] Walid: Hello⊙[10:00:09] Alice: I want a refund⊙Agent PT: Jason has joined the chat.⊙[10:01:00] Alice: hello?⊙[10:02:09] PT: Jason: Sorry, on it⊙[10:03:00] Alice: thanks⊙",
    );
    support::write(dir.path(), "c.json", c.to_string().as_bytes());
    let out = support::bin()
        .arg("show")
        .arg(dir.path())
        .args(["abcd0001", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reply_count"], 1);
    assert_eq!(
        v["reply_max_secs"], 120,
        "from the turn's first message, the join line does not break it"
    );
    assert_eq!(
        v["unanswered_turns"], 1,
        "the last visitor message got no reply"
    );
    assert_eq!(v["last_from"], "visitor");
    assert_eq!(v["responders"], serde_json::json!(["Walid", "PT: Jason"]));
    assert_eq!(v["transfers"], 1);
    assert_eq!(v["bot"], "none");
    let answered: Vec<&serde_json::Value> = v["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("reply_secs").is_some())
        .collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0]["reply_secs"], 120);
    assert_eq!(answered[0]["speaker"], "PT: Jason");
}

#[test]
fn global_options_work_before_or_after_the_command() {
    let s = support::spool();
    let log = tempfile::tempdir().unwrap();
    let f = log.path().join("x.log");
    let run = |args: Vec<&std::ffi::OsStr>| {
        let out = support::bin().args(args).output().unwrap();
        (out.status.code(), out.stdout)
    };
    let sp = s.path().as_os_str();
    let flag = |x: &'static str| std::ffi::OsStr::new(x);
    let options = [
        flag("--tz"),
        flag("Europe/Paris"),
        flag("--no-cache"),
        flag("--theme"),
        flag("light"),
        flag("--log"),
        f.as_os_str(),
    ];
    let command = [flag("list"), sp];
    let before = run([&options[..], &command[..]].concat());
    let after = run([&command[..], &options[..]].concat());
    assert_eq!(before.0, Some(0));
    assert_eq!(before, after);
    assert!(String::from_utf8_lossy(&before.1).contains("STARTED (Europe/Paris)"));
    assert!(
        std::fs::metadata(&f).unwrap().len() > 0,
        "the log was written"
    );
    let out = support::bin().arg("lst").arg(sp).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "chatspool: no command 'lst' (did you mean 'list'?)"
    );
}
