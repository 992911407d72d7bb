//! `export --format parquet`: the chats and their transcripts as two date-partitioned Parquet
//! tables (Hive-style `started=YYYY-MM-DD` folders) that DuckDB, BigQuery, ClickHouse, Athena
//! and Spark read as they are.
//!
//! Chats are grouped by partition (their start day or month, UTC), and each partition is
//! written as one file per table, a batch of chats at a time: transcripts are read chat by chat
//! (a batch in parallel) and flushed as row groups fill, so memory is bounded by the row group,
//! not the spool. A manifest ([`manifest`]) records what each partition was made from; a second
//! export into the same place rewrites only the partitions whose chats changed, removes the
//! files of partitions that are gone, and leaves everything else untouched.

pub mod manifest;
pub mod sink;
pub mod table;

use crate::model::{Chat, ChatSummary};
use crate::redact::Mask;
use crate::review::Reviews;
use crate::view::json::ListItem;
use manifest::{Entry, Fingerprint, Manifest};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;
use serde_json::Value;
use sink::Sink;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use table::{Chats, Message, Messages};

/// How chats are split into folders (`--partition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Partition {
    /// `started=YYYY-MM-DD`
    #[default]
    Day,
    /// `started=YYYY-MM`
    Month,
    /// No folders: `chats/part-*.parquet`.
    None,
}

impl Partition {
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Day => "day",
            Partition::Month => "month",
            Partition::None => "none",
        }
    }

    /// The folder a chat goes in: `started=2026-11-30`, `started=2026-11`, `started=unknown`
    /// for a chat with no start time, or `` when there are no folders.
    pub fn folder(self, chat: &ChatSummary) -> String {
        let form = match self {
            Partition::Day => "%Y-%m-%d",
            Partition::Month => "%Y-%m",
            Partition::None => return String::new(),
        };
        match chat.started_at() {
            Some(t) => format!("started={}", t.format(form)),
            None => "started=unknown".to_string(),
        }
    }
}

/// Rows per row group: large enough for engines to scan efficiently (100k+), small enough that
/// the group being built stays a few tens of megabytes.
const ROW_GROUP_ROWS: usize = 128 * 1024;
/// A row group is also closed at this estimated size, for chats with very long transcripts.
const ROW_GROUP_BYTES: usize = 128 << 20;
/// Chats read per round (in parallel, [`CHUNK`] to a worker), before their batches are written.
const BATCH: usize = 1024;
/// Partitions written side by side.
const WAVE: usize = 8;
/// Chats per worker's record batch.
const CHUNK: usize = 64;

/// What to export, and how.
pub struct Job<'a> {
    /// The directory the spool was loaded from (a bucket's local copy for a URL).
    pub root: &'a Path,
    pub chats: &'a [Arc<ChatSummary>],
    pub mask: Mask<'a>,
    pub reviews: Option<&'a Reviews>,
    /// The configured service levels the `sla` columns are measured against.
    pub levels: Option<&'a crate::model::sla::Sla>,
    pub partition: Partition,
    /// Everything else that changes the files' content (the redaction patterns): part of each
    /// partition's fingerprint.
    pub settings: String,
}

/// What an export did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Done {
    pub chats: usize,
    pub messages: usize,
    /// Partitions written this time.
    pub written: usize,
    /// Partitions left as they were (nothing in them changed).
    pub kept: usize,
    /// Files removed: partitions gone since the last export.
    pub removed: usize,
}

/// Export `job` to `sink`. `progress(done, total)` counts chats; `unreadable(source, why)` is
/// told of each chat whose file cannot be read (its row is still exported, without messages).
pub fn export(
    job: &Job,
    sink: &dyn Sink,
    progress: &mut dyn FnMut(usize, usize),
    unreadable: &mut dyn FnMut(&str, &str),
) -> Result<Done, String> {
    let old = sink
        .read(manifest::NAME)?
        .and_then(|b| Manifest::parse(&b))
        .unwrap_or_default();
    let mut new = Manifest::new(job.partition.as_str(), job.mask.0.is_some());
    let mut done = Done::default();
    let total = job.chats.len();
    let mut seen = 0;
    // Which partitions changed: those are written, the others kept as they are.
    let mut todo = Vec::new();
    for (folder, mut chats) in partitions(job) {
        // File order, not the list's: a JSON Lines file's chats are read together, and the
        // files do not change with `--sort`.
        chats.sort_by(|a, b| (&a.source.path, a.source.line).cmp(&(&b.source.path, b.source.line)));
        let fingerprint = fingerprint(job, &folder, &chats);
        let files = [file("chats", &folder), file("messages", &folder)];
        match old.partitions.get(&folder) {
            Some(e)
                if old.schema == manifest::SCHEMA
                    && e.fingerprint == fingerprint
                    && e.files == files
                    && e.files.iter().all(|f| sink.exists(f)) =>
            {
                done.kept += 1;
                done.chats += e.chats;
                done.messages += e.messages;
                seen += chats.len();
                new.partitions.insert(folder, e.clone());
            }
            _ => todo.push((folder, chats, fingerprint, files)),
        }
    }
    progress(seen, total);
    // A day's partition is a few hundred chats: several are written side by side (each on
    // its own files), a wave at a time, so both cores stay busy; what each found is reported
    // here, in folder order, after its wave.
    for wave in todo.chunks(WAVE) {
        let write =
            |chats: &[&Arc<ChatSummary>], files: &[String; 2], tell: &mut dyn FnMut(usize)| {
                let mut problems = Vec::new();
                let counts = write_partition(job, sink, files, chats, tell, &mut |s, w| {
                    problems.push((s.to_string(), w.to_string()));
                });
                (counts, problems)
            };
        let written: Vec<_> = match wave {
            // One partition alone (`--partition none`, or the last of a few): its own
            // progress, batch by batch.
            [(_, chats, _, files)] => vec![write(chats, files, &mut |n| progress(seen + n, total))],
            _ => wave
                .par_iter()
                .map(|(_, chats, _, files)| write(chats, files, &mut |_| {}))
                .collect(),
        };
        for ((folder, chats, fingerprint, files), (counts, problems)) in wave.iter().zip(written) {
            for (source, why) in &problems {
                unreadable(source, why);
            }
            let (chats_n, messages_n) = counts?;
            done.written += 1;
            done.chats += chats_n;
            done.messages += messages_n;
            new.partitions.insert(
                folder.clone(),
                Entry {
                    fingerprint: fingerprint.clone(),
                    chats: chats_n,
                    messages: messages_n,
                    files: files.to_vec(),
                },
            );
            seen += chats.len();
        }
        progress(seen, total);
    }
    // Files of partitions that are gone (chats deleted, another query, another --partition):
    // removed before the manifest stops naming them, so none is left behind unlisted.
    let keep: BTreeSet<&str> = new.files().collect();
    for f in old.files().filter(|f| !keep.contains(f)) {
        sink.remove(f)?;
        done.removed += 1;
    }
    let mut out = sink.create(manifest::NAME)?;
    serde_json::to_writer_pretty(&mut out, &new)
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    out.write_all(b"\n")
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    out.commit()?;
    Ok(done)
}

/// The selected chats by partition folder, folders in order.
fn partitions<'a>(job: &Job<'a>) -> BTreeMap<String, Vec<&'a Arc<ChatSummary>>> {
    let mut out: BTreeMap<String, Vec<&Arc<ChatSummary>>> = BTreeMap::new();
    for c in job.chats {
        out.entry(job.partition.folder(c)).or_default().push(c);
    }
    out
}

/// `chats/started=2026-11-30/part-00000.parquet` (`chats/part-00000.parquet` with no folder).
fn file(table: &str, folder: &str) -> String {
    match folder {
        "" => format!("{table}/part-00000.parquet"),
        f => format!("{table}/{f}/part-00000.parquet"),
    }
}

/// What a partition is made from: the schema, the settings, and per chat its list row, its
/// review and its file's size and modification time (a transcript can change while the list's
/// fields stay the same). Rows are hashed in parallel and folded in order.
fn fingerprint(job: &Job, folder: &str, chats: &[&Arc<ChatSummary>]) -> String {
    let rows: Vec<u64> = chats
        .par_iter()
        .map(|s| {
            let mut f = Fingerprint::default();
            let review = job.reviews.and_then(|r| r.get(&s.id));
            f.add(&serde_json::to_vec(&ListItem::new(s, review, job.levels)).unwrap_or_default());
            f.add(format!("{:?}", s.started_ms()).as_bytes());
            let path = crate::spool::names::path_of(job.root, &s.source.path);
            if let Ok(m) = std::fs::metadata(path) {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                f.add(format!("{} {mtime}", m.len()).as_bytes());
            }
            u64::from_str_radix(&f.hex(), 16).unwrap_or(0)
        })
        .collect();
    let mut f = Fingerprint::default();
    let redacted = job.mask.0.is_some();
    let head = format!(
        "schema {} {folder} redacted {redacted} {}",
        manifest::SCHEMA,
        job.settings
    );
    f.add(head.as_bytes());
    for r in rows {
        f.add(&r.to_le_bytes());
    }
    f.hex()
}

fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
        .set_created_by(format!("chatspool {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Write one partition's two files; returns how many chats and messages they hold.
fn write_partition(
    job: &Job,
    sink: &dyn Sink,
    files: &[String; 2],
    chats: &[&Arc<ChatSummary>],
    progress: &mut dyn FnMut(usize),
    unreadable: &mut dyn FnMut(&str, &str),
) -> Result<(usize, usize), String> {
    let parquet_err = |e: parquet::errors::ParquetError| format!("cannot write Parquet: {e}");
    let mut chats_out = ArrowWriter::try_new(
        sink.create(&files[0])?,
        table::chats_schema(),
        Some(properties()),
    )
    .map_err(parquet_err)?;
    let mut messages_out = ArrowWriter::try_new(
        sink.create(&files[1])?,
        table::messages_schema(),
        Some(properties()),
    )
    .map_err(parquet_err)?;
    let (mut n_chats, mut n_messages) = (0, 0);
    for batch in chats.chunks(BATCH) {
        // Each worker turns its chunk into record batches itself: the rows' strings are made
        // and freed on one thread, and only whole arrays come back to this one.
        let built: Vec<Result<Built, String>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| build_chunk(job, chunk))
            .collect();
        for b in built {
            let b = b?;
            for (source, why) in &b.problems {
                unreadable(source, why);
            }
            n_chats += b.chats.num_rows();
            n_messages += b.messages.num_rows();
            chats_out.write(&b.chats).map_err(parquet_err)?;
            if b.messages.num_rows() > 0 {
                messages_out.write(&b.messages).map_err(parquet_err)?;
            }
        }
        progress(n_chats);
    }
    // Messages first: the chats file is what a partition is listed by.
    messages_out.into_inner().map_err(parquet_err)?.commit()?;
    chats_out.into_inner().map_err(parquet_err)?.commit()?;
    Ok((n_chats, n_messages))
}

/// One chat, ready to append.
struct Prepared {
    id: String,
    source: String,
    row: Value,
    messages: Vec<Message>,
    problem: Option<String>,
}

/// A chunk of chats as record batches of both tables, and the chats that could not be read.
struct Built {
    chats: arrow_array::RecordBatch,
    messages: arrow_array::RecordBatch,
    problems: Vec<(String, String)>,
}

/// Read a chunk of chats (sorted by file: each file is read once, also when it holds several
/// of them) and build its record batches.
fn build_chunk(job: &Job, chunk: &[&Arc<ChatSummary>]) -> Result<Built, String> {
    let (mut rows, mut messages, mut problems) =
        (Chats::default(), Messages::default(), Vec::new());
    for g in chunk.chunk_by(|a, b| a.source.path == b.source.path) {
        let loaded: Vec<Result<Chat, String>> = match g {
            [one] => vec![crate::spool::load_chat(job.root, &one.source, &one.id)],
            many => {
                let rows: Vec<_> = many.iter().map(|s| (&s.source, &*s.id)).collect();
                crate::spool::reload::load_chats_with(job.root, &rows, |r| r)
            }
        };
        for (s, chat) in g.iter().zip(loaded) {
            let p = prepare(job, s, chat);
            rows.push(&p.row);
            for m in &p.messages {
                messages.push(&p.id, m);
            }
            if let Some(why) = p.problem {
                problems.push((p.source, why));
            }
        }
    }
    Ok(Built {
        chats: rows.batch()?,
        messages: messages.batch()?,
        problems,
    })
}

/// A chat's row (its `list --json` object plus the fields the list does not carry) and its
/// messages, masked as the JSON export masks them when redacting.
fn prepare(job: &Job, s: &ChatSummary, chat: Result<Chat, String>) -> Prepared {
    let chat = chat.map(|mut c| {
        c.adopt_wrap_up(s);
        match job.mask.0 {
            Some(r) => r.chat(&c),
            None => c,
        }
    });
    let review = job.reviews.and_then(|r| r.get(&s.id));
    let mut row = serde_json::to_value(ListItem::new(s, review, job.levels)).unwrap_or(Value::Null);
    let text = |v: Option<&str>| {
        v.filter(|v| !v.trim().is_empty())
            .map_or(Value::Null, |v| v.into())
    };
    if let Some(o) = row.as_object_mut() {
        o.insert("started_at".into(), s.started_ms().into());
        o.insert("ended_at".into(), s.ended_ms().into());
        o.insert("country".into(), text(s.country()));
        o.insert("city".into(), text(s.city()));
        let c = chat.as_ref().ok();
        let v = c.map(|c| &c.visitor);
        o.insert("browser".into(), text(v.and_then(|v| v.browser.as_deref())));
        o.insert(
            "os".into(),
            text(v.and_then(|v| v.operating_system.as_deref())),
        );
        o.insert(
            "language".into(),
            text(v.and_then(|v| v.language.as_deref())),
        );
        o.insert(
            "rating_comment".into(),
            text(c.and_then(|c| c.rating_comment.as_deref())),
        );
    }
    if job.mask.0.is_some() {
        super::json::mask(&mut row, job.mask);
    }
    let messages = match &chat {
        Ok(c) => messages(c, job.mask),
        Err(_) => Vec::new(),
    };
    Prepared {
        id: s.id.to_string(),
        source: s.source.to_string(),
        row,
        messages,
        problem: chat.err(),
    }
}

/// A chat's transcript as messages rows (the chat already masked when redacting; speakers and
/// texts then masked again under their names, as the JSON export does).
fn messages(chat: &Chat, mask: Mask) -> Vec<Message> {
    let replies: std::collections::HashMap<usize, Option<u32>> =
        chat.turns().reply_secs().into_iter().collect();
    chat.transcript
        .iter()
        .enumerate()
        .map(|(i, e)| Message {
            seq: i64::try_from(i).unwrap_or(i64::MAX),
            at: e.at.map(|t| t.timestamp_millis()),
            clock: e.time.clone(),
            kind: e.kind.label(),
            speaker: e
                .speaker
                .as_deref()
                .map(|s| mask.field("speaker", s).into_owned()),
            text: mask.field("text", &e.text).into_owned(),
            reply_secs: replies.get(&i).copied().flatten(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
