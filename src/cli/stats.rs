//! `chatspool stats`: totals and per-agent figures for the chats matching a query.

use super::output::{human_secs, table, Align};
use super::{Outcome, SpoolArg};
use crate::model::shown::{show, Form, Zone};
use crate::model::time::parse_date_str;
use crate::stats::{report, Figures, Report};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query (the language of `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Outcome {
    let chats = super::list::select(&args.spool, args.query.as_deref(), None)?.chats;
    let r = report(chats.iter().map(|c| &**c));
    super::emit(args.json, &r, print_text)?;
    Ok(0)
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{v:.1}"))
}

/// An average number of seconds as `list` shows durations (`2m 52s`), to the nearest second.
#[allow(clippy::cast_possible_truncation)] // averages of whole seconds, far below i64::MAX
fn secs(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| human_secs(v.round() as i64))
}

/// A report's RFC 3339 instant (as in `--json`) the way every view shows times.
fn when(rfc3339: &str, zone: &Zone) -> String {
    parse_date_str(rfc3339).map_or_else(
        || rfc3339.to_string(),
        |t| format!("{} {}", show(t, zone, Form::Minutes), zone.label()),
    )
}

fn row(name: &str, f: &Figures) -> Vec<String> {
    let dist: Vec<String> = (1..=5)
        .map(|r| f.ratings[&r.to_string()].to_string())
        .collect();
    vec![
        name.to_string(),
        f.chats.to_string(),
        secs(f.avg_wait_secs),
        secs(f.avg_duration_secs),
        num(f.avg_rating),
        f.rated.to_string(),
        dist.join(" "),
    ]
}

fn print_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let headers = |first: &'static str| {
        [
            (first, Align::Left, 32),
            ("CHATS", Align::Right, 9),
            ("AVG WAIT", Align::Right, 10),
            ("AVG DURATION", Align::Right, 12),
            ("AVG RATING", Align::Right, 10),
            ("RATED", Align::Right, 8),
            ("RATINGS 1..5", Align::Left, 40),
        ]
    };
    let span = match (&r.first_started_at, &r.last_started_at) {
        (Some(a), Some(b)) => {
            let zone = Zone::default();
            format!(", {} to {}", when(a, &zone), when(b, &zone))
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "{}, {} missed (no agent){span}",
        crate::format::plural(r.total.chats, "chat", "chats"),
        r.missed
    )?;
    writeln!(out)?;
    table(out, &headers("TOTAL"), &[row("all chats", &r.total)])?;
    let groups = |list: &[crate::stats::Group]| -> Vec<Vec<String>> {
        list.iter().map(|g| row(&g.name, &g.figures)).collect()
    };
    writeln!(out)?;
    table(out, &headers("AGENT"), &groups(&r.agents))?;
    writeln!(out)?;
    table(out, &headers("DEPARTMENT"), &groups(&r.departments))?;
    writeln!(out)?;
    table(out, &headers("WRAP-UP"), &groups(&r.wrap_ups))
}
