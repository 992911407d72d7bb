//! `chatspool sample`: a fair sample, N chats per agent, reproducible for a seed; with `--name`
//! recorded in the journal as an assignment that `sample:NAME` selects.

use super::{Failure, Outcome, SpoolArg};
use crate::review::sample::{pick, Candidate};
use crate::review::{Op, Record};
use crate::sanitize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Chats per agent (all of an agent's chats when fewer).
    #[arg(long, value_name = "N")]
    pub per_agent: usize,
    /// Pick among the chats this query selects (the language of `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// The same spool, query and seed give the same chats on any machine; a new seed is drawn
    /// (and printed) when none is given.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Record the sample under this name: `sample:NAME` then selects it everywhere. Recording
    /// a name again replaces its chats.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// `{"name", "seed", "ids"}` instead of one id a line.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    name: Option<&'a str>,
    seed: u64,
    ids: Vec<String>,
}

/// A seed nobody chose: the clock's nanoseconds mixed with the process id.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    crate::review::sample::SplitMix64::new(nanos ^ u64::from(std::process::id())).next_u64()
}

pub fn run(args: &Args, author: &str) -> Outcome {
    if args.per_agent == 0 {
        return Err(Failure::usage("--per-agent must be 1 or more"));
    }
    if let Some(name) = &args.name {
        crate::review::check_name("sample", name).map_err(Failure::usage)?;
    }
    // Where it will be written is checked before any work.
    let dir = match &args.name {
        Some(_) => Some(args.spool.review.dir(&args.spool.spool)?),
        None => None,
    };
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let selected = super::list::select(&args.spool, args.query.as_deref(), None)?;
    let candidates: Vec<Candidate<'_>> = selected
        .chats
        .iter()
        .map(|c| Candidate {
            id: &c.id,
            agents: c.agents.iter().map(|a| &**a).collect(),
        })
        .collect();
    let ids = pick(&candidates, args.per_agent, seed);
    if let (Some(name), Some(dir)) = (&args.name, &dir) {
        record(dir, name, &ids, author)?;
    }
    let report = Report {
        name: args.name.as_deref(),
        seed,
        ids,
    };
    super::emit(args.json, &report, |out, r| {
        r.ids
            .iter()
            .try_for_each(|id| writeln!(out, "{}", sanitize::line(id)))
    })?;
    if !args.json {
        let what = args
            .name
            .as_deref()
            .map_or_else(String::new, |n| format!(" recorded as sample:{n}"));
        eprintln!(
            "chatspool: {} chats ({} per agent, seed {seed}){what}",
            report.ids.len(),
            args.per_agent
        );
    }
    Ok(0)
}

/// The sample's chats recorded as the assignment `name`: chats newly in it get a `sample`
/// record, chats of an earlier sample of that name not chosen now an `unsample` one, all in
/// one append (one fsync).
fn record(dir: &std::path::Path, name: &str, ids: &[String], author: &str) -> Result<(), Failure> {
    let mut journals = crate::review::read_dir(dir);
    let reviews = crate::review::merge(&journals);
    let before = reviews.in_sample(name);
    let now = chrono::Utc::now();
    let mut records: Vec<Record> = before
        .iter()
        .filter(|id| ids.binary_search(id).is_err())
        .map(|id| Record::new(id, Op::Unsample, name, author, now))
        .collect();
    records.extend(
        ids.iter()
            .filter(|id| before.binary_search(id).is_err())
            .map(|id| Record::new(id, Op::Sample, name, author, now)),
    );
    if records.is_empty() {
        return Ok(());
    }
    journals
        .append(&crate::review::place::writer_id(), &records)
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot save to {}: {e}", dir.display()),
        })
}
