//! The one walk of a spool: every loader (cached, progressive, the watcher's rescans and
//! polls) lists files through it, so they can never disagree about which files a spool holds.
//! Which entries it takes is [`policy`]'s decision, made in one place.
//!
//! Directories of one depth are read in parallel, and so are the entries of a large directory.
//! Every candidate file is stat'ed on the way (the cache needs each file's stamp before it can
//! skip it; a poll compares stamps): a regular file through its directory entry (`statx`
//! relative to the open directory, no path lookup), a symlink through its path (following it).
//! With `--follow-links`, every real directory is walked before any link is entered, so a
//! link that only aliases a directory of the spool (`current -> 2024/05`) never takes that
//! directory's files from their real path. A directory reached again is not walked twice:
//! through a link that leads back to one of its own ancestors it is a loop (a problem), any
//! other way it is skipped as already read. Links are entered shallowest first, the smallest
//! by name among equals, so the choice does not depend on directory order or thread timing.
//!
//! The result is compact (one string of names per directory, no path per file) because it
//! lives through the whole load: a million small allocations here would stay behind as
//! fragmented heap long after the walk is dropped.

pub mod policy;
pub mod pseudo;

pub use policy::{Rules, Stat};

use crate::spool::names;
use crate::spool::read::Kind;
use crate::spool::scan::Found;
use crate::spool::PathReason;
use policy::{dir_id, DirId, Item};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

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
    /// The names, as keys ([`names::encode`]), one after the other.
    names: String,
    pub files: Vec<Slot>,
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

    /// The walk's description of file `i`.
    pub fn found(&self, i: usize) -> Found {
        Found {
            path: self.path.join(names::decode(self.name(i))),
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
#[derive(Debug, Default)]
pub struct Walked {
    pub dirs: Vec<DirFiles>,
    /// Directories that could not be read, and link loops.
    pub problems: Vec<PathReason>,
    /// Entries deliberately not entered: links not followed, pseudo-filesystems.
    pub skipped: Vec<PathReason>,
    /// Directories entered through a symlink (`--follow-links`): the watcher watches each.
    pub linked: Vec<String>,
}

impl Walked {
    pub fn file_count(&self) -> usize {
        self.dirs.iter().map(|d| d.files.len()).sum()
    }

    /// Every file found, in walk order, with its stat.
    pub fn files(&self) -> impl Iterator<Item = (Found, &Stat)> + '_ {
        self.dirs
            .iter()
            .flat_map(|d| (0..d.files.len()).map(move |i| (d.found(i), &d.files[i].stat)))
    }
}

/// The order links are entered in: shallowest first, then by path.
pub(crate) fn link_order(a: &str, b: &str) -> Ordering {
    let depth = |r: &str| r.matches('/').count();
    depth(a).cmp(&depth(b)).then_with(|| a.cmp(b))
}

/// Whether directory `dir` is to be walked: not when it was walked already, which is reported.
fn enter(
    seen: &mut HashMap<DirId, String>,
    out: &mut Walked,
    dir: &Dir,
    id: Option<DirId>,
) -> bool {
    let Some(id) = id else { return true };
    match seen.get(&id) {
        None => {
            seen.insert(id, dir.rel.clone());
            true
        }
        Some(first) => {
            let (problem, reason) = policy::revisited(&dir.rel, first);
            if problem {
                out.problems.push(reason);
            } else {
                out.skipped.push(reason);
            }
            false
        }
    }
}

/// A directory to read.
struct Dir {
    path: PathBuf,
    rel: String,
}

/// A subdirectory met while reading a directory: its name (a key), its identity, and whether
/// it is a symlink.
type Sub = (String, Option<DirId>, bool);

/// What reading one directory gave: its files, its subdirectories, what it skipped.
type Read = (DirFiles, Vec<Sub>, Vec<PathReason>);

/// Walk `root` as `reading` says (links followed or not), stat'ing every candidate file.
pub fn walk(root: &Path, reading: crate::spool::Reading) -> Walked {
    walk_with(root, &reading.rules())
}

/// [`walk`] with the rules given.
pub fn walk_with(root: &Path, rules: &Rules) -> Walked {
    // Each directory walked, by identity, with the path it was walked under.
    let mut seen: HashMap<DirId, String> = HashMap::new();
    let mut out = Walked::default();
    if let Ok(meta) = std::fs::metadata(root) {
        if let Some(why) = rules.refuse_dir(&meta) {
            out.skipped.push(PathReason {
                path: String::new(),
                reason: why,
            });
            return out;
        }
        if let Some(id) = dir_id(root, &meta) {
            seen.insert(id, String::new());
        }
    }
    let mut level = vec![Dir {
        path: root.to_path_buf(),
        rel: String::new(),
    }];
    // Links met so far, entered once no real directory is left to walk.
    let mut links: Vec<(Dir, Option<DirId>)> = Vec::new();
    loop {
        while !level.is_empty() {
            let read: Vec<Result<Read, PathReason>> =
                level.into_par_iter().map(|d| read_dir(rules, d)).collect();
            let mut next = Vec::new();
            for r in read {
                let (files, subs, skipped) = match r {
                    Ok(r) => r,
                    Err(problem) => {
                        out.problems.push(problem);
                        continue;
                    }
                };
                out.skipped.extend(skipped);
                for (name, id, link) in subs {
                    let dir = Dir {
                        path: files.path.join(names::decode(&name)),
                        rel: join_rel(&files.rel, &name),
                    };
                    if link {
                        links.push((dir, id));
                    } else if enter(&mut seen, &mut out, &dir, id) {
                        next.push(dir);
                    }
                }
                if !files.files.is_empty() {
                    out.dirs.push(files);
                }
            }
            level = next;
        }
        if links.is_empty() {
            break;
        }
        links.sort_by(|(a, _), (b, _)| link_order(&a.rel, &b.rel));
        for (dir, id) in links.drain(..) {
            if enter(&mut seen, &mut out, &dir, id) {
                out.linked.push(dir.rel.clone());
                level.push(dir);
            }
        }
    }
    out.dirs.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    out.skipped.sort();
    out
}

/// Read one directory: its files (sorted by name), its subdirectories (sorted by name) and
/// the entries it skipped.
fn read_dir(rules: &Rules, dir: Dir) -> Result<Read, PathReason> {
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
        .filter_map(|e| policy::judge(rules, e))
        .collect();
    drop(entries);
    items.sort_unstable_by(|a, b| a.name().cmp(b.name()));
    let mut files = DirFiles {
        path: dir.path,
        rel: dir.rel,
        names: String::new(),
        files: Vec::new(),
    };
    let mut subs = Vec::new();
    let mut skipped = Vec::new();
    let (n, len) = items.iter().fold((0, 0), |(n, len), item| match item {
        Item::File(name, ..) => (n + 1, len + name.len()),
        _ => (n, len),
    });
    files.names.reserve_exact(len);
    files.files.reserve_exact(n);
    for item in items {
        match item {
            Item::File(name, kind, stat) => {
                files.names.push_str(&name);
                files.files.push(Slot {
                    name_end: u32::try_from(files.names.len()).unwrap_or(u32::MAX),
                    kind,
                    stat,
                });
            }
            Item::Dir(name, id, link) => subs.push((name, id, link)),
            Item::Skipped(name, reason) => skipped.push(PathReason {
                path: join_rel(&files.rel, &name),
                reason,
            }),
        }
    }
    Ok((files, subs, skipped))
}

#[cfg(all(test, unix))]
mod tests;
