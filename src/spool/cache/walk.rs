//! The walk the cached loader uses: [`crate::spool::scan::walk`]'s rules, run in parallel, with
//! every file stat'ed on the way (the cache needs each file's stamp before it can skip it).
//!
//! Directories of one depth are read in parallel, and so are the entries of a large directory.
//! A regular file is stat'ed through its directory entry (`fstatat` relative to the open
//! directory, no path lookup), a symlink through its path (following it). The rules are
//! `scan::walk`'s: hidden entries are skipped, symlinks are followed, a dangling link with our
//! extension is a file (reading it will say why), a directory reached twice is reported instead
//! of walked again. Where `scan::walk` meets a directory twice it walks whichever path its
//! depth-first order reaches first; this walk keeps the shallowest path, the smallest by name
//! among equals, so the choice does not depend on directory order or thread timing.

use crate::spool::read::{io_reason, kind_of};
use crate::spool::scan::{is_hidden, Found};
use crate::spool::PathReason;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs::{DirEntry, Metadata};
use std::path::{Path, PathBuf};

/// One file of the walk and its metadata (following symlinks), or why it could not be stat'ed.
pub struct Seen {
    pub found: Found,
    pub meta: Result<Metadata, String>,
}

/// What the walk found, files sorted by relative path.
pub struct Walked {
    pub files: Vec<Seen>,
    pub problems: Vec<PathReason>,
}

#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(_path: &Path, meta: &Metadata) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path, _meta: &Metadata) -> Option<DirId> {
    std::fs::canonicalize(path).ok()
}

/// A directory to read: its path and its path relative to the root (`""` for the root).
struct Dir {
    path: PathBuf,
    rel: String,
}

/// One directory entry, classified.
enum Item {
    File(Seen),
    Dir(Dir, Option<DirId>),
}

/// Walk `root`, stat'ing every candidate file.
pub fn walk(root: &Path) -> Walked {
    let mut seen: HashSet<DirId> = HashSet::new();
    if let Some(id) = std::fs::metadata(root).ok().and_then(|m| dir_id(root, &m)) {
        seen.insert(id);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut level = vec![Dir {
        path: root.to_path_buf(),
        rel: String::new(),
    }];
    while !level.is_empty() {
        let read: Vec<Result<Vec<Item>, PathReason>> = level.par_iter().map(read_dir).collect();
        let mut next = Vec::new();
        for items in read {
            let items = match items {
                Ok(items) => items,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let mut dirs = Vec::new();
            for item in items {
                match item {
                    Item::File(f) => files.push(f),
                    Item::Dir(d, id) => dirs.push((d, id)),
                }
            }
            dirs.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
            for (dir, id) in dirs {
                match id {
                    Some(id) if !seen.insert(id) => problems.push(PathReason {
                        path: dir.rel,
                        reason: "directory link loop (already walked)".into(),
                    }),
                    _ => next.push(dir),
                }
            }
        }
        // Keep the shallowest-then-smallest rule across directories of the same depth too.
        next.sort_by(|a, b| a.rel.cmp(&b.rel));
        level = next;
    }
    files.par_sort_unstable_by(|a, b| a.found.rel.cmp(&b.found.rel));
    Walked { files, problems }
}

fn read_dir(dir: &Dir) -> Result<Vec<Item>, PathReason> {
    let entries: Vec<DirEntry> = std::fs::read_dir(&dir.path)
        .map_err(|e| PathReason {
            path: dir.rel.clone(),
            reason: format!("cannot read directory: {e}"),
        })?
        .flatten()
        .collect();
    Ok(entries
        .par_iter()
        .with_min_len(64)
        .filter_map(|entry| classify(dir, entry))
        .collect())
}

fn classify(dir: &Dir, entry: &DirEntry) -> Option<Item> {
    let name = entry.file_name();
    let name = name.to_string_lossy();
    if is_hidden(&name) {
        return None;
    }
    let ft = entry.file_type().ok()?;
    let path = entry.path();
    let rel = if dir.rel.is_empty() {
        name.to_string()
    } else {
        format!("{}/{name}", dir.rel)
    };
    // Symlinks are followed through their path; anything else is stat'ed through the entry.
    let meta = if ft.is_symlink() {
        std::fs::metadata(&path)
    } else {
        entry.metadata()
    };
    let is_dir = match &meta {
        Ok(m) => m.is_dir(),
        Err(_) => !ft.is_symlink() && ft.is_dir(),
    };
    if is_dir {
        let id = meta.ok().and_then(|m| dir_id(&path, &m));
        return Some(Item::Dir(Dir { path, rel }, id));
    }
    let kind = kind_of(&name)?;
    Some(Item::File(Seen {
        found: Found { path, rel, kind },
        meta: meta.map_err(|e| io_reason(&e)),
    }))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::spool::scan;
    use std::os::unix::fs::symlink;

    fn same_as_scan(root: &Path) {
        let ours = walk(root);
        let theirs = scan::walk(root);
        let a: Vec<(&str, bool, bool)> = ours
            .files
            .iter()
            .map(|s| (s.found.rel.as_str(), s.found.kind.lines, s.found.kind.gzip))
            .collect();
        let b: Vec<(&str, bool, bool)> = theirs
            .files
            .iter()
            .map(|f| (f.rel.as_str(), f.kind.lines, f.kind.gzip))
            .collect();
        assert_eq!(a, b);
        for s in &ours.files {
            assert_eq!(s.found.path, root.join(&s.found.rel));
        }
        let mut p: Vec<(String, String)> = ours
            .problems
            .into_iter()
            .map(|p| (p.path, p.reason))
            .collect();
        let mut q = theirs.problems;
        p.sort();
        q.sort();
        assert_eq!(p, q);
    }

    #[test]
    fn finds_what_scan_finds() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for rel in [
            "a.json",
            "b.jsonl",
            "c.json.gz",
            "d.NDJSON",
            "e.txt",
            ".hidden.json",
            "f.json.tmp",
            "2020/09/01/g.json",
            "2020/09/01/.h.json",
            "2020/09/02/i.json",
            ".git/j.json",
        ] {
            let p = d.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"{}").unwrap();
        }
        for i in 0..300 {
            std::fs::write(d.join(format!("flat-{i:03}.json")), b"{}").unwrap();
        }
        symlink(d.join("a.json"), d.join("link.json")).unwrap();
        symlink(d.join("missing.json"), d.join("dangling.json")).unwrap();
        symlink(d, d.join("2020/loop")).unwrap();
        std::fs::create_dir(d.join("empty")).unwrap();
        same_as_scan(d);
        let w = walk(d);
        let dangling = w
            .files
            .iter()
            .find(|s| s.found.rel == "dangling.json")
            .unwrap();
        assert!(dangling.meta.is_err());
        let link = w.files.iter().find(|s| s.found.rel == "link.json").unwrap();
        assert_eq!(link.meta.as_ref().unwrap().len(), 2);
    }
}
