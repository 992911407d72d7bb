//! `chatspool calibrate`: how far reviewers agree on the chats two or more of them scored.

use super::{Outcome, SpoolArg};
use crate::model::calibration::{calibrate, Calibration};
use crate::sanitize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query (the language of `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Only scorecards of this rubric (its name; a rubric FILE counts by its name too).
    #[arg(long, value_name = "NAME")]
    pub rubric: Option<String>,
    /// `{"chats", "criteria", "spread_mean", "reviewers"}` instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Outcome {
    let rubric = args.rubric.as_deref().map(|r| {
        std::path::Path::new(r)
            .file_stem()
            .map_or_else(|| r.to_string(), |s| s.to_string_lossy().into_owned())
    });
    let selected = super::list::select(&args.spool, args.query.as_deref(), None)?;
    let cards: Vec<&[crate::review::Scorecard]> = selected
        .chats
        .iter()
        .filter_map(|c| selected.reviews.get(&c.id))
        .map(|r| &r.scorecards[..])
        .collect();
    let report = calibrate(cards, rubric.as_deref());
    super::emit(args.json, &report, write_text)?;
    Ok(0)
}

fn write_text(out: &mut impl Write, r: &Calibration) -> std::io::Result<()> {
    writeln!(
        out,
        "{} scored by two or more reviewers",
        crate::format::plural(r.chats, "chat", "chats")
    )?;
    if r.chats == 0 {
        return Ok(());
    }
    writeln!(out, "\n{:<32} {:>9}", "CRITERION", "AGREEMENT")?;
    for c in &r.criteria {
        let pct = format!("{:.0}%", c.agreement * 100.0);
        writeln!(out, "{:<32} {pct:>9}", sanitize::line(&c.id))?;
    }
    match r.spread_mean {
        Some(s) => writeln!(out, "\nscore spread (max - min), mean over chats: {s:.1}")?,
        None => writeln!(out, "\nscore spread: no chat has two scores")?,
    }
    writeln!(
        out,
        "\n{:<24} {:>6} {:>12}",
        "REVIEWER", "CHATS", "MEAN OFFSET"
    )?;
    for o in &r.reviewers {
        writeln!(
            out,
            "{:<24} {:>6} {:>+12.1}",
            sanitize::line(&o.by),
            o.chats,
            o.mean_offset
        )?;
    }
    Ok(())
}
