//! `chatspool list`: the chats matching a query, as a table or a JSON array.

use super::output::table;
use super::{Failure, Outcome, SpoolArg, TzArg};
use crate::model::shown::Zone;
use crate::model::sla::Sla;
use crate::model::ChatSummary;
use crate::query::{Query, SortKey};
use crate::review::Reviews;
use crate::view::columns::Column;
use crate::view::json::ListItem;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// Only chats matching this query: `agent:walid rating:>=4 since:7d`, bare words fuzzy-match
    /// visitor and agent names (the README and `?` in the viewer list the whole language).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Order: newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score.
    #[arg(short, long, value_name = "KEY")]
    pub sort: Option<SortKey>,
    #[command(flatten)]
    pub tz: TzArg,
    #[command(flatten)]
    pub view: super::ViewArg,
    /// At most this many chats.
    #[arg(short = 'n', long)]
    pub limit: Option<usize>,
    /// One JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The table's columns (the config file's `columns`); all of them when `None`.
    #[arg(skip)]
    pub columns: Option<Vec<Column>>,
}

impl Args {
    /// Plain `list SPOOL`, what `chatspool SPOOL` shows when there is no terminal to draw on.
    pub fn for_spool(spool: &Path) -> Self {
        Args {
            spool: SpoolArg {
                spool: spool.to_path_buf(),
                no_cache: false,
                follow_links: false,
                review: super::ReviewDirArg::default(),
                sla: None,
            },
            query: None,
            sort: None,
            tz: TzArg { tz: None },
            view: super::ViewArg::default(),
            limit: None,
            json: false,
            columns: None,
        }
    }
}

/// Parse a query for a subcommand; a bad query is a usage error (exit 2).
/// `sla:` terms judge by the configured levels; with none configured they are refused, since
/// they could match nothing.
pub fn parse_query(
    q: Option<&str>,
    levels: Option<&std::sync::Arc<Sla>>,
) -> Result<Query, Failure> {
    let query = Query::parse(q.unwrap_or(""), chrono::Utc::now())
        .map_err(|e| Failure::usage(format!("bad query: {e}")))?;
    if query.needs_sla() && levels.is_none() {
        return Err(Failure::usage(
            "bad query: sla: needs service levels; set them in the config file's [sla] table \
             (see `chatspool config --print-default`)",
        ));
    }
    Ok(query.with_sla(levels.cloned()))
}

/// Load the spool and its review data and run the query: the selected chats in display order,
/// how many chats the spool holds, and the review data (for the fields that show it).
pub fn select(
    spool: &SpoolArg,
    query: Option<&str>,
    sort: Option<SortKey>,
) -> Result<Selected, Failure> {
    let query = parse_query(query, spool.sla.as_ref())?;
    let reviews = spool.review.load(&spool.spool)?;
    let store = super::load(spool)?;
    let chats = store.chats();
    // `text:` reads files again: from the directory loaded (a bucket's local copy for a URL).
    let local = spool.open()?;
    let order = crate::search::run_store(&store, &chats, &query, sort, &local, Some(&reviews));
    let selected = order.into_iter().map(|i| chats[i].clone()).collect();
    let total = chats.len();
    // Only the selected rows outlive this function, and the process ends soon after: freeing
    // the store (every file and row of the spool) would only add to its run time.
    std::mem::forget(store);
    std::mem::forget(chats);
    Ok(Selected {
        chats: selected,
        total,
        reviews,
    })
}

/// What [`select`] found.
pub struct Selected {
    /// The chats the query selected, in display order.
    pub chats: Vec<Arc<ChatSummary>>,
    /// How many chats the spool holds.
    pub total: usize,
    pub reviews: Reviews,
}

pub fn run(args: &Args) -> Outcome {
    let Selected {
        mut chats,
        total,
        reviews,
    } = select(&args.spool, args.query.as_deref(), args.sort)?;
    if total == 0 {
        // A header alone looks like a bug; say why the list is empty (stdout stays clean).
        eprintln!(
            "chatspool: no chats in {}",
            crate::sanitize::line(&args.spool.spool.display().to_string())
        );
    }
    if let Some(n) = args.limit {
        chats.truncate(n);
    }
    // Stdout is line-buffered; a 100k-chat listing is millions of lines, so buffer it here.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.json {
        write_json(&mut out, &chats, &reviews, args.spool.levels())
    } else {
        print_table(
            &mut out,
            &chats,
            args.columns.as_deref().unwrap_or(&Column::DEFAULT),
            &reviews,
            args.tz.zone(),
        )
    }
    .and_then(|()| out.flush());
    super::ignore_broken_pipe(written)?;
    Ok(0)
}

/// Chats per block of `list --json` serialised on one thread.
const JSON_BLOCK: usize = 4096;

/// The `list --json` array (pretty-printed, one trailing newline).
///
/// Large lists are serialised in blocks on several threads. Each block is a pretty-printed array
/// of its own; inside one, every item is indented exactly as in the whole array, so the blocks'
/// insides joined with `,\n` between `[\n` and `\n]` are byte for byte what serialising the whole
/// array at once gives (a test checks it).
pub fn write_json<'a>(
    out: &mut impl Write,
    chats: &'a [Arc<ChatSummary>],
    reviews: &'a Reviews,
    levels: Option<&'a Sla>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let item = |c: &'a Arc<ChatSummary>| ListItem::new(c, reviews.get(&c.id), levels);
    if chats.len() <= JSON_BLOCK {
        let items: Vec<ListItem> = chats.iter().map(item).collect();
        serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::from)?;
        return writeln!(out);
    }
    // Blocks are made a few per thread at a time, and their buffers reused: the whole output
    // never sits in memory at once.
    let wave = rayon::current_num_threads().max(1) * 2;
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); wave];
    out.write_all(b"[\n")?;
    for (w, group) in chats.chunks(JSON_BLOCK * wave).enumerate() {
        group
            .par_chunks(JSON_BLOCK)
            .zip(bufs.par_iter_mut())
            .try_for_each(|(block, buf)| {
                buf.clear();
                let items: Vec<ListItem> = block.iter().map(item).collect();
                serde_json::to_writer_pretty(&mut *buf, &items).map_err(std::io::Error::from)
            })?;
        let used = group.len().div_ceil(JSON_BLOCK);
        for (i, block) in bufs[..used].iter().enumerate() {
            if w > 0 || i > 0 {
                out.write_all(b",\n")?;
            }
            // Without the block's own `[\n` and `\n]`.
            out.write_all(&block[2..block.len() - 2])?;
        }
    }
    out.write_all(b"\n]\n")
}

fn print_table(
    out: &mut impl Write,
    chats: &[Arc<ChatSummary>],
    columns: &[Column],
    reviews: &Reviews,
    zone: Zone,
) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = chats
        .iter()
        .map(|c| {
            let review = reviews.get(&c.id);
            columns
                .iter()
                .map(|col| col.cell(c, &zone, review))
                .collect()
        })
        .collect();
    let names: Vec<String> = columns.iter().map(|c| c.heading(&zone).0).collect();
    let headings: Vec<_> = columns
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            let (_, align, width) = c.heading(&zone);
            (name.as_str(), align, width)
        })
        .collect();
    table(out, &headings, &rows)?;
    if chats.iter().any(|c| zone.falls_back(c.visitor_offset_min)) {
        writeln!(out, "{}", crate::model::zone::UTC_LEGEND)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    #[test]
    fn block_json_is_the_whole_array_json() {
        let rows: Vec<Arc<ChatSummary>> = (0..JSON_BLOCK * 2 + 3)
            .map(|i| {
                Arc::new(ChatSummary {
                    id: format!("id-{i}").into(),
                    source: Source {
                        path: "a/b.jsonl".into(),
                        line: (i % 2 == 0).then_some(i as u32),
                    },
                    visitor: (i % 3 == 0).then(|| "Zoë \"q\"".into()),
                    agents: vec![
                        std::sync::Arc::from("PT: Jason"),
                        std::sync::Arc::from("Amy"),
                    ]
                    .into(),
                    started: crate::model::PackedMs::new(Some(1_600_000_000_000 + i as i64)),
                    ..ChatSummary::default()
                })
            })
            .collect();
        for n in [0, 1, 2, JSON_BLOCK, JSON_BLOCK + 1, rows.len()] {
            let mut ours = Vec::new();
            write_json(&mut ours, &rows[..n], &Reviews::default(), None).unwrap();
            let items: Vec<ListItem> = rows[..n]
                .iter()
                .map(|c| ListItem::new(c, None, None))
                .collect();
            let mut whole = serde_json::to_vec_pretty(&items).unwrap();
            whole.push(b'\n');
            assert!(ours == whole, "{n} rows");
        }
    }
}
