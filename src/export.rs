//! Chats as documents that leave chatspool: Markdown, plain text, HTML, CSV and JSON, for
//! `chatspool export`, the viewer's `e` (a file) and `y` (the clipboard); and as Parquet
//! tables for analytics engines ([`parquet`]).
//!
//! Every document format is built from one [`Doc`] per chat — a title, the details sections a
//! reader needs and the transcript — with redaction already applied, so no format can forget to
//! mask a field. Text reaching a file or a terminal is sanitised; HTML is also escaped.

mod csv;
mod html;
mod json;
pub mod parquet;
pub mod text;

use crate::details::{self, Part, Section};
use crate::model::shown::{show, Form, Zone};
use crate::model::{Chat, ChatSummary, SpeakerKind};
use crate::redact::Mask;
use crate::review::{ChatReview, Reviews};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The formats `export --format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Txt,
    Csv,
    Json,
    Html,
    /// One `show --json` object per line (newline-delimited JSON), for bulk loaders and
    /// `jq -c`.
    Jsonl,
    /// Two date-partitioned Parquet tables in a directory (see [`parquet`]): not a document,
    /// so never written through [`Writer`].
    Parquet,
}

impl Format {
    /// The file name extension for the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Txt => "txt",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }
}

/// One chat to export.
#[derive(Debug, Clone)]
pub struct Exported {
    pub summary: Arc<ChatSummary>,
    /// The full chat, or why its file could not be read (the list's fields are still exported).
    pub chat: Result<Arc<Chat>, String>,
    /// What the lead recorded on it (tags, notes, the reviewed mark), if anything.
    pub review: Option<ChatReview>,
}

/// How to export: what to mask, which zone times are shown in, where reviews come from.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub mask: Mask<'a>,
    pub zone: Zone,
    /// The review data the chats' tags, notes and marks come from (`None`: none shown).
    pub reviews: Option<&'a Reviews>,
    /// The service levels `sla` is measured against (`None`: none configured).
    pub levels: Option<&'a crate::model::sla::Sla>,
}

/// What an export holds and how it was made, for the line a Markdown, text or HTML export
/// starts with: a file found weeks later still says which chats it has and how they were
/// chosen. (CSV and JSON stay pure data.)
#[derive(Debug, Clone)]
pub struct About {
    /// How the chats were chosen: `query agent:ravi`, `all chats`, `chat 14bd86bf`
    /// ([`About::by_query`] words the first two).
    pub chosen: String,
    /// The order, as the list names it (`newest`, `wait, reversed`).
    pub order: String,
    pub count: usize,
    /// Who exported: the review author.
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl About {
    /// [`About::chosen`] for chats a query chose (`all chats` for an empty one).
    pub fn by_query(query: &str) -> String {
        match query.trim() {
            "" => "all chats".to_string(),
            q => format!("query {q}"),
        }
    }

    /// `40 chats · query agent:ravi · order newest · times UTC · redacted · exported
    /// 2026-12-08 01:40 UTC by ann` (not escaped: each format escapes it).
    pub fn line(&self, opts: &Options) -> String {
        let zone = opts.zone;
        let redacted = if opts.mask.0.is_some() {
            "redacted"
        } else {
            "not redacted"
        };
        let at = crate::model::shown::show(
            self.at,
            &zone.for_chat(None),
            crate::model::shown::Form::Seconds,
        );
        format!(
            "{} · {} · order {} · times {} · {redacted} · exported {at} by {}",
            crate::format::plural(self.count, "chat", "chats"),
            self.chosen,
            self.order,
            zone.label(),
            self.by,
        )
    }
}

/// One transcript entry, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub time: Option<String>,
    pub kind: SpeakerKind,
    pub speaker: Option<String>,
    pub text: String,
}

/// A chat as a document: masked, not yet sanitised or escaped (each format does that).
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    pub sections: Vec<Section>,
    pub transcript: Vec<Said>,
    /// The zone the document's times are in (`UTC`, `Europe/Paris`, …), for headings.
    pub zone: String,
    /// Why the chat's file could not be read, when it could not.
    pub problem: Option<String>,
}

/// The details parts a document's header shows (location, device and visit stay in the viewer).
const HEADER: &[Part] = &[
    Part::Visitor,
    Part::Chat,
    Part::Rating,
    Part::WrapUp,
    Part::Attachments,
];

impl Doc {
    /// A chat as a document with the header parts of its details (`all`: every part, as `show`).
    pub fn of(e: &Exported, opts: &Options, all: bool) -> Doc {
        let s = &e.summary;
        // One chat's times: with `--tz visitor`, that visitor's own offset.
        let zone = opts.zone.for_chat(s.visitor_offset_min);
        let masked = match (&e.chat, opts.mask.0) {
            (Ok(chat), Some(r)) => Ok(Arc::new(r.chat(chat))),
            (other, _) => other.clone(),
        };
        let mut sections = match &masked {
            Ok(chat) => details::sections(chat, Some(&s.source), &zone, opts.levels),
            Err(_) => summary_sections(s, &zone),
        };
        if !all {
            sections.retain(|x| HEADER.contains(&x.part));
        }
        if let Some(r) = &e.review {
            // `show` leads with it, as the details pane does; a document ends its header with it.
            let review = details::review_sections(r, &zone);
            match all {
                true => {
                    sections.splice(0..0, review);
                }
                false => sections.extend(review),
            }
        }
        sections.retain(|x| !x.items.is_empty());
        for section in &mut sections {
            opts.mask.section(section);
        }
        let transcript = match &masked {
            Ok(chat) => transcript(chat, &zone),
            Err(_) => Vec::new(),
        };
        let started = s.started_at().map(|t| show(t, &zone, Form::Minutes));
        let who = opts.mask.text(s.visitor_display()).into_owned();
        Doc {
            title: match started {
                Some(t) => format!("{who} · {t} {}", zone.label()),
                None => who,
            },
            sections,
            transcript,
            zone: zone.label(),
            problem: e.chat.as_ref().err().cloned(),
        }
    }
}

/// The transcript of a chat (already masked when redacting), clocks in `zone`.
fn transcript(chat: &Chat, zone: &Zone) -> Vec<Said> {
    chat.transcript
        .iter()
        .map(|e| Said {
            time: e
                .at
                .map(|t| show(t, zone, Form::Clock))
                .or_else(|| e.time.clone()),
            kind: e.kind,
            speaker: e.speaker.clone(),
            text: e.text.clone(),
        })
        .collect()
}

/// What the list row knows, for a chat whose file cannot be read any more.
fn summary_sections(s: &ChatSummary, zone: &Zone) -> Vec<Section> {
    let mut v = Section::new(Part::Visitor, "Visitor");
    v.add("Name", Some(s.visitor_display()));
    v.add("Email", s.visitor_email.as_deref());
    let mut c = Section::new(Part::Chat, "Chat");
    c.add("Id", Some(&*s.id));
    c.add("Source", Some(s.source.to_string()));
    c.add("Agents", Some(s.agents.join(", ")));
    c.add("Department", s.department());
    c.add(
        "Started",
        s.started_at().map(|t| show(t, zone, Form::Seconds)),
    );
    c.add("Wait", details::wait(s.wait_secs));
    c.add("Duration", s.duration_secs().map(crate::format::duration));
    let mut r = Section::new(Part::Rating, "Rating");
    r.add("Rating", Some(details::rating(s.rating)));
    vec![v, c, r]
}

/// Why [`Writer`] refuses Parquet.
const NOT_A_DOCUMENT: &str = "parquet is written to a directory (export --format parquet -o DIR)";

/// Writes chats in one format as they come, so an export of a whole spool never holds more
/// than a batch of chats in memory.
pub struct Writer<'w, 'o> {
    out: &'w mut dyn Write,
    format: Format,
    opts: Options<'o>,
    written: usize,
}

impl<'w, 'o> Writer<'w, 'o> {
    /// Start a document (the HTML head, the CSV header, the JSON array), with the line that
    /// says what it is when `about` is given.
    pub fn new(
        out: &'w mut dyn Write,
        format: Format,
        opts: Options<'o>,
        about: Option<&About>,
    ) -> std::io::Result<Self> {
        let about = about.map(|a| a.line(&opts));
        match format {
            Format::Html => html::start(out, about.as_deref())?,
            Format::Csv => csv::header(out)?,
            Format::Json => write!(out, "[")?,
            Format::Jsonl => {}
            Format::Parquet => return Err(std::io::Error::other(NOT_A_DOCUMENT)),
            Format::Md => text::md_about(out, about.as_deref())?,
            Format::Txt => text::plain_about(out, about.as_deref())?,
        }
        Ok(Writer {
            out,
            format,
            opts,
            written: 0,
        })
    }

    /// Add one chat.
    pub fn add(&mut self, e: &Exported) -> std::io::Result<()> {
        let (out, opts, first) = (&mut *self.out, &self.opts, self.written == 0);
        self.written += 1;
        match self.format {
            Format::Md => {
                if !first {
                    writeln!(out, "---\n")?;
                }
                text::markdown(out, &Doc::of(e, opts, false))
            }
            Format::Txt => {
                if !first {
                    writeln!(out, "\n{}\n", "=".repeat(72))?;
                }
                text::plain(out, &Doc::of(e, opts, false), true)
            }
            Format::Html => html::article(out, &Doc::of(e, opts, false)),
            Format::Csv => csv::row(out, e, opts),
            Format::Json => json::item(out, e, opts, first),
            Format::Jsonl => json::line(out, e, opts),
            Format::Parquet => Err(std::io::Error::other(NOT_A_DOCUMENT)),
        }
    }

    /// End the document; returns how many chats it holds.
    pub fn finish(self) -> std::io::Result<usize> {
        match self.format {
            Format::Html => html::end(self.out, self.written)?,
            Format::Json if self.written == 0 => writeln!(self.out, "]")?,
            Format::Json => writeln!(self.out, "\n]")?,
            Format::Md | Format::Txt | Format::Csv | Format::Jsonl | Format::Parquet => {}
        }
        self.out.flush()?;
        Ok(self.written)
    }
}

/// Write `chats` in `format`: one document for all of them.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    chats: &[Exported],
    opts: Options,
) -> std::io::Result<usize> {
    let mut w = Writer::new(out, format, opts, None)?;
    for e in chats {
        w.add(e)?;
    }
    w.finish()
}

/// Chats read and written per batch: enough to keep every core busy, few enough to keep memory
/// flat on a spool of any size.
const BATCH: usize = 256;

/// Read the chats' files (a batch at a time, in parallel) and write them in order; a chat whose
/// file cannot be read is exported with what the list knows and handed to `unreadable`.
pub fn write_chats(
    out: &mut dyn Write,
    root: &Path,
    chats: &[Arc<ChatSummary>],
    format: Format,
    opts: Options,
    about: Option<&About>,
    unreadable: &mut dyn FnMut(&Exported),
) -> std::io::Result<usize> {
    use rayon::prelude::*;
    let mut w = Writer::new(out, format, opts, about)?;
    for batch in chats.chunks(BATCH) {
        let docs: Vec<Exported> = batch
            .par_iter()
            .map(|s| Exported::read(root, s, opts.reviews))
            .collect();
        for e in &docs {
            if e.chat.is_err() {
                unreadable(e);
            }
            w.add(e)?;
        }
    }
    w.finish()
}

/// One chat as `chatspool show` prints it: the review and every details section, then the
/// transcript (the `txt` export's layout without its title). `levels` give the SLA line.
pub fn chat_text(
    out: &mut dyn Write,
    chat: &Chat,
    summary: &ChatSummary,
    review: Option<&ChatReview>,
    zone: Zone,
    levels: Option<&crate::model::sla::Sla>,
) -> std::io::Result<()> {
    let e = Exported {
        summary: Arc::new(summary.clone()),
        chat: Ok(Arc::new(chat.clone())),
        review: review.cloned(),
    };
    let opts = Options {
        mask: Mask(None),
        zone,
        reviews: None,
        levels,
    };
    text::plain(out, &Doc::of(&e, &opts, true), false)
}

/// One chat as Markdown: what `y` copies.
pub fn markdown(e: &Exported, opts: &Options) -> String {
    let mut out = Vec::new();
    let _ = text::markdown(&mut out, &Doc::of(e, opts, false));
    String::from_utf8_lossy(&out).into_owned()
}

impl Exported {
    /// Read one chat's file for export (with the wrap-up merged from later events, as `show`
    /// has it) and its review; an unreadable file keeps the row and the reason.
    pub fn read(root: &Path, s: &Arc<ChatSummary>, reviews: Option<&Reviews>) -> Exported {
        let chat = crate::spool::load_chat(root, &s.source, &s.id).map(|mut chat| {
            chat.adopt_wrap_up(s);
            Arc::new(chat)
        });
        Exported {
            summary: s.clone(),
            chat,
            review: reviews.and_then(|r| r.get(&s.id)).cloned(),
        }
    }
}

/// Where the viewer saves exports and copies the terminal could not take:
/// `$XDG_DATA_HOME/chatspool/exports` (user data: a cache clean-up never deletes them), resolved
/// (see [`crate::paths`]); refused when it lies inside the spool.
pub fn default_dir(root: &Path) -> Result<PathBuf, String> {
    exports_in(crate::dirs::own(crate::dirs::Dir::Data), root)
}

/// [`default_dir`] under the data directory `data`.
fn exports_in(data: Option<PathBuf>, root: &Path) -> Result<PathBuf, String> {
    let dir = data
        .map(|d| d.join("exports"))
        .ok_or("no data directory (set XDG_DATA_HOME or HOME)")?;
    crate::paths::outside_spool(&dir, Some(root), "the export directory")
}

/// Write a file whole or not at all: a temporary file next to it (a fresh random name created
/// with `O_EXCL`, so a planted file or symlink is never followed), synced, then renamed over
/// it. A new file is readable by the user only (it holds chat content); a file replaced keeps
/// its mode, never a wider one.
pub fn write_file(
    file: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    if let Some(old) = std::fs::symlink_metadata(file)
        .ok()
        .filter(std::fs::Metadata::is_file)
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = old.permissions().mode() & 0o7777;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    let mut out = std::io::BufWriter::new(tmp);
    fill(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests;
