//! The transcript text store from the outside: `list` and `stats` with `text:` give the answers
//! of `--no-cache` (which reads every transcript) on a spool of every file kind, after files
//! change, with the store damaged, replaced by another spool's, killed mid-write, or written
//! by two processes at once. `XDG_CACHE_HOME` always points at a temp directory.

mod support;

use serde_json::{json, Value};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const VENDOR: &str = include_str!("fixtures/variants/vendor-sample.json");

const QUERIES: &[&str] = &[
    "text:refund",
    "!text:refund",
    "text:REFUND text:order",
    "text:straße",
    "text:\"résumé\"",
    "text:\"refundthanks\"",
    "text:walid",
    "alice !text:hello",
];

fn chat(id: &str, transcript: &str) -> Value {
    let mut v: Value = serde_json::from_str(VENDOR).unwrap();
    v["chat"]["id"] = json!(id);
    v["visitor"]["chat_id"] = json!(id);
    v["visitor"]["name"] = json!("Alice");
    v["chat"]["chat_transcript"] = json!(transcript);
    v
}

fn transcript(i: usize) -> String {
    let says = [
        "I want a Refund",
        "order 42 please",
        "Straße",
        "RÉSUMÉ attached",
        "hello",
        "thanks",
    ];
    format!(
        "[10:00:01] Walid: {}⊙[10:00:02] Alice: {}⊙",
        says[i % says.len()],
        says[(i / 3) % says.len()]
    )
}

fn put(root: &Path, name: &[u8], bytes: &[u8]) {
    let p = root.join(std::ffi::OsStr::from_bytes(name));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    let day_ago = SystemTime::now() - Duration::from_secs(86_400);
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(day_ago).unwrap();
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// 90 files: single bodies, JSON Lines, gzip of both, names that are not UTF-8.
fn spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..90 {
        let one = chat(&format!("c{i:03}"), &transcript(i)).to_string();
        let two = chat(&format!("c{i:03}b"), &transcript(i + 1)).to_string();
        let lines = format!("{one}\n{two}\nnot json\n");
        let (name, bytes): (Vec<u8>, Vec<u8>) = match i % 5 {
            0 => (format!("d/{i}.json").into(), one.into()),
            1 => (format!("{i}.jsonl").into(), lines.into()),
            2 => (format!("{i}.json.gz").into(), gz(one.as_bytes())),
            3 => (format!("{i}.jsonl.gz").into(), gz(lines.as_bytes())),
            _ => (
                [b"caf\xe9-", i.to_string().as_bytes(), b".json"].concat(),
                one.into(),
            ),
        };
        put(dir.path(), &name, &bytes);
    }
    dir
}

fn run(xdg: &Path, spool: &Path, args: &[&str]) -> String {
    String::from_utf8(support::run_cached(xdg, spool, args, 0)).unwrap()
}

/// `list --query q` through the store equals the same query read from the transcripts.
fn same_list(xdg: &Path, root: &Path, q: &str, what: &str) {
    let stored = run(xdg, root, &["list", "--json", "--query", q]);
    let read = run(xdg, root, &["list", "--json", "--no-cache", "--query", q]);
    assert_eq!(stored, read, "{what}: {q}");
}

/// Every query through the store equals the same query read from the transcripts.
fn same_answers(xdg: &Path, root: &Path) {
    for q in QUERIES {
        same_list(xdg, root, q, "list");
        let stored = run(xdg, root, &["stats", "--json", "--query", q]);
        let read = run(xdg, root, &["stats", "--json", "--no-cache", "--query", q]);
        assert_eq!(stored, read, "stats {q}");
    }
}

fn store_file(xdg: &Path) -> PathBuf {
    let dir = xdg.join("chatspool");
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "text"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn text_queries_answer_as_reading_the_transcripts() {
    let root = spool();
    let xdg = tempfile::tempdir().unwrap();
    let before: Vec<_> = walk(root.path());
    run(xdg.path(), root.path(), &["list"]);
    let at = store_file(xdg.path());
    assert!(!at.starts_with(root.path()));
    same_answers(xdg.path(), root.path());
    assert!(run(xdg.path(), root.path(), &["list", "--query", "text:refund"]).contains("Alice"));
    // Files change, go and arrive after the store was written.
    let changed = chat("c001", "[10:00:01] Walid: no refund here, only hello⊙").to_string();
    put(root.path(), b"1.jsonl", changed.as_bytes());
    std::fs::remove_file(root.path().join("d/0.json")).unwrap();
    let new = chat("new1", "[10:00:01] Alice: refund my order⊙").to_string();
    put(root.path(), b"new/n.json.gz", &gz(new.as_bytes()));
    same_answers(xdg.path(), root.path());
    // chatspool never wrote in the spool.
    let mut after = walk(root.path());
    after.retain(|p| !p.starts_with(root.path().join("new")));
    let mut expected = before;
    expected.retain(|p| !p.ends_with("d/0.json"));
    assert_eq!(after, expected);
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                dirs.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_damaged_foreign_or_half_written_store_is_never_believed() {
    let root = spool();
    let other = spool();
    put(
        other.path(),
        b"x.json",
        chat("x", "refund").to_string().as_bytes(),
    );
    let xdg = tempfile::tempdir().unwrap();
    let other_xdg = tempfile::tempdir().unwrap();
    run(xdg.path(), root.path(), &["list"]);
    run(other_xdg.path(), other.path(), &["list"]);
    let at = store_file(xdg.path());
    let good = std::fs::read(&at).unwrap();
    let foreign = std::fs::read(store_file(other_xdg.path())).unwrap();
    let mut flipped = good.clone();
    let n = flipped.len();
    flipped[n / 3] ^= 0x01;
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..n / 2].to_vec()),
        ("empty", Vec::new()),
        ("garbage", vec![0xAB; 4096]),
        ("flipped", flipped),
        ("foreign", foreign),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&at, &bytes).unwrap();
        for q in ["text:refund", "!text:refund"] {
            same_list(xdg.path(), root.path(), q, what);
        }
        // Rebuilt: the next run finds a good store, which the one after keeps as it is.
        run(xdg.path(), root.path(), &["list", "--query", "text:refund"]);
        let rebuilt = identity(&at);
        run(xdg.path(), root.path(), &["list", "--query", "text:refund"]);
        assert_eq!(identity(&at), rebuilt, "{what}");
    }
    // A writer killed before its rename leaves a temporary file: ignored, then removed.
    let name = at.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = at.with_file_name(format!(".{name}.999999999.tmp"));
    std::fs::write(&tmp, &good[..good.len() / 2]).unwrap();
    put(
        root.path(),
        b"late.json",
        chat("late", "refund").to_string().as_bytes(),
    );
    same_answers(xdg.path(), root.path());
    assert!(!tmp.exists());
}

/// Inode and modification time: changes whenever the store is written again.
fn identity(p: &Path) -> (u64, SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(p).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[test]
fn two_processes_at_once_both_answer_right() {
    let root = spool();
    let xdg = tempfile::tempdir().unwrap();
    let expected = run(
        xdg.path(),
        root.path(),
        &["list", "--json", "--no-cache", "--query", "text:refund"],
    );
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(xdg.path().join("chatspool"));
        let spawn = || {
            let (x, r) = (xdg.path().to_path_buf(), root.path().to_path_buf());
            std::thread::spawn(move || run(&x, &r, &["list", "--json", "--query", "text:refund"]))
        };
        let (a, b) = (spawn(), spawn());
        assert_eq!(a.join().unwrap(), expected);
        assert_eq!(b.join().unwrap(), expected);
    }
}

/// Whether the store file holds `word` (its texts are folded, so a lower-case ASCII word is
/// there byte for byte).
fn store_holds(at: &Path, word: &str) -> bool {
    let bytes = std::fs::read(at).unwrap_or_default();
    memchr::memmem::find(&bytes, word.as_bytes()).is_some()
}

/// The watcher (here `watch`, as in the viewer) keeps the text store current: a file that
/// arrives, changes or goes while it runs is in (or out of) the store without a restart, and
/// every answer still equals reading the transcripts.
#[test]
fn the_watcher_keeps_the_store_current() {
    let root = spool();
    let gone = chat("gone1", "[10:00:01] Alice: mangosteen⊙").to_string();
    put(root.path(), b"gone.json", gone.as_bytes());
    let xdg = tempfile::tempdir().unwrap();
    run(xdg.path(), root.path(), &["list"]);
    let at = store_file(xdg.path());
    assert!(store_holds(&at, "mangosteen") && !store_holds(&at, "pineapple"));
    let mut watch = support::command()
        .env("XDG_CACHE_HOME", xdg.path())
        .arg("watch")
        .arg(root.path())
        .arg("--json")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Let it load, then change the spool under it.
    std::thread::sleep(Duration::from_millis(1500));
    let new = chat("new1", "[10:00:01] Alice: a PINEAPPLE refund⊙").to_string();
    put(root.path(), b"new/pine.json", new.as_bytes());
    let changed = chat("c002", "[10:00:01] Walid: kiwifruit⊙").to_string();
    put(root.path(), b"2.json.gz", &gz(changed.as_bytes()));
    std::fs::remove_file(root.path().join("gone.json")).unwrap();
    let start = std::time::Instant::now();
    let current = |at: &Path| {
        store_holds(at, "pineapple")
            && store_holds(at, "kiwifruit")
            && !store_holds(at, "mangosteen")
    };
    while !current(&at) && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = watch.kill();
    let _ = watch.wait();
    assert!(current(&at), "the store was not brought up to date");
    same_answers(xdg.path(), root.path());
    for q in ["text:pineapple", "text:kiwifruit", "text:mangosteen"] {
        same_list(xdg.path(), root.path(), q, "after watching");
    }
}
