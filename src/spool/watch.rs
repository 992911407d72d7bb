//! Watching a spool live: the [`Store`](super::Store) kept up to date while a webhook receiver
//! writes into the spool, published as [`Update`]s.
//!
//! One thread owns the store. It starts the watcher first (so nothing written during the initial
//! load is missed), loads the spool with [`live::load_progressively`](super::live), then reacts
//! to changes:
//!
//! - With inotify (through `notify`), a path is acted on when a file is closed after writing or
//!   renamed into place, or 50 ms after its last write when the writer never closes it. Its own
//!   reads (open, read, close-after-read events) are ignored, so they never loop.
//! - A file that does not parse yet is kept out of the store (an older version stays shown) and
//!   retried with backoff; only after 5 s without parsing does it become a problem. A file that
//!   becomes valid leaves the problems list.
//! - New directories are scanned (files moved in with them have no events of their own); removed
//!   or renamed-away directories take their files with them.
//! - When the kernel queue overflows (`Flag::Rescan`) or the watcher reports an error, the whole
//!   spool is compared with the store by size and mtime: new files added, changed files read
//!   again, vanished files removed.
//! - Polling (forced with `--poll`, or chosen at start when the spool is on a filesystem where
//!   inotify misses changes, see [`fstype`]) does that same comparison every interval.
//!
//! Files are read and parsed in parallel batches, and snapshots are published at most every
//! [`PUBLISH_EVERY`](super::live::PUBLISH_EVERY), so a burst of tens of thousands of files keeps
//! the UI responsive and ends with each file read once.

mod engine;
mod events;
pub mod fstype;
mod source;

pub use super::live::{ChangeKind, Update};
pub use source::Upstream;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// The polling interval when none is given.
pub const DEFAULT_POLL: Duration = Duration::from_secs(2);

/// How to follow changes to the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Load once, then stop (`--no-watch`).
    Off,
    /// inotify, unless the spool is on a filesystem where it misses changes: then poll every
    /// [`DEFAULT_POLL`].
    Auto,
    /// inotify whatever the filesystem (polling only if inotify cannot start).
    Notify,
    /// Walk and stat the spool at this interval (`--poll[=SECS]`).
    Poll(Duration),
}

/// `2s`, `1.5s`, `500ms`: an interval as the status line shows it.
pub fn describe_interval(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        let s = format!("{:.2}", d.as_secs_f64());
        format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Load and watch `root` on this thread, calling `publish` with every update. Returns only
/// when watching stops for good (the spool directory was removed; the last update says so in
/// `snapshot.watch`), or at once after the load with [`Mode::Off`]. `upstream` follows the
/// spool's source when it is the copy of a bucket (see [`Upstream`]); `reading` how it is read.
pub fn run(
    root: &Path,
    mode: Mode,
    upstream: Option<Upstream>,
    reading: super::Reading,
    publish: impl FnMut(Update),
) {
    let (tx, rx) = channel();
    engine::run(root, mode, upstream, reading, &tx, &rx, publish);
}

/// A watcher running on its own thread; dropping it stops the thread and waits for it.
#[derive(Debug)]
pub struct Handle {
    tx: Sender<events::Input>,
    thread: Option<JoinHandle<()>>,
}

impl Handle {
    /// True once the thread has ended (watching stopped, or [`Mode::Off`] finished loading).
    pub fn finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Ask the thread to stop without waiting for it (it may be in the middle of the initial
    /// load, which it finishes first): for a process about to exit.
    pub fn detach(mut self) {
        let _ = self.tx.send(events::Input::Stop);
        self.thread.take();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.tx.send(events::Input::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Start watching `root` on a new thread (see [`run`]).
pub fn spawn(
    root: PathBuf,
    mode: Mode,
    upstream: Option<Upstream>,
    reading: super::Reading,
    publish: impl FnMut(Update) + Send + 'static,
) -> std::io::Result<Handle> {
    let (tx, rx) = channel();
    let engine_tx = tx.clone();
    let thread = std::thread::Builder::new()
        .name("watcher".into())
        .spawn(move || engine::run(&root, mode, upstream, reading, &engine_tx, &rx, publish))?;
    Ok(Handle {
        tx,
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_naturally() {
        assert_eq!(describe_interval(Duration::from_secs(2)), "2s");
        assert_eq!(describe_interval(Duration::from_millis(1500)), "1.5s");
        assert_eq!(describe_interval(Duration::from_millis(250)), "250ms");
        assert_eq!(describe_interval(Duration::from_millis(1250)), "1.25s");
    }
}
