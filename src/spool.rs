//! The spool: a directory of webhook bodies, loaded into a [`Store`].
//!
//! chatspool only ever reads here. Nothing in this module (or anywhere) writes, renames or deletes
//! inside the spool; its own state lives under the XDG cache directory.

mod bytes;
pub mod cache;
pub mod interner;
pub mod live;
pub mod names;
pub mod origin;
pub mod read;
pub mod reload;
pub mod scan;
pub mod store;
pub(crate) mod temps;
pub mod texts;
pub mod walk;
pub mod watch;

pub use read::FileRecord;
pub use reload::load_chat;
pub use store::{FileEntry, FindError, PathReason, Stamp, Store, WrapUpCounts};

use std::path::{Path, PathBuf};
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
    std::fs::metadata(path).ok().map(|m| stamp_from(&m))
}

/// The stamp recorded in a file's metadata.
pub fn stamp_from(m: &std::fs::Metadata) -> Stamp {
    let mtime_ns = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    #[cfg(unix)]
    let (ctime_ns, ino) = {
        use std::os::unix::fs::MetadataExt;
        (
            m.ctime()
                .saturating_mul(1_000_000_000)
                .saturating_add(m.ctime_nsec()),
            m.ino(),
        )
    };
    #[cfg(not(unix))]
    let (ctime_ns, ino) = (0, 0);
    Stamp {
        size: m.len(),
        mtime_ns,
        ctime_ns,
        ino,
    }
}

/// Read and parse one file found by the walk, with what the walk's stat said, keyed by `rel`
/// (shared: the store keys the file by the same `Arc` its chats point to). The flag says
/// whether the file could be read at all: a record made of a read error depends on more than
/// the file's stamp (permissions, say) and is never cached.
pub(crate) fn load_walked(
    found: &scan::Found,
    rel: Arc<str>,
    stat: &walk::Stat,
) -> (FileEntry, bool) {
    match stat {
        walk::Stat::Ok { stamp, regular } => load_parsed(found, rel, *stamp, *regular),
        walk::Stat::Failed(reason) => (unreadable(Stamp::default(), reason.to_string()), false),
    }
}

/// [`load_walked`], also giving each chat's folded transcript for the text store when the file
/// could be read ([`read::parse_file_texts`]).
pub(crate) fn load_walked_texts(
    found: &scan::Found,
    rel: Arc<str>,
    stat: &walk::Stat,
) -> (FileEntry, Option<Vec<Vec<u8>>>) {
    match stat {
        walk::Stat::Ok { stamp, regular } => {
            match read::read_known(&found.path, found.kind, *regular, stamp.size) {
                Ok(bytes) => {
                    let (record, texts) = read::parse_file_texts(&bytes, found.kind, &rel);
                    let stamp = *stamp;
                    (FileEntry { stamp, record }, Some(texts))
                }
                Err(reason) => (unreadable(*stamp, reason), None),
            }
        }
        walk::Stat::Failed(reason) => (unreadable(Stamp::default(), reason.to_string()), None),
    }
}

/// Read and parse a file already stat'ed (following symlinks): one stat serves both the stamp
/// and the checks before reading.
fn load_parsed(
    found: &scan::Found,
    rel: Arc<str>,
    stamp: Stamp,
    regular: bool,
) -> (FileEntry, bool) {
    match read::read_known(&found.path, found.kind, regular, stamp.size) {
        Ok(bytes) => {
            let record = read::parse_file(&bytes, found.kind, &rel);
            (FileEntry { stamp, record }, true)
        }
        Err(reason) => (unreadable(stamp, reason), false),
    }
}

/// The entry of a file that could not be read.
fn unreadable(stamp: Stamp, reason: String) -> FileEntry {
    FileEntry {
        stamp,
        record: FileRecord {
            problems: vec![reason].into(),
            ..FileRecord::default()
        },
    }
}

/// How a spool is read, as the command line chose it. It is handed to every load, walk and
/// cache write instead of being kept in process-wide switches, so two loads in one process
/// (tests, a command beside the viewer) can each read their own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Follow symbolic links to directories inside the spool (`--follow-links`).
    pub follow_links: bool,
    /// Read and write the index cache and the transcript text store (off with `--no-cache`).
    pub cache: bool,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            follow_links: false,
            cache: true,
        }
    }
}

impl Reading {
    /// The walk's rules for a walk starting now.
    pub fn rules(self) -> walk::policy::Rules {
        walk::policy::Rules::with_follow(self.follow_links)
    }
}

/// Load a whole spool, reading and parsing files in parallel, through the index cache (see
/// [`cache`]). `progress(done, total)` is called from worker threads as files complete.
pub fn load(root: &Path, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Store, SpoolError> {
    load_with(root, Reading::default(), progress)
}

/// [`load`], read as `reading` says (the cache used or not, links followed or not).
pub fn load_with(
    root: &Path,
    reading: Reading,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Store, SpoolError> {
    let root = open(root)?;
    Ok(cache::load(&root, reading, progress).0)
}
