//! The engine on its own thread, fed events by hand: overflow rescans, watcher errors, and the
//! status labels.

use super::super::events::Input;
use super::super::Mode;
use super::health::Health;
use super::run;
use crate::spool::live::{ChangeKind, Update};
use notify::{Event, EventKind};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// The engine on a thread, fed by hand: polling once an hour, so only injected events and
/// the initial load make it look at the disk.
fn engine_on(root: &Path) -> (Sender<Input>, Receiver<Update>, std::thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (out_tx, out_rx) = std::sync::mpsc::channel();
    let root = root.to_path_buf();
    let engine_tx = tx.clone();
    let t = std::thread::spawn(move || {
        run(
            &root,
            Mode::Poll(Duration::from_secs(3600)),
            None,
            crate::spool::Reading::default(),
            &engine_tx,
            &rx,
            |u| {
                let _ = out_tx.send(u);
            },
        );
    });
    (tx, out_rx, t)
}

fn until(rx: &Receiver<Update>, cond: impl Fn(&Update) -> bool) -> Update {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let u = rx.recv_timeout(left).expect("no such update within 10 s");
        if cond(&u) {
            return u;
        }
    }
}

fn sample(id: &str) -> String {
    let v = include_str!("../../../../tests/fixtures/variants/vendor-sample.json");
    v.replace("16c2cc3a-1b15-4b4f-9298-1cd04d6cec15", id)
}

#[test]
fn overflow_rescans_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), sample("a")).unwrap();
    std::fs::write(dir.path().join("b.json"), sample("b")).unwrap();
    let (tx, rx, t) = engine_on(dir.path());
    until(&rx, |u| u.snapshot.progress.finished);
    // Changes the engine hears nothing about...
    std::fs::write(dir.path().join("c.json"), sample("c")).unwrap();
    std::fs::remove_file(dir.path().join("a.json")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(
        dir.path().join("b.json"),
        sample("b").replace("\"rating\": \"-1\"", "\"rating\": \"4\""),
    )
    .unwrap();
    // ... until the kernel queue overflows.
    let ev = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
    tx.send(Input::Event(Ok(ev))).unwrap();
    let u = until(&rx, |u| !u.changes.is_empty());
    let ids = |u: &Update| {
        let mut v: Vec<String> = u.snapshot.chats.iter().map(|c| c.id.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&u), ["b", "c"]);
    let mut changes: Vec<(ChangeKind, &str, Option<u8>)> = u
        .changes
        .iter()
        .map(|(k, c)| (*k, &*c.id, c.rating))
        .collect();
    changes.sort_by_key(|c| c.1);
    assert_eq!(
        changes,
        [
            (ChangeKind::Changed, "b", Some(4)),
            (ChangeKind::New, "c", None)
        ]
    );
    let w = u.snapshot.watch.as_deref().unwrap();
    assert!(w.ends_with("(rescanned after overflow)"), "{w}");
    tx.send(Input::Stop).unwrap();
    t.join().unwrap();
}

#[test]
fn watcher_errors_rescan_or_fall_back_to_polling() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx, t) = engine_on(dir.path());
    until(&rx, |u| u.snapshot.progress.finished);
    let err = notify::Error::io(std::io::Error::other("boom"));
    tx.send(Input::Event(Err(err))).unwrap();
    std::fs::write(dir.path().join("x.json"), sample("x")).unwrap();
    let u = until(&rx, |u| u.snapshot.chats.len() == 1);
    let w = u.snapshot.watch.as_deref().unwrap();
    assert!(
        w.contains("rescanned after watcher error: inotify: boom"),
        "{w}"
    );
    let full = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
    tx.send(Input::Event(Err(full))).unwrap();
    let u = until(&rx, |u| {
        u.snapshot
            .watch
            .as_deref()
            .is_some_and(|w| w.starts_with("polling every 2s (inotify watch limit"))
    });
    assert_eq!(u.snapshot.chats.len(), 1);
    tx.send(Input::Stop).unwrap();
    t.join().unwrap();
}

#[test]
fn labels() {
    assert_eq!(Health::Watching.label(), "watching");
    assert_eq!(
        Health::Polling {
            every: Duration::from_secs(2),
            why: Some("nfs".into())
        }
        .label(),
        "polling every 2s (nfs)"
    );
    assert_eq!(
        Health::Polling {
            every: Duration::from_secs(1),
            why: None
        }
        .label(),
        "polling every 1s"
    );
    assert_eq!(Health::Off.label(), "not watching");
    assert_eq!(Health::Stopped("x".into()).label(), "stopped: x");
}
