//! The index cache of one spool as `doctor` reports it: where it is, how big and old, and
//! whether this build of chatspool can use it.

use super::{build_id, index_path, read};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What is known about a spool's cache file.
#[derive(Debug, Clone)]
pub struct CacheInfo {
    /// Where the cache is (or would be); `None` without a cache directory, or when that
    /// directory lies inside the spool.
    pub path: Option<PathBuf>,
    /// Size and age when the file exists.
    pub size: Option<u64>,
    pub age: Option<Duration>,
    /// The file decodes, for this spool and this build.
    pub valid: bool,
}

/// Look at the cache for the spool at `root` without changing anything.
pub fn inspect(root: &Path) -> CacheInfo {
    let path = std::fs::canonicalize(root)
        .ok()
        .and_then(|c| index_path(&c).map(|p| (c, p)));
    let Some((canonical, path)) = path else {
        return CacheInfo {
            path: None,
            size: None,
            age: None,
            valid: false,
        };
    };
    let meta = std::fs::metadata(&path)
        .ok()
        .filter(std::fs::Metadata::is_file);
    let valid = meta.is_some() && read(&path, &canonical.to_string_lossy(), &build_id()).is_some();
    CacheInfo {
        size: meta.as_ref().map(std::fs::Metadata::len),
        age: meta
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok()),
        path: Some(path),
        valid,
    }
}
