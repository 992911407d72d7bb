//! `chatspool check`: what loaded, what was skipped, what is broken. Exit 1 when anything is.

use super::{Outcome, SpoolArg};
use crate::sanitize;
use crate::spool::PathReason;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The `check --json` report.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub chats: usize,
    pub duplicates: usize,
    pub files: usize,
    pub skipped: Vec<PathReason>,
    pub problems: Vec<PathReason>,
}

pub fn run(args: &Args) -> Outcome {
    let store = super::load(&args.spool)?;
    let report = CheckReport {
        chats: store.len(),
        duplicates: store.duplicates(),
        files: store.file_count(),
        skipped: store.skipped(),
        problems: store.problems(),
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        print_text(&mut out, &report)
    };
    super::ignore_broken_pipe(written)?;
    Ok(u8::from(!report.problems.is_empty()))
}

fn print_text(out: &mut impl Write, r: &CheckReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{} chats in {} files ({} duplicate copies), {} skipped, {} problems",
        r.chats,
        r.files,
        r.duplicates,
        r.skipped.len(),
        r.problems.len()
    )?;
    for (title, list) in [("skipped", &r.skipped), ("problems", &r.problems)] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for p in list.iter() {
            writeln!(
                out,
                "  {}: {}",
                sanitize::line(&p.path),
                sanitize::line(&p.reason)
            )?;
        }
    }
    Ok(())
}
