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

/// `chatspool watch ARGS` as a child with `env` (and no AWS settings of the developer's own),
/// its stdout piped for [`lines_of`].
fn watch_child(env: &[(&str, String)], args: &[&str]) -> std::process::Child {
    let mut c = support::command();
    for k in AWS_CLEARED {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.arg("watch")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
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

use support::sorted_ids as ids;

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
    let mut child = watch_child(
        &s.env(),
        &["s3://live/in", "--json", "--existing", "--poll=0.2"],
    );
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

/// The keys of every chat listed, from their `source`.
fn sources(list: &Value) -> Vec<String> {
    let mut s: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap().to_string())
        .collect();
    s.sort();
    s
}

/// Object keys with punctuation and other scripts: each one is a chat like any other.
const ODD_KEYS: [&str; 12] = [
    "p/plain.json",
    "p/a b.json",
    "p/m\u{fc}ller.json",
    "p/\u{674e}.json",
    "p/x%y.json",
    "p/br[1].json",
    "p/t~1.json",
    "p/q?.json",
    "p/h#.json",
    "p/c{1}.json",
    "p/star*.json",
    "p/back\\slash.json",
];

#[test]
fn every_key_is_downloaded_as_listed_whatever_its_characters() {
    let s = Server::start(&["oddkeys"]);
    for (n, key) in ODD_KEYS.iter().enumerate() {
        s.put("oddkeys", key, &body(&id(n), "5"));
    }
    let env = s.env();
    let list = ok_json(&env, &["list", "s3://oddkeys/p", "--json"]);
    assert_eq!(ids(&list), (0..12).map(id).collect::<Vec<_>>());
    let mut expected: Vec<String> = ODD_KEYS.iter().map(|k| k[2..].to_string()).collect();
    expected.sort();
    assert_eq!(sources(&list), expected);
    let report = ok_json(&env, &["check", "s3://oddkeys/p", "--json"]);
    assert_eq!(report["chats"], 12, "{report}");
    assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{report}");
    s.assert_read_only();
}

#[test]
fn both_normalisation_forms_of_a_name_are_two_chats() {
    let s = Server::start(&["forms"]);
    s.put("forms", "m\u{fc}ller.json", &body(&id(1), "5"));
    s.put("forms", "mu\u{308}ller.json", &body(&id(2), "4"));
    let list = ok_json(&s.env(), &["list", "s3://forms", "--json"]);
    assert_eq!(ids(&list), [1, 2].map(id));
    assert_eq!(
        sources(&list),
        ["mu\u{308}ller.json", "m\u{fc}ller.json"].map(String::from)
    );
}

#[test]
fn a_prefix_in_another_script_lists_its_keys() {
    let s = Server::start(&["scripts"]);
    s.put("scripts", "\u{fc}/a.json", &body(&id(1), "5"));
    s.put("scripts", "\u{fc}/2024/b.json", &body(&id(2), "5"));
    s.put("scripts", "u/c.json", &body(&id(3), "5"));
    let list = ok_json(&s.env(), &["list", "s3://scripts/\u{fc}", "--json"]);
    assert_eq!(ids(&list), [1, 2].map(id));
}

#[test]
fn keys_the_client_cannot_represent_are_skipped_and_reported() {
    let s = Server::start(&["badkeys"]);
    // Enough objects for the bad keys to sit inside pages, on both sides of them.
    for n in 0..40 {
        s.put("badkeys", &format!("p/{n:02}.json"), &body(&id(n), "5"));
    }
    s.put("badkeys", "p/c\u{1}.json", &body(&id(98), "5"));
    s.put("badkeys", "p/notes\u{1}.txt", b"not a chat");
    for key in ["p/1/a//b.json", "p/../x.json", "p/./x.json", "p/3/./y.json"] {
        s.phantom("badkeys", key);
    }
    let env = s.env();
    let list = ok_json(&env, &["list", "s3://badkeys/p", "--json"]);
    assert_eq!(ids(&list), (0..40).map(id).collect::<Vec<_>>());
    // Reported, never asserted: what stepping past five bad keys costs.
    eprintln!(
        "LIST requests for 46 keys, 5 unreadable: {}",
        s.count(Kind::List)
    );
    let out = chatspool(&env, &["check", "s3://badkeys/p", "--json"]);
    assert_eq!(out.status.code(), Some(1), "skipped keys are problems");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["chats"], 40, "{report}");
    let mut paths: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "../x.json",
            "./x.json",
            "1/a//b.json",
            "3/./y.json",
            "c\u{2401}.json"
        ],
        "{report}"
    );
    // Only the keys the spool would take are reported, escaped.
    assert!(!out.stdout.contains(&1u8), "control characters escaped");

    // The watcher's polls go on past them: an upload is seen.
    // The existing chats' lines say the first load is done (an upload before it ends would be
    // one of them, not an arrival): only then upload.
    let mut child = watch_child(
        &env,
        &["s3://badkeys/p", "--json", "--existing", "--poll=0.2"],
    );
    let rx = lines_of(&mut child);
    rx.recv_timeout(deadline()).expect("the existing chats");
    s.put("badkeys", "p/50.json", &body(&id(50), "5"));
    let wanted = id(50);
    let seen = std::iter::from_fn(|| rx.recv_timeout(deadline()).ok())
        .filter_map(|l| serde_json::from_str::<Value>(&l).ok())
        .any(|v| v["id"] == wanted.as_str());
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "the upload is seen");
    s.assert_read_only();
}

#[test]
fn a_listed_key_that_cannot_be_fetched_is_a_problem_never_a_deletion() {
    let s = Server::start(&["ghosts"]);
    s.put("ghosts", "a.json", &body(&id(1), "5"));
    s.put("ghosts", "b.json", &body(&id(2), "5"));
    let env = s.env();
    ok_json(&env, &["list", "s3://ghosts", "--json"]);
    // Listed, changed, yet not found when fetched: the copy from before stays.
    s.delete("ghosts", "b.json");
    s.phantom("ghosts", "b.json");
    s.phantom("ghosts", "c.json");
    let out = chatspool(&env, &["check", "s3://ghosts", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["chats"], 2, "{report}");
    let mut paths: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, ["b.json", "c.json"], "{report}");
    // And again on the next sync: nothing was forgotten.
    let again = ok_json(&env, &["list", "s3://ghosts", "--json"]);
    assert_eq!(ids(&again), [1, 2].map(id));
}

/// The one directory under `dir` (the copy of the only bucket synced there).
fn only_dir(dir: &std::path::Path) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_planted_manifest_line_never_reaches_outside_the_copy() {
    let s = Server::start(&["planted"]);
    s.put("planted", "a.json", &body(&id(1), "5"));
    let top = tempfile::tempdir().unwrap();
    let cache = top.path().join("cache");
    let mut env = s.env();
    env.push(("XDG_CACHE_HOME", cache.display().to_string()));
    ok_json(&env, &["list", "s3://planted", "--json"]);
    let copy = only_dir(&cache.join("chatspool/remote"));
    // From `files/`: the copy, `remote`, `chatspool`, the cache, then `top`.
    let victim = top.path().join("victim.json");
    std::fs::write(&victim, "keep me").unwrap();
    let manifest = copy.join("manifest.jsonl");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    for k in [
        "../../../../../victim.json",
        "/tmp/../x.json",
        "a/../../x.json",
    ] {
        text.push_str(&format!("{{\"k\":\"{k}\",\"t\":\"x\",\"s\":1}}\n"));
    }
    std::fs::write(&manifest, text).unwrap();
    let list = ok_json(&env, &["list", "s3://planted", "--json"]);
    assert_eq!(ids(&list), [id(1)]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    // What the copy holds is the user's alone.
    assert_eq!(mode(&copy), 0o700);
    assert_eq!(mode(&copy.join("files")), 0o700);
    assert_eq!(mode(&copy.join("files/a.json")), 0o600);
    assert_eq!(mode(&manifest), 0o600);
    // A copy others could write to is not used.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = chatspool(&env, &["list", "s3://planted"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not private"), "{err}");
}

#[cfg(unix)]
#[test]
fn without_a_cache_directory_the_copy_is_private_and_goes_at_exit() {
    let s = Server::start(&["nocache"]);
    s.put("nocache", "a.json", &body(&id(1), "5"));
    let top = tempfile::tempdir().unwrap();
    let tmp = top.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // The name a shared fallback would take, open to anyone.
    let shared = tmp.join("chatspool-remote");
    std::fs::create_dir(&shared).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let mut env = s.env();
    env.extend([
        (
            "HOME",
            top.path().join("no-such-home").display().to_string(),
        ),
        ("XDG_CACHE_HOME", String::new()),
        ("TMPDIR", tmp.display().to_string()),
    ]);
    let list = ok_json(&env, &["list", "s3://nocache", "--json"]);
    assert_eq!(ids(&list), [id(1)]);
    assert_eq!(
        std::fs::read_dir(&shared).unwrap().count(),
        0,
        "nothing in the shared name"
    );
    std::fs::remove_dir(&shared).unwrap();
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "the private copy is removed at exit"
    );

    // While chatspool runs, the copy is a fresh directory only the user can enter.
    let mut child = watch_child(
        &env,
        &["s3://nocache", "--json", "--existing", "--poll=0.2"],
    );
    let rx = lines_of(&mut child);
    let first = rx.recv_timeout(deadline());
    let made: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.is_ok(), "the chat is printed");
    assert_eq!(made.len(), 1, "{made:?}");
    let name = made[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("chatspool-remote-") && name.len() > 20,
        "{name}"
    );
    assert_eq!(mode(&made[0]), 0o700);
}
