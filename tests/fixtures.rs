//! The loader against fixtures whose expected values were written by hand from docs/FORMAT.md (an
//! independent cross-check): every field variant, other events, broken and ignored files, and
//! the capture containers (gzip, JSON Lines, BOM/CRLF, dated folders, retries).

mod support;

use chatspool::model::time::rfc3339;
use chatspool::model::{Chat, SpeakerKind};
use chatspool::spool::{self, load_chat};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// [`spool::load`] with this process kept out of the user's directories (loads write caches).
fn load(
    dir: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<spool::Store, spool::SpoolError> {
    support::isolate();
    spool::load(dir, progress)
}

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

fn kind(k: SpeakerKind) -> &'static str {
    k.label()
}

fn opt_time(t: Option<chrono::DateTime<chrono::Utc>>) -> Value {
    t.map_or(Value::Null, |t| json!(rfc3339(t)))
}

/// The values `expected.json` speaks of, computed from a loaded chat.
fn actual(chat: &Chat) -> serde_json::Map<String, Value> {
    let msgs: Vec<_> = chat
        .transcript
        .iter()
        .filter(|e| e.kind != SpeakerKind::System)
        .collect();
    let mut m = serde_json::Map::new();
    m.insert("id".into(), json!(chat.id));
    m.insert("visitor".into(), json!(chat.visitor_name()));
    m.insert(
        "agents".into(),
        json!(chat.agents.iter().map(|a| &a.name).collect::<Vec<_>>()),
    );
    m.insert("department".into(), json!(chat.department));
    m.insert("started_at".into(), opt_time(chat.started_at));
    m.insert("ended_at".into(), opt_time(chat.ended_at));
    m.insert("duration_secs".into(), json!(chat.duration_secs()));
    m.insert("wait_secs".into(), json!(chat.wait_secs));
    m.insert("rating".into(), json!(chat.rating));
    m.insert(
        "status_code".into(),
        json!(chat.visitor.status.map(|s| s.0)),
    );
    m.insert(
        "status_label".into(),
        json!(chat.visitor.status.map(|s| s.label())),
    );
    m.insert("messages".into(), json!(chat.message_count()));
    m.insert(
        "kinds".into(),
        json!(chat
            .transcript
            .iter()
            .map(|e| kind(e.kind))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "speakers".into(),
        json!(chat
            .transcript
            .iter()
            .map(|e| &e.speaker)
            .collect::<Vec<_>>()),
    );
    m.insert(
        "times".into(),
        json!(chat.transcript.iter().map(|e| &e.time).collect::<Vec<_>>()),
    );
    m.insert(
        "ats".into(),
        json!(chat
            .transcript
            .iter()
            .map(|e| opt_time(e.at))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "message_times".into(),
        json!(msgs.iter().map(|e| &e.time).collect::<Vec<_>>()),
    );
    m.insert(
        "message_ats".into(),
        json!(msgs.iter().map(|e| opt_time(e.at)).collect::<Vec<_>>()),
    );
    m.insert(
        "message_texts".into(),
        json!(msgs.iter().map(|e| &e.text).collect::<Vec<_>>()),
    );
    m
}

#[test]
fn every_variant_loads_with_the_hand_written_values() {
    let dir = fixtures("variants");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let store = load(&dir, &|_, _| {}).unwrap();
    assert!(store.problems().is_empty(), "{:?}", store.problems());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, want) in expected.as_object().unwrap() {
        let rows: Vec<_> = store
            .chats()
            .into_iter()
            .filter(|c| &*c.source.path == file.as_str())
            .collect();
        let row = match rows.as_slice() {
            [row] => row.clone(),
            _ => {
                failures.push(format!("{file}: {} chats loaded, expected 1", rows.len()));
                continue;
            }
        };
        let chat = load_chat(&dir, &row.source, &row.id).unwrap();
        let got = actual(&chat);
        for (key, value) in want.as_object().unwrap() {
            checked += 1;
            let Some(have) = got.get(key) else {
                failures.push(format!("{file}: unknown expectation key {key}"));
                continue;
            };
            if have != value {
                failures.push(format!("{file}: {key}: expected {value}, got {have}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} values differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 500, "only {checked} values checked");
}

#[test]
fn other_events_are_skipped_never_problems() {
    let dir = fixtures("events");
    let store = load(&dir, &|_, _| {}).unwrap();
    assert_eq!(store.len(), 0, "no event here is a chat");
    assert!(store.problems().is_empty(), "{:?}", store.problems());
    // The two wrap-up events (both spellings) wait for their chats instead of being skipped.
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(store.skipped().len(), files - 2);
    assert_eq!(store.skipped_count(), files - 2);
    assert!(store.skipped().iter().all(|s| !s.path.contains("wrap")));
    assert_eq!(store.wrap_up_counts().waiting, 2);
    let jsonl = store
        .skipped()
        .into_iter()
        .find(|s| s.path.ends_with(".jsonl"))
        .unwrap();
    assert!(jsonl.reason.contains("non-chat bodies"), "{}", jsonl.reason);
}

#[test]
fn every_broken_file_is_a_problem_with_a_reason() {
    let dir = fixtures("broken");
    let store = load(&dir, &|_, _| {}).unwrap();
    assert_eq!(store.len(), 0);
    let problems = store.problems();
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(problems.len(), files.len(), "{problems:?}");
    for p in &problems {
        assert!(!p.reason.is_empty() && !p.reason.contains('\n'), "{p:?}");
    }
    let reason = |name: &str| {
        problems
            .iter()
            .find(|p| p.path == name)
            .map(|p| p.reason.as_str())
            .unwrap()
    };
    assert_eq!(reason("empty.json"), "empty file");
    assert!(reason("truncated.json").contains("truncated"));
    assert!(reason("deep-nesting.json").contains("nested too deeply"));
    assert!(
        reason("invalid-utf8.json").contains("UTF-8"),
        "{}",
        reason("invalid-utf8.json")
    );
    assert!(reason("utf16-bom.json").contains("UTF-16"));
    assert!(reason("top-level-array.json").contains("not an object"));
}

#[test]
fn temporary_hidden_and_foreign_files_are_never_read() {
    let dir = fixtures("ignored");
    let store = load(&dir, &|_, _| {}).unwrap();
    assert_eq!((store.len(), store.file_count()), (0, 0));
}

#[test]
fn containers_load_as_their_manifest_says() {
    let dir = fixtures("containers");
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let store = load(&dir, &|_, _| {}).unwrap();
    let mut ids: Vec<String> = store.chats().iter().map(|c| c.id.to_string()).collect();
    ids.sort();
    assert_eq!(json!(ids), want["chats"]);
    assert_eq!(json!(store.duplicates()), want["duplicates"]);
    let skipped: Vec<String> = store.skipped().into_iter().map(|s| s.path).collect();
    assert_eq!(json!(skipped), want["skipped"]);
    let problems = store.problems();
    assert_eq!(problems.len(), want["problems"].as_array().unwrap().len());
    for (p, w) in problems.iter().zip(want["problems"].as_array().unwrap()) {
        assert_eq!(json!(p.path), w["path"]);
        assert!(
            p.reason.starts_with(&format!("line {}:", w["line"])),
            "{p:?}"
        );
    }
    for (id, r) in want["retries"].as_object().unwrap() {
        let best = store.best(id).unwrap();
        assert_eq!(json!(&*best.source.path), r["complete"]);
        assert_eq!(json!(best.ended_at().map(rfc3339)), r["ended_at"]);
        assert_eq!(json!(best.messages), r["messages"]);
    }
}

#[test]
fn the_demo_spool_matches_its_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("demo-spool.manifest.json")).unwrap(),
    )
    .unwrap();
    let store = load(&root.join("demo-spool"), &|_, _| {}).unwrap();
    assert_eq!(json!(store.len()), manifest["chats"], "{manifest}");
    assert_eq!(json!(store.duplicates()), manifest["duplicates"]);
    assert_eq!(json!(store.skipped().len()), manifest["skipped"]);
    assert_eq!(json!(store.problems().len()), manifest["problems"]);
    let wrap_ups = store.wrap_up_counts();
    assert_eq!(json!(wrap_ups.attached), manifest["wrap_ups"]);
    assert_eq!(wrap_ups.waiting, 0);
}
