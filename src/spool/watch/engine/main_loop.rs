//! The engine's loop: wait for the next event or deadline, then do everything that is due,
//! in batches, draining events between them so a burst never starves the channel.

use super::super::events::Input;
use super::examine::{examine, Outcome};
use super::health::Health;
use super::Engine;
use crate::spool::live::{Update, PUBLISH_EVERY};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// Inputs taken from the channel at a time.
const DRAIN_MAX: usize = 20_000;
/// How long "rescanned after overflow" stays in the status.
const NOTE_FOR: Duration = Duration::from_secs(10);

impl<P: FnMut(Update)> Engine<P> {
    pub(super) fn run(&mut self, rx: &Receiver<Input>) {
        loop {
            let now = Instant::now();
            let first = match self.next_wake() {
                Some(at) => rx.recv_timeout(at.saturating_duration_since(now)),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match first {
                Ok(Input::Stop) => return,
                Ok(Input::Event(ev)) => self.on_event(ev),
                Ok(Input::Source(line)) => self.on_source(line),
                Err(RecvTimeoutError::Timeout) => {}
                // Cannot happen while `run` holds a sender; nothing more can arrive.
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if !self.drain(rx) || !self.work(rx) {
                return;
            }
            if matches!(self.health, Health::Stopped(_)) {
                self.publish_now();
                return;
            }
        }
    }

    /// Everything due now: rescans, polls, pending paths (in batches, publishing and draining
    /// events between them), then an update if one is due. False when asked to stop.
    fn work(&mut self, rx: &Receiver<Input>) -> bool {
        loop {
            let now = Instant::now();
            if let Some(why) = self.rescan.take() {
                tracing::debug!(why = %why, "rescan");
                self.reconcile("", now);
                self.note = Some((why, now + NOTE_FOR));
                self.dirty = true;
            }
            if let (Some(at), Health::Polling { every, .. }) = (self.next_poll, &self.health) {
                if now >= at {
                    let every = *every;
                    tracing::trace!("poll: comparing the spool with the store");
                    self.reconcile("", now);
                    self.next_poll = Some(Instant::now() + every);
                }
            }
            if self.note.as_ref().is_some_and(|(_, until)| now >= *until) {
                self.note = None;
                self.dirty = true;
            }
            let jobs = self.take_due(now);
            if jobs.is_empty() {
                self.keep_texts(now);
                self.maybe_publish();
                return true;
            }
            let (root, rules) = (&self.root, &self.rules);
            let outcomes: Vec<Outcome> = jobs.par_iter().map(|j| examine(root, rules, j)).collect();
            let now = Instant::now();
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                self.apply(job, outcome, now);
                if matches!(self.health, Health::Stopped(_)) {
                    return true;
                }
            }
            self.maybe_publish();
            if !self.drain(rx) {
                return false;
            }
        }
    }

    /// Take what is waiting in the channel without blocking. False when asked to stop.
    fn drain(&mut self, rx: &Receiver<Input>) -> bool {
        for _ in 0..DRAIN_MAX {
            match rx.try_recv() {
                Ok(Input::Event(ev)) => self.on_event(ev),
                Ok(Input::Source(line)) => self.on_source(line),
                Ok(Input::Stop) => return false,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        true
    }

    /// The source's status changed: show it with the next update.
    fn on_source(&mut self, line: String) {
        if self.source.as_ref() != Some(&line) {
            self.source = Some(line);
            self.dirty = true;
        }
    }

    fn next_wake(&self) -> Option<Instant> {
        let mut at = self.queue.peek().map(|Reverse((t, _))| *t);
        let mut earliest = |t: Option<Instant>| {
            if let Some(t) = t {
                at = Some(at.map_or(t, |a| a.min(t)));
            }
        };
        earliest(self.next_poll);
        earliest(self.texts.due());
        earliest(self.note.as_ref().map(|(_, until)| *until));
        if self.dirty {
            earliest(Some(self.last_publish + PUBLISH_EVERY));
        }
        if self.rescan.is_some() {
            earliest(Some(Instant::now()));
        }
        at
    }
}
