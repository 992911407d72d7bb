//! How the spool is followed (inotify, polling, stopped), chosen at start and shown in the
//! status line.

use super::super::events::{start_notify, Input};
use super::super::{describe_interval, fstype, Mode, DEFAULT_POLL};
use super::Engine;
use crate::spool::live::Update;
use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How the spool is followed, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Health {
    Off,
    Watching,
    Polling {
        every: Duration,
        why: Option<String>,
    },
    Stopped(String),
}

impl Health {
    pub(super) fn label(&self) -> String {
        match self {
            Health::Off => "not watching".into(),
            Health::Watching => "watching".into(),
            Health::Polling { every, why: None } => {
                format!("polling every {}", describe_interval(*every))
            }
            Health::Polling {
                every,
                why: Some(w),
            } => format!("polling every {} ({w})", describe_interval(*every)),
            Health::Stopped(why) => format!("stopped: {why}"),
        }
    }
}

impl<P: FnMut(Update)> Engine<P> {
    /// The spool directory itself is gone: nothing left to follow. Its chats go with it, as
    /// the chats of a removed file or directory do (and they could not be opened any more);
    /// inotify reports the files one by one before the directory, polling only sees the
    /// directory gone, and both end here with the same empty list.
    pub(super) fn spool_lost(&mut self) {
        let root = self.root.display().to_string();
        tracing::warn!(spool = %root, "the spool directory is gone: watching stopped");
        self.forget_all();
        self.health = Health::Stopped(format!("spool removed: {root}"));
        self.dirty = true;
    }
}

/// Start following `root` as `mode` asks: inotify where it can be trusted and starts,
/// polling otherwise. The watcher, if any, must live as long as the engine.
pub(super) fn start(
    root: &Path,
    mode: Mode,
    tx: &Sender<Input>,
) -> (Health, Option<notify::RecommendedWatcher>) {
    let mut watcher = None;
    let health = match mode {
        Mode::Off => Health::Off,
        Mode::Poll(every) => Health::Polling { every, why: None },
        Mode::Auto | Mode::Notify => {
            let unreliable = if mode == Mode::Auto {
                fstype::inotify_unreliable(root)
            } else {
                None
            };
            match unreliable {
                Some(fs) => Health::Polling {
                    every: DEFAULT_POLL,
                    why: Some(fs),
                },
                None => match start_notify(root, tx) {
                    Ok(w) => {
                        watcher = Some(w);
                        Health::Watching
                    }
                    Err(why) => Health::Polling {
                        every: DEFAULT_POLL,
                        why: Some(why),
                    },
                },
            }
        }
    };
    match &health {
        Health::Polling { why: Some(why), .. } => {
            tracing::info!(spool = %root.display(), why = %why, mode = %health.label(), "not using inotify")
        }
        _ => tracing::info!(spool = %root.display(), mode = %health.label(), "following the spool"),
    }
    (health, watcher)
}
