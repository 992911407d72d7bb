//! `chatspool tag`, `note` and `review`: record review data on one chat, or (`tag` and
//! `review` with `--query`) on every chat a query selects.
//!
//! The chat is named as for `show` (same exit codes). Records go to this writer's journal in the
//! review directory (never the spool) and are fsynced before the command exits 0; a batch goes
//! out in one append and one fsync ([`bulk`]).

use super::{Failure, Outcome, SpoolArg};
use crate::review::{Op, Record};
use crate::sanitize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Tag every chat this query selects (then every word is a tag, and no id is given).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// The chat id (or a unique prefix of a GUID), then the tags to add (or remove with
    /// --remove); with --query, only the tags.
    #[arg(required = true, value_name = "ID TAG")]
    pub words: Vec<String>,
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
    #[arg(required_unless_present = "query")]
    pub id: Option<String>,
    /// Mark every chat this query selects (instead of one id).
    #[arg(short, long, value_name = "QUERY", conflicts_with = "id")]
    pub query: Option<String>,
    /// Take the reviewed mark away.
    #[arg(long)]
    pub undo: bool,
}

pub fn tag(args: &TagArgs, author: &str) -> Outcome {
    let (id, words) = match &args.query {
        Some(_) => (None, &args.words[..]),
        None => match args.words.split_first() {
            Some((id, tags)) => (Some(id.as_str()), tags),
            None => (None, &[][..]),
        },
    };
    if words.is_empty() {
        return Err(Failure::usage(
            "no tag given: `chatspool tag SPOOL ID TAG...`",
        ));
    }
    let tags: Vec<&str> = words.iter().map(|t| t.trim()).collect();
    if let Some(why) = tags.iter().find_map(|t| crate::review::check_tag(t).err()) {
        return Err(Failure::usage(why));
    }
    let op = if args.remove { Op::Untag } else { Op::Tag };
    let verb = if args.remove { "untagged" } else { "tagged" };
    let remove = args.remove;
    let Some(id) = id else {
        let query = args.query.as_deref().unwrap_or_default();
        return super::bulk::tag(&args.spool, query, &tags, (op, author));
    };
    record(
        &args.spool,
        id,
        (op, author),
        |had| {
            let has = |t: &str| had.is_some_and(|r| r.tags.iter().any(|x| x == t));
            let mut changed: Vec<&str> =
                tags.iter().copied().filter(|t| has(t) == remove).collect();
            changed.dedup();
            if changed.is_empty() {
                let state = if remove {
                    "was not tagged"
                } else {
                    "already tagged"
                };
                return Err(format!("{state} {}", tags.join(", ")));
            }
            Ok(changed)
        },
        |id, changed| format!("{verb} {id}: {}", changed.join(", ")),
    )
}

pub fn note(args: &NoteArgs, author: &str) -> Outcome {
    let text = args.text.trim();
    if crate::review::is_blank(text) {
        return Err(Failure::usage("the note is empty: give its text"));
    }
    record(
        &args.spool,
        &args.id,
        (Op::Note, author),
        |_| Ok(vec![text]),
        |id, _| format!("note added to {id}"),
    )
}

pub fn review(args: &ReviewArgs, author: &str) -> Outcome {
    let (op, done) = if args.undo {
        (Op::Unreview, "reviewed mark removed from")
    } else {
        (Op::Review, "marked reviewed:")
    };
    let undo = args.undo;
    let (Some(id), None) = (&args.id, &args.query) else {
        let query = args.query.as_deref().unwrap_or_default();
        return super::bulk::review(&args.spool, query, (op, author));
    };
    record(
        &args.spool,
        id,
        (op, author),
        |had| match (had.and_then(|r| r.reviewed.as_ref()), undo) {
            (Some(m), false) => Err(format!("already reviewed (by {})", m.author)),
            (None, true) => Err("was not reviewed".to_string()),
            _ => Ok(vec![""]),
        },
        |id, _| format!("{done} {id}"),
    )
}

/// Find the chat, decide from what is already recorded on it which values change anything
/// (`changes`: none is a message, exit 0, nothing appended), append one record per value,
/// fsync, then say what was done.
fn record<'v>(
    spool: &SpoolArg,
    id: &str,
    (op, author): (Op, &str),
    changes: impl FnOnce(Option<&crate::review::ChatReview>) -> Result<Vec<&'v str>, String>,
    done: impl FnOnce(&str, &[&str]) -> String,
) -> Outcome {
    let dir = spool.review.dir(&spool.spool)?;
    let store = super::load(spool)?;
    let chat = super::show::find(&store, id, &spool.spool)?;
    // Read once: the same journals decide what changes and, refreshed only where a file
    // changed meanwhile, order the new records after what they hold.
    let mut journals = crate::review::read_dir(&dir);
    let reviews = crate::review::merge(&journals);
    let values = match changes(reviews.get(&chat.id)) {
        Ok(values) => values,
        Err(nothing_to_do) => {
            let line = format!("{}: {nothing_to_do}, nothing recorded", chat.id);
            let _ =
                super::ignore_broken_pipe(writeln!(std::io::stdout(), "{}", sanitize::line(&line)));
            return Ok(0);
        }
    };
    let now = chrono::Utc::now();
    let records: Vec<Record> = values
        .iter()
        .map(|v| Record::new(&chat.id, op, v, author, now))
        .collect();
    journals
        .append(&crate::review::place::writer_id(), &records)
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot save to {}: {e}", dir.display()),
        })?;
    // Saved: a closed stdout must not turn that into a failure.
    let _ = super::ignore_broken_pipe(writeln!(
        std::io::stdout(),
        "{}",
        sanitize::line(&done(&chat.id, &values))
    ));
    Ok(0)
}
