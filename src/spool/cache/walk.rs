//! The walk the cached loader uses: [`crate::spool::scan::walk`]'s rules, run in parallel, with
//! every file stat'ed on the way (the cache needs each file's stamp before it can skip it).
//!
//! Directories of one depth are read in parallel, and so are the entries of a large directory.
//! A regular file is stat'ed through its directory entry (`statx` relative to the open
//! directory, no path lookup), a symlink through its path (following it). The rules are
//! `scan::walk`'s: hidden entries are skipped, symlinks are followed, a dangling link with our
//! extension is a file (reading it will say why), a directory reached twice is reported instead
//! of walked again. Where `scan::walk` meets a directory twice it walks whichever path its
//! depth-first order reaches first; this walk keeps the shallowest path, the smallest by name
//! among equals, so the choice does not depend on directory order or thread timing.
//!
//! The result is compact (one string of names per directory, no path per file) because it
//! lives through the whole load: a million small allocations here would stay behind as
//! fragmented heap long after the walk is dropped.

use crate::spool::read::{io_reason, kind_of, Kind, BROKEN_LINK};
use crate::spool::scan::{is_hidden, Found};
use crate::spool::{stamp_from, PathReason, Stamp};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{DirEntry, Metadata};
use std::path::{Path, PathBuf};

/// What a stat of a file (following symlinks) said.
#[derive(Debug, Clone)]
pub enum Stat {
    Ok {
        stamp: Stamp,
        /// A regular file (not a FIFO, a device, ...).
        regular: bool,
    },
    Failed(Box<str>),
}

/// One candidate file of a directory.
#[derive(Debug, Clone)]
pub struct Slot {
    name_end: u32,
    pub kind: Kind,
    pub stat: Stat,
}

/// The candidate files of one directory, sorted by name.
#[derive(Debug)]
pub struct DirFiles {
    pub path: PathBuf,
    /// Relative to the spool root, `/`-separated; `""` for the root itself.
    pub rel: String,
    names: String,
    pub files: Vec<Slot>,
    /// The real names of files whose names are not UTF-8 (`names` has them lossily), by index.
    raw: Vec<(usize, OsString)>,
}

impl DirFiles {
    pub fn name(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.files[i - 1].name_end as usize
        };
        &self.names[start..self.files[i].name_end as usize]
    }

    /// The file's path relative to the spool root.
    pub fn rel(&self, i: usize) -> String {
        join_rel(&self.rel, self.name(i))
    }

    /// The walk's description of file `i`, as `scan::walk` would have given it.
    pub fn found(&self, i: usize) -> Found {
        let path = match self.raw.iter().find(|(at, _)| *at == i) {
            Some((_, raw)) => self.path.join(raw),
            None => self.path.join(self.name(i)),
        };
        Found {
            path,
            rel: self.rel(i),
            kind: self.files[i].kind,
        }
    }
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The order files are listed in: by directory, then by name. `rel` is split at its last `/`.
pub fn cmp_rel(a: &str, b: &str) -> Ordering {
    split_rel(a).cmp(&split_rel(b))
}

pub fn split_rel(rel: &str) -> (&str, &str) {
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}

/// What the walk found: directories sorted by relative path, each with its files.
#[derive(Debug)]
pub struct Walked {
    pub dirs: Vec<DirFiles>,
    pub problems: Vec<PathReason>,
}

impl Walked {
    pub fn file_count(&self) -> usize {
        self.dirs.iter().map(|d| d.files.len()).sum()
    }
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

/// A directory to read.
struct Dir {
    path: PathBuf,
    rel: String,
}

/// A subdirectory met while reading a directory: its name, its real name, its identity.
type Sub = (String, OsString, Option<DirId>);

/// One directory entry, classified: its name (lossy UTF-8), and the real name when that is
/// not UTF-8.
enum Item {
    File(String, Option<OsString>, Kind, Stat),
    Dir(Sub),
}

/// Walk `root`, stat'ing every candidate file.
pub fn walk(root: &Path) -> Walked {
    let mut seen: HashSet<DirId> = HashSet::new();
    if let Some(id) = std::fs::metadata(root).ok().and_then(|m| dir_id(root, &m)) {
        seen.insert(id);
    }
    let mut out = Walked {
        dirs: Vec::new(),
        problems: Vec::new(),
    };
    let mut level = vec![Dir {
        path: root.to_path_buf(),
        rel: String::new(),
    }];
    while !level.is_empty() {
        let read: Vec<Result<(DirFiles, Vec<Sub>), PathReason>> =
            level.into_par_iter().map(read_dir).collect();
        let mut next = Vec::new();
        for r in read {
            let (files, subs) = match r {
                Ok(r) => r,
                Err(problem) => {
                    out.problems.push(problem);
                    continue;
                }
            };
            for (name, raw, id) in subs {
                let rel = join_rel(&files.rel, &name);
                match id {
                    Some(id) if !seen.insert(id) => out.problems.push(PathReason {
                        path: rel,
                        reason: "directory link loop (already walked)".into(),
                    }),
                    _ => next.push(Dir {
                        path: files.path.join(raw),
                        rel,
                    }),
                }
            }
            if !files.files.is_empty() {
                out.dirs.push(files);
            }
        }
        level = next;
    }
    out.dirs.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Read one directory: its files (sorted by name) and its subdirectories (sorted by name).
fn read_dir(dir: Dir) -> Result<(DirFiles, Vec<Sub>), PathReason> {
    let entries: Vec<DirEntry> = match std::fs::read_dir(&dir.path) {
        Ok(rd) => rd.flatten().collect(),
        Err(e) => {
            return Err(PathReason {
                path: dir.rel,
                reason: format!("cannot read directory: {e}"),
            })
        }
    };
    let mut items: Vec<Item> = entries
        .par_iter()
        .with_min_len(256)
        .filter_map(classify)
        .collect();
    drop(entries);
    items.sort_unstable_by(|a, b| item_name(a).cmp(item_name(b)));
    let mut files = DirFiles {
        path: dir.path,
        rel: dir.rel,
        names: String::new(),
        files: Vec::new(),
        raw: Vec::new(),
    };
    let mut subs = Vec::new();
    let (n, len) = items.iter().fold((0, 0), |(n, len), item| match item {
        Item::File(name, ..) => (n + 1, len + name.len()),
        Item::Dir(_) => (n, len),
    });
    files.names.reserve_exact(len);
    files.files.reserve_exact(n);
    for item in items {
        match item {
            Item::File(name, raw, kind, stat) => {
                if let Some(raw) = raw {
                    files.raw.push((files.files.len(), raw));
                }
                files.names.push_str(&name);
                files.files.push(Slot {
                    name_end: u32::try_from(files.names.len()).unwrap_or(u32::MAX),
                    kind,
                    stat,
                });
            }
            Item::Dir(sub) => subs.push(sub),
        }
    }
    Ok((files, subs))
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::File(name, ..) | Item::Dir((name, ..)) => name,
    }
}

fn classify(entry: &DirEntry) -> Option<Item> {
    let (name, raw) = match entry.file_name().into_string() {
        Ok(name) => (name, None),
        Err(raw) => (raw.to_string_lossy().into_owned(), Some(raw)),
    };
    if is_hidden(&name) {
        return None;
    }
    let ft = entry.file_type().ok()?;
    // Symlinks are followed through their path; anything else is stat'ed through the entry.
    let meta = if ft.is_symlink() {
        std::fs::metadata(entry.path())
    } else {
        entry.metadata()
    };
    let is_dir = match &meta {
        Ok(m) => m.is_dir(),
        Err(_) => !ft.is_symlink() && ft.is_dir(),
    };
    if is_dir {
        let id = meta.ok().and_then(|m| dir_id(&entry.path(), &m));
        let raw = raw.unwrap_or_else(|| OsString::from(&name));
        return Some(Item::Dir((name, raw, id)));
    }
    let kind = kind_of(&name)?;
    let stat = match meta {
        Ok(m) => Stat::Ok {
            stamp: stamp_from(&m),
            regular: m.is_file(),
        },
        Err(e) if ft.is_symlink() && e.kind() == std::io::ErrorKind::NotFound => {
            Stat::Failed(BROKEN_LINK.into())
        }
        Err(e) => Stat::Failed(io_reason(&e).into()),
    };
    Some(Item::File(name, raw, kind, stat))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::spool::scan;
    use std::os::unix::fs::symlink;

    fn same_as_scan(root: &Path) {
        let ours = walk(root);
        let mut a: Vec<(String, PathBuf, bool, bool)> = ours
            .dirs
            .iter()
            .flat_map(|d| {
                (0..d.files.len()).map(move |i| {
                    let f = d.found(i);
                    (f.rel, f.path, f.kind.lines, f.kind.gzip)
                })
            })
            .collect();
        // Listed by directory, then name.
        assert!(a.windows(2).all(|w| cmp_rel(&w[0].0, &w[1].0).is_lt()));
        a.sort();
        let theirs = scan::walk(root);
        let b: Vec<(String, PathBuf, bool, bool)> = theirs
            .files
            .iter()
            .map(|f| (f.rel.clone(), f.path.clone(), f.kind.lines, f.kind.gzip))
            .collect();
        assert_eq!(a, b);
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
            "a.json.gz",
            "a-b.json",
            "b.jsonl",
            "c.json.gz",
            "d.NDJSON",
            "e.txt",
            ".hidden.json",
            "f.json.tmp",
            "a/z.json",
            "a-b/y.json",
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
        let root = w.dirs.iter().find(|x| x.rel.is_empty()).unwrap();
        let at = |name: &str| {
            (0..root.files.len())
                .find(|&i| root.name(i) == name)
                .unwrap()
        };
        assert!(matches!(
            root.files[at("dangling.json")].stat,
            Stat::Failed(_)
        ));
        assert!(matches!(
            root.files[at("link.json")].stat,
            Stat::Ok {
                stamp: Stamp { size: 2, .. },
                regular: true
            }
        ));
    }

    #[test]
    fn rel_order_is_directory_then_name() {
        let mut v = vec!["a/z.json", "a.json", "a-b/y.json", "b.json", "a/b/c.json"];
        v.sort_by(|a, b| cmp_rel(a, b));
        assert_eq!(
            v,
            ["a.json", "b.json", "a/z.json", "a-b/y.json", "a/b/c.json"]
        );
    }
}
