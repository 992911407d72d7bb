//! Journal files: appending durably, and reading every journal of a review directory.

use super::{Problem, Record};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The extension of journal files; anything else in the directory is left alone.
pub const EXT: &str = "journal";

/// Append `records` to the journal of `writer` in `dir`, and return once they are on disk.
///
/// The records go out in one `write` on a file opened with `O_APPEND`, so processes of the
/// same writer appending at once never interleave; the file is fsynced, and the directory too
/// when the journal (or the directory) is new, so an acknowledged record survives power loss.
pub fn append(dir: &Path, writer: &str, records: &[Record]) -> std::io::Result<()> {
    create_dirs_synced(dir)?;
    let path = dir.join(format!("{writer}.{EXT}"));
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)?;
    let len = file.metadata()?.len();
    let mut buf = Vec::new();
    // A record torn by a crash leaves the file without its final newline: start a new line so
    // the next record is not glued onto the torn one.
    if len > 0 && last_byte(&mut file, len)? != b'\n' {
        buf.push(b'\n');
    }
    for r in records {
        buf.extend_from_slice(&r.encode());
    }
    file.write_all(&buf)?;
    file.sync_all()?;
    if len == 0 {
        // A new journal: its directory entry must be durable too.
        sync_dir(dir)?;
    }
    Ok(())
}

fn last_byte(file: &mut File, len: u64) -> std::io::Result<u8> {
    let mut b = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut b)?;
    Ok(b[0])
}

/// `create_dir_all`, fsyncing the parent of every directory it creates.
fn create_dirs_synced(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs_synced(parent)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// One journal as last read.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    /// What identified this version of the file: (length, modification time, inode).
    pub(super) stamp: (u64, i64, u64),
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
}

/// Every journal of a review directory, re-read file by file as they change.
#[derive(Debug, Clone, Default)]
pub struct JournalSet {
    pub dir: PathBuf,
    /// By file name: the merge order between journals.
    pub journals: BTreeMap<String, Journal>,
    /// The directory itself could not be read.
    pub dir_problem: Option<Problem>,
}

/// Read every journal in `dir` (none when it does not exist yet).
pub fn read_dir(dir: &Path) -> JournalSet {
    let mut set = JournalSet {
        dir: dir.to_path_buf(),
        ..JournalSet::default()
    };
    set.refresh();
    set
}

impl JournalSet {
    /// Re-read the journals that changed since the last read; `true` when anything did.
    pub fn refresh(&mut self) -> bool {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let changed = !self.journals.is_empty() || self.dir_problem.is_some();
                self.journals.clear();
                self.dir_problem = None;
                return changed;
            }
            Err(e) => {
                let problem = Some(Problem {
                    path: self.dir.display().to_string(),
                    reason: format!("cannot read the review directory: {e}"),
                });
                let changed = self.dir_problem != problem;
                self.dir_problem = problem;
                return changed;
            }
        };
        let mut changed = self.dir_problem.take().is_some();
        let mut seen = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(&format!(".{EXT}")) {
                continue;
            }
            let path = entry.path();
            let stamp = std::fs::metadata(&path).ok().map(|m| stamp(&m));
            seen.push(name.clone());
            let known = self.journals.get(&name).map(|j| j.stamp);
            if known.is_some() && known == stamp {
                continue;
            }
            changed = true;
            self.journals
                .insert(name, read_journal(&path, stamp.unwrap_or_default()));
        }
        let before = self.journals.len();
        self.journals.retain(|name, _| seen.contains(name));
        changed || before != self.journals.len()
    }

    /// Every problem found: the directory's, then each journal's.
    pub fn problems(&self) -> Vec<Problem> {
        self.dir_problem
            .iter()
            .cloned()
            .chain(self.journals.values().flat_map(|j| j.problems.clone()))
            .collect()
    }
}

fn stamp(m: &std::fs::Metadata) -> (u64, i64, u64) {
    let s = crate::spool::stamp_from(m);
    (s.size, s.mtime_ns, s.ino)
}

fn read_journal(path: &Path, stamp: (u64, i64, u64)) -> Journal {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => {
            let (records, problems) = parse(&bytes);
            Journal {
                stamp,
                records,
                problems: problems
                    .into_iter()
                    .map(|reason| Problem {
                        path: shown.clone(),
                        reason,
                    })
                    .collect(),
            }
        }
        Err(e) => Journal {
            stamp,
            records: Vec::new(),
            problems: vec![Problem {
                path: shown,
                reason: format!("cannot read the journal: {e}"),
            }],
        },
    }
}

/// The records of a journal's bytes, and a reason for each damaged line. The last line, when it
/// has no newline, is a record still being written or torn by a crash: ignored, not a problem.
pub fn parse(bytes: &[u8]) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let complete = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(&bytes[..0], |end| &bytes[..end]);
    for (n, line) in complete.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        match Record::decode(line) {
            Ok(r) => records.push(r),
            Err(why) => problems.push(format!("line {}: {why}; record ignored", n + 1)),
        }
    }
    (records, problems)
}
