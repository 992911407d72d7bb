//! A spool that is the local copy of a bucket (see `crate::remote`) is followed at its source:
//! a poller lists the bucket and lands changes in the copy, where inotify sees them; its status
//! line replaces the local watcher's.

use super::events::Input;
use super::Mode;
use std::path::Path;
use std::sync::mpsc::Sender;

/// Start following the source of `root` if it is a copy. Returns the first status line and
/// the mode for watching the copy itself, or `None` and `mode` unchanged for a local spool.
pub(super) fn start(root: &Path, mode: Mode, tx: &Sender<Input>) -> (Option<String>, Mode) {
    #[cfg(feature = "remote")]
    {
        let every = match mode {
            Mode::Off => return (None, mode),
            Mode::Poll(every) => Some(every),
            Mode::Auto | Mode::Notify => None,
        };
        let tx = tx.clone();
        if let Some(first) =
            crate::remote::follow(root, every, move |s| tx.send(Input::Source(s)).is_ok())
        {
            // The copy is on a local disk under the cache directory: inotify sees it.
            return (Some(first), Mode::Notify);
        }
    }
    #[cfg(not(feature = "remote"))]
    let _ = (root, tx);
    (None, mode)
}
