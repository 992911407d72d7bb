//! Object-storage spools (`s3://`), end to end against a real S3-compatible server on loopback
//! that each test starts itself (`remote/server.rs`): pagination, incremental downloads,
//! changed and deleted objects, broken and oversized objects, a server error mid-listing,
//! `watch`, and the one-line failures. A test that cannot start or reach its server fails.

#[path = "remote/server.rs"]
mod server;
mod support;

use serde_json::Value;
use server::{Kind, Server};
use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long any one expectation may take to come true.
fn deadline() -> Duration {
    let secs = std::env::var("CHATSPOOL_TEST_DEADLINE_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(20.0);
    Duration::from_secs_f64(secs)
}

/// A chat_ended body with this id and rating.
fn body(id: &str, rating: &str) -> Vec<u8> {
    let start = support::T0 + id.len() as i64 * 1000;
    support::chat(
        id,
        "Alice",
        "Walid",
        start,
        rating,
        "Agent Walid has joined the chat.⊙",
    )
    .to_string()
    .into_bytes()
}

fn id(n: usize) -> String {
    format!("{n:08}-0000-0000-0000-000000000000")
}

/// The AWS environment variables a developer's shell may hold, which must not leak in.
const AWS_CLEARED: [&str; 6] = [
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/// chatspool pointed at `env` (a server's, or a broken one).
fn chatspool(env: &[(&str, String)], args: &[&str]) -> Output {
    let mut c = support::bin();
    for k in AWS_CLEARED {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().unwrap()
}

fn ok_json(env: &[(&str, String)], args: &[&str]) -> Value {
    let out = chatspool(env, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_bucket_past_one_page_lists_and_a_second_run_downloads_nothing() {
    let s = Server::start(&["pages"]);
    for n in 0..1030 {
        s.put(
            "pages",
            &format!("spool/{:04}/{n}.json", n / 100),
            &body(&id(n), "5"),
        );
    }
    // Not the spool's: other prefixes, hidden and temporary names, other extensions.
    s.put("pages", "elsewhere/x.json", &body(&id(9999), "5"));
    s.put("pages", "spool/.hidden.json", &body(&id(9998), "5"));
    s.put("pages", "spool/.tmp/y.json", &body(&id(9997), "5"));
    s.put("pages", "spool/z.json.part", &body(&id(9996), "5"));
    s.put("pages", "spool/notes.txt", b"hello");
    let env = s.env();
    let first = Instant::now();
    let list = ok_json(&env, &["list", "s3://pages/spool", "--json"]);
    // Reported, never asserted: the README's figures come from here.
    eprintln!("first run, 1,030 objects: {:?}", first.elapsed());
    assert_eq!(ids(&list), (0..1030).map(id).collect::<Vec<_>>());
    assert!(
        s.count(Kind::List) >= 2,
        "a listing past 1,000 keys takes pages"
    );
    assert_eq!(s.count(Kind::Get), 1030, "each object downloaded once");
    let source = list[0]["source"].as_str().unwrap();
    assert!(
        source.starts_with("0"),
        "sources are keys under the prefix: {source}"
    );

    s.reset_counts();
    let second = Instant::now();
    let again = ok_json(&env, &["list", "s3://pages/spool", "--json"]);
    eprintln!("second run, nothing changed: {:?}", second.elapsed());
    assert_eq!(ids(&again).len(), 1030);
    assert_eq!(s.count(Kind::Get), 0, "nothing changed, nothing downloaded");
    assert!(s.count(Kind::List) >= 2, "the bucket is listed again");
    s.assert_read_only();
}

#[test]
fn check_show_and_stats_read_a_bucket() {
    let s = Server::start(&["mixed"]);
    s.put("mixed", "a.json", &body(&id(1), "5"));
    s.put("mixed", "2024/b.json", &body(&id(2), "3"));
    s.put(
        "mixed",
        "2024/broken.json",
        b"{\"event\": \"chat_ended\", \"chat\": ",
    );
    // Over the 64 MiB cap: reported without being downloaded.
    let big = std::fs::File::create(s.path("mixed", "2024/huge.json")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    drop(big);
    let env = s.env();
    let out = chatspool(&env, &["check", "s3://mixed", "--json"]);
    assert_eq!(out.status.code(), Some(1), "problems make check exit 1");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    let reason_of = |key: &str| {
        problems
            .iter()
            .find(|p| p["path"] == key)
            .unwrap_or_else(|| panic!("no problem for {key}: {problems:?}"))["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(!reason_of("2024/broken.json").is_empty());
    assert!(reason_of("2024/huge.json").contains("MiB"), "{problems:?}");
    assert_eq!(report["chats"], 2);
    assert_eq!(
        s.count(Kind::Get),
        3,
        "the oversized object is never fetched"
    );

    let shown = ok_json(&env, &["show", "s3://mixed", &id(2), "--json"]);
    assert_eq!(shown["id"], id(2).as_str());
    let stats = ok_json(&env, &["stats", "s3://mixed", "--json"]);
    assert_eq!(stats["chats"], 2, "{stats}");
    // Transcripts are read again from the copy: `text:` searches and exports.
    let found = ok_json(
        &env,
        &["list", "s3://mixed", "--query", "text:joined", "--json"],
    );
    assert_eq!(ids(&found), [1, 2].map(id));
    let out = chatspool(&env, &["export", "s3://mixed", "--format", "md"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains(&id(1)) && md.contains(&id(2)) && md.contains("has joined"),
        "{md}"
    );
    s.assert_read_only();
}

#[test]
fn changed_objects_are_read_again_and_deleted_ones_are_gone() {
    let s = Server::start(&["changes"]);
    for n in 0..5 {
        s.put("changes", &format!("{n}.json"), &body(&id(n), "3"));
    }
    let env = s.env();
    ok_json(&env, &["list", "s3://changes", "--json"]);
    s.reset_counts();
    // Same size, other content: only the ETag tells.
    s.put("changes", "1.json", &body(&id(1), "4"));
    s.delete("changes", "3.json");
    let list = ok_json(&env, &["list", "s3://changes", "--json"]);
    assert_eq!(
        s.count(Kind::Get),
        1,
        "only the changed object is downloaded"
    );
    assert_eq!(ids(&list), [0, 1, 2, 4].map(id));
    let rating = |n: usize| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id(n).as_str())
            .unwrap()["rating"]
            .clone()
    };
    assert_eq!(rating(1), 4);
    assert_eq!(rating(0), 3);
    s.assert_read_only();
}

#[test]
fn a_server_error_in_the_middle_of_a_listing_is_retried() {
    let s = Server::start(&["flaky"]);
    for n in 0..1500 {
        s.put("flaky", &format!("k/{n:05}.json"), &body(&id(n), "5"));
    }
    // The second page of the listing fails once, then a throttling answer on a download.
    s.fail(Kind::List, 2, 503);
    s.fail(Kind::Get, 10, 503);
    let list = ok_json(&s.env(), &["list", "s3://flaky/k", "--json"]);
    assert_eq!(ids(&list).len(), 1500);
    assert_eq!(s.count(Kind::List), 3, "two pages, one of them asked twice");
    assert_eq!(s.count(Kind::Get), 1501, "one download asked twice");
    s.assert_read_only();
}

#[test]
fn an_unreachable_endpoint_is_one_line_and_exit_2() {
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = [
        ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}")),
        ("AWS_ALLOW_HTTP", "true".to_string()),
        ("AWS_ACCESS_KEY_ID", "test".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
    ];
    let started = Instant::now();
    let out = chatspool(&env, &["list", "s3://nowhere/spool"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chatspool: cannot list s3://nowhere/spool: "),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(30), "fails fast");
}

#[test]
fn missing_credentials_are_one_line_and_exit_2() {
    let s = Server::start(&["locked"]);
    // No keys: the client falls back to instance metadata, here a closed loopback port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env: Vec<(&str, String)> = s
        .env()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("AWS_ACCESS") && !k.starts_with("AWS_SECRET"))
        .chain([("AWS_METADATA_ENDPOINT", format!("http://127.0.0.1:{port}"))])
        .collect();
    let mut c = support::bin();
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    for k in AWS_CLEARED {
        c.env_remove(k);
    }
    for (k, v) in &env {
        c.env(k, v);
    }
    let out = c.args(["check", "s3://locked"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chatspool: cannot list s3://locked: "),
        "{err}"
    );
    assert_eq!(s.count(Kind::List), 0, "nothing unsigned was sent");
}

#[test]
fn unsupported_urls_are_usage_errors() {
    let out = chatspool(&[], &["list", "ftp://host/spool"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported spool URL scheme"));
}

/// Lines of a child's stdout, collected on a thread.
fn lines_of(child: &mut std::process::Child) -> Receiver<String> {
    let (tx, rx) = channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn watch_prints_objects_uploaded_and_changed_while_it_runs() {
    let s = Server::start(&["live"]);
    s.put("live", "in/0.json", &body(&id(0), "5"));
    let mut c = support::command();
    for k in AWS_CLEARED {
        c.env_remove(k);
    }
    for (k, v) in s.env() {
        c.env(k, v);
    }
    let mut child = c
        .args([
            "watch",
            "s3://live/in",
            "--json",
            "--existing",
            "--poll=0.2",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let next = |what: &str| -> Value {
        let l = rx
            .recv_timeout(deadline())
            .unwrap_or_else(|e| panic!("no line for {what}: {e}"));
        serde_json::from_str(&l).unwrap()
    };
    assert_eq!(next("the existing chat")["id"], id(0).as_str());
    let uploaded = Instant::now();
    s.put("live", "in/1.json", &body(&id(1), "4"));
    let new = next("the uploaded chat");
    assert_eq!(new["id"], id(1).as_str());
    eprintln!("upload to visible: {:?}", uploaded.elapsed());
    s.put("live", "in/1.json", &body(&id(1), "2"));
    let changed = next("the changed chat");
    assert_eq!(
        (changed["id"].clone(), changed["rating"].clone()),
        (id(1).into(), 2.into())
    );
    let _ = child.kill();
    let _ = child.wait();
    s.assert_read_only();
}

#[test]
fn a_refused_credential_is_one_line_and_exit_2() {
    let s = Server::start(&["guarded"]);
    let env: Vec<(&str, String)> = s
        .env()
        .into_iter()
        .map(|(k, v)| match k {
            "AWS_SECRET_ACCESS_KEY" => (k, "not-the-secret".to_string()),
            _ => (k, v),
        })
        .collect();
    let out = chatspool(&env, &["stats", "s3://guarded/x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chatspool: cannot list s3://guarded/x: "),
        "{err}"
    );
    s.assert_read_only();
}
