//! Updates out: which chats are new or changed since the last update, and a snapshot at most
//! every `PUBLISH_EVERY`, so a burst of files ends in a few updates rather than thousands.

use super::health::Health;
use super::Engine;
use crate::model::ChatSummary;
use crate::spool::live::{ChangeKind, Progress, Snapshot, Update, PUBLISH_EVERY};
use crate::spool::PathReason;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

/// A chat affected since the last update: how it was shown then.
#[derive(Debug)]
pub(super) struct Touched {
    pub before: Option<Arc<ChatSummary>>,
    /// A single-chat file holding it was rewritten with other bytes.
    pub rewritten_in: Option<Arc<str>>,
}

impl<P: FnMut(Update)> Engine<P> {
    /// Note how a chat was shown before this update changes it.
    pub(super) fn touch(&mut self, id: &str) {
        if !self.touched.contains_key(id) {
            let before = self.store.best(id).cloned();
            self.touched.insert(
                id.into(),
                Touched {
                    before,
                    rewritten_in: None,
                },
            );
            self.touch_order.push(id.into());
        }
    }

    /// Note how each chat of the stored file `rel` was shown, before the file is replaced or
    /// removed (its chats may change or vanish with it, and its wrap-ups leave their chats).
    pub(super) fn touch_stored(&mut self, rel: &str) {
        if let Some(old) = self.store.file(rel) {
            let ids: Vec<Arc<str>> = old.record.chat_ids().cloned().collect();
            for id in ids {
                self.touch(&id);
            }
        }
    }

    fn label(&self) -> String {
        let base = match (&self.source, &self.health) {
            (Some(source), Health::Watching | Health::Polling { .. }) => source.clone(),
            _ => self.health.label(),
        };
        match (&self.note, &self.health) {
            (Some((note, _)), Health::Watching | Health::Polling { .. }) => {
                format!("{base} ({note})")
            }
            _ => base,
        }
    }

    pub(super) fn maybe_publish(&mut self) {
        if self.dirty && self.last_publish.elapsed() >= PUBLISH_EVERY {
            self.publish_now();
        }
    }

    pub(super) fn publish_now(&mut self) {
        self.version += 1;
        let progress = Progress::complete(self.store.file_count());
        let mut snap = Snapshot::of(&self.store, self.version, progress, Some(self.label()));
        let mut changes = Vec::new();
        let mut gone = Vec::new();
        for id in std::mem::take(&mut self.touch_order) {
            let Some(t) = self.touched.remove(&id) else {
                continue;
            };
            let Some(now) = self.store.best(&id) else {
                // Shown before, in no file now: its last file was deleted.
                gone.extend(t.before);
                continue;
            };
            let kind = match &t.before {
                None => Some(ChangeKind::New),
                Some(before) => {
                    let rewritten = t.rewritten_in.as_deref() == Some(&*now.source.path);
                    (rewritten || !same_chat(before, now)).then_some(ChangeKind::Changed)
                }
            };
            if let Some(kind) = kind {
                changes.push((kind, now.clone()));
            }
        }
        self.touched.clear();
        snap.fresh = changes.iter().map(|(_, c)| c.id.clone()).collect();
        let current: BTreeSet<PathReason> = snap.problems.iter().cloned().collect();
        let new_problems = current.difference(&self.problems_seen).cloned().collect();
        self.problems_seen = current;
        self.dirty = false;
        self.last_publish = Instant::now();
        (self.publish)(Update {
            snapshot: Arc::new(snap),
            changes,
            new_problems,
            gone,
        });
    }
}

/// Two copies show the same chat (wherever they were read from).
fn same_chat(a: &ChatSummary, b: &ChatSummary) -> bool {
    if a == b {
        return true;
    }
    let mut a = a.clone();
    a.source = b.source.clone();
    a == *b
}
