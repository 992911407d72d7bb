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

/// A share as a whole percentage (`67%`), `-` when unknown.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn pct(x: Option<f64>) -> String {
    x.map_or_else(
        || "-".into(),
        |v| format!("{}%", (v * 100.0).round() as u32),
    )
}

/// One table row; `sla`: the levels are set, so the SLA rate has a column.
fn row(name: &str, f: &Figures, sla: bool) -> Vec<String> {
    let dist: Vec<String> = (1..=5)
        .map(|r| {
            f.ratings
                .get(&r.to_string())
                .copied()
                .unwrap_or(0)
                .to_string()
        })
        .collect();
    let mut row = vec![
        name.to_string(),
        f.chats.to_string(),
        f.missed.to_string(),
        avg(f.avg_wait_secs),
        secs(f.wait_p50_secs),
        secs(f.wait_p90_secs),
        avg(f.avg_first_response_secs),
        secs(f.first_response_p50_secs),
        secs(f.first_response_p90_secs),
        secs(f.reply_p50_secs),
        avg(f.avg_duration_secs),
        secs(f.duration_p50_secs),
        secs(f.duration_p90_secs),
        num(f.avg_rating),
        f.rated.to_string(),
    ];
    if sla {
        row.push(pct(f.sla_rate));
    }
    row.push(dist.join(" "));
    row
}

fn headers(first: &'static str, sla: bool) -> Vec<(&'static str, Align, usize)> {
    let r = |h| (h, Align::Right, 12);
    let mut heads = vec![
        (first, Align::Left, 32),
        r("CHATS"),
        r("MISSED"),
        r("AVG WAIT"),
        r("WAIT P50"),
        r("WAIT P90"),
        r("AVG FRT"),
        r("FRT P50"),
        r("FRT P90"),
        r("REPLY P50"),
        r("AVG DURATION"),
        r("DUR P50"),
        r("DUR P90"),
        r("AVG RATING"),
        r("RATED"),
    ];
    if sla {
        heads.push(r("SLA RATE"));
    }
    heads.push(("RATINGS 1..5", Align::Left, 40));
    heads
}

/// What happened inside the chats, in words: reply times, hand-offs, bots, who spoke last and,
/// with levels set, the service levels.
fn inside_lines(f: &Figures) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Replies: p50 {}, p90 {}; {} transferred; {} ended on the visitor",
            secs(f.reply_p50_secs),
            secs(f.reply_p90_secs),
            f.transferred,
            f.ended_on_visitor
        ),
        format!(
            "Bots: {} only, {} handed off to an agent, containment {}",
            f.bot_only,
            f.bot_handoff,
            pct(f.containment)
        ),
    ];
    if let (Some(met), Some(breached)) = (f.sla_met, f.sla_breached) {
        lines.push(format!(
            "SLA: {met} met, {breached} breached, rate {}",
            pct(f.sla_rate)
        ));
    }
    lines
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
    for line in inside_lines(&r.total) {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "FRT: first response time, from the chat's start to the first agent message; \
         REPLY: from a visitor's turn to the agent's answer"
    )?;
    writeln!(out)?;
    // The levels are set when the report measured against them.
    let sla = r.total.sla_met.is_some();
    table(
        out,
        &headers("TOTAL", sla),
        &[row("all chats", &r.total, sla)],
    )?;
    let groups = |list: &[crate::stats::Group]| -> Vec<Vec<String>> {
        list.iter().map(|g| row(&g.name, &g.figures, sla)).collect()
    };
    writeln!(out)?;
    table(out, &headers("AGENT", sla), &groups(&r.agents))?;
    writeln!(out)?;
    table(out, &headers("DEPARTMENT", sla), &groups(&r.departments))?;
    writeln!(out)?;
    table(out, &headers("WRAP-UP", sla), &groups(&r.wrap_ups))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sla::Sla;
    use crate::model::{Agent, Chat, ChatSummary, Entry, SpeakerKind};

    /// A chat started at 10:00 whose `agent` answers a bot, then the visitor after `reply_secs`;
    /// the visitor has the last word.
    fn chat(id: &str, agent: &str, reply_secs: i64) -> ChatSummary {
        let t0 = chrono::DateTime::from_timestamp(1_700_000_000, 0);
        let at = |s: i64| t0.map(|t| t + chrono::Duration::seconds(s));
        let entry = |kind, who: &str, s| Entry {
            kind,
            speaker: Some(who.into()),
            time: None,
            at: at(s),
            text: "text".into(),
        };
        ChatSummary::from_chat(&Chat {
            id: id.into(),
            started_at: t0,
            agents: vec![Agent {
                name: agent.into(),
                ..Agent::default()
            }],
            transcript: vec![
                entry(SpeakerKind::Bot, "Comm100 Bot", 2),
                entry(SpeakerKind::Agent, agent, 10),
                entry(SpeakerKind::Visitor, "Ana", 20),
                entry(SpeakerKind::Agent, agent, 20 + reply_secs),
                entry(SpeakerKind::Visitor, "Ana", 30 + reply_secs),
            ],
            ..Chat::default()
        })
    }

    fn text(levels: Option<&Sla>) -> String {
        let chats = [chat("a", "Walid", 190), chat("b", "Jason", 30)];
        let r = crate::stats::report(chats.iter(), Zone::Utc, levels);
        let mut out = Vec::new();
        print_text(&mut out, &r, Zone::Utc).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The plain report says what happened inside the chats: reply times, hand-offs, bots, who
    /// spoke last, and the levels only when the config sets them.
    #[test]
    fn plain_stats_show_replies_bots_and_levels() {
        let plain = text(None);
        assert!(
            plain.contains("Replies: p50 30s, p90 3m 10s; 0 transferred; 2 ended on the visitor"),
            "{plain}"
        );
        assert!(
            plain.contains("Bots: 0 only, 2 handed off to an agent, containment 0%"),
            "{plain}"
        );
        assert!(!plain.contains("SLA"), "no levels, no SLA: {plain}");
        let agents = plain
            .lines()
            .find(|l| l.starts_with("AGENT"))
            .expect("agent table");
        assert!(agents.contains("REPLY P50"), "{agents}");
        let walid = plain.lines().find(|l| l.starts_with("Walid")).unwrap();
        assert!(walid.contains("3m 10s"), "{walid}");
        let levels = Sla {
            reply: Some(120),
            ..Sla::default()
        };
        let judged = text(Some(&levels));
        assert!(
            judged.contains("SLA: 1 met, 1 breached, rate 50%"),
            "{judged}"
        );
        let agents = judged.lines().find(|l| l.starts_with("AGENT")).unwrap();
        assert!(agents.contains("SLA RATE"), "{agents}");
        let jason = judged.lines().find(|l| l.starts_with("Jason")).unwrap();
        assert!(jason.contains("100%"), "{jason}");
    }
}
