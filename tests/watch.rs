//! Watching a spool while files land in it: the engine (`spool::watch`) with inotify and with
//! polling, the `chatspool watch` command, and the TUI's handling of a changing list.
//!
//! Every assertion waits on a deadline (`CHATSPOOL_TEST_DEADLINE_SECS`, 10 s by default) by
//! looking at the newest update every 10 ms; sleeps only ever shape what a writer does.

mod support;

use chatspool::model::ChatSummary;
use chatspool::spool::live::{ChangeKind, Snapshot, Update};
use chatspool::spool::watch::{self, Mode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

const VENDOR: &str = include_str!("fixtures/variants/vendor-sample.json");

/// How long any one expectation may take to come true.
fn deadline() -> Duration {
    let secs = std::env::var("CHATSPOOL_TEST_DEADLINE_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(10.0);
    Duration::from_secs_f64(secs)
}

/// A chat_ended body derived from the vendor sample.
fn chat(id: &str, visitor: &str, rating: &str) -> Value {
    let mut v: Value = serde_json::from_str(VENDOR).unwrap();
    v["chat"]["id"] = json!(id);
    v["visitor"]["chat_id"] = json!(id);
    v["visitor"]["name"] = json!(visitor);
    v["chat"]["name"] = json!(visitor);
    v["chat"]["rating"] = json!(rating);
    v
}

fn body(id: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&chat(id, "Alice", "5")).unwrap()
}

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A watcher on a spool, with everything it published since the initial load.
struct Live {
    rx: Receiver<Update>,
    latest: Arc<Snapshot>,
    /// Updates after the initial load, in order.
    updates: Vec<Update>,
    handle: Option<watch::Handle>,
}

impl Live {
    fn start(dir: &Path, mode: Mode) -> Live {
        support::isolate();
        let (tx, rx) = channel();
        let handle = watch::spawn(
            dir.to_path_buf(),
            mode,
            None,
            Default::default(),
            move |u| {
                let _ = tx.send(u);
            },
        )
        .unwrap();
        let mut live = Live {
            rx,
            latest: Arc::new(Snapshot::default()),
            updates: Vec::new(),
            handle: Some(handle),
        };
        live.wait("the initial load", |s| s.progress.finished);
        live.updates.clear();
        live
    }

    /// Take what has been published; true if anything was.
    fn pump(&mut self, wait: Duration) -> bool {
        match self.rx.recv_timeout(wait) {
            Ok(u) => self.take(u),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
        }
        while let Ok(u) = self.rx.try_recv() {
            self.take(u);
        }
        true
    }

    fn take(&mut self, u: Update) {
        self.latest = u.snapshot.clone();
        if u.snapshot.progress.finished {
            self.updates.push(u);
        }
    }

    /// Wait until `cond` holds for the newest snapshot; panics after the deadline.
    fn wait(&mut self, what: &str, cond: impl Fn(&Snapshot) -> bool) -> Arc<Snapshot> {
        self.wait_for(deadline(), what, cond)
    }

    fn wait_for(
        &mut self,
        limit: Duration,
        what: &str,
        cond: impl Fn(&Snapshot) -> bool,
    ) -> Arc<Snapshot> {
        let end = Instant::now() + limit;
        loop {
            if cond(&self.latest) {
                return self.latest.clone();
            }
            assert!(
                Instant::now() < end,
                "timed out after {limit:?} waiting for {what}; last snapshot: {} chats, \
                 problems {:?}, watch {:?}",
                self.latest.chats.len(),
                self.latest.problems,
                self.latest.watch
            );
            self.pump(Duration::from_millis(10));
        }
    }

    fn wait_chat(&mut self, id: &str) -> Arc<ChatSummary> {
        let s = self.wait(&format!("chat {id}"), |s| has(s, id));
        find(&s, id).unwrap()
    }

    /// How often each chat id was reported new or changed, and as what.
    fn reported(&self) -> HashMap<String, Vec<ChangeKind>> {
        let mut out: HashMap<String, Vec<ChangeKind>> = HashMap::new();
        for u in &self.updates {
            for (k, c) in &u.changes {
                out.entry(c.id.to_string()).or_default().push(*k);
            }
            // `fresh` names exactly the changed chats.
            let mut a: Vec<&str> = u.snapshot.fresh.iter().map(|s| &**s).collect();
            let mut b: Vec<&str> = u.changes.iter().map(|(_, c)| &*c.id).collect();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
        }
        out
    }

    fn problem_ever(&self, path: &str) -> bool {
        self.updates
            .iter()
            .any(|u| u.snapshot.problems.iter().any(|p| p.path == path))
    }

    fn stop(&mut self) {
        self.handle.take();
    }
}

fn has(s: &Snapshot, id: &str) -> bool {
    s.chats.iter().any(|c| &*c.id == id)
}

fn find(s: &Snapshot, id: &str) -> Option<Arc<ChatSummary>> {
    s.chats.iter().find(|c| &*c.id == id).cloned()
}

fn spool_with(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        write(
            dir.path(),
            &format!("old/{i}.json"),
            &body(&format!("old-{i}")),
        );
    }
    dir
}

fn inotify() -> Mode {
    Mode::Notify
}

fn polling() -> Mode {
    Mode::Poll(Duration::from_millis(200))
}

// ---------------------------------------------------------------------------------------------
// The engine

fn new_file_shows_up(mode: Mode) {
    let dir = spool_with(2);
    let mut live = Live::start(dir.path(), mode);
    assert_eq!(live.latest.chats.len(), 2);
    write(dir.path(), "a.json", &body("new-a"));
    live.wait_chat("new-a");
    let r = live.reported();
    assert_eq!(r.get("new-a"), Some(&vec![ChangeKind::New]));
    assert_eq!(r.len(), 1, "only the new chat is news: {r:?}");
}

#[test]
fn new_file_shows_up_with_inotify() {
    new_file_shows_up(inotify());
}

#[test]
fn new_file_shows_up_when_polling() {
    new_file_shows_up(polling());
}

#[test]
fn status_names_the_mode() {
    let dir = spool_with(1);
    let live = Live::start(dir.path(), inotify());
    assert_eq!(live.latest.watch.as_deref(), Some("watching"));
    let live = Live::start(dir.path(), Mode::Poll(Duration::from_millis(1500)));
    assert_eq!(live.latest.watch.as_deref(), Some("polling every 1.5s"));
    let off = Live::start(dir.path(), Mode::Off);
    assert_eq!(off.latest.watch.as_deref(), Some("not watching"));
    let end = Instant::now() + deadline();
    while !off.handle.as_ref().unwrap().finished() {
        assert!(Instant::now() < end, "--no-watch should end after loading");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A writer that pauses between two chunks: the first chunk is never a chat nor a problem.
fn chunked_write(mode: Mode, close_between: bool) {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), mode);
    let full = body("chunked");
    let (a, b) = full.split_at(full.len() / 2);
    let path = dir.path().join("chunked.json");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(a).unwrap();
    f.flush().unwrap();
    if close_between {
        drop(f);
        f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
    }
    // Let the watcher see the half-written file (several debounce and retry periods).
    let pause = Instant::now() + Duration::from_millis(700);
    while Instant::now() < pause {
        live.pump(Duration::from_millis(10));
    }
    assert!(!has(&live.latest, "chunked"));
    f.write_all(b).unwrap();
    drop(f);
    let c = live.wait_chat("chunked");
    assert_eq!(c.visitor.as_deref(), Some("Alice"));
    assert!(
        !live.problem_ever("chunked.json"),
        "the half-written file was reported as a problem"
    );
    assert_eq!(live.reported().get("chunked"), Some(&vec![ChangeKind::New]));
}

#[test]
fn chunked_write_with_inotify() {
    chunked_write(inotify(), false);
}

#[test]
fn chunked_write_closed_between_chunks_with_inotify() {
    chunked_write(inotify(), true);
}

#[test]
fn chunked_write_when_polling() {
    chunked_write(polling(), false);
}

fn temp_then_rename(mode: Mode) {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), mode);
    // Hidden and temporary names are not ours, half-written or not.
    write(dir.path(), "b.json.tmp", &body("renamed")[..100]);
    write(dir.path(), ".b.json", b"{");
    std::fs::write(dir.path().join("b.json.tmp"), body("renamed")).unwrap();
    std::fs::rename(dir.path().join("b.json.tmp"), dir.path().join("b.json")).unwrap();
    std::fs::rename(dir.path().join(".b.json"), dir.path().join("c.json.part")).unwrap();
    let c = live.wait_chat("renamed");
    assert_eq!(&*c.source.path, "b.json");
    assert!(
        live.latest.problems.is_empty(),
        "{:?}",
        live.latest.problems
    );
    assert_eq!(live.reported().get("renamed"), Some(&vec![ChangeKind::New]));
    assert_eq!(live.latest.files, 2);
}

#[test]
fn temp_then_rename_with_inotify() {
    temp_then_rename(inotify());
}

#[test]
fn temp_then_rename_when_polling() {
    temp_then_rename(polling());
}

fn new_subdirectories(mode: Mode) {
    let dir = spool_with(1);
    let outside = tempfile::tempdir_in(dir.path().parent().unwrap()).unwrap();
    let mut live = Live::start(dir.path(), mode);
    // Created in place, written at once (before any watch on it can exist).
    write(dir.path(), "2024/05/31/x.json", &body("deep"));
    live.wait_chat("deep");
    // Later files in the new directory come through events on it.
    write(dir.path(), "2024/05/31/y.json", &body("deep-2"));
    live.wait_chat("deep-2");
    // A directory filled elsewhere and moved in: its files have no events of their own.
    for i in 0..5 {
        write(
            outside.path(),
            &format!("batch/{i}.json"),
            &body(&format!("moved-{i}")),
        );
    }
    std::fs::rename(outside.path().join("batch"), dir.path().join("batch")).unwrap();
    live.wait("the moved-in directory", |s| {
        (0..5).all(|i| has(s, &format!("moved-{i}")))
    });
    // ... and moved away again: its chats go with it.
    std::fs::rename(dir.path().join("batch"), outside.path().join("gone")).unwrap();
    live.wait("the moved-away directory to vanish", |s| {
        (0..5).all(|i| !has(s, &format!("moved-{i}")))
    });
    // A whole tree removed.
    std::fs::remove_dir_all(dir.path().join("2024")).unwrap();
    live.wait("the removed tree to vanish", |s| {
        !has(s, "deep") && !has(s, "deep-2")
    });
    assert!(has(&live.latest, "old-0"));
    let r = live.reported();
    for id in ["deep", "deep-2", "moved-0", "moved-4"] {
        assert_eq!(r.get(id), Some(&vec![ChangeKind::New]), "{id}: {r:?}");
    }
}

#[test]
fn new_subdirectories_with_inotify() {
    new_subdirectories(inotify());
}

#[test]
fn new_subdirectories_when_polling() {
    new_subdirectories(polling());
}

fn rewrite_and_delete(mode: Mode) {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), mode);
    write(
        dir.path(),
        "r.json",
        chat("rewritten", "Bob", "2").to_string().as_bytes(),
    );
    assert_eq!(live.wait_chat("rewritten").rating, Some(2));
    // Rewritten in place with other contents: read again, reported again.
    write(
        dir.path(),
        "r.json",
        chat("rewritten", "Bob", "4").to_string().as_bytes(),
    );
    live.wait("the new rating", |s| {
        find(s, "rewritten").is_some_and(|c| c.rating == Some(4))
    });
    // A second copy of the chat (a webhook retry), then the first file deleted: still shown.
    write(
        dir.path(),
        "retry/r.json",
        chat("rewritten", "Bob", "4").to_string().as_bytes(),
    );
    live.wait("the retry copy", |s| s.duplicates == 1);
    std::fs::remove_file(dir.path().join("r.json")).unwrap();
    live.wait("the deletion", |s| s.duplicates == 0 && s.files == 2);
    assert!(has(&live.latest, "rewritten"));
    // The last copy deleted: gone.
    std::fs::remove_file(dir.path().join("retry/r.json")).unwrap();
    live.wait("the chat to vanish", |s| !has(s, "rewritten"));
    let r = live.reported();
    assert_eq!(
        r.get("rewritten"),
        Some(&vec![ChangeKind::New, ChangeKind::Changed]),
        "a retry with the same contents is not news"
    );
}

#[test]
fn rewrite_and_delete_with_inotify() {
    rewrite_and_delete(inotify());
}

#[test]
fn rewrite_and_delete_when_polling() {
    rewrite_and_delete(polling());
}

#[test]
fn rewrite_with_other_details_is_reported_again() {
    let dir = spool_with(0);
    let mut live = Live::start(dir.path(), inotify());
    let mut v = chat("detail", "Bob", "3");
    write(dir.path(), "d.json", v.to_string().as_bytes());
    live.wait_chat("detail");
    // Nothing the list shows changes, but the chat does.
    v["chat"]["comment"] = json!("updated by the agent later");
    write(dir.path(), "d.json", v.to_string().as_bytes());
    let end = Instant::now() + deadline();
    while live.reported().get("detail").map_or(0, Vec::len) < 2 {
        assert!(Instant::now() < end, "the rewrite was not reported");
        live.pump(Duration::from_millis(10));
    }
    assert_eq!(
        live.reported()["detail"],
        vec![ChangeKind::New, ChangeKind::Changed]
    );
}

#[test]
fn a_file_from_the_initial_load_rewritten_with_other_details_is_reported() {
    let dir = spool_with(0);
    let mut v = chat("startup", "Bob", "3");
    write(dir.path(), "s.json", v.to_string().as_bytes());
    let mut live = Live::start(dir.path(), inotify());
    live.wait_chat("startup");
    // Only a detail outside the list row changes; the watcher never read this file itself.
    v["chat"]["rating_comment"] = json!("great");
    write(dir.path(), "s.json", v.to_string().as_bytes());
    let end = Instant::now() + deadline();
    while live.reported().get("startup").is_none_or(Vec::is_empty) {
        assert!(Instant::now() < end, "the rewrite was not reported");
        live.pump(Duration::from_millis(10));
    }
    assert_eq!(live.reported()["startup"], vec![ChangeKind::Changed]);
}

#[test]
fn broken_file_becomes_a_problem_then_heals() {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), inotify());
    let started = Instant::now();
    write(dir.path(), "bad.json", b"{\"event\": \"chat_ended\", ");
    live.wait_for(deadline() + Duration::from_secs(5), "the problem", |s| {
        s.problems.iter().any(|p| p.path == "bad.json")
    });
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "a broken file gets a few seconds to be finished first"
    );
    let announced: Vec<_> = live
        .updates
        .iter()
        .flat_map(|u| u.new_problems.iter())
        .collect();
    assert_eq!(announced.len(), 1, "{announced:?}");
    assert!(announced[0].reason.contains("truncated"), "{announced:?}");
    write(dir.path(), "bad.json", &body("healed"));
    live.wait_chat("healed");
    live.wait("the problem to go", |s| s.problems.is_empty());
}

#[test]
fn a_rewrite_in_progress_keeps_the_old_version_shown() {
    let dir = spool_with(0);
    write(
        dir.path(),
        "v.json",
        chat("versioned", "Old", "1").to_string().as_bytes(),
    );
    let mut live = Live::start(dir.path(), inotify());
    assert!(has(&live.latest, "versioned"));
    let full = chat("versioned", "New", "5").to_string().into_bytes();
    let mut f = std::fs::File::create(dir.path().join("v.json")).unwrap();
    f.write_all(&full[..full.len() / 3]).unwrap();
    f.flush().unwrap();
    let pause = Instant::now() + Duration::from_millis(500);
    while Instant::now() < pause {
        live.pump(Duration::from_millis(10));
        let c = find(&live.latest, "versioned").expect("the old version stays shown");
        assert_eq!(c.visitor.as_deref(), Some("Old"));
        assert!(live.latest.problems.is_empty());
    }
    f.write_all(&full[full.len() / 3..]).unwrap();
    drop(f);
    live.wait("the new version", |s| {
        find(s, "versioned").is_some_and(|c| c.visitor.as_deref() == Some("New"))
    });
}

fn burst(mode: Mode, n: usize) {
    let dir = spool_with(3);
    let mut live = Live::start(dir.path(), mode);
    let writer = {
        let root = dir.path().to_path_buf();
        std::thread::spawn(move || {
            for i in 0..n {
                // Some through a temporary name, some straight, some in dated directories.
                let id = format!("burst-{i}");
                match i % 3 {
                    0 => {
                        let tmp = root.join(format!("{id}.json.tmp"));
                        std::fs::write(&tmp, body(&id)).unwrap();
                        std::fs::rename(&tmp, root.join(format!("{id}.json"))).unwrap();
                    }
                    1 => write(&root, &format!("{id}.json"), &body(&id)),
                    _ => write(&root, &format!("d/{}/{id}.json", i % 7), &body(&id)),
                }
            }
        })
    };
    writer.join().unwrap();
    let s = live.wait(&format!("{n} new chats"), |s| s.chats.len() == n + 3);
    assert_eq!(s.files, n + 3);
    assert!(
        s.problems.is_empty(),
        "{:?}",
        &s.problems[..3.min(s.problems.len())]
    );
    let r = live.reported();
    assert_eq!(r.len(), n, "every new chat reported");
    let twice: Vec<_> = r.iter().filter(|(_, k)| k.len() != 1).take(5).collect();
    assert!(twice.is_empty(), "reported more than once: {twice:?}");
    assert!(r.values().all(|k| k == &[ChangeKind::New]));
    // Updates were throttled, not one per file.
    assert!(
        live.updates.len() < n / 10,
        "{} updates for {n} files",
        live.updates.len()
    );
}

#[test]
fn burst_of_files_with_inotify() {
    burst(inotify(), 3000);
}

#[test]
fn burst_of_files_when_polling() {
    burst(polling(), 1500);
}

#[test]
fn own_reads_cause_no_updates() {
    let dir = spool_with(20);
    let mut live = Live::start(dir.path(), inotify());
    // What the TUI does when chats are opened: read every file again, several times.
    let root = dir.path().to_path_buf();
    for _ in 0..3 {
        for c in live.latest.chats.iter() {
            chatspool::spool::load_chat(&root, &c.source, &c.id).unwrap();
        }
    }
    let quiet = Instant::now() + Duration::from_millis(600);
    while Instant::now() < quiet {
        live.pump(Duration::from_millis(10));
    }
    assert!(
        live.updates.is_empty(),
        "reading the spool made the watcher publish {} updates",
        live.updates.len()
    );
}

#[test]
fn removing_the_spool_stops_watching() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("spool");
    write(&root, "a.json", &body("a"));
    for mode in [inotify(), polling()] {
        std::fs::create_dir_all(&root).unwrap();
        let mut live = Live::start(&root, mode);
        std::fs::remove_dir_all(&root).unwrap();
        let s = live.wait("the watcher to stop", |s| {
            s.watch
                .as_deref()
                .is_some_and(|w| w.starts_with("stopped: "))
        });
        assert!(
            s.watch.as_deref().unwrap().contains("spool removed: "),
            "{s:?}"
        );
        // Both modes agree: the chats go with their spool (and could not be opened any more).
        assert!(s.chats.is_empty(), "{mode:?}: {} chats stay", s.chats.len());
        assert_eq!(s.files, 0);
        let end = Instant::now() + deadline();
        while !live.handle.as_ref().unwrap().finished() {
            assert!(Instant::now() < end, "the watcher thread should end");
            std::thread::sleep(Duration::from_millis(10));
        }
        live.stop();
    }
}

/// A file name that is not UTF-8 (`chat-\xff.json`), under `dir`.
#[cfg(unix)]
fn raw_name(dir: &Path, prefix: &str) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let mut name = prefix.as_bytes().to_vec();
    name.extend_from_slice(b"-\xff.json");
    dir.join(std::ffi::OsStr::from_bytes(&name))
}

#[cfg(unix)]
fn names_that_are_not_utf8(mode: Mode) {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), mode);
    std::fs::write(raw_name(dir.path(), "good"), body("raw-good")).unwrap();
    let c = live.wait_chat("raw-good");
    // Its key: the byte 0xff as U+10FFFF, shown as `�` (see `spool::names`).
    assert_eq!(&*c.source.path, "good-\u{10FFFF}.json");
    std::fs::write(raw_name(dir.path(), "bad"), b"{\"event\":").unwrap();
    live.wait_for(deadline() + Duration::from_secs(6), "the broken one", |s| {
        s.problems.iter().any(|p| p.path.starts_with("bad-"))
    });
    // Removing it takes its chat away: the key leads back to the real name.
    std::fs::remove_file(raw_name(dir.path(), "good")).unwrap();
    live.wait("the chat to go", |s| !has(s, "raw-good"));
    live.stop();
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_with_inotify() {
    names_that_are_not_utf8(inotify());
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_when_polling() {
    names_that_are_not_utf8(polling());
}

/// A symlinked directory appearing in the spool is not entered (not followed by default),
/// and is listed as skipped; its files never show up, whatever the mode.
#[cfg(unix)]
fn a_new_link_to_a_directory_is_not_followed(mode: Mode) {
    let dir = spool_with(1);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "x.json", &body("outside"));
    let mut live = Live::start(dir.path(), mode);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
    write(dir.path(), "after.json", &body("after"));
    live.wait_chat("after");
    live.wait("the link to be listed as skipped", |s| s.skipped >= 1);
    // A little longer for anything under the link to (wrongly) arrive.
    live.pump(Duration::from_millis(400));
    assert!(!has(&live.latest, "outside"), "{mode:?}");
    live.stop();
}

#[cfg(unix)]
#[test]
fn a_new_link_to_a_directory_is_not_followed_with_inotify() {
    a_new_link_to_a_directory_is_not_followed(inotify());
}

#[cfg(unix)]
#[test]
fn a_new_link_to_a_directory_is_not_followed_when_polling() {
    a_new_link_to_a_directory_is_not_followed(polling());
}

#[test]
fn json_lines_files_grow() {
    let dir = spool_with(0);
    let mut live = Live::start(dir.path(), inotify());
    let line = |id: &str| format!("{}\n", chat(id, "L", "5"));
    let path = dir.path().join("log.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(line("line-1").as_bytes()).unwrap();
    f.flush().unwrap();
    live.wait_chat("line-1");
    let next = line("line-2");
    f.write_all(&next.as_bytes()[..50]).unwrap();
    f.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    f.write_all(&next.as_bytes()[50..]).unwrap();
    drop(f);
    live.wait_chat("line-2");
    assert!(!live.problem_ever("log.jsonl"));
    let r = live.reported();
    assert_eq!(r.get("line-1"), Some(&vec![ChangeKind::New]), "{r:?}");
    assert_eq!(r.get("line-2"), Some(&vec![ChangeKind::New]), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// The TUI: the list changes under the cursor

mod tui {
    use super::*;
    use chatspool::tui::app::{App, Effect, Options};
    use chatspool::tui::event::{Matched, Msg};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn app(root: &Path, follow: bool) -> App {
        super::support::isolate();
        let opts = Options {
            root: root.to_path_buf(),
            theme: chatspool::tui::theme::Theme::pick(None, true),
            mouse: false,
            follow,
            query: String::new(),
            sort: None,
            columns: None,
            review_dir: None,
            author: "tester".into(),
            redact: Vec::new(),
            zone: chatspool::model::zone::Zone::Utc,
            sla: None,
            reading: Default::default(),
            views: Vec::new(),
            history: Vec::new(),
            notice: None,
        };
        App::new(opts, chrono::Utc::now()).0
    }

    /// What the runtime does: match on request, hand the answer back.
    fn feed(app: &mut App, root: &Path, msg: Msg) {
        let mut queue = vec![msg];
        while let Some(m) = queue.pop() {
            for e in app.update(m) {
                if let Effect::Match(req) = e {
                    let order =
                        chatspool::search::run(&req.snapshot.chats, &req.query, req.sort, root)
                            .into_iter()
                            .map(|i| u32::try_from(i).unwrap())
                            .collect();
                    queue.push(Msg::Matched(Matched {
                        generation: req.generation,
                        snapshot: req.snapshot,
                        order,
                    }));
                }
            }
        }
    }

    fn dated(id: &str, start_ms: i64) -> Vec<u8> {
        let mut v = chat(id, "V", "5");
        v["chat"]["start_time"] = json!(format!("/Date({start_ms})/"));
        v["chat"]["end_time"] = json!(format!("/Date({})/", start_ms + 60_000));
        v.to_string().into_bytes()
    }

    const T0: i64 = 1_598_954_400_000;

    fn selected(app: &App) -> String {
        app.selected_chat().unwrap().id.to_string()
    }

    #[test]
    fn selection_stays_on_its_chat_and_new_chats_get_a_badge() {
        let dir = spool_with(0);
        for i in 0..5 {
            write(
                dir.path(),
                &format!("{i}.json"),
                &dated(&format!("c{i}"), T0 + i * 1000),
            );
        }
        let root = dir.path();
        let mut live = Live::start(root, inotify());
        let mut app = app(root, false);
        feed(&mut app, root, Msg::Snapshot(live.latest.clone()));
        // Newest first: c4 c3 c2 c1 c0. Move to c2.
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        feed(&mut app, root, Msg::Key(down));
        feed(&mut app, root, Msg::Key(down));
        assert_eq!(selected(&app), "c2");
        // A newer chat arrives above the cursor.
        write(root, "5.json", &dated("c5", T0 + 5000));
        let s = live.wait("c5", |s| has(s, "c5"));
        feed(&mut app, root, Msg::Snapshot(s));
        assert_eq!(selected(&app), "c2", "the cursor stays on its chat");
        assert_eq!(app.selected, 3);
        assert!(app.fresh.contains("c5"), "the new chat has a badge");
        assert_eq!(app.fresh.len(), 1);
        // Seen: the badge goes.
        let up = KeyEvent::new(KeyCode::Home, KeyModifiers::NONE);
        feed(&mut app, root, Msg::Key(up));
        assert_eq!(selected(&app), "c5");
        assert!(app.fresh.is_empty());
    }

    #[test]
    fn follow_keeps_the_newest_selected() {
        let dir = spool_with(0);
        write(dir.path(), "0.json", &dated("c0", T0));
        let root = dir.path();
        let mut live = Live::start(root, inotify());
        let mut app = app(root, true);
        feed(&mut app, root, Msg::Snapshot(live.latest.clone()));
        assert_eq!(selected(&app), "c0");
        write(root, "1.json", &dated("c1", T0 + 1000));
        let s = live.wait("c1", |s| has(s, "c1"));
        feed(&mut app, root, Msg::Snapshot(s));
        assert_eq!(selected(&app), "c1");
        assert_eq!(s_watch(&app), Some("watching".into()));
    }

    /// The spool removed while the viewer runs: with inotify (files removed one by one, then
    /// the directory) and with polling (the directory gone at once), the list empties, no chat
    /// stays counted as new, and the status bar says what happened.
    #[test]
    fn a_removed_spool_empties_the_list_in_both_modes() {
        for mode in [inotify(), polling()] {
            let parent = tempfile::tempdir().unwrap();
            let root = parent.path().join("spool");
            for i in 0..3 {
                write(
                    &root,
                    &format!("{i}.json"),
                    &dated(&format!("c{i}"), T0 + i),
                );
            }
            let mut live = Live::start(&root, mode);
            let mut app = app(&root, false);
            feed(&mut app, &root, Msg::Snapshot(live.latest.clone()));
            write(&root, "new.json", &dated("c-new", T0 + 10));
            let s = live.wait("the new chat", |s| has(s, "c-new"));
            feed(&mut app, &root, Msg::Snapshot(s));
            assert_eq!(app.fresh.len(), 1);
            std::fs::remove_dir_all(&root).unwrap();
            let s = live.wait("the watcher to stop", |s| {
                s.watch.as_deref().is_some_and(|w| w.starts_with("stopped"))
            });
            for u in &live.updates {
                feed(&mut app, &root, Msg::Snapshot(u.snapshot.clone()));
            }
            feed(&mut app, &root, Msg::Snapshot(s));
            assert!(app.snapshot.chats.is_empty(), "{mode:?}");
            assert!(app.fresh.is_empty(), "{mode:?}: {:?}", app.fresh);
            let mut term =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 12)).unwrap();
            chatspool::tui::ui::arrange(&mut app, ratatui::layout::Rect::new(0, 0, 160, 12));
            term.draw(|f| chatspool::tui::ui::draw(f, &app)).unwrap();
            let buf = term.backend().buffer();
            let status: String = (0..160).map(|x| buf[(x, 11)].symbol()).collect();
            assert!(status.contains("0 chats"), "{mode:?}: {status}");
            assert!(!status.contains(" new"), "{mode:?}: {status}");
            let canonical = std::fs::canonicalize(parent.path()).unwrap();
            assert!(
                status.contains(&format!("spool removed: {}", canonical.display())),
                "{mode:?}: {status}"
            );
            live.stop();
        }
    }

    fn s_watch(app: &App) -> Option<String> {
        app.snapshot.watch.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// `chatspool watch`

/// The binary running with its stdout and stderr lines collected on threads.
struct Proc {
    child: Child,
    out: Receiver<String>,
    err: Receiver<String>,
}

impl Proc {
    fn spawn(args: &[&str], spool: &Path) -> Proc {
        let mut child = support::command()
            .arg("watch")
            .arg(spool)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |r: Box<dyn std::io::Read + Send>| {
            let (tx, rx) = channel();
            std::thread::spawn(move || {
                for l in BufReader::new(r).lines() {
                    let Ok(l) = l else { break };
                    if tx.send(l).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let out = lines(Box::new(child.stdout.take().unwrap()));
        let err = lines(Box::new(child.stderr.take().unwrap()));
        Proc { child, out, err }
    }

    fn line(rx: &Receiver<String>, what: &str, limit: Duration) -> String {
        rx.recv_timeout(limit)
            .unwrap_or_else(|e| panic!("no line for {what} within {limit:?}: {e}"))
    }

    fn json(&self, what: &str) -> Value {
        let l = Self::line(&self.out, what, deadline());
        serde_json::from_str(&l).unwrap_or_else(|e| panic!("{what}: {e}: {l}"))
    }

    /// SIGTERM (or SIGINT), then the exit code.
    fn stop(mut self, signal: &str) -> Option<i32> {
        let ok = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        let end = Instant::now() + deadline();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st.code();
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("chatspool watch did not exit on SIG{signal}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn list_json(spool: &Path) -> Vec<Value> {
    let out = support::command()
        .arg("list")
        .arg(spool)
        .arg("--json")
        .output()
        .unwrap();
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn cli_watch_json_prints_only_new_chats() {
    let dir = spool_with(2);
    let p = Proc::spawn(&["--json"], dir.path());
    // Until the first line comes, there is no telling whether the watcher has finished its
    // initial load: keep adding chats until one is printed; from then on, every one must be.
    let end = Instant::now() + deadline();
    let mut n = 0;
    let first = loop {
        assert!(Instant::now() < end, "no chat printed");
        write(
            dir.path(),
            &format!("probe-{n}.json"),
            &body(&format!("probe-{n}")),
        );
        n += 1;
        if let Ok(l) = p.out.recv_timeout(Duration::from_millis(300)) {
            break l;
        }
    };
    let first: Value = serde_json::from_str(&first).unwrap();
    assert!(
        first["id"].as_str().unwrap().starts_with("probe-"),
        "{first}"
    );
    // Later probes written before the first line was read are printed too; drain them.
    let mut seen = vec![first["id"].as_str().unwrap().to_string()];
    while let Ok(l) = p.out.recv_timeout(Duration::from_millis(300)) {
        let v: Value = serde_json::from_str(&l).unwrap();
        seen.push(v["id"].as_str().unwrap().to_string());
    }
    assert!(seen.iter().all(|s| s.starts_with("probe-")), "{seen:?}");
    write(dir.path(), "2024/06/01/fresh.json", &body("fresh"));
    let v = p.json("the new chat");
    assert_eq!(v["id"], "fresh");
    assert_eq!(v["source"], "2024/06/01/fresh.json");
    // Exactly the shape of `list --json`.
    let listed = list_json(dir.path());
    let same = listed.iter().find(|c| c["id"] == "fresh").unwrap();
    assert_eq!(&v, same);
    assert_eq!(p.stop("TERM"), Some(0));
}

/// A chat whose only file is deleted is reported `gone`, once, by id.
#[test]
fn cli_watch_reports_a_deleted_chat_as_gone() {
    let dir = spool_with(1);
    let p = Proc::spawn(&["--json"], dir.path());
    // Probes until one is printed: from then on the watcher reports every change.
    let end = Instant::now() + deadline();
    let mut n = 0;
    loop {
        assert!(Instant::now() < end, "no chat printed");
        write(
            dir.path(),
            &format!("probe-{n}.json"),
            &body(&format!("probe-{n}")),
        );
        n += 1;
        if p.out.recv_timeout(Duration::from_millis(300)).is_ok() {
            break;
        }
    }
    while p.out.recv_timeout(Duration::from_millis(300)).is_ok() {}
    std::fs::remove_file(dir.path().join("probe-0.json")).unwrap();
    let v = p.json("the deleted chat");
    assert_eq!(v, serde_json::json!({"event": "gone", "id": "probe-0"}));
    assert_eq!(p.stop("TERM"), Some(0));
}

#[test]
fn cli_watch_existing_then_changes_then_problems() {
    let dir = spool_with(2);
    let p = Proc::spawn(&["--json", "--existing"], dir.path());
    let mut existing = vec![
        p.json("existing 1")["id"].as_str().unwrap().to_string(),
        p.json("existing 2")["id"].as_str().unwrap().to_string(),
    ];
    existing.sort();
    assert_eq!(existing, ["old-0", "old-1"]);
    // The existing ones are printed once the load is done: from here on the watcher is live.
    write(
        dir.path(),
        "n.json",
        chat("n", "Nina", "3").to_string().as_bytes(),
    );
    let v = p.json("the new chat");
    assert_eq!(
        (v["id"].as_str(), v["rating"].as_u64()),
        (Some("n"), Some(3))
    );
    // Rewritten with other contents: printed again.
    write(
        dir.path(),
        "n.json",
        chat("n", "Nina", "5").to_string().as_bytes(),
    );
    let v = p.json("the rewritten chat");
    assert_eq!(
        (v["id"].as_str(), v["rating"].as_u64()),
        (Some("n"), Some(5))
    );
    // A file that stays broken: one line on stderr, `path: reason`.
    write(dir.path(), "sub/broken.json", b"{\"event\":");
    let e = Proc::line(&p.err, "the problem", deadline() + Duration::from_secs(5));
    assert!(e.starts_with("sub/broken.json: truncated JSON"), "{e}");
    assert_eq!(p.stop("INT"), Some(0));
}

#[test]
fn cli_watch_plain_lines_when_polling() {
    let dir = spool_with(1);
    let p = Proc::spawn(&["--existing", "--poll=0.2"], dir.path());
    let l = Proc::line(&p.out, "the existing chat", deadline());
    assert!(
        l.starts_with("new      2020-03-17 03:30 UTC  old-0  Alice  Walid"),
        "{l}"
    );
    let mut v = chat("evil", "Eve \u{1b}]0;pwned\u{7}", "5");
    v["chat"]["id"] = json!("evil");
    write(dir.path(), "e.json", v.to_string().as_bytes());
    let l = Proc::line(&p.out, "the new chat", deadline());
    assert!(l.contains("  evil  Eve ␛]0;pwned␇  "), "{l}");
    assert!(!l.contains('\u{1b}'));
    assert_eq!(p.stop("TERM"), Some(0));
}

#[test]
fn cli_watch_usage_errors() {
    let dir = spool_with(0);
    for (args, needle) in [
        (vec!["--poll=0"], "between"),
        (vec!["--poll=soon"], "not a number"),
    ] {
        let out = support::command()
            .arg("watch")
            .arg(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
    }
    let out = support::command()
        .arg("watch")
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = support::command()
        .args(["--poll", "--no-watch"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--poll and --no-watch conflict");
}

#[test]
fn cli_watch_exits_2_when_the_spool_goes() {
    let parent = tempfile::tempdir().unwrap();
    let root: PathBuf = parent.path().join("spool");
    write(&root, "a.json", &body("a"));
    let mut p = Proc::spawn(&["--existing"], &root);
    Proc::line(&p.out, "the existing chat", deadline());
    std::fs::remove_dir_all(&root).unwrap();
    let e = Proc::line(&p.err, "the reason", deadline());
    assert!(e.contains("stopped watching"), "{e}");
    let end = Instant::now() + deadline();
    let code = loop {
        if let Some(st) = p.child.try_wait().unwrap() {
            break st.code();
        }
        assert!(Instant::now() < end, "did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(code, Some(2));
}

// ---------------------------------------------------------------------------------------------
// Wrap-ups arriving after (or before) their chat

/// A `chat_wrapped_up` webhook for chat `id` (the vendor sample ended at 03:36:59 UTC).
fn wrapped(event: &str, id: &str, category: &str, minutes_after: i64) -> Vec<u8> {
    let time = 1_584_416_219_323 + minutes_after * 60_000;
    let v = json!({
        "event": event,
        "chat_id": id,
        "visitor": {"chat_id": id, "name": "Alice"},
        "wrapup": {
            "category": category,
            "comment": "Refund approved",
            "fields": [{"field_id": 3, "name": "Order", "value": "A1"}],
            "time": format!("/Date({time})/"),
        },
    });
    serde_json::to_vec_pretty(&v).unwrap()
}

fn category(s: &Snapshot, id: &str) -> Option<String> {
    find(s, id)?.wrap_up_category().map(str::to_string)
}

#[test]
fn a_wrap_up_after_its_chat_updates_it_live_and_leaves_with_its_file() {
    let dir = spool_with(1);
    let mut live = Live::start(dir.path(), inotify());
    let d = dir.path();
    write(d, "c.json", &body("c-1"));
    live.wait_chat("c-1");
    write(
        d,
        "w/c-1.json",
        &wrapped("chat_wrapped_up", "c-1", "Billing: Refund", 5),
    );
    live.wait("the wrap-up", |s| {
        category(s, "c-1").as_deref() == Some("Billing: Refund")
    });
    // A retry of the same event changes nothing; a later re-wrap (misspelt event) wins.
    write(
        d,
        "w/c-1-retry.json",
        &wrapped("chat_wrapped_up", "c-1", "Billing: Refund", 5),
    );
    live.wait("the retry read", |s| s.files == 4);
    assert_eq!(
        live.reported()["c-1"],
        [ChangeKind::New, ChangeKind::Changed],
        "the retry is no news"
    );
    write(
        d,
        "w/c-1-later.json",
        &wrapped("chat_wraped_up", "c-1", "Sales: Quote", 9),
    );
    live.wait("the later wrap-up", |s| {
        category(s, "c-1").as_deref() == Some("Sales: Quote")
    });
    std::fs::remove_file(d.join("w/c-1-later.json")).unwrap();
    live.wait("the earlier wrap-up back", |s| {
        category(s, "c-1").as_deref() == Some("Billing: Refund")
    });
    std::fs::remove_file(d.join("w/c-1.json")).unwrap();
    std::fs::remove_file(d.join("w/c-1-retry.json")).unwrap();
    live.wait("no wrap-up", |s| {
        has(s, "c-1") && category(s, "c-1").is_none()
    });
    let r = live.reported();
    assert_eq!(r["c-1"][0], ChangeKind::New);
    assert!(
        r["c-1"][1..].iter().all(|k| *k == ChangeKind::Changed),
        "{r:?}"
    );
    assert_eq!(r["c-1"].len(), 5, "{r:?}");
    assert_eq!(r.len(), 1, "{r:?}");
}

#[test]
fn a_wrap_up_before_its_chat_waits_for_it() {
    let dir = spool_with(1);
    let d = dir.path();
    write(
        d,
        "early.json",
        &wrapped("chat_wraped_up", "old-0", "Support: Login", 5),
    );
    let mut live = Live::start(d, polling());
    assert_eq!(
        category(&live.latest, "old-0").as_deref(),
        Some("Support: Login")
    );
    write(
        d,
        "w/late.json",
        &wrapped("chat_wrapped_up", "late", "Billing: Refund", 5),
    );
    write(
        d,
        "w/late-jsonl.jsonl",
        &[
            serde_json::to_vec(&chat("other", "Olga", "4")).unwrap(),
            b"\n".to_vec(),
            wrapped("chat_wrapped_up", "other", "Shipping", 5)
                .into_iter()
                .filter(|b| *b != b'\n')
                .collect(),
            b"\n".to_vec(),
        ]
        .concat(),
    );
    live.wait_chat("other");
    assert_eq!(category(&live.latest, "other").as_deref(), Some("Shipping"));
    assert!(!has(&live.latest, "late"), "a wrap-up is never a chat");
    write(d, "late.json", &body("late"));
    let row = live.wait_chat("late");
    assert_eq!(row.wrap_up_category(), Some("Billing: Refund"));
    let r = live.reported();
    assert_eq!(r.get("late"), Some(&vec![ChangeKind::New]), "{r:?}");
}

#[test]
fn cli_watch_prints_a_chat_again_when_its_wrap_up_arrives() {
    let dir = spool_with(2);
    let p = Proc::spawn(&["--json", "--existing"], dir.path());
    for what in ["existing 1", "existing 2"] {
        assert_eq!(p.json(what)["wrap_up"], Value::Null);
    }
    write(
        dir.path(),
        "w.json",
        &wrapped("chat_wrapped_up", "old-1", "Billing: Refund", 5),
    );
    let v = p.json("the chat with its wrap-up");
    assert_eq!(
        (v["id"].as_str(), v["wrap_up"].as_str()),
        (Some("old-1"), Some("Billing: Refund"))
    );
    // A wrap-up waiting for its chat prints nothing until the chat comes.
    write(
        dir.path(),
        "w2.json",
        &wrapped("chat_wrapped_up", "n", "Shipping", 5),
    );
    write(dir.path(), "n.json", &body("n"));
    let v = p.json("the new chat");
    assert_eq!(
        (v["id"].as_str(), v["wrap_up"].as_str()),
        (Some("n"), Some("Shipping"))
    );
    assert_eq!(p.stop("TERM"), Some(0));
}
