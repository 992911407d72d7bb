//! Looking at one due path on the disk, off the engine's state so batches run in parallel:
//! stat it and, if it is one of ours and changed, read and parse it into an [`Outcome`].

use crate::spool::names::path_of;
use crate::spool::read::{self, FileRecord};
use crate::spool::walk::{policy, Rules};
use crate::spool::{stamp_of, FileEntry, Stamp};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// A due path taken from the pending set, with what the store knows of it.
#[derive(Debug)]
pub(super) struct Job {
    pub rel: Arc<str>,
    pub forced: bool,
    pub new_dir: bool,
    pub known: Option<Stamp>,
}

/// What the disk said about a [`Job`]'s path.
#[derive(Debug)]
pub(super) enum Outcome {
    Gone,
    Dir,
    /// A directory the walk does not enter (a link not followed), and why.
    Skipped(String),
    NotOurs,
    Unchanged,
    Read {
        entry: FileEntry,
        hash: Option<u64>,
    },
}

/// Stat `job.rel` and, if it is one of ours and changed, read and parse it.
pub(super) fn examine(root: &Path, rules: &Rules, job: &Job) -> Outcome {
    let path = path_of(root, &job.rel);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => Some(m),
        Err(e) if gone(&e) => return Outcome::Gone,
        // The spool directory unreadable for a moment (a network hiccup): leave things be.
        Err(_) if job.rel.is_empty() => return Outcome::NotOurs,
        // Unreadable: reading will say why (permission denied, symlink loop).
        Err(_) => None,
    };
    if let Some(meta) = meta.as_ref().filter(|m| m.is_dir()) {
        return match skip_reason(rules, &path, meta) {
            Some(why) if !job.rel.is_empty() => Outcome::Skipped(why),
            _ => Outcome::Dir,
        };
    }
    if job.rel.is_empty() {
        return Outcome::Gone;
    }
    let name = job.rel.rsplit('/').next().unwrap_or(&job.rel);
    let Some(kind) = read::kind_of(name) else {
        return Outcome::NotOurs;
    };
    let stamp = stamp_of(&path).unwrap_or_default();
    if !job.forced && job.known == Some(stamp) {
        return Outcome::Unchanged;
    }
    let (record, hash) = match read::read_bytes(&path, kind) {
        Ok(bytes) => {
            let mut h = std::hash::DefaultHasher::new();
            bytes.hash(&mut h);
            (read::parse_file(&bytes, kind, &job.rel), Some(h.finish()))
        }
        Err(reason) => (
            FileRecord {
                problems: vec![reason].into(),
                ..FileRecord::default()
            },
            None,
        ),
    };
    if hash.is_none() {
        if let Err(e) = std::fs::symlink_metadata(&path) {
            if gone(&e) {
                return Outcome::Gone;
            }
        }
    }
    Outcome::Read {
        entry: FileEntry { stamp, record },
        hash,
    }
}

/// Why the walk would not enter directory `path` (the same [`policy`] decides), if it would not.
fn skip_reason(rules: &Rules, path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link && !rules.follow_links {
        return Some(policy::LINK_NOT_FOLLOWED.into());
    }
    rules.refuse_dir(meta)
}

/// The path no longer exists (or a directory on the way is now a file).
pub(super) fn gone(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}
