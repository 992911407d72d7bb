//! Unlucky file systems from the outside: names that are not UTF-8, symbolic links to
//! directories (followed only with `--follow-links`), link loops and pseudo-filesystems.
#![cfg(unix)]

use assert_cmd::Command;
use serde_json::{json, Value};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod support;

use support::{chat, write, T0};

fn bin(xdg: &Path) -> Command {
    let mut c = support::bin();
    c.env("XDG_CACHE_HOME", xdg)
        .timeout(Duration::from_secs(60));
    c
}

/// `chatspool ARGS…` with the spool second; stdout as JSON and the exit code.
fn run(xdg: &Path, spool: &Path, args: &[&str]) -> (Value, Option<i32>) {
    let out = bin(xdg)
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .arg("--json")
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code())
}

fn raw(dir: &Path, name: &[u8]) -> PathBuf {
    dir.join(OsStr::from_bytes(name))
}

use support::sorted_ids as ids;

fn paths(report: &Value, key: &str) -> Vec<(String, String)> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Two chats in files whose names differ only in a byte that is not UTF-8, one in a directory
/// with such a name, and a broken one.
fn raw_spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = |id: &str, words: &str| {
        chat(
            id,
            "Ana",
            "Walid",
            T0,
            "5",
            &format!("[10:00:05] Ana: {words}⊙"),
        )
        .to_string()
        .into_bytes()
    };
    std::fs::write(
        raw(d, b"r\xe9sum\xe9.json"),
        body("latin1-a", "a refund please"),
    )
    .unwrap();
    std::fs::write(raw(d, b"r\xe9sum\xe8.json"), body("latin1-b", "hello")).unwrap();
    std::fs::create_dir(raw(d, b"d\xff")).unwrap();
    std::fs::write(raw(d, b"d\xff/in.json"), body("in-raw-dir", "bonjour")).unwrap();
    std::fs::write(raw(d, b"bad\xfe.json"), b"{\"truncated\":").unwrap();
    dir
}

#[test]
fn names_that_are_not_utf8_are_read_everywhere() {
    let s = raw_spool();
    let xdg = tempfile::tempdir().unwrap();
    let (list, code) = run(xdg.path(), s.path(), &["list"]);
    assert_eq!(code, Some(0));
    assert_eq!(ids(&list), ["in-raw-dir", "latin1-a", "latin1-b"]);
    let sources: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert!(sources.contains(&"d\u{FFFD}/in.json"), "{sources:?}");
    assert!(
        sources.contains(&"r\u{FFFD}sum\u{FFFD}.json"),
        "{sources:?}"
    );
    // `show` reads each file again, by its real name.
    for id in ["latin1-a", "latin1-b", "in-raw-dir"] {
        let (chat, code) = run(xdg.path(), s.path(), &["show", id]);
        assert_eq!(code, Some(0), "{id}: {chat}");
        assert_eq!(chat["transcript"][0]["speaker"], "Ana", "{id}");
    }
    // `text:` reads the transcripts: none is silently left out.
    let (hits, _) = run(xdg.path(), s.path(), &["list", "--query", "text:refund"]);
    assert_eq!(ids(&hits), ["latin1-a"]);
    let (hits, _) = run(xdg.path(), s.path(), &["list", "--query", "text:bonjour"]);
    assert_eq!(ids(&hits), ["in-raw-dir"]);
    let (report, code) = run(xdg.path(), s.path(), &["check"]);
    assert_eq!(code, Some(1));
    let problems = paths(&report, "problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "bad\u{FFFD}.json");
    // Plain output shows the same placeholder, and nothing raw.
    let out = bin(xdg.path()).arg("check").arg(s.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).expect("plain output is UTF-8");
    assert!(text.contains("bad\u{FFFD}.json: "), "{text}");
}

/// A spool with links: to a directory outside, to `/`, to `/proc`, and back to itself.
fn linked_spool() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = |id: &str| chat(id, "Bo", "Walid", T0, "4", "").to_string();
    write(d, "own.json", body("own").as_bytes());
    write(outside.path(), "far.json", body("far").as_bytes());
    symlink(outside.path(), d.join("archive")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    symlink("..", d.join("sub/up")).unwrap();
    (dir, outside)
}

#[test]
fn links_to_directories_are_skipped_and_reported_unless_followed() {
    let (s, _outside) = linked_spool();
    let d = s.path();
    // What walking `/` cost before: now it is one skipped entry, read in no time.
    symlink("/", d.join("root")).unwrap();
    let xdg = tempfile::tempdir().unwrap();
    let (report, code) = run(xdg.path(), d, &["check"]);
    assert_eq!(code, Some(0), "skipped links are not problems: {report}");
    assert_eq!(report["chats"], 1);
    let skipped = paths(&report, "skipped");
    let why = "symbolic link to a directory, not followed (--follow-links follows it)";
    assert_eq!(
        skipped,
        [
            ("archive".to_string(), why.to_string()),
            ("root".to_string(), why.to_string()),
            ("sub/up".to_string(), why.to_string()),
        ]
    );
    let (list, _) = run(xdg.path(), d, &["list"]);
    assert_eq!(ids(&list), ["own"]);
}

#[test]
fn follow_links_walks_them_with_loops_and_pseudo_filesystems_stopped() {
    let (s, _outside) = linked_spool();
    let d = s.path();
    let proc_mounted = Path::new("/proc/self").exists();
    if proc_mounted {
        symlink("/proc", d.join("kernel")).unwrap();
    }
    let xdg = tempfile::tempdir().unwrap();
    for cmd in ["list", "stats"] {
        let (out, code) = run(xdg.path(), d, &[cmd, "--follow-links"]);
        assert_eq!(code, Some(0), "{cmd}");
        if cmd == "list" {
            assert_eq!(ids(&out), ["far", "own"]);
            let far = out.as_array().unwrap().iter().find(|c| c["id"] == "far");
            assert_eq!(far.unwrap()["source"], "archive/far.json");
        } else {
            assert_eq!(out["chats"], 2);
        }
    }
    let (chat, code) = run(xdg.path(), d, &["show", "far", "--follow-links"]);
    assert_eq!((code, &chat["id"]), (Some(0), &json!("far")));
    let (report, code) = run(xdg.path(), d, &["check", "--follow-links"]);
    assert_eq!(code, Some(1), "a loop is a problem: {report}");
    let problems = paths(&report, "problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "sub/up");
    assert!(problems[0].1.contains("loop"));
    if proc_mounted {
        assert_eq!(
            paths(&report, "skipped"),
            [(
                "kernel".to_string(),
                "proc pseudo-filesystem, not read".to_string()
            )]
        );
    }
}

#[test]
fn the_viewer_and_watch_take_follow_links_too() {
    let (s, _outside) = linked_spool();
    let xdg = tempfile::tempdir().unwrap();
    // Without a terminal the viewer prints the list: the flag reaches the walk.
    let out = bin(xdg.path())
        .arg(s.path())
        .arg("--follow-links")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("far"), "{text}");
    let out = bin(xdg.path()).arg(s.path()).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("far"));
    let help = bin(xdg.path()).args(["watch", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--follow-links"));
}

/// `watch --follow-links`: files landing in a linked directory are seen (inotify watches the
/// link's target too), and files under a link that is not followed never are.
#[test]
fn watch_sees_inside_followed_links() {
    use std::io::{BufRead, BufReader};
    let (s, outside) = linked_spool();
    let xdg = tempfile::tempdir().unwrap();
    for follow in [true, false] {
        let mut cmd = support::command();
        cmd.env("XDG_CACHE_HOME", xdg.path())
            .args(["watch", "--json", "--existing"])
            .arg(s.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        if follow {
            cmd.arg("--follow-links");
        }
        let mut child = cmd.spawn().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let wait = Duration::from_secs(10);
        let existing = if follow { 2 } else { 1 };
        for _ in 0..existing {
            rx.recv_timeout(wait).expect("the existing chats");
        }
        let id = format!("late-{follow}");
        let body = chat(&id, "Cy", "Walid", T0, "3", "").to_string();
        write(outside.path(), &format!("{id}.json"), body.as_bytes());
        // A marker in the spool itself: once it is printed, the late file had its chance.
        write(
            s.path(),
            &format!("marker-{follow}.json"),
            chat(&format!("m-{follow}"), "M", "W", T0, "3", "")
                .to_string()
                .as_bytes(),
        );
        let mut seen = Vec::new();
        while seen.len() < 2 {
            let Ok(l) = rx.recv_timeout(if follow { wait } else { Duration::from_secs(2) }) else {
                break;
            };
            let v: Value = serde_json::from_str(&l).unwrap();
            seen.push((
                v["id"].as_str().unwrap().to_string(),
                v["source"].as_str().unwrap().to_string(),
            ));
        }
        let _ = child.kill();
        let _ = child.wait();
        let late = seen.iter().find(|(i, _)| *i == id);
        if follow {
            assert_eq!(
                late.map(|(_, s)| s.as_str()),
                Some(format!("archive/{id}.json").as_str()),
                "{seen:?}"
            );
        } else {
            assert!(late.is_none(), "{seen:?}");
            assert!(
                seen.iter().any(|(i, _)| *i == format!("m-{follow}")),
                "{seen:?}"
            );
        }
    }
}
