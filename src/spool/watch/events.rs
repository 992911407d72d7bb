//! What a `notify` event means for the watcher: which paths to look at, and how soon.
//!
//! inotify reports every step of a write (create, modify, close) and every read, including
//! the watcher's own. Only a close after writing, a rename and a removal ask for a read at once;
//! creates and writes ask for one once the path has been quiet for a moment (a writer that never
//! closes); opens, reads and read-only closes are dropped on notify's thread, so the watcher's
//! own reads can never feed back into it.

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// What the engine's channel carries: events from notify's thread, and the request to stop.
#[derive(Debug)]
pub enum Input {
    Event(notify::Result<Event>),
    /// How the spool's source (a bucket) is followed now, for the status line.
    Source(String),
    Stop,
}

/// How an event makes the engine look at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// Read once writes have settled.
    Settle,
    /// Read now (closed after writing, renamed, removed).
    Now,
    /// Compare size and mtime now.
    Check,
}

/// What to do for each path of an event: as a file of ours, and as a possible directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reaction {
    pub file: Option<Look>,
    pub dir: Option<Look>,
    pub new_dir: bool,
}

pub(super) fn reaction(kind: &EventKind) -> Option<Reaction> {
    let r = |file, dir, new_dir| Some(Reaction { file, dir, new_dir });
    use Look::{Check, Now, Settle};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => r(Some(Now), None, false),
        // Opens, reads and read-only closes: including our own. Never a reason to read.
        EventKind::Access(_) => None,
        EventKind::Create(CreateKind::Folder) => r(None, Some(Now), true),
        // Also how a new symlink shows up: one to a directory is for the walk's policy to
        // judge (not followed by default, reported as skipped).
        EventKind::Create(CreateKind::File) => r(Some(Settle), Some(Check), false),
        EventKind::Create(_) => r(Some(Settle), Some(Now), true),
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => r(Some(Now), Some(Now), false),
        EventKind::Modify(ModifyKind::Name(_)) => r(Some(Now), Some(Now), true),
        EventKind::Modify(ModifyKind::Metadata(_)) => r(Some(Check), None, false),
        EventKind::Modify(_) => r(Some(Settle), None, false),
        EventKind::Remove(RemoveKind::Folder) => r(None, Some(Now), false),
        EventKind::Remove(RemoveKind::File) => r(Some(Now), None, false),
        EventKind::Remove(_) => r(Some(Now), Some(Now), false),
        EventKind::Any | EventKind::Other => r(Some(Settle), Some(Check), false),
    }
}

/// Events worth sending to the engine at all (filtered on notify's thread).
pub(super) fn wanted(ev: &notify::Result<Event>) -> bool {
    match ev {
        Ok(e) => e.need_rescan() || reaction(&e.kind).is_some(),
        Err(_) => true,
    }
}

/// Watch `root` recursively, without following symlinks: notify's own walk knows nothing of
/// loops or pseudo-filesystems (a link to `/` would have it watch the whole machine). The
/// directories the walk entered through links (`--follow-links`) are added after the load,
/// by [`watch_linked`].
pub(super) fn start_notify(
    root: &Path,
    tx: &Sender<Input>,
) -> Result<notify::RecommendedWatcher, String> {
    let tx = tx.clone();
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut w = notify::RecommendedWatcher::new(
        move |ev: notify::Result<Event>| {
            if wanted(&ev) {
                let _ = tx.send(Input::Event(ev));
            }
        },
        config,
    )
    .map_err(|e| describe_error(&e))?;
    // A directory vanishing during the recursive walk fails the whole call: try again.
    let mut last = String::new();
    for _ in 0..3 {
        match w.watch(root, RecursiveMode::Recursive) {
            Ok(()) => return Ok(w),
            Err(e) => last = describe_error(&e),
        }
    }
    Err(last)
}

/// Watch each directory the load entered through a symlink (relative keys under `root`), at
/// its real path (notify does not watch a root that is a link): events there come back under
/// that path, so the answer pairs each real path with the link's key, longest path first.
/// Links inside one were entered by the walk too, so they are in the list. One that cannot
/// be watched, or holds a pseudo-filesystem (notify's walk would enter it; a link to `/`), is
/// left to rescans.
pub(super) fn watch_linked(
    w: &mut notify::RecommendedWatcher,
    root: &Path,
    linked: &[String],
) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    if linked.is_empty() {
        return out;
    }
    let pseudo: Vec<PathBuf> = super::fstype::read_mounts()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| crate::spool::walk::pseudo::is_pseudo(&m.fstype))
        .map(|m| m.point)
        .collect();
    for rel in linked {
        let Ok(real) = std::fs::canonicalize(crate::spool::names::path_of(root, rel)) else {
            continue;
        };
        if pseudo.iter().any(|p| p.starts_with(&real)) {
            continue;
        }
        if w.watch(&real, RecursiveMode::Recursive).is_ok() {
            out.push((real, rel.clone()));
        }
    }
    out.sort_by_key(|(real, _)| std::cmp::Reverse(real.as_os_str().len()));
    out
}

pub(super) fn describe_error(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "inotify watch limit reached, see fs.inotify.max_user_watches".into()
        }
        notify::ErrorKind::Io(io) => format!("inotify: {io}"),
        notify::ErrorKind::Generic(s) => format!("inotify: {s}"),
        _ => format!("inotify: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind};

    #[test]
    fn own_reads_are_not_reasons_to_read() {
        for k in [
            AccessKind::Open(AccessMode::Any),
            AccessKind::Read,
            AccessKind::Close(AccessMode::Read),
            AccessKind::Any,
        ] {
            assert_eq!(reaction(&EventKind::Access(k)), None, "{k:?}");
        }
        let close = reaction(&EventKind::Access(AccessKind::Close(AccessMode::Write))).unwrap();
        assert_eq!(close.file, Some(Look::Now));
    }

    #[test]
    fn writes_settle_and_renames_are_immediate() {
        let w = reaction(&EventKind::Modify(ModifyKind::Data(DataChange::Any))).unwrap();
        assert_eq!((w.file, w.dir), (Some(Look::Settle), None));
        let c = reaction(&EventKind::Create(CreateKind::File)).unwrap();
        assert_eq!(c.file, Some(Look::Settle));
        let to = reaction(&EventKind::Modify(ModifyKind::Name(RenameMode::To))).unwrap();
        assert_eq!(
            (to.file, to.dir, to.new_dir),
            (Some(Look::Now), Some(Look::Now), true)
        );
        let both = reaction(&EventKind::Modify(ModifyKind::Name(RenameMode::Both))).unwrap();
        assert_eq!(both.file, Some(Look::Now));
        let m = reaction(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any))).unwrap();
        assert_eq!(m.file, Some(Look::Check));
        let d = reaction(&EventKind::Create(CreateKind::Folder)).unwrap();
        assert_eq!((d.file, d.dir, d.new_dir), (None, Some(Look::Now), true));
    }
}
