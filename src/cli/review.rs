//! `chatspool tag`, `note` and `review`: record review data on one chat.
//!
//! The chat is named as for `show` (same exit codes). Records go to this writer's journal in the
//! review directory (never the spool) and are fsynced before the command exits 0.

use super::{Failure, Outcome, SpoolArg};
use crate::review::{Op, Record};
use crate::sanitize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of a GUID.
    pub id: String,
    /// Tags to add (or remove with --remove).
    #[arg(required = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove these tags instead of adding them.
    #[arg(long)]
    pub remove: bool,
}

#[derive(Debug, clap::Args)]
pub struct NoteArgs {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of a GUID.
    pub id: String,
    /// The note.
    pub text: String,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of a GUID.
    pub id: String,
    /// Take the reviewed mark away.
    #[arg(long)]
    pub undo: bool,
}

pub fn tag(args: &TagArgs, author: &str) -> Outcome {
    let tags: Vec<&str> = args.tags.iter().map(|t| t.trim()).collect();
    if let Some(why) = tags.iter().find_map(|t| crate::review::check_tag(t).err()) {
        return Err(Failure::usage(why));
    }
    let op = if args.remove { Op::Untag } else { Op::Tag };
    let verb = if args.remove { "untagged" } else { "tagged" };
    record(&args.spool, &args.id, (op, author), &tags, |id| {
        format!("{verb} {id}: {}", tags.join(", "))
    })
}

pub fn note(args: &NoteArgs, author: &str) -> Outcome {
    let text = args.text.trim();
    if crate::review::is_blank(text) {
        return Err(Failure::usage("the note is empty: give its text"));
    }
    record(&args.spool, &args.id, (Op::Note, author), &[text], |id| {
        format!("note added to {id}")
    })
}

pub fn review(args: &ReviewArgs, author: &str) -> Outcome {
    let (op, done) = if args.undo {
        (Op::Unreview, "reviewed mark removed from")
    } else {
        (Op::Review, "marked reviewed:")
    };
    record(&args.spool, &args.id, (op, author), &[""], |id| {
        format!("{done} {id}")
    })
}

/// Find the chat, append one record per value, fsync, then say what was done.
fn record(
    spool: &SpoolArg,
    id: &str,
    (op, author): (Op, &str),
    values: &[&str],
    done: impl FnOnce(&str) -> String,
) -> Outcome {
    let dir = spool.review.dir(&spool.spool)?;
    let store = super::load(spool)?;
    let chat = super::show::find(&store, id, &spool.spool)?;
    let now = chrono::Utc::now();
    let records: Vec<Record> = values
        .iter()
        .map(|v| Record::new(&chat.id, op, v, author, now))
        .collect();
    crate::review::append(&dir, &crate::review::place::writer_id(), &records).map_err(|e| {
        Failure {
            code: 1,
            message: format!("cannot save to {}: {e}", dir.display()),
        }
    })?;
    // Saved: a closed stdout must not turn that into a failure.
    let _ = super::ignore_broken_pipe(writeln!(
        std::io::stdout(),
        "{}",
        sanitize::line(&done(&chat.id))
    ));
    Ok(0)
}
