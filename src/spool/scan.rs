//! What the walk ([`crate::spool::walk`]) calls a file of the spool, and the path rules shared
//! with the watcher's events.

use super::names;
use super::read::Kind;
use std::path::{Path, PathBuf};

/// A file that looks like ours, with its path relative to the spool root (`/`-separated, a key
/// as [`names::encode`] makes it).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub rel: String,
    pub kind: Kind,
}

/// Relative, `/`-separated key of `path` under `root` (see [`names`]; `None` when a component
/// is hidden, or `path` is not under `root`).
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for c in rest.components() {
        let c = names::encode(c.as_os_str());
        if is_hidden(&c) {
            return None;
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&c);
    }
    Some(out)
}

/// True when a directory entry name marks something we never read (hidden files and directories).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}
