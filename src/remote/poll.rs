//! Following a bucket: LIST at an interval, download what is new or changed into the local
//! copy (where the local watcher sees it land), report how it goes for the status line.
//!
//! - When keys sort in the order objects were written (timestamps or ULIDs in names, as
//!   webhook receivers usually write them), a poll lists only the keys after the start of a
//!   recent window (`list_with_offset`): new keys, and the recent ones again, because uploads
//!   can finish out of order.
//! - A full listing, which also sees deletions and changes anywhere, runs at a slower period,
//!   and every poll is a full one when keys are not ordered by time.
//! - A failed poll is never fatal: it is retried with exponential backoff, and the status line
//!   says so until a poll succeeds.

use super::client::{runtime, Remote};
use super::listing::Object;
use super::mirror::Mirror;
use super::sync::{self, Scope};
use std::time::{Duration, Instant};

/// The interval when none is given: LIST requests are billed, and a chat is rarely urgent to
/// the second.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(10);
/// Uploads this recent are listed again by every windowed poll.
const WINDOW: Duration = Duration::from_secs(300);
/// A full listing at least this often (and at most every [`MAX_FULL_EVERY`]).
const FULL_POLLS: u32 = 10;
const MIN_FULL_EVERY: Duration = Duration::from_secs(60);
const MAX_FULL_EVERY: Duration = Duration::from_secs(600);
/// The longest wait between failed polls.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The offset a windowed poll lists after, or `None` when every poll must list everything:
/// keys not in time order, or nothing older than the window. `objects` is sorted by key.
pub fn window_start(objects: &[Object], window: Duration) -> Option<String> {
    let newest = objects.iter().map(|o| o.modified_ns).max()?;
    let slack = i64::try_from(window.as_nanos()).unwrap_or(i64::MAX);
    // Time order, allowing uploads that finished out of order within the window.
    let disorder = objects
        .windows(2)
        .filter(|w| w[1].modified_ns < w[0].modified_ns.saturating_sub(slack))
        .count();
    if disorder > 0 {
        return None;
    }
    // List from just before the first key (in key order) uploaded within the window.
    let cut = newest.saturating_sub(slack);
    let first = objects.iter().position(|o| o.modified_ns >= cut)?;
    first.checked_sub(1).map(|i| objects[i].rel.clone())
}

/// `10s`, `2m`: a delay as the status line shows it.
fn describe(d: Duration) -> String {
    crate::spool::watch::describe_interval(d)
}

/// Follow the bucket behind `remote` into `mirror` every `every`, on this thread (it owns its
/// own runtime), until `status` returns false (nobody listens any more). `status` gets the
/// line for the status bar after every poll.
pub fn run(
    remote: &Remote,
    mirror: &Mirror,
    every: Duration,
    status: &mut dyn FnMut(String) -> bool,
) {
    let scheme = remote.url.scheme.as_str();
    let steady = format!("polling {scheme} every {}", describe(every));
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            status(format!("not polling {scheme}: {e}"));
            return;
        }
    };
    let full_every = (every * FULL_POLLS).clamp(MIN_FULL_EVERY, MAX_FULL_EVERY);
    let mut last_full: Option<Instant> = None;
    let mut offset: Option<String> = None;
    let mut failures: u32 = 0;
    loop {
        let wait = if failures == 0 {
            every
        } else {
            (every * 2u32.saturating_pow(failures)).min(MAX_BACKOFF.max(every))
        };
        std::thread::sleep(wait);
        let full = offset.is_none() || last_full.is_none_or(|t| t.elapsed() >= full_every);
        let scope = match (&offset, full) {
            (Some(o), false) => Scope::After(o.clone()),
            _ => Scope::Full,
        };
        let started = Instant::now();
        let result = runtime.block_on(sync::run(remote, mirror, scope.clone(), &mut |_, _| {}));
        let line = match result {
            Ok(report) => {
                failures = 0;
                if scope == Scope::Full {
                    last_full = Some(started);
                    offset = window_start(&report.objects, WINDOW);
                }
                tracing::debug!(
                    listed = report.listed,
                    downloaded = report.downloaded,
                    removed = report.removed,
                    full = scope == Scope::Full,
                    "polled the bucket"
                );
                match report.problems.as_slice() {
                    [] => steady.clone(),
                    [one] => format!("{steady} ({}: {})", one.path, one.reason),
                    many => format!("{steady} ({} objects not downloaded)", many.len()),
                }
            }
            Err(e) => {
                failures = failures.saturating_add(1).min(16);
                let next = (every * 2u32.saturating_pow(failures)).min(MAX_BACKOFF.max(every));
                tracing::warn!(error = %e, "polling the bucket failed");
                format!("{scheme} poll failed, retrying in {}: {e}", describe(next))
            }
        };
        if !status(line) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(rel: &str, secs: i64) -> Object {
        Object {
            rel: rel.into(),
            size: 1,
            tag: String::new(),
            modified_ns: secs * 1_000_000_000,
        }
    }

    #[test]
    fn time_ordered_keys_poll_after_the_window_start() {
        let w = Duration::from_secs(300);
        let objects = [
            obj("a", 0),
            obj("b", 100),
            obj("c", 1000),
            obj("d", 1100),
            obj("e", 1200),
        ];
        assert_eq!(window_start(&objects, w).as_deref(), Some("b"));
        // An upload that finished a little out of order is fine.
        let late = [obj("a", 0), obj("b", 1000), obj("c", 700), obj("d", 1300)];
        assert_eq!(window_start(&late, w).as_deref(), Some("a"));
    }

    #[test]
    fn unordered_or_all_recent_keys_poll_everything() {
        let w = Duration::from_secs(300);
        let shuffled = [obj("a", 5000), obj("b", 100), obj("c", 6000)];
        assert_eq!(window_start(&shuffled, w), None);
        assert_eq!(window_start(&[obj("a", 10), obj("b", 20)], w), None);
        assert_eq!(window_start(&[], w), None);
    }
}
