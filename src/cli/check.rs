//! `chatspool check`: what loaded, what was skipped, what is broken. Exit 1 when anything is.

use super::{Outcome, SpoolArg};
use crate::format::plural;
use crate::sanitize;
use crate::spool::{PathReason, WrapUpCounts};
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
    /// `chat_wrapped_up` events (retries once): merged into their chat, or waiting for it.
    pub wrap_ups: WrapUpCounts,
    /// How the index cache served this load: files whose record came from it, files parsed.
    pub cache: CacheUse,
    /// The review directory: where, how many journals and records. Its damaged records and
    /// unreadable journals are listed in `problems` (by their path, outside the spool).
    pub reviews: ReviewUse,
}

/// The `reviews` object of `check --json`.
#[derive(Debug, Serialize)]
pub struct ReviewUse {
    /// Null when there is no data directory and no `--review-dir`.
    pub dir: Option<String>,
    pub journals: usize,
    pub entries: usize,
    pub chats: usize,
}

/// The `cache` object of `check --json`.
#[derive(Debug, Serialize)]
pub struct CacheUse {
    pub hit: bool,
    pub reused: usize,
    pub parsed: usize,
}

pub fn run(args: &Args) -> Outcome {
    let dir = args.spool.review.find(&args.spool.spool)?;
    let reviews = args.spool.review.load(&args.spool.spool)?;
    let (store, stats) = super::load_with_stats(&args.spool)?;
    let mut problems = shown(store.problems());
    problems.extend(reviews.problems.iter().map(|p| PathReason {
        path: p.path.clone(),
        reason: format!("review journal: {}", p.reason),
    }));
    let report = CheckReport {
        chats: store.len(),
        duplicates: store.duplicates(),
        files: store.file_count(),
        skipped: shown(store.skipped()),
        problems,
        wrap_ups: store.wrap_up_counts(),
        cache: CacheUse {
            hit: stats.cache_hit,
            reused: stats.reused,
            parsed: stats.parsed,
        },
        reviews: ReviewUse {
            dir: dir.map(|d| d.display().to_string()),
            journals: reviews.journals,
            entries: reviews.entries,
            chats: reviews.len(),
        },
    };
    super::emit(args.json, &report, print_text)?;
    Ok(u8::from(!report.problems.is_empty()))
}

/// Paths as people read them (a byte of a name that is not UTF-8 is `�`).
fn shown(mut list: Vec<PathReason>) -> Vec<PathReason> {
    for p in &mut list {
        if let std::borrow::Cow::Owned(s) = crate::spool::names::display(&p.path) {
            p.path = s;
        }
    }
    list
}

/// `1 wrap-up attached to its chat, 2 waiting for a chat not in the spool`.
fn wrap_up_line(attached: usize, waiting: usize) -> String {
    format!(
        "{} {}, {waiting} waiting for a chat not in the spool",
        plural(attached, "wrap-up", "wrap-ups"),
        if attached == 1 {
            "attached to its chat"
        } else {
            "attached to their chats"
        },
    )
}

fn print_text(out: &mut impl Write, r: &CheckReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{} in {}, {}, {} skipped, {}",
        plural(r.chats, "chat", "chats"),
        plural(r.files, "file", "files"),
        plural(r.duplicates, "duplicate copy", "duplicate copies"),
        r.skipped.len(),
        plural(r.problems.len(), "problem", "problems")
    )?;
    let w = r.wrap_ups;
    if w.attached + w.waiting > 0 {
        writeln!(out, "{}", wrap_up_line(w.attached, w.waiting))?;
    }
    writeln!(
        out,
        "review data: {} on {} in {} ({})",
        plural(r.reviews.entries, "record", "records"),
        plural(r.reviews.chats, "chat", "chats"),
        plural(r.reviews.journals, "journal", "journals"),
        sanitize::line(r.reviews.dir.as_deref().unwrap_or("no review directory"))
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_wrap_up_line_agrees_in_number() {
        assert_eq!(
            super::wrap_up_line(1, 0),
            "1 wrap-up attached to its chat, 0 waiting for a chat not in the spool"
        );
        assert!(super::wrap_up_line(3, 1).starts_with("3 wrap-ups attached to their chats"));
    }
}
