//! From a `notify` event (or error) to pending paths: which paths of ours it names, and how
//! soon each is looked at (see `events` for what each kind of event means).

use super::super::events::{describe_error, reaction, Look};
use super::super::DEFAULT_POLL;
use super::health::Health;
use super::pending::{Ask, SETTLE};
use super::Engine;
use crate::spool::live::Update;
use crate::spool::{read, scan};
use notify::{Event, EventKind};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

impl<P: FnMut(Update)> Engine<P> {
    pub(super) fn on_event(&mut self, ev: notify::Result<Event>) {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => return self.on_error(&e),
        };
        if ev.need_rescan() {
            tracing::info!("inotify queue overflowed: rescanning the whole spool");
            self.rescan = Some("rescanned after overflow".into());
            return;
        }
        let Some(r) = reaction(&ev.kind) else { return };
        let now = Instant::now();
        for path in &ev.paths {
            let Some(rel) = self.rel_of(path) else {
                continue;
            };
            if rel.is_empty() {
                // The spool directory itself: removed, renamed, or its attributes changed.
                if r.dir.is_some() || matches!(ev.kind, EventKind::Remove(_)) {
                    self.schedule(Arc::from(""), now, Ask::CHECK);
                }
                continue;
            }
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let look = match (read::kind_of(name).is_some(), r.file) {
                (true, Some(look)) => Some(look),
                _ => r.dir,
            };
            let rel = self.interned(rel);
            match look {
                Some(Look::Settle) => self.schedule(rel, now + SETTLE, Ask::SETTLE),
                Some(Look::Now) => self.schedule(rel, now, Ask::READ.new_dir(r.new_dir)),
                Some(Look::Check) => self.schedule(rel, now, Ask::CHECK.new_dir(r.new_dir)),
                None => {}
            }
        }
    }

    fn on_error(&mut self, e: &notify::Error) {
        tracing::warn!(error = %describe_error(e), "watcher error");
        if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
            tracing::warn!("inotify watch limit reached: falling back to polling");
            // New directories are no longer watched: events cannot be trusted any more.
            self.health = Health::Polling {
                every: DEFAULT_POLL,
                why: Some(describe_error(e)),
            };
            self.next_poll = Some(Instant::now());
            self.dirty = true;
        } else {
            self.rescan = Some(format!(
                "rescanned after watcher error: {}",
                describe_error(e)
            ));
        }
    }

    /// The spool-relative key of an event path (names that are not UTF-8 too); `None` outside
    /// the spool or under a hidden name.
    fn rel_of(&self, path: &Path) -> Option<String> {
        if let Some(rel) = scan::relative(&self.root, path) {
            return Some(rel);
        }
        // Under a directory entered through a symlink (`--follow-links`): keyed by the link.
        let (real, link) = self.links.iter().find(|(real, _)| path.starts_with(real))?;
        let rest = scan::relative(real, path)?;
        Some(if rest.is_empty() {
            link.clone()
        } else {
            format!("{link}/{rest}")
        })
    }
}
