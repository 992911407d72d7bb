//! Journal files: appending durably, and reading every journal of a review directory.

use super::{Problem, Record};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The extension of journal files; anything else in the directory is left alone.
pub const EXT: &str = "journal";

/// The most of one journal that is read: past it records are ignored and the journal is
/// reported, so a huge (or endless) file costs at most this much.
pub const MAX_LEN: u64 = 64 << 20;

/// Append `records` to the journal of `writer` in `dir`, and return once they are on disk; each
/// is first ordered after every record seen on its chat ([`JournalSet::append`]).
pub fn append(dir: &Path, writer: &str, records: &[Record]) -> std::io::Result<()> {
    read_dir(dir).append(writer, records)
}

/// Append `records` as they are, and return once they are on disk.
///
/// The records go out in one `write` on a file opened with `O_APPEND`, so processes of the
/// same writer appending at once never interleave; the file is fsynced, and the directory too
/// when the journal (or the directory) is new, so an acknowledged record survives power loss.
/// The journal must be a regular file of this user's ([`open_own`]): a link planted under its
/// name in a shared directory is refused, and nothing is written anywhere.
fn write(dir: &Path, writer: &str, records: &[Record]) -> std::io::Result<()> {
    create_dirs_synced(dir)?;
    let path = dir.join(format!("{writer}.{EXT}"));
    let mut file = open_own(&path)?;
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

/// The journal at `path` opened (created when missing) for appending, never through a symbolic
/// link, and only when it is a regular file owned by this user with no other name: anyone who
/// can write to a shared review directory could otherwise plant `user@host.journal` pointing
/// at a spool file or `~/.bashrc`, and this user's next tag would append to it.
#[cfg(unix)]
fn open_own(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let opened = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        // No blocking on a FIFO planted there; no effect on a regular file.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let file = match opened {
        Ok(f) => f,
        Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(refused(path, "is a symbolic link"))
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let why = if !meta.is_file() {
        "is not a regular file"
    } else if meta.uid() != euid() {
        "belongs to another user"
    } else if meta.nlink() != 1 {
        "has other names (a hard link)"
    } else {
        return Ok(file);
    };
    Err(refused(path, why))
}

#[cfg(not(unix))]
fn open_own(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
}

fn refused(path: &Path, why: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!(
            "journal {} {why}: not written to (remove it, or use another review directory)",
            crate::sanitize::line(&path.display().to_string())
        ),
    )
}

/// This process's effective user id: who owns the files it creates.
///
/// The one `unsafe` outside the allocator calls: std has no safe way to ask, and the
/// alternatives (creating a probe file in a shared directory, `/proc/self`) are worse.
#[cfg(unix)]
#[allow(unsafe_code)]
fn euid() -> u32 {
    // SAFETY: geteuid takes no arguments, touches no memory and cannot fail (POSIX).
    unsafe { libc::geteuid() }
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
    match create_private_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

/// A directory only this user can enter: review data names chats and holds notes on them.
/// (A shared review directory is made by its users, with the permissions they choose.)
#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir(dir)
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
        let now = chrono::Utc::now();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(&format!(".{EXT}")) {
                continue;
            }
            let path = entry.path();
            // lstat: a link is seen as a link, and nothing is opened to stat it.
            let meta = std::fs::symlink_metadata(&path).ok();
            let stamp = meta.as_ref().map(stamp);
            seen.push(name.clone());
            let known = self.journals.get(&name).map(|j| j.stamp);
            if known.is_some() && known == stamp {
                continue;
            }
            changed = true;
            let journal = match meta {
                Some(m) if !m.is_file() => Journal::unread(stamp, &path, NOT_A_FILE),
                _ => read_journal(&path, stamp.unwrap_or_default(), now),
            };
            self.journals.insert(name, journal);
        }
        let before = self.journals.len();
        self.journals.retain(|name, _| seen.contains(name));
        changed || before != self.journals.len()
    }

    /// Append `records` to `writer`'s journal once they are on disk, each ordered after the
    /// latest record on its chat among the journals as they are now (re-read first): so a
    /// record stamped ahead of this clock, by another machine or forged, never outlasts what
    /// this user does next.
    pub fn append(&mut self, writer: &str, records: &[Record]) -> std::io::Result<()> {
        self.refresh();
        let records: Vec<Record> = records
            .iter()
            .map(|r| r.clone().after(self.latest_on(&r.chat)))
            .collect();
        write(&self.dir, writer, &records)
    }

    /// The latest merge position of any record on `chat` in these journals (`i64::MIN` when none):
    /// a writer orders its own records on the chat after it.
    pub(super) fn latest_on(&self, chat: &str) -> i64 {
        let mut latest = i64::MIN;
        for journal in self.journals.values() {
            let mut floor = i64::MIN;
            for r in &journal.records {
                floor = floor.max(r.order);
                if r.chat == chat {
                    latest = latest.max(floor);
                }
            }
        }
        latest
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

/// Why a journal that is not a regular file is not read.
const NOT_A_FILE: &str =
    "not a regular file (a symbolic link, FIFO, device or directory): not read";

impl Journal {
    /// A journal that could not be read, and why.
    fn unread(stamp: Option<(u64, i64, u64)>, path: &Path, reason: impl Into<String>) -> Journal {
        Journal {
            stamp: stamp.unwrap_or_default(),
            records: Vec::new(),
            problems: vec![Problem {
                path: path.display().to_string(),
                reason: reason.into(),
            }],
        }
    }
}

/// Read a journal's records, streaming: only a regular file (opened without following a link
/// and without blocking, so a FIFO or a link to `/dev/zero` costs nothing), and at most
/// [`MAX_LEN`] of it.
fn read_journal(path: &Path, stamp: (u64, i64, u64), now: DateTime<Utc>) -> Journal {
    let file = match open_regular(path) {
        Ok(f) => f,
        Err(e) => return Journal::unread(Some(stamp), path, e),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (records, mut problems) = parse_from(BufReader::new(file.take(MAX_LEN)), now);
    if len > MAX_LEN {
        problems.push(format!(
            "larger than {} MiB ({len} bytes): records past the first {} MiB are not read",
            MAX_LEN >> 20,
            MAX_LEN >> 20
        ));
    }
    let shown = path.display().to_string();
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

/// `path` opened for reading when it is a regular file; the error says why not.
fn open_regular(path: &Path) -> Result<File, String> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = opts
        .open(path)
        .map_err(|e| format!("cannot read the journal: {e}"))?;
    match file.metadata() {
        Ok(m) if m.is_file() => Ok(file),
        Ok(_) => Err(NOT_A_FILE.into()),
        Err(e) => Err(format!("cannot read the journal: {e}")),
    }
}

/// The records of a journal's bytes, and a reason for each damaged line ([`parse_from`]).
#[cfg(test)]
pub fn parse(bytes: &[u8]) -> (Vec<Record>, Vec<String>) {
    parse_from(bytes, chrono::Utc::now())
}

/// The records read from `input` line by line, and a reason for each damaged line and each
/// record stamped more than a day after `now` (still applied: it may be a clock ahead, or a
/// forged time; writers order their own records after it). The last line, when it has no
/// newline, is a record still being written or torn by a crash: ignored, not a problem.
pub fn parse_from(mut input: impl BufRead, now: DateTime<Utc>) -> (Vec<Record>, Vec<String>) {
    let ahead = now + chrono::TimeDelta::days(1);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut more = 0usize;
    let mut line = Vec::new();
    for n in 1.. {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                problems.push(format!("line {n}: cannot read the journal: {e}"));
                break;
            }
        }
        if line.pop() != Some(b'\n') {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if problems.len() >= MAX_PROBLEMS {
            // Damaged lines past the first few are counted, not kept: a planted journal of
            // millions of them must not cost memory in every reader.
            if Record::decode(&line).map(|r| records.push(r)).is_err() {
                more += 1;
            }
            continue;
        }
        match Record::decode(&line) {
            Ok(r) => {
                if r.at > ahead {
                    problems.push(format!(
                        "line {n}: stamped {}, more than a day ahead of this clock \
                         (a clock set wrong, or a forged time)",
                        r.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ));
                }
                records.push(r);
            }
            Err(why) => problems.push(format!("line {n}: {why}; record ignored")),
        }
    }
    if more > 0 {
        problems.push(format!("and {more} more damaged lines, ignored"));
    }
    (records, problems)
}

/// Problems kept per journal; the rest are counted in one line.
const MAX_PROBLEMS: usize = 20;
