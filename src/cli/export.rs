//! `chatspool export`: the chats a query selects, in the list's order, as one Markdown, text,
//! HTML, CSV or JSON document on stdout or in a file (never inside the spool); or as Parquet
//! tables in a directory or bucket prefix (see `export::parquet`).

mod parquet;

use super::{Failure, Outcome, SpoolArg, TzArg};
use crate::export::parquet::Partition;
use crate::export::{About, Exported, Format, Options};
use crate::model::ChatSummary;
use crate::query::SortKey;
use crate::redact::{Mask, Redactor};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query (the language of `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Order: newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score.
    #[arg(short, long, value_name = "KEY")]
    pub sort: Option<SortKey>,
    #[command(flatten)]
    pub tz: TzArg,
    #[command(flatten)]
    pub view: super::ViewArg,
    /// Document format (jsonl: one `show --json` object per line).
    #[arg(short, long, value_enum, default_value = "md")]
    pub format: Format,
    /// Mask e-mail addresses, phone numbers, IP addresses and card numbers (and the config
    /// file's patterns).
    #[arg(long)]
    pub redact: bool,
    /// Write to this file instead of stdout (replaced whole once complete; never inside the
    /// spool). For parquet: the directory, or `s3://` / `gs://` / `az://` prefix, to write to.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Parquet only: the folders chats are split into by start time (UTC), default day.
    #[arg(long, value_enum, value_name = "BY")]
    pub partition: Option<Partition>,
}

pub fn run(args: &Args, config: &crate::config::Config) -> Outcome {
    if args.format == Format::Parquet {
        return parquet::run(args, config);
    }
    if args.partition.is_some() {
        return Err(Failure::usage("--partition is for --format parquet"));
    }
    // Refused before anything is read when the spool is a directory, and again against the
    // directory loaded (a bucket's local copy for a URL); written where the check resolved it.
    let target = |root: &Path| {
        args.output
            .as_deref()
            .map(|file| crate::paths::outside_spool(file, Some(root), "the output file"))
            .transpose()
            .map_err(Failure::usage)
    };
    if !crate::spool::origin::is_url(&args.spool.spool.to_string_lossy()) {
        target(&args.spool.spool)?;
    }
    let selected = super::list::select(&args.spool, args.query.as_deref(), args.sort)?;
    // Transcripts are read from the directory loaded (a bucket's local copy for a URL).
    let root = &args.spool.open()?;
    let output = target(root)?;
    let chats = &selected.chats;
    let redactor = args.redact.then(|| Redactor::new(config.redact.clone()));
    let opts = Options {
        mask: Mask(redactor.as_ref()),
        zone: args.tz.zone(),
        reviews: Some(&selected.reviews),
        levels: args.spool.levels(),
    };
    let query = args.query.clone().unwrap_or_default();
    let fuzzy = crate::query::Query::parse(&query, chrono::Utc::now()).is_ok_and(|q| q.has_fuzzy());
    let about = About {
        order: args.sort.map_or_else(
            || if fuzzy { "best match" } else { "newest" }.to_string(),
            |s| s.to_string(),
        ),
        chosen: About::by_query(&query),
        count: chats.len(),
        // Informational: an author name chatspool refuses for records does not stop an export.
        by: super::author_of(config).unwrap_or_else(|_| "an unnamed user".into()),
        at: chrono::Utc::now(),
    };
    let export = |out: &mut dyn Write| export(out, root, chats, args.format, opts, &about);
    match &output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            super::ignore_broken_pipe(export(&mut out))?;
        }
        Some(file) => crate::export::write_file(file, export)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", file.display())))?,
    }
    Ok(0)
}

/// Write the document, naming unreadable chats on stderr.
fn export(
    out: &mut dyn Write,
    root: &Path,
    chats: &[Arc<ChatSummary>],
    format: Format,
    opts: Options,
    about: &About,
) -> std::io::Result<()> {
    let mut warn = |e: &Exported| {
        if let Err(why) = &e.chat {
            eprintln!(
                "chatspool: cannot read {}: {}",
                crate::sanitize::line(&e.summary.source.to_string()),
                crate::sanitize::line(why)
            );
        }
    };
    crate::export::write_chats(out, root, chats, format, opts, Some(about), &mut warn).map(drop)
}
