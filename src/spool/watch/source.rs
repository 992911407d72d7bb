//! A spool that is the local copy of a bucket is followed at its source: a poller lists the
//! bucket and lands changes in the copy, where inotify sees them; its status line replaces the
//! local watcher's. The poller is the caller's ([`Upstream`]): the watch engine never reaches
//! up into object storage.

use super::events::Input;
use super::Mode;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Where a spool's changes come from beyond its own directory (a bucket poller landing them
/// in the local copy), handed in by whoever opened the spool. Called once, on the watcher's
/// thread, with the polling interval asked for (`None`: the source's default) and a sink for
/// its status lines that returns false once nobody listens; returns the first status line, or
/// `None` when it cannot follow this spool.
pub type Upstream = Box<
    dyn FnOnce(Option<Duration>, Box<dyn FnMut(String) -> bool + Send>) -> Option<String> + Send,
>;

/// Start following `upstream`, if there is one. Returns the first status line and the mode for
/// watching the copy itself, or `None` and `mode` unchanged.
pub(super) fn start(
    upstream: Option<Upstream>,
    mode: Mode,
    tx: &Sender<Input>,
) -> (Option<String>, Mode) {
    let Some(upstream) = upstream else {
        return (None, mode);
    };
    let every = match mode {
        Mode::Off => return (None, mode),
        Mode::Poll(every) => Some(every),
        Mode::Auto | Mode::Notify => None,
    };
    let tx = tx.clone();
    match upstream(every, Box::new(move |s| tx.send(Input::Source(s)).is_ok())) {
        // The copy is on a local disk under the cache directory: inotify sees it.
        Some(first) => (Some(first), Mode::Notify),
        None => (None, mode),
    }
}
