//! `chatspool list`: the chats matching a query, as a table or a JSON array.

use super::output::{human_secs, table, Align};
use super::views::ListItem;
use super::{Failure, Outcome, SpoolArg};
use crate::model::ChatSummary;
use crate::query::{Query, SortKey};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query (see `chatspool help-query` or the README).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Order: newest, oldest, wait, duration, rating, visitor, agent.
    #[arg(short, long, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// At most this many chats.
    #[arg(short = 'n', long)]
    pub limit: Option<usize>,
    /// One JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// Plain `list SPOOL`, what `chatspool SPOOL` shows when there is no terminal to draw on.
    pub fn for_spool(spool: &Path) -> Self {
        Args {
            spool: SpoolArg {
                spool: spool.to_path_buf(),
                no_cache: false,
            },
            query: None,
            sort: None,
            limit: None,
            json: false,
        }
    }
}

/// Parse a query for a subcommand; a bad query is a usage error (exit 2).
pub fn parse_query(q: Option<&str>) -> Result<Query, Failure> {
    Query::parse(q.unwrap_or(""), chrono::Utc::now())
        .map_err(|e| Failure::usage(format!("bad query: {e}")))
}

/// Load the spool and run the query: the selected chats in display order.
pub fn select(
    spool: &SpoolArg,
    query: Option<&str>,
    sort: Option<SortKey>,
) -> Result<Vec<Arc<ChatSummary>>, Failure> {
    let query = parse_query(query)?;
    let store = super::load(spool)?;
    let chats = store.chats();
    let order = crate::search::run(&chats, &query, sort, &spool.spool);
    Ok(order.into_iter().map(|i| chats[i].clone()).collect())
}

pub fn run(args: &Args) -> Outcome {
    let mut chats = select(&args.spool, args.query.as_deref(), args.sort)?;
    if let Some(n) = args.limit {
        chats.truncate(n);
    }
    // Stdout is line-buffered; a 100k-chat listing is millions of lines, so buffer it here.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.json {
        write_json(&mut out, &chats)
    } else {
        print_table(&mut out, &chats)
    }
    .and_then(|()| out.flush());
    super::ignore_broken_pipe(written)?;
    Ok(0)
}

/// The `list --json` array (pretty-printed, one trailing newline).
pub fn write_json(out: &mut impl Write, chats: &[Arc<ChatSummary>]) -> std::io::Result<()> {
    let items: Vec<ListItem> = chats.iter().map(|c| ListItem::new(c)).collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// A short id for the table: GUIDs cut to 8 characters (`show` accepts a unique prefix).
pub fn short_id(id: &str) -> &str {
    if id.len() > 12 && id.is_char_boundary(8) {
        &id[..8]
    } else {
        id
    }
}

fn print_table(out: &mut impl Write, chats: &[Arc<ChatSummary>]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = chats
        .iter()
        .map(|c| {
            vec![
                c.started_at()
                    .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
                short_id(&c.id).to_string(),
                c.visitor_display().to_string(),
                if c.agents.is_empty() {
                    "(missed)".into()
                } else {
                    c.agents.join(", ")
                },
                c.department.as_deref().unwrap_or("-").to_string(),
                c.wait_secs.map_or_else(
                    || "-".into(),
                    |w| human_secs(i64::try_from(w).unwrap_or(i64::MAX)),
                ),
                c.duration_secs().map_or_else(|| "-".into(), human_secs),
                c.rating.map_or_else(|| "-".into(), |r| format!("{r}/5")),
                c.messages.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            ("STARTED (UTC)", Align::Left, 16),
            ("ID", Align::Left, 12),
            ("VISITOR", Align::Left, 24),
            ("AGENTS", Align::Left, 28),
            ("DEPT", Align::Left, 16),
            ("WAIT", Align::Right, 12),
            ("DURATION", Align::Right, 12),
            ("RATING", Align::Right, 6),
            ("MSGS", Align::Right, 6),
        ],
        &rows,
    )
}
