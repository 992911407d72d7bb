//! `chatspool score`: record a scorecard on one chat against a rubric, or print its scorecards.
//!
//! Everything is checked before anything is written: an unknown criterion or a value out of
//! range is a usage error (exit 2) and the journal is left as it was. The record is fsynced
//! before the command exits 0, as for `tag`.

use super::{Failure, Outcome, SpoolArg};
use crate::model::score::{item_text, shown};
use crate::review::rubric::Rubric;
use crate::review::{card, ChatReview, Op, Record};
use crate::sanitize;
use crate::view::json::ScoresObject;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of a GUID.
    pub id: String,
    /// Score against this rubric: a NAME in the review directory's `rubrics/NAME.toml`, or a
    /// FILE (a path with a `/` or ending in `.toml`). Without it, print the chat's scorecards.
    #[arg(long, value_name = "NAME|FILE")]
    pub rubric: Option<String>,
    /// A criterion's value: points (`greeting=2`), or `pass`/`fail` for an auto-fail one.
    #[arg(long = "set", value_name = "CRITERION=VALUE")]
    pub set: Vec<String>,
    /// Criteria that do not apply (criteria not given are N/A too).
    #[arg(long, value_name = "CRITERION")]
    pub na: Vec<String>,
    /// A comment kept with the scorecard.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// `{"id", "score", "scorecards": [...]}` instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ScoreArgs, author: &str) -> Outcome {
    let Some(rubric_arg) = &args.rubric else {
        if !args.set.is_empty() || !args.na.is_empty() || args.comment.is_some() {
            return Err(Failure::usage(
                "--set, --na and --comment record a scorecard: name its rubric with --rubric",
            ));
        }
        return print(args);
    };
    let dir = args.spool.review.dir(&args.spool.spool)?;
    let rubric = Rubric::load(Some(&dir), rubric_arg).map_err(|e| Failure::usage(e.to_string()))?;
    let set = args
        .set
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => Ok((k.trim().to_string(), v.trim().to_string())),
            None => Err(Failure::usage(format!(
                "--set {}: write CRITERION=VALUE (greeting=2, no-card-number=pass)",
                sanitize::line(s)
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let na: Vec<String> = args.na.iter().map(|s| s.trim().to_string()).collect();
    let card = rubric
        .card(&set, &na, args.comment.as_deref())
        .map_err(Failure::usage)?;
    let store = super::load(&args.spool)?;
    let chat = super::show::find(&store, &args.id, &args.spool.spool)?;
    let mut journals = crate::review::read_dir(&dir);
    let record = Record::new(
        &chat.id,
        Op::Score,
        &card::encode(&card),
        author,
        chrono::Utc::now(),
    );
    journals
        .append(&crate::review::place::writer_id(), &[record])
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot save to {}: {e}", dir.display()),
        })?;
    journals.refresh();
    let reviews = crate::review::merge(&journals);
    let review = reviews.get(&chat.id);
    if args.json {
        super::emit(true, &ScoresObject::new(&chat.id, review), |_, _| Ok(()))?;
        return Ok(0);
    }
    let own = review
        .and_then(|r| r.scorecards.iter().find(|c| c.author == author))
        .and_then(|c| c.score());
    let line = format!(
        "scored {} against {}: {}; chat score {} ({})",
        chat.id,
        rubric.name,
        own.map_or_else(|| "no score (every criterion N/A)".into(), shown),
        review
            .and_then(ChatReview::score)
            .map_or_else(|| "none".into(), shown),
        count(review.map_or(0, |r| r.scorecards.len())),
    );
    let _ = super::ignore_broken_pipe(writeln!(std::io::stdout(), "{}", sanitize::line(&line)));
    Ok(0)
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 scorecard".into()
    } else {
        format!("{n} scorecards")
    }
}

/// `score SPOOL ID`: the chat's score and each reviewer's scorecard.
fn print(args: &ScoreArgs) -> Outcome {
    let reviews = args.spool.review.load(&args.spool.spool)?;
    let store = super::load(&args.spool)?;
    let chat = super::show::find(&store, &args.id, &args.spool.spool)?;
    let review = reviews.get(&chat.id);
    super::emit(args.json, &ScoresObject::new(&chat.id, review), |out, _| {
        write_text(out, &chat.id, review)
    })?;
    Ok(0)
}

/// The scorecards as text, every piece of recorded text sanitised.
pub fn write_text(
    out: &mut impl Write,
    id: &str,
    review: Option<&ChatReview>,
) -> std::io::Result<()> {
    let cards = review.map_or(&[][..], |r| &r.scorecards[..]);
    let score = review
        .and_then(ChatReview::score)
        .map_or_else(|| "none".into(), shown);
    writeln!(
        out,
        "{}: score {score} ({})",
        sanitize::line(id),
        count(cards.len())
    )?;
    for c in cards {
        let at = crate::model::time::rfc3339(c.at);
        let s = c.score().map_or_else(|| "no score".into(), shown);
        writeln!(
            out,
            "  {} {at} rubric {}: {s}",
            sanitize::line(&c.author),
            sanitize::line(&c.rubric)
        )?;
        for (id, v) in &c.items {
            writeln!(
                out,
                "    {:<24} {}",
                sanitize::line(id),
                item_text(*v, c.max.get(id).copied())
            )?;
        }
        if let Some(comment) = &c.comment {
            writeln!(out, "    comment: {}", sanitize::line(comment))?;
        }
    }
    Ok(())
}
