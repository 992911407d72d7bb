//! Generates a spool of Comm100 Live Chat webhook payloads for demos, tests and benchmarks.
//!
//! ```text
//! cargo run --release --example gen_spool -- --out DIR [--count N] [--seed S]
//!     [--layout flat|dated] [--demo] [--variants] [--broken N] [--events N] [--duplicates N]
//!     [--jsonl-every N] [--jsonl-lines N] [--gz-every N] [--unique-messages] [--short]
//!     [--manifest FILE]
//! ```
//!
//! `--short` makes a spool unlike the default one, for benchmarks that must not depend on our own
//! chats' shape: short chats (about 1.9 KB a file on one line; missed chats of 2-3 messages,
//! bot-only and quick agent chats of 3-6), every visitor e-mail and phone distinct, and an
//! `Order number` custom field and a `plan` custom variable with varying values on most chats.
//! With `--layout dated` it is one folder per day, as real spools are.
//!
//! Output is a pure function of the options: the same seed gives the same bytes. Chats are made one
//! at a time and written at once, so a million dated files need no more memory than ten. The
//! payloads follow `docs/FORMAT.md` (the vendor sample's field set); `--variants` spells them in every
//! way docs/FORMAT.md says real spools do. `--manifest` records what a correct loader must find.
//!
//! The generator is written from docs/FORMAT.md alone and shares no code with the crate, so it checks
//! the parser rather than mirroring it.

#[path = "gen_spool/chat.rs"]
mod chat;
#[path = "gen_spool/demo.rs"]
mod demo;
#[path = "gen_spool/emit.rs"]
mod emit;
#[path = "gen_spool/encode.rs"]
mod encode;
#[path = "gen_spool/extras.rs"]
mod extras;
#[path = "gen_spool/lang.rs"]
mod lang;
#[path = "gen_spool/long.rs"]
mod long;
#[path = "gen_spool/names.rs"]
mod names;
#[path = "gen_spool/out.rs"]
mod out;
#[path = "gen_spool/phrases.rs"]
mod phrases;
#[path = "gen_spool/render.rs"]
mod render;
#[path = "gen_spool/rng.rs"]
mod rng;
#[path = "gen_spool/short.rs"]
mod short;
#[path = "gen_spool/talk.rs"]
mod talk;
#[path = "gen_spool/topic_texts.rs"]
mod topic_texts;
#[path = "gen_spool/topics.rs"]
mod topics;
#[path = "gen_spool/variants.rs"]
mod variants;
#[path = "gen_spool/who.rs"]
mod who;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::Parser;

use crate::emit::{Gen, Opts};
use crate::out::{Layout, Out};

/// Generate a spool of Comm100 chat webhook payloads (deterministic for a given seed).
#[derive(Parser)]
#[command(name = "gen_spool")]
struct Args {
    /// Directory to fill; must not exist or be empty.
    #[arg(long)]
    out: PathBuf,
    /// Number of chats (distinct `chat_ended` chats, before extras).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    count: u64,
    /// Seed of the generator: same seed, same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// `flat` (DIR/<id>.json) or `dated` (DIR/YYYY/MM/DD/<id>.json by start date, UTC).
    #[arg(long, value_enum, default_value_t = Layout::Flat)]
    layout: Layout,
    /// The demo spool: 40 hand-picked chats and one of each extra (other options ignored).
    #[arg(long, conflicts_with_all = ["variants", "broken", "events", "duplicates", "jsonl_every", "gz_every", "short"])]
    demo: bool,
    /// Mix in every field variant docs/FORMAT.md lists (and hostile visitor names and text).
    #[arg(long)]
    variants: bool,
    /// Add N broken files (each a problem) and, once, four files a loader must ignore.
    #[arg(long, default_value_t = 0)]
    broken: u64,
    /// Add N other-event files (skipped by a loader): chat_started, chat_transferred, ...
    #[arg(long, default_value_t = 0)]
    events: u64,
    /// Add N webhook retries: a chat delivered again in another file, sometimes an earlier copy.
    #[arg(long, default_value_t = 0)]
    duplicates: u64,
    /// Of every N chats, put the first --jsonl-lines into one JSON Lines file (0: never).
    #[arg(long, default_value_t = 0)]
    jsonl_every: u64,
    /// Chats per JSON Lines file (at most --jsonl-every).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    jsonl_lines: u64,
    /// Gzip every N-th chat file or JSON Lines file (0: never).
    #[arg(long, default_value_t = 0)]
    gz_every: u64,
    /// End every message with its chat's and its own number, so no message repeats anywhere
    /// (for measuring the text store on transcripts that share nothing).
    #[arg(long)]
    unique_messages: bool,
    /// Short chats (3-6 messages, a missed one 2-3; ~1.9 KB, compact JSON), distinct visitor
    /// e-mails and phones, order-number fields and plan variables: a spool unlike the default.
    #[arg(long)]
    short: bool,
    /// Write a JSON manifest of what a loader must find (keep it outside the spool).
    #[arg(long)]
    manifest: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_spool: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if let Some(m) = &args.manifest {
        if std::path::absolute(m)?.starts_with(std::path::absolute(&args.out)?) {
            anyhow::bail!(
                "--manifest must be outside --out, or the loader would read it as a spool file"
            );
        }
    }
    let clock = Instant::now();
    let mut out = Out::new(&args.out, args.layout)?;
    out.m.seed = args.seed;
    out.m.mode = if args.demo {
        "demo"
    } else if args.variants {
        "variants"
    } else if args.short {
        "short"
    } else {
        "plain"
    };
    let opts = Opts {
        count: args.count,
        seed: args.seed,
        variants: args.variants,
        hostile: args.variants || args.demo,
        broken: args.broken,
        events: args.events,
        duplicates: args.duplicates,
        jsonl_every: args.jsonl_every,
        jsonl_lines: args.jsonl_lines,
        gz_every: args.gz_every,
        unique_messages: args.unique_messages,
        short: args.short,
    };
    let mut g = Gen::new(&mut out, opts);
    if args.demo {
        demo::demo(&mut g)
    } else {
        emit::bulk(&mut g)
    }
    .with_context(|| format!("writing into {}", args.out.display()))?;
    let secs = clock.elapsed().as_secs_f64();
    let m = &out.m;
    println!(
        "{} files, {} bytes (avg {} per file) in {secs:.2} s: {} chats, {} duplicates, {} skipped, \
         {} problems, {} ignored -> {}",
        m.files,
        m.bytes,
        m.bytes / m.files.max(1),
        m.chats,
        m.duplicates,
        m.skipped,
        m.problems,
        m.ignored,
        args.out.display()
    );
    if let Some(path) = &args.manifest {
        let mut text = serde_json::to_string_pretty(m)?;
        text.push('\n');
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
