//! The index cache from the outside: the real binary over a temp spool, with `XDG_CACHE_HOME`
//! pointed at a temp directory (these tests never touch the real home).
//!
//! Spool files get a modification time a day in the past unless a test says otherwise: files
//! modified in the last seconds are deliberately never trusted from the cache.

mod support;

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use support::{cached_bin as bin, run_cached as run};

const VENDOR: &str = include_str!("fixtures/variants/vendor-sample.json");

/// More than the cache's minimum spool size (`spool::cache::MIN_FILES`).
const FILLER: usize = 80;

/// 2020-09-01T10:00:00Z in epoch ms.
const T0: i64 = 1_598_954_400_000;

fn day_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(86_400)
}

fn chat(id: &str, visitor: &str, agent: &str, start_ms: i64, transcript: &str) -> Value {
    let mut v: Value = serde_json::from_str(VENDOR).unwrap();
    v["chat"]["id"] = json!(id);
    v["visitor"]["chat_id"] = json!(id);
    v["visitor"]["name"] = json!(visitor);
    v["chat"]["name"] = json!(visitor);
    v["chat"]["operators"] = json!([{"display_name": agent, "email": "a@x", "id": 1}]);
    v["chat"]["start_time"] = json!(format!("/Date({start_ms})/"));
    v["chat"]["end_time"] = json!(format!("/Date({})/", start_ms + 95_500));
    v["chat"]["chat_transcript"] = json!(transcript);
    v
}

/// Write a spool file with the given modification time.
fn put(dir: &Path, rel: &str, content: &[u8], mtime: SystemTime) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    set_mtime(&p, mtime);
}

fn set_mtime(p: &Path, mtime: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

fn filler(i: usize) -> Vec<u8> {
    let id = format!("f{i:07}-0000-0000-0000-000000000000");
    chat(
        &id,
        &format!("Visitor {i:03}"),
        ["Walid", "PT: Jason", "Henry - Comm100"][i % 3],
        T0 + i as i64 * 60_000,
        "[10:00:05] Walid: Hello⊙",
    )
    .to_string()
    .into_bytes()
}

/// A spool with every kind of file the loader handles, plus enough chats to be cached.
fn spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = day_ago();
    for i in 0..FILLER {
        put(
            d,
            &format!("2020/09/{:02}/f{i}.json", 1 + i % 28),
            &filler(i),
            old,
        );
    }
    let a = chat(
        "aaaa1111-0000-0000-0000-000000000001",
        "Alice",
        "Walid",
        T0,
        "[10:00:05] Walid: Hello Alice⊙",
    );
    put(d, "a.json", a.to_string().as_bytes(), old);
    let mut a_early = a.clone();
    a_early["chat"]["chat_transcript"] = json!("");
    put(d, "a-retry.json", a_early.to_string().as_bytes(), old);
    let b = chat(
        "bbbb2222-0000-0000-0000-000000000002",
        "Bob",
        "PT: Jason",
        T0 + 1000,
        "",
    );
    let lines = format!("{b}\n{{\"event\":\"chat_started\",\"visitor\":{{}}}}\nnot json\n");
    put(d, "batch.jsonl", lines.as_bytes(), old);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let c = chat(
        "cccc3333-0000-0000-0000-000000000003",
        "Carol",
        "Walid",
        T0 - 5000,
        "",
    );
    gz.write_all(c.to_string().as_bytes()).unwrap();
    put(d, "old/c.json.gz", &gz.finish().unwrap(), old);
    put(
        d,
        "events/online.json",
        br#"{"event":"online","operator_id":1}"#,
        old,
    );
    put(d, "broken/truncated.json", &VENDOR.as_bytes()[..200], old);
    put(d, "broken/empty.json", b"", old);
    put(d, ".hidden.json", b"garbage", old);
    dir
}

fn list(xdg: &Path, spool: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run(xdg, spool, &args, 0)).unwrap()
}

/// The index files in a cache directory.
fn indexes(xdg: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(xdg.join("chatspool")) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        .collect();
    v.sort();
    v
}

fn visitor_of(list: &Value, id: &str) -> Option<String> {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["visitor"].as_str().unwrap_or("").to_string())
}

/// Every command's output, for comparing runs.
fn outputs(xdg: &Path, spool: &Path, extra: &[&str]) -> Vec<Vec<u8>> {
    [
        vec!["list", "--json"],
        vec!["list", "--query", "walid", "--sort", "visitor"],
        vec!["stats", "--json"],
        vec!["show", "aaaa1111", "--json"],
    ]
    .into_iter()
    .map(|mut a| {
        a.extend_from_slice(extra);
        run(xdg, spool, &a, 0)
    })
    .chain([{
        let mut a = vec!["check", "--json"];
        a.extend_from_slice(extra);
        // Everything but how the cache served the load, which differs between runs by design.
        let mut report: Value = serde_json::from_slice(&run(xdg, spool, &a, 1)).unwrap();
        report.as_object_mut().unwrap().remove("cache");
        serde_json::to_vec_pretty(&report).unwrap()
    }])
    .collect()
}

#[test]
fn cache_hit_gives_the_same_output_as_no_cache() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let fresh = outputs(xdg.path(), s.path(), &["--no-cache"]);
    assert!(indexes(xdg.path()).is_empty(), "--no-cache wrote a cache");
    let first = outputs(xdg.path(), s.path(), &[]);
    assert_eq!(indexes(xdg.path()).len(), 1);
    let hit = outputs(xdg.path(), s.path(), &[]);
    assert_eq!(fresh, first);
    assert_eq!(fresh, hit);
    let l: Value = serde_json::from_slice(&fresh[0]).unwrap();
    assert_eq!(l.as_array().unwrap().len(), FILLER + 3);
}

#[test]
fn the_cache_is_used_and_trusted_by_stamp() {
    // A second run takes every unchanged file from the cache and parses none (check --json says
    // how the cache served the load), and lists exactly what the first run did.
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let first = list(xdg.path(), s.path(), &[]);
    let check = |extra: &[&str]| -> Value {
        let out = bin(xdg.path())
            .arg("check")
            .arg(s.path())
            .arg("--json")
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let warm = check(&[]);
    assert_eq!(warm["cache"]["hit"], true, "{warm}");
    assert_eq!(warm["cache"]["parsed"], 0, "{warm}");
    assert_eq!(warm["cache"]["reused"], warm["files"]);
    assert_eq!(list(xdg.path(), s.path(), &[]), first);
    let cold = check(&["--no-cache"]);
    assert_eq!(cold["cache"]["hit"], false);
    assert_eq!(cold["cache"]["parsed"], cold["files"]);
}

#[test]
fn a_modified_file_is_read_again() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let _ = list(xdg.path(), s.path(), &[]);
    let id = "aaaa1111-0000-0000-0000-000000000001";
    let p = s.path().join("a.json");
    // Same size, new modification time.
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("Alice", "Alex_");
    put(
        s.path(),
        "a.json",
        text.as_bytes(),
        day_ago() + Duration::from_secs(60),
    );
    assert_eq!(
        visitor_of(&list(xdg.path(), s.path(), &[]), id).unwrap(),
        "Alex_"
    );
    // New size, same modification time.
    let text = text.replace("Alex_", "Alexandra");
    put(
        s.path(),
        "a.json",
        text.as_bytes(),
        day_ago() + Duration::from_secs(60),
    );
    assert_eq!(
        visitor_of(&list(xdg.path(), s.path(), &[]), id).unwrap(),
        "Alexandra"
    );
    assert_eq!(
        outputs(xdg.path(), s.path(), &[]),
        outputs(xdg.path(), s.path(), &["--no-cache"])
    );
}

#[test]
fn a_file_replaced_with_the_same_size_and_mtime_is_read_again() {
    // `cp -p`, `rsync -t`, `tar x`, a restore: new contents, old modification time.
    let xdg = tempfile::tempdir().unwrap();
    let s = spool();
    let first = list(xdg.path(), s.path(), &[]);
    assert_eq!(
        visitor_of(&first, "aaaa1111-0000-0000-0000-000000000001").as_deref(),
        Some("Alice")
    );
    let path = s.path().join("a.json");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let same_size = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Alice", "Alyce");
    let tmp = s.path().join("a.json.tmp");
    std::fs::write(&tmp, same_size).unwrap();
    set_mtime(&tmp, mtime);
    std::fs::rename(&tmp, &path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    let second = list(xdg.path(), s.path(), &[]);
    assert_eq!(
        visitor_of(&second, "aaaa1111-0000-0000-0000-000000000001").as_deref(),
        Some("Alyce")
    );
}

#[test]
fn a_file_written_just_before_a_run_is_not_trusted_next_time() {
    // Modification times are kept in coarse ticks: a file rewritten with the same size within
    // one tick looks unchanged. Files this fresh are stored so that they are read again.
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let now = SystemTime::now();
    let p = s.path().join("a.json");
    set_mtime(&p, now);
    let _ = list(xdg.path(), s.path(), &[]);
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("Alice", "Alex_");
    std::fs::write(&p, text).unwrap();
    set_mtime(&p, now);
    let id = "aaaa1111-0000-0000-0000-000000000001";
    assert_eq!(
        visitor_of(&list(xdg.path(), s.path(), &[]), id).unwrap(),
        "Alex_"
    );
}

#[test]
fn deleted_files_disappear_and_new_files_appear() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let l = list(xdg.path(), s.path(), &[]);
    assert!(visitor_of(&l, "cccc3333-0000-0000-0000-000000000003").is_some());
    std::fs::remove_file(s.path().join("old/c.json.gz")).unwrap();
    let e = chat(
        "eeee5555-0000-0000-0000-000000000005",
        "Eve",
        "Walid",
        T0 + 9000,
        "",
    );
    put(
        s.path(),
        "2021/new.json",
        e.to_string().as_bytes(),
        day_ago(),
    );
    // A new copy of a cached chat changes which copy is shown, too.
    let mut a = chat(
        "aaaa1111-0000-0000-0000-000000000001",
        "Alice Longer",
        "Walid",
        T0,
        "[10:00:05] Walid: Hello Alice⊙[10:00:06] Walid: more⊙",
    );
    a["chat"]["end_time"] = json!(format!("/Date({})/", T0 + 500_000));
    put(
        s.path(),
        "a-final.json",
        a.to_string().as_bytes(),
        day_ago(),
    );
    let l = list(xdg.path(), s.path(), &[]);
    assert!(visitor_of(&l, "cccc3333-0000-0000-0000-000000000003").is_none());
    assert_eq!(
        visitor_of(&l, "eeee5555-0000-0000-0000-000000000005").unwrap(),
        "Eve"
    );
    assert_eq!(
        visitor_of(&l, "aaaa1111-0000-0000-0000-000000000001").unwrap(),
        "Alice Longer"
    );
    assert_eq!(l, list(xdg.path(), s.path(), &["--no-cache"]));
    // And once more from the cache just written.
    assert_eq!(l, list(xdg.path(), s.path(), &[]));
}

#[test]
fn a_bad_cache_is_ignored_and_rebuilt() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let want = outputs(xdg.path(), s.path(), &["--no-cache"]);
    let _ = list(xdg.path(), s.path(), &[]);
    let idx = indexes(xdg.path()).pop().unwrap();
    let good = std::fs::read(&idx).unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect()
    };
    let mut wrong_version = good.clone();
    wrong_version[8] ^= 0x7f;
    let mut flipped = good.clone();
    let mid = good.len() / 2;
    flipped[mid] ^= 0x01;
    let mut foreign = good.clone();
    foreign[..8].copy_from_slice(b"NOTOURS!");
    let mut grown = good.clone();
    grown.extend_from_slice(b"trailing");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("random bytes", random(good.len())),
        ("short random", random(7)),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("truncated by one", good[..good.len() - 1].to_vec()),
        ("header only", good[..40].to_vec()),
        ("wrong version", wrong_version),
        ("one bit flipped", flipped),
        ("foreign magic", foreign),
        ("trailing bytes", grown),
    ];
    for (what, bytes) in cases {
        std::fs::write(&idx, &bytes).unwrap();
        let got = outputs(xdg.path(), s.path(), &[]);
        assert!(got == want, "{what}: output differs");
        let rebuilt = std::fs::read(&idx).unwrap();
        assert_ne!(rebuilt, bytes, "{what}: not rebuilt");
        assert_eq!(
            outputs(xdg.path(), s.path(), &[]),
            want,
            "{what}: rebuilt cache"
        );
    }
}

#[test]
fn a_cache_for_another_spool_is_not_used() {
    // Two spools whose caches are swapped: each run notices and rebuilds.
    let s1 = spool();
    let s2 = spool();
    std::fs::remove_file(s2.path().join("a.json")).unwrap();
    let xdg = tempfile::tempdir().unwrap();
    let want1 = list(xdg.path(), s1.path(), &["--no-cache"]);
    let want2 = list(xdg.path(), s2.path(), &["--no-cache"]);
    let _ = list(xdg.path(), s1.path(), &[]);
    let _ = list(xdg.path(), s2.path(), &[]);
    let idx = indexes(xdg.path());
    assert_eq!(idx.len(), 2);
    let (a, b) = (
        std::fs::read(&idx[0]).unwrap(),
        std::fs::read(&idx[1]).unwrap(),
    );
    std::fs::write(&idx[0], b).unwrap();
    std::fs::write(&idx[1], a).unwrap();
    assert_eq!(list(xdg.path(), s1.path(), &[]), want1);
    assert_eq!(list(xdg.path(), s2.path(), &[]), want2);
}

#[test]
fn the_cache_is_never_written_inside_the_spool() {
    let s = spool();
    let before = support::tree(s.path());
    let xdg = tempfile::tempdir().unwrap();
    let _ = outputs(xdg.path(), s.path(), &[]);
    let _ = outputs(xdg.path(), s.path(), &[]);
    assert_eq!(before, support::tree(s.path()));
    assert_eq!(indexes(xdg.path()).len(), 1);
    // Even when the cache directory is configured inside the spool: no cache at all then.
    let inside = s.path().join(".cache");
    let want = list(xdg.path(), s.path(), &["--no-cache"]);
    assert_eq!(list(&inside, s.path(), &[]), want);
    assert_eq!(list(&inside, s.path(), &[]), want);
    assert!(!inside.exists());
    let nested = s.path().join("2020/xdg");
    assert_eq!(list(&nested, s.path(), &[]), want);
    assert!(!nested.exists());
    assert_eq!(before, support::tree(s.path()));
}

#[test]
fn xdg_cache_home_is_honoured() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let _ = list(xdg.path(), s.path(), &[]);
    let idx = indexes(xdg.path());
    assert_eq!(
        idx.len(),
        1,
        "expected one index under {}",
        xdg.path().display()
    );
    assert!(idx[0].starts_with(xdg.path().join("chatspool")));
    // Another cache home gets its own cache; the first is left alone.
    let other = tempfile::tempdir().unwrap();
    let stamp = std::fs::metadata(&idx[0]).unwrap().modified().unwrap();
    let _ = list(other.path(), s.path(), &[]);
    assert_eq!(indexes(other.path()).len(), 1);
    assert_eq!(
        std::fs::metadata(&idx[0]).unwrap().modified().unwrap(),
        stamp
    );
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    for cmd in [
        vec!["list", "--no-cache"],
        vec!["stats", "--no-cache"],
        vec!["show", "aaaa1111", "--no-cache"],
    ] {
        run(xdg.path(), s.path(), &cmd, 0);
    }
    run(xdg.path(), s.path(), &["check", "--no-cache"], 1);
    assert!(!xdg.path().join("chatspool").exists());
}

#[test]
fn an_unwritable_cache_never_fails_a_command() {
    let s = spool();
    let dir = tempfile::tempdir().unwrap();
    // A cache home that is a file: the cache directory cannot be created (even by root).
    let blocked = dir.path().join("not-a-dir");
    std::fs::write(&blocked, b"").unwrap();
    let want = outputs(
        dir.path().join("elsewhere").as_path(),
        s.path(),
        &["--no-cache"],
    );
    assert_eq!(outputs(&blocked, s.path(), &[]), want);
    let out = bin(&blocked).arg("list").arg(s.path()).output().unwrap();
    assert!(out.status.success());
    // stderr is not a terminal here: nothing is said about the cache.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn small_spools_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "v.json", VENDOR.as_bytes(), day_ago());
    let xdg = tempfile::tempdir().unwrap();
    run(xdg.path(), dir.path(), &["check"], 0);
    assert!(indexes(xdg.path()).is_empty());
}

#[test]
fn caches_of_vanished_spools_are_removed() {
    let xdg = tempfile::tempdir().unwrap();
    let gone = spool();
    let _ = list(xdg.path(), gone.path(), &[]);
    assert_eq!(indexes(xdg.path()).len(), 1);
    drop(gone);
    let kept = spool();
    let _ = list(xdg.path(), kept.path(), &[]);
    assert_eq!(indexes(xdg.path()).len(), 1);
}
