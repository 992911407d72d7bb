//! Test spools built from the vendor sample: good chats, a retry duplicate, a JSON Lines file,
//! gzip, other events, broken and ignored files; and the one way tests start chatspool, with
//! its own directories.
//!
//! No test may touch the user's directories: every run of the binary gets `HOME` and each XDG
//! directory inside `target/tmp` ([`bin`], [`command`], [`pty_command`]), and tests that call the
//! library in-process call [`isolate`] first. `tests/hygiene.rs` fails when a test file starts
//! the binary any other way or forgets to isolate, and CI runs the suite with a throwaway
//! `HOME` that must stay empty.
#![allow(dead_code)]

pub mod app;

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// This test process's stand-in for the user's home: `target/tmp/home-<pid>`, with the XDG
/// directories inside it. Emptied and created on first use (an earlier test process with the
/// same pid may have left caches and bucket copies there); left for `cargo clean`.
pub fn home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("home-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// The environment that keeps chatspool inside [`home`]: HOME and every XDG base directory.
pub fn private_env() -> Vec<(&'static str, PathBuf)> {
    let h = home();
    vec![
        ("HOME", h.to_path_buf()),
        ("XDG_CACHE_HOME", h.join("cache")),
        ("XDG_CONFIG_HOME", h.join("config")),
        ("XDG_DATA_HOME", h.join("data")),
        ("XDG_STATE_HOME", h.join("state")),
    ]
}

/// Variables of the developer's own that would change what chatspool does.
pub const CLEARED: [&str; 4] = [
    "CHATSPOOL_SPOOL",
    "CHATSPOOL_LOG",
    "NO_COLOR",
    "CHATSPOOL_REVIEW_DIR",
];

/// Point this process's own HOME and XDG directories at [`home`], for tests that call the
/// library directly (loads write the index cache). Idempotent.
pub fn isolate() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (k, v) in private_env() {
            std::env::set_var(k, v);
        }
        for k in CLEARED {
            std::env::remove_var(k);
        }
    });
}

/// The chatspool binary, kept inside [`home`] (assert_cmd form).
pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("chatspool").unwrap();
    for (k, v) in private_env() {
        c.env(k, v);
    }
    for k in CLEARED {
        c.env_remove(k);
    }
    c
}

/// The chatspool binary, kept inside [`home`] (`std::process` form, for spawned children).
pub fn command() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_chatspool"));
    for (k, v) in private_env() {
        c.env(k, v);
    }
    for k in CLEARED {
        c.env_remove(k);
    }
    c
}

/// The chatspool binary for a pseudo-terminal, kept inside [`home`].
pub fn pty_command() -> portable_pty::CommandBuilder {
    pty_private(portable_pty::CommandBuilder::new(env!(
        "CARGO_BIN_EXE_chatspool"
    )))
}

/// `sh -c script` for a pseudo-terminal, with the chatspool binary as `$0` (arguments added
/// after are `$1`…), kept inside [`home`]: to see what the shell finds once chatspool has exited.
pub fn pty_shell(script: &str) -> portable_pty::CommandBuilder {
    let mut c = portable_pty::CommandBuilder::new("sh");
    c.args(["-c", script, env!("CARGO_BIN_EXE_chatspool")]);
    pty_private(c)
}

fn pty_private(mut c: portable_pty::CommandBuilder) -> portable_pty::CommandBuilder {
    for (k, v) in private_env() {
        c.env(k, v);
    }
    for k in CLEARED {
        c.env_remove(k);
    }
    c
}

pub const VENDOR: &str = include_str!("../fixtures/variants/vendor-sample.json");

/// The issue's example rubric (points, a section, an auto-fail criterion), for scoring tests.
pub const RUBRIC: &str = include_str!("../fixtures/rubric-qa.toml");

pub fn vendor() -> Value {
    serde_json::from_str(VENDOR).unwrap()
}

/// A chat_ended body derived from the vendor sample.
pub fn chat(
    id: &str,
    visitor: &str,
    agent: &str,
    start_ms: i64,
    rating: &str,
    transcript: &str,
) -> Value {
    let mut v = vendor();
    v["chat"]["id"] = json!(id);
    v["visitor"]["chat_id"] = json!(id);
    v["visitor"]["name"] = json!(visitor);
    v["chat"]["name"] = json!(visitor);
    v["visitor"]["email"] = json!(format!("{}@example.com", visitor.to_lowercase()));
    v["chat"]["operators"] = json!([{"display_name": agent, "email": "a@x", "id": 1}]);
    v["chat"]["start_time"] = json!(format!("/Date({start_ms})/"));
    v["chat"]["end_time"] = json!(format!("/Date({})/", start_ms + 95_500));
    v["chat"]["rating"] = json!(rating);
    v["chat"]["chat_transcript"] = json!(transcript);
    v
}

pub fn write(dir: &Path, rel: &str, content: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// 2020-09-01T10:00:00Z in epoch ms.
pub const T0: i64 = 1_598_954_400_000;

pub fn spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "vendor.json", VENDOR.as_bytes());
    let a = chat("aaaa1111-0000-0000-0000-000000000001", "Alice", "Walid", T0, "5",
        "Agent Walid has joined the chat.⊙[10:00:05] Walid: Hello Alice⊙[10:00:09] Alice: I want a refund⊙The chat is ended.(10:01:35)⊙");
    write(d, "2020/09/01/a.json", a.to_string().as_bytes());
    // A webhook retry of the same chat with a shorter transcript: shown once.
    let mut a_early = a.clone();
    a_early["chat"]["chat_transcript"] = json!("Agent Walid has joined the chat.⊙");
    write(d, "2020/09/01/a-retry.json", a_early.to_string().as_bytes());
    let b = chat(
        "bbbb2222-0000-0000-0000-000000000002",
        "Bob",
        "PT: Jason",
        T0 + 3_600_000,
        "2",
        "[11:00:03] PT: Jason: Hi: how can I help?⊙[11:00:10] Bob: broken [12:00:00] thing⊙",
    );
    let c = chat(
        "cccc3333-0000-0000-0000-000000000003",
        "Carol",
        "Henry - Comm100",
        T0 + 7_200_000,
        "-1",
        "",
    );
    let lines = format!(
        "{}\n{}\n{{\"event\":\"chat_started\",\"visitor\":{{}}}}\nnot json\n",
        b, c
    );
    write(d, "batch.jsonl", lines.as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let e = chat(
        "dddd4444-0000-0000-0000-000000000004",
        "Dan \u{1b}]0;pwned\u{7}",
        "Walid",
        T0 - 86_400_000,
        "4",
        "",
    );
    gz.write_all(format!("\u{feff}{e}").as_bytes()).unwrap();
    write(d, "old/d.json.gz", &gz.finish().unwrap());
    write(
        d,
        "events/online.json",
        br#"{"event":"online","operator_id":1}"#,
    );
    write(d, "broken/truncated.json", &VENDOR.as_bytes()[..200]);
    write(d, "broken/empty.json", b"");
    write(d, ".hidden.json", b"garbage");
    write(d, "writing.json.tmp", b"garbage");
    write(d, "notes.txt", b"not ours");
    dir
}

/// A spool of one chat (Alice, answered by Walid) with two slow replies: the agent messages
/// at transcript entries 2 (3m 10s after the visitor's question) and 6 (5m), and a quick one
/// at 4 (30 s).
pub fn slow_spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let a = chat(
        "eeee5555-0000-0000-0000-000000000005",
        "Alice",
        "Walid",
        T0,
        "4",
        "[10:00:05] Walid: Hello Alice⊙[10:00:09] Alice: where is my parcel?⊙\
         [10:03:19] Walid: it left the depot today⊙[10:04:00] Alice: and the invoice?⊙\
         [10:04:30] Walid: sent to your e-mail⊙[10:05:00] Alice: it is not there⊙\
         [10:10:00] Walid: sent again⊙",
    );
    write(dir.path(), "2020/09/01/e.json", a.to_string().as_bytes());
    dir
}

/// A `chat_wrapped_up` webhook as Comm100 sends it (`event` may be the misspelt
/// `chat_wraped_up`): top-level `chat_id` and `wrapup` beside the vendor sample's visitor.
pub fn wrap_up_event(
    event: &str,
    chat_id: Value,
    category: &str,
    comment: &str,
    time_ms: i64,
) -> Value {
    let mut visitor = vendor()["visitor"].clone();
    visitor["chat_id"] = chat_id.clone();
    json!({
        "event": event,
        "chat_id": chat_id,
        "visitor": visitor,
        "wrapup": {
            "category": category,
            "comment": comment,
            "fields": [{"field_id": 12, "name": "Order number", "value": "80890"}],
            "time": format!("/Date({time_ms})/"),
        },
    })
}

/// The ids of a `list --json` array, sorted: what a selection is, whatever its order.
pub fn sorted_ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|c| c["id"].as_str().expect("an id").to_string())
        .collect();
    v.sort();
    v
}

/// The binary with a private cache directory (`XDG_CACHE_HOME`): tests never touch the real one.
pub fn cached_bin(xdg: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.env("XDG_CACHE_HOME", xdg);
    c
}

/// stdout of `chatspool ARGS[0] SPOOL ARGS[1..]` with a private cache directory, which must
/// exit with `code`.
pub fn run_cached(xdg: &Path, spool: &Path, args: &[&str], code: i32) -> Vec<u8> {
    let out = cached_bin(xdg)
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every path under `dir` with its bytes and modification time, sorted: equal before and after
/// means chatspool left the directory byte-identical.
pub fn tree(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new(), m.modified().unwrap()));
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap(), m.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}
