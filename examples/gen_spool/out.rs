//! Where files go (flat or dated directories), how they are written (buffered, optionally
//! gzipped), and the manifest of what a correct loader must make of them.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `DIR/<chat-id>.json`
    Flat,
    /// `DIR/YYYY/MM/DD/<chat-id>.json`, by the chat's start date (UTC)
    Dated,
}

#[derive(Serialize)]
pub struct Problem {
    pub path: String,
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct Retry {
    pub id: String,
    /// The most complete copy (latest `end_time`, longest transcript): the one to show.
    pub complete: String,
    pub copies: Vec<String>,
    /// Whether the first copy is an earlier, less complete delivery rather than a byte-identical one.
    pub earlier: bool,
}

/// What a loader must find. Paths are relative to the spool root, with `/` separators.
#[derive(Serialize, Default)]
pub struct Manifest {
    pub seed: u64,
    pub layout: &'static str,
    pub mode: &'static str,
    /// Distinct `chat_ended` chats a loader must show.
    pub chats: u64,
    /// `chat_ended` payloads in loadable files, retries included (`chats + duplicates`).
    pub chat_records: u64,
    /// Extra deliveries of a chat already counted (webhook retries).
    pub duplicates: u64,
    /// Entries in `check`'s `skipped`: one per file of other events.
    pub skipped: u64,
    /// Other-event payloads in those files.
    pub skipped_events: u64,
    /// `chat_wrapped_up` events, each about a chat of the spool: `check`'s `wrap_ups.attached`.
    pub wrap_ups: u64,
    /// Entries in `check`'s `problems`: one per bad file or bad JSON Lines line.
    pub problems: u64,
    /// Temporary and hidden files a loader must not read at all.
    pub ignored: u64,
    pub files: u64,
    pub bytes: u64,
    /// Chat files plus JSON Lines files holding chats.
    pub chat_files: u64,
    pub skipped_files: Vec<String>,
    pub wrap_up_files: Vec<String>,
    pub problem_files: Vec<Problem>,
    pub ignored_files: Vec<String>,
    pub retries: Vec<Retry>,
}

pub struct Out {
    root: PathBuf,
    layout: Layout,
    made: HashSet<i64>,
    pub m: Manifest,
}

impl Out {
    /// Prepare `root`: it must not exist or be empty, so a rerun never mixes two spools.
    pub fn new(root: &Path, layout: Layout) -> anyhow::Result<Out> {
        if root.exists() && fs::read_dir(root)?.next().is_some() {
            anyhow::bail!(
                "{} is not empty: remove it or choose another --out",
                root.display()
            );
        }
        fs::create_dir_all(root)?;
        let m = Manifest {
            layout: match layout {
                Layout::Flat => "flat",
                Layout::Dated => "dated",
            },
            ..Manifest::default()
        };
        Ok(Out {
            root: root.to_path_buf(),
            layout,
            made: HashSet::new(),
            m,
        })
    }

    /// The directory, relative to the root, for a chat starting at `ms` (`""` when flat).
    pub fn dir(&mut self, ms: i64) -> io::Result<String> {
        if self.layout == Layout::Flat {
            return Ok(String::new());
        }
        let day = ms.div_euclid(86_400_000);
        let d = chrono::DateTime::from_timestamp_millis(ms).expect("date in range");
        let rel = d.format("%Y/%m/%d/").to_string();
        if self.made.insert(day) {
            fs::create_dir_all(self.root.join(&rel))?;
        }
        Ok(rel)
    }

    /// Write `data` as `dir/name` (adding `.gz` and compressing when `gz`). Returns the relative path.
    pub fn write(&mut self, dir: &str, name: &str, data: &[u8], gz: bool) -> io::Result<String> {
        let rel = if gz {
            format!("{dir}{name}.gz")
        } else {
            format!("{dir}{name}")
        };
        let file = File::create(self.root.join(&rel))?;
        let mut w = BufWriter::with_capacity(64 * 1024, file);
        if gz {
            // flate2 writes mtime 0 in the header, so the bytes stay deterministic.
            let mut enc =
                GzEncoder::new(Vec::with_capacity(data.len() / 3), Compression::default());
            enc.write_all(data)?;
            let packed = enc.finish()?;
            w.write_all(&packed)?;
            self.m.bytes += packed.len() as u64;
        } else {
            w.write_all(data)?;
            self.m.bytes += data.len() as u64;
        }
        w.flush()?;
        self.m.files += 1;
        Ok(rel)
    }

    pub fn problem(&mut self, path: String, kind: &'static str) {
        self.m.problems += 1;
        self.m.problem_files.push(Problem { path, kind });
    }

    pub fn skipped(&mut self, path: String, events: u64) {
        self.m.skipped += 1;
        self.m.skipped_events += events;
        self.m.skipped_files.push(path);
    }

    pub fn wrap_up(&mut self, path: String) {
        self.m.wrap_ups += 1;
        self.m.wrap_up_files.push(path);
    }

    pub fn ignored(&mut self, path: String) {
        self.m.ignored += 1;
        self.m.ignored_files.push(path);
    }

    /// `n` new distinct chats in one chat-bearing file.
    pub fn chats(&mut self, n: u64) {
        self.m.chats += n;
        self.m.chat_records += n;
        self.m.chat_files += 1;
    }

    pub fn retry(&mut self, r: Retry) {
        self.m.duplicates += r.copies.len() as u64;
        self.m.chat_records += r.copies.len() as u64;
        self.m.chat_files += r.copies.len() as u64;
        self.m.retries.push(r);
    }
}
