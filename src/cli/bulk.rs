//! `chatspool tag --query` and `chatspool review --query`: one action on every chat a query
//! selects.
//!
//! The whole batch is decided from one read of the review directory, then written as one
//! append (one `write`, one fsync): a crash mid-batch leaves whole records and at most one torn
//! last line, which readers ignore ([`crate::review`]), never half a record counted.

use super::{Failure, Outcome, SpoolArg};
use crate::review::{ChatReview, Op, Record};
use crate::sanitize;
use std::io::Write;

/// `tag --query Q TAG...` (or `--remove`): every selected chat gets (loses) each tag it lacks
/// (has); one line per tag says how many changed and how many already were so.
pub fn tag(spool: &SpoolArg, query: &str, tags: &[&str], (op, author): (Op, &str)) -> Outcome {
    let remove = op == Op::Untag;
    // Each tag once, in the order given (`coaching vip coaching` is two tags).
    let mut tags: Vec<&str> = tags.to_vec();
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(*t));
    let mut counts = vec![(0usize, 0usize); tags.len()];
    let now = chrono::Utc::now();
    // `tag SPOOL ID TAG --query Q` would tag every selected chat with the id: refused.
    let first = tags.first().copied();
    batch(spool, query, first, |chat, had| {
        let has = |t: &str| had.is_some_and(|r| r.tags.iter().any(|x| x == t));
        let mut values = Vec::new();
        for (t, (changed, already)) in tags.iter().zip(counts.iter_mut()) {
            if has(t) == remove {
                *changed += 1;
                values.push(Record::new(chat, op, t, author, now));
            } else {
                *already += 1;
            }
        }
        values
    })
    .map(|()| {
        let lines: Vec<String> = tags
            .iter()
            .zip(&counts)
            .map(|(t, &(changed, already))| {
                if remove {
                    format!(
                        "untagged {} of \"{t}\"{}",
                        chats(changed),
                        crate::format::aside(already, "did not have it")
                    )
                } else {
                    format!(
                        "tagged {} with \"{t}\"{}",
                        chats(changed),
                        crate::format::aside(already, "already had it")
                    )
                }
            })
            .collect();
        say(&lines)
    })
}

/// `review --query Q` (or `--undo`): every selected chat not yet marked (marked) is marked
/// (unmarked); one line says how many changed and how many already were so.
pub fn review(spool: &SpoolArg, query: &str, (op, author): (Op, &str)) -> Outcome {
    let undo = op == Op::Unreview;
    let (mut changed, mut already) = (0usize, 0usize);
    let now = chrono::Utc::now();
    batch(spool, query, None, |chat, had| {
        let marked = had.is_some_and(|r| r.reviewed.is_some());
        if marked == undo {
            changed += 1;
            vec![Record::new(chat, op, "", author, now)]
        } else {
            already += 1;
            Vec::new()
        }
    })
    .map(|()| {
        let line = if undo {
            format!(
                "reviewed mark removed from {}{}",
                chats(changed),
                crate::format::aside(already, &was(already, "not reviewed"))
            )
        } else {
            format!(
                "marked {} reviewed{}",
                chats(changed),
                crate::format::aside(already, &format!("already {}", was(already, "").trim_end()))
            )
        };
        say(&[line])
    })
}

/// Load the spool, read the review directory once, run the query over the chats with that
/// review data, ask `records` what each selected chat needs, and append it all at once.
/// `not_id` is a word that must not be a chat's id (an id given with `--query`).
fn batch(
    spool: &SpoolArg,
    query: &str,
    not_id: Option<&str>,
    mut records: impl FnMut(&str, Option<&ChatReview>) -> Vec<Record>,
) -> Result<(), Failure> {
    let parsed = super::list::parse_query(Some(query), spool.sla.as_ref())?;
    let dir = spool.review.dir(&spool.spool)?;
    let store = super::load(spool)?;
    if let Some(word) = not_id.filter(|w| store.find(w).is_ok_and(|c| &*c.id == *w)) {
        return Err(Failure::usage(format!(
            "{word} is a chat id: give an id or --query, not both"
        )));
    }
    let chats = store.chats();
    let local = spool.open()?;
    let mut journals = crate::review::read_dir(&dir);
    let reviews = crate::review::merge(&journals);
    let order = crate::search::run_store(&store, &chats, &parsed, None, &local, Some(&reviews));
    let batch: Vec<Record> = order
        .into_iter()
        .flat_map(|i| records(&chats[i].id, reviews.get(&chats[i].id)))
        .collect();
    if batch.is_empty() {
        return Ok(());
    }
    journals
        .append(&crate::review::place::writer_id(), &batch)
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot save to {}: {e}", dir.display()),
        })
}

/// `was …` for one chat, `were …` for more.
fn was(n: usize, what: &str) -> String {
    format!("{} {what}", if n == 1 { "was" } else { "were" })
}

/// `1 chat`, `37 chats`.
fn chats(n: usize) -> String {
    crate::format::plural(n, "chat", "chats")
}

/// Print the result lines; saved already, so a closed stdout is no failure.
fn say(lines: &[String]) -> u8 {
    let mut out = std::io::stdout().lock();
    for line in lines {
        if super::ignore_broken_pipe(writeln!(out, "{}", sanitize::line(line))).is_err() {
            break;
        }
    }
    0
}
