//! Which entries of a spool directory the walk takes, and how: the one path filter.
//!
//! - Hidden entries (`.name`) are never taken: files still being written, `.git`, caches.
//! - A symlink to a file is followed (reading it says why when it is dangling or loops).
//! - A symlink to a directory is *not* followed unless `--follow-links` asks for it, as fd and
//!   ripgrep do: a link to `/` would otherwise walk the whole machine. A link not followed is
//!   reported as skipped, with the reason.
//! - A directory on a pseudo-filesystem (`/proc`, `/sys`, `/dev`, …) is never entered, links
//!   followed or not; it is reported as skipped.
//! - A directory reached twice (with `--follow-links`: a loop, or an alias) is reported instead of
//!   walked again; that check is the walk's, which sees every directory.

use super::pseudo::{self, Devices};
use crate::spool::names;
use crate::spool::read::{io_reason, kind_of, Kind, BROKEN_LINK};
use crate::spool::scan::is_hidden;
use crate::spool::{stamp_from, PathReason, Stamp};
use std::fs::{DirEntry, Metadata};
use std::path::Path;

/// The reason given for a symlinked directory that is not followed.
pub const LINK_NOT_FOLLOWED: &str =
    "symbolic link to a directory, not followed (--follow-links follows it)";

/// What a walk goes by: `--follow-links` and the pseudo-filesystems mounted now.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub follow_links: bool,
    pseudo: Devices,
}

impl Rules {
    /// The rules for a walk starting now, following links or not (see
    /// [`crate::spool::Reading::rules`]).
    pub fn with_follow(follow_links: bool) -> Self {
        Rules {
            follow_links,
            pseudo: pseudo::mounted(),
        }
    }

    /// Why a directory with this metadata is not entered (a pseudo-filesystem), if it is not.
    pub fn refuse_dir(&self, meta: &Metadata) -> Option<String> {
        let fstype = self.pseudo.get(&dev_of(meta))?;
        Some(format!("{fstype} pseudo-filesystem, not read"))
    }
}

/// What a file's stat (following symlinks) said.
#[derive(Debug, Clone)]
pub enum Stat {
    Ok {
        stamp: Stamp,
        /// A regular file (not a FIFO, a device, ...).
        regular: bool,
    },
    Failed(Box<str>),
}

#[cfg(unix)]
pub type DirId = (u64, u64);
#[cfg(not(unix))]
pub type DirId = std::path::PathBuf;

#[cfg(unix)]
pub fn dir_id(_path: &Path, meta: &Metadata) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn dir_id(path: &Path, _meta: &Metadata) -> Option<DirId> {
    std::fs::canonicalize(path).ok()
}

#[cfg(unix)]
fn dev_of(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.dev()
}

#[cfg(not(unix))]
fn dev_of(_meta: &Metadata) -> u64 {
    u64::MAX
}

/// One directory entry, judged. Names are keys ([`names::encode`]).
#[derive(Debug)]
pub enum Item {
    File(String, Kind, Stat),
    /// A directory to enter, with its identity (for loops), and whether it is reached through a
    /// symlink (`--follow-links`).
    Dir(String, Option<DirId>, bool),
    /// Not entered, and why.
    Skipped(String, String),
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::File(name, ..) | Item::Dir(name, ..) | Item::Skipped(name, _) => name,
        }
    }
}

/// Judge one directory entry; `None` for entries the walk ignores silently.
pub fn judge(rules: &Rules, entry: &DirEntry) -> Option<Item> {
    let name = names::encode(&entry.file_name()).into_owned();
    if is_hidden(&name) {
        return None;
    }
    let ft = entry.file_type().ok()?;
    let link = ft.is_symlink();
    // Symlinks are followed through their path; anything else is stat'ed through the entry.
    let meta = if link {
        std::fs::metadata(entry.path())
    } else {
        entry.metadata()
    };
    let is_dir = match &meta {
        Ok(m) => m.is_dir(),
        Err(_) => !link && ft.is_dir(),
    };
    if is_dir {
        if link && !rules.follow_links {
            return Some(Item::Skipped(name, LINK_NOT_FOLLOWED.into()));
        }
        let meta = meta.ok();
        if let Some(why) = meta.as_ref().and_then(|m| rules.refuse_dir(m)) {
            return Some(Item::Skipped(name, why));
        }
        let id = meta.and_then(|m| dir_id(&entry.path(), &m));
        return Some(Item::Dir(name, id, link));
    }
    let kind = kind_of(&name)?;
    let stat = match meta {
        Ok(m) => Stat::Ok {
            stamp: stamp_from(&m),
            regular: m.is_file(),
        },
        Err(e) if link && e.kind() == std::io::ErrorKind::NotFound => {
            Stat::Failed(BROKEN_LINK.into())
        }
        Err(e) => Stat::Failed(io_reason(&e).into()),
    };
    Some(Item::File(name, kind, stat))
}

/// How a directory reached a second time (at `rel`, first walked at `first`) is reported:
/// a link back to one of its own ancestors is a loop, a problem; any other second path (an
/// alias such as `current -> 2024/05`) is skipped, naming where the files were read.
pub fn revisited(rel: &str, first: &str) -> (bool, PathReason) {
    let ancestor = first.is_empty() || rel.starts_with(&format!("{first}/"));
    let shown = if first.is_empty() { "." } else { first };
    let reason = if ancestor {
        format!("directory link loop: leads back to {shown}")
    } else {
        format!("directory already read as {shown}")
    };
    (
        ancestor,
        PathReason {
            path: rel.to_string(),
            reason,
        },
    )
}

/// The capture kind of an object-storage key (relative to the spool's prefix, `/`-separated),
/// or `None` when the walk would not take a file at that path: a hidden segment anywhere
/// (`.part/x.json`, `a/.tmp.json`), an empty one (`a//b.json`), or a name [`kind_of`] refuses.
/// Buckets have no directories or links, so this is the whole of the walk's rules for them.
pub fn judge_key(rel: &str) -> Option<Kind> {
    let mut segments = rel.split('/');
    let name = segments.next_back()?;
    if segments.any(|s| s.is_empty() || is_hidden(s)) {
        return None;
    }
    kind_of(name)
}
