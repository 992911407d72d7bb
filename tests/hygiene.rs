//! Guards for the test suite itself: no test may touch the user's real cache, config, data or
//! state directories. Every test file starts chatspool only through `tests/support` (which gives
//! it a private HOME and XDG directories) and, when it calls the library in-process, calls
//! `support::isolate()`. CI also runs the whole suite with a throwaway HOME that must stay
//! empty (`.ci/run`).

mod support;

use std::path::Path;

/// Ways of starting the binary that bypass `tests/support`.
const DIRECT_STARTS: [&str; 3] = [
    "cargo_bin(",
    "CARGO_BIN_EXE_chatspool",
    "CommandBuilder::new(",
];

fn test_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "rs") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(out.len() >= 5, "found the test files");
    out
}

#[test]
fn every_test_file_starts_chatspool_through_support() {
    for (name, text) in test_files() {
        if name == "hygiene.rs" {
            continue;
        }
        for bad in DIRECT_STARTS {
            assert!(
                !text.contains(bad),
                "tests/{name} starts chatspool with `{bad}`: use support::bin(), support::command() or support::pty_command(), which keep it out of the user's directories"
            );
        }
    }
}

#[test]
fn every_test_file_using_the_library_isolates_itself() {
    for (name, text) in test_files() {
        let in_process = [
            "spool::load(",
            "watch::spawn(",
            "watch::run(",
            "cache::load(",
        ]
        .iter()
        .any(|call| text.contains(call));
        if in_process {
            assert!(
                text.contains("support::isolate()"),
                "tests/{name} loads spools in-process (which writes the index cache) without support::isolate()"
            );
        }
    }
}

#[test]
fn the_private_home_is_where_chatspool_writes() {
    let spool = tempfile::tempdir().unwrap();
    let d = spool.path();
    // Enough files to be cached (spool::cache::MIN_FILES).
    for i in 0..80 {
        let mut chat = support::vendor();
        chat["chat"]["id"] = serde_json::json!(format!("hygiene-{i}"));
        support::write(d, &format!("c{i}.json"), chat.to_string().as_bytes());
    }
    let out = support::bin().arg("list").arg(d).output().unwrap();
    assert!(out.status.success());
    let cache = support::home().join("cache").join("chatspool");
    let written = std::fs::read_dir(&cache)
        .map(|r| {
            r.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "idx"))
        })
        .unwrap_or(false);
    assert!(
        written,
        "the index cache went to the private home, {}",
        cache.display()
    );
}
