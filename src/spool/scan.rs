//! Finding the files of a spool: a recursive walk that follows symlinks safely.

use super::read::{kind_of, Kind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file that looks like ours, with its path relative to the spool root (`/`-separated).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub rel: String,
    pub kind: Kind,
}

/// What a walk found: candidate files and directories it could not enter.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Found>,
    /// `(relative path, reason)` for directories that could not be read or loop back on themselves.
    pub problems: Vec<(String, String)>,
}

/// Relative, `/`-separated form of `path` under `root` (lossy for names that are not UTF-8).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// True when a directory entry name marks something we never read (hidden files and directories).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Walk `root` recursively. Hidden entries are skipped; symlinks are followed, but a directory
/// reached twice (a link loop) is reported instead of walked again. The result is sorted by path
/// so every run lists files in the same order.
pub fn walk(root: &Path) -> Listing {
    let mut out = Listing::default();
    let mut seen = HashSet::new();
    if let Some(id) = dir_id(root) {
        seen.insert(id);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.problems
                    .push((relative(root, &dir), format!("cannot read directory: {e}")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if is_hidden(&name) {
                continue;
            }
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            let is_dir = if ft.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(m) => m.is_dir(),
                    Err(_) => {
                        // A dangling or looping link with our extension is a problem worth
                        // reporting; reading it will say why.
                        if let Some(kind) = kind_of(&name) {
                            out.files.push(Found {
                                rel: relative(root, &path),
                                path,
                                kind,
                            });
                        }
                        continue;
                    }
                }
            } else {
                ft.is_dir()
            };
            if is_dir {
                match dir_id(&path) {
                    Some(id) if !seen.insert(id) => out.problems.push((
                        relative(root, &path),
                        "directory link loop (already walked)".into(),
                    )),
                    _ => stack.push(path),
                }
            } else if let Some(kind) = kind_of(&name) {
                out.files.push(Found {
                    rel: relative(root, &path),
                    path,
                    kind,
                });
            }
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

#[cfg(unix)]
fn dir_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}
