//! The spool: a directory of webhook bodies, loaded into a [`Store`].
//!
//! chatspool only ever reads here. Nothing in this module (or anywhere) writes, renames or deletes
//! inside the spool; its own state lives under the XDG cache directory.

pub mod live;
pub mod read;
pub mod scan;
pub mod store;
pub mod watch;

pub use read::{load_chat, FileRecord};
pub use store::{FileEntry, FindError, PathReason, Stamp, Store};

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Why a spool could not be opened at all (CLI exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("spool {0} does not exist: pass the directory your webhook receiver writes to")]
    Missing(PathBuf),
    #[error("spool {0} is not a directory: pass the directory your webhook receiver writes to")]
    NotADirectory(PathBuf),
    #[error("cannot read spool {0}: {1}")]
    Unreadable(PathBuf, String),
}

/// Check that `root` is a readable directory.
pub fn open(root: &Path) -> Result<PathBuf, SpoolError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SpoolError::Missing(root.to_path_buf()),
        _ => SpoolError::Unreadable(root.to_path_buf(), e.to_string()),
    })?;
    if !meta.is_dir() {
        return Err(SpoolError::NotADirectory(root.to_path_buf()));
    }
    std::fs::read_dir(root)
        .map_err(|e| SpoolError::Unreadable(root.to_path_buf(), e.to_string()))?;
    Ok(root.to_path_buf())
}

/// The stamp of a file now, or `None` when it cannot be stat'ed.
pub fn stamp_of(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    let mtime_ns = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
    Some(Stamp {
        size: m.len(),
        mtime_ns,
    })
}

/// Read and parse one file found by the walk.
pub fn load_file(found: &scan::Found) -> FileEntry {
    let stamp = stamp_of(&found.path).unwrap_or_default();
    let rel: Arc<str> = found.rel.as_str().into();
    let record = match read::read_bytes(&found.path, found.kind) {
        Ok(bytes) => read::parse_file(&bytes, found.kind, &rel),
        Err(reason) => FileRecord {
            problems: vec![reason],
            ..FileRecord::default()
        },
    };
    FileEntry { stamp, record }
}

/// Load a whole spool, reading and parsing files in parallel. `progress(done, total)` is called
/// from worker threads as files complete.
pub fn load(root: &Path, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Store, SpoolError> {
    let root = open(root)?;
    let listing = scan::walk(&root);
    let total = listing.files.len();
    let done = AtomicUsize::new(0);
    let entries: Vec<(Arc<str>, FileEntry)> = listing
        .files
        .par_iter()
        .map(|f| {
            let entry = load_file(f);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            (Arc::from(f.rel.as_str()), entry)
        })
        .collect();
    let mut store = Store::new();
    for (rel, entry) in entries {
        store.upsert(rel, entry);
    }
    store.dir_problems = listing
        .problems
        .into_iter()
        .map(|(path, reason)| PathReason { path, reason })
        .collect();
    Ok(store)
}
