//! `chatspool stats`: totals, per-agent and per-department figures for the chats a query selects.

use super::output::{table, Align};
use super::{Outcome, SpoolArg, TzArg};
use crate::model::shown::{show, Form, Zone};
use crate::model::time::parse_date_str;
use crate::stats::{report_scored, Figures, Report};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query (the language of `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    #[command(flatten)]
    pub tz: TzArg,
    #[command(flatten)]
    pub view: super::ViewArg,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Outcome {
    let selected = super::list::select(&args.spool, args.query.as_deref(), None)?;
    let zone = args.tz.zone();
    let reviews = &selected.reviews;
    let r = report_scored(
        selected.chats.iter().map(|c| &**c),
        zone,
        args.spool.levels(),
        &|c| reviews.scored(&c.id),
    );
    super::emit(args.json, &r, |out, r| print_text(out, r, zone))?;
    Ok(0)
}

/// Seconds as `list` prints them (`2m 52s`), `-` when unknown.
fn secs(x: Option<u64>) -> String {
    crate::format::duration_or_dash(x)
}

/// An average, rounded to whole seconds.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn avg(x: Option<f64>) -> String {
    secs(x.map(|v| v.round() as u64))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{v:.1}"))
}

/// A report's RFC 3339 instant (as in `--json`) the way every view shows times.
fn when(rfc3339: &str, zone: &Zone) -> String {
    parse_date_str(rfc3339).map_or_else(
        || rfc3339.to_string(),
        |t| show(t, zone, Form::MinutesNamed),
    )
}

fn row(name: &str, f: &Figures) -> Vec<String> {
    let dist: Vec<String> = (1..=5)
        .map(|r| f.ratings[&r.to_string()].to_string())
        .collect();
    vec![
        name.to_string(),
        f.chats.to_string(),
        f.missed.to_string(),
        avg(f.avg_wait_secs),
        secs(f.wait_p50_secs),
        secs(f.wait_p90_secs),
        avg(f.avg_first_response_secs),
        secs(f.first_response_p50_secs),
        secs(f.first_response_p90_secs),
        avg(f.avg_duration_secs),
        secs(f.duration_p50_secs),
        secs(f.duration_p90_secs),
        num(f.avg_rating),
        f.rated.to_string(),
        dist.join(" "),
    ]
}

fn headers(first: &'static str) -> [(&'static str, Align, usize); 15] {
    let r = |h| (h, Align::Right, 12);
    [
        (first, Align::Left, 32),
        r("CHATS"),
        r("MISSED"),
        r("AVG WAIT"),
        r("WAIT P50"),
        r("WAIT P90"),
        r("AVG FRT"),
        r("FRT P50"),
        r("FRT P90"),
        r("AVG DURATION"),
        r("DUR P50"),
        r("DUR P90"),
        r("AVG RATING"),
        r("RATED"),
        ("RATINGS 1..5", Align::Left, 40),
    ]
}

fn print_text(out: &mut impl Write, r: &Report, zone: Zone) -> std::io::Result<()> {
    // The first and last start in the zone; with `visitor`, in UTC (no one visitor's zone).
    let span_zone = zone.for_chat(None);
    let span = match (&r.first_started_at, &r.last_started_at) {
        (Some(a), Some(b)) => format!(", {} to {}", when(a, &span_zone), when(b, &span_zone)),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}, {} missed (no agent){span}",
        crate::format::plural(r.total.chats, "chat", "chats"),
        r.total.missed
    )?;
    writeln!(
        out,
        "FRT: first response time, from the chat's start to the first agent message"
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
    table(out, &headers("WRAP-UP"), &groups(&r.wrap_ups))?;
    writeln!(out)?;
    if r.total.scored > 0 {
        print_scores(out, r)?;
        writeln!(out)?;
    }
    print_grid(out, r, zone)
}

/// Scorecards per agent and per department: shown once a chat is scored.
fn print_scores(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let rows = |list: &[crate::stats::Group]| -> Vec<Vec<String>> {
        list.iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    g.figures.chats.to_string(),
                    g.figures.scored.to_string(),
                    num(g.figures.avg_score),
                ]
            })
            .collect()
    };
    let heads = |first| {
        [
            (first, Align::Left, 32),
            ("CHATS", Align::Right, 12),
            ("SCORED", Align::Right, 12),
            ("AVG SCORE", Align::Right, 12),
        ]
    };
    writeln!(
        out,
        "SCORES: {} scored, average {}",
        r.total.scored,
        num(r.total.avg_score)
    )?;
    table(out, &heads("AGENT"), &rows(&r.agents))?;
    writeln!(out)?;
    table(out, &heads("DEPARTMENT"), &rows(&r.departments))
}

/// Chat starts per weekday and hour, and per hour, as a table of counts.
fn print_grid(out: &mut impl Write, r: &Report, zone: Zone) -> std::io::Result<()> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const HOURS: [&str; 24] = [
        "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
        "15", "16", "17", "18", "19", "20", "21", "22", "23",
    ];
    writeln!(out, "CHAT STARTS BY WEEKDAY AND HOUR ({zone})")?;
    let mut heads = vec![("", Align::Left, 4)];
    heads.extend(HOURS.iter().map(|h| (*h, Align::Right, 8)));
    let mut rows: Vec<Vec<String>> = DAYS
        .iter()
        .zip(&r.total.by_weekday_hour)
        .map(|(d, counts)| {
            std::iter::once((*d).to_string())
                .chain(counts.iter().map(ToString::to_string))
                .collect()
        })
        .collect();
    rows.push(
        std::iter::once("all".to_string())
            .chain(r.total.by_hour.iter().map(ToString::to_string))
            .collect(),
    );
    table(out, &heads, &rows)
}
