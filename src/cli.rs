//! The command line: argument parsing and dispatch to one module per subcommand.
//!
//! Each subcommand builds a plain `Serialize` report from the domain, then prints it as JSON or
//! as sanitised text. Exit codes follow docs/CLI-CONTRACT.md: 0 success, 1 `check` found problems or
//! `show` found no such chat, 2 usage errors (bad flag, bad query, missing or unreadable spool).

mod check;
pub mod columns;
mod list;
mod output;
mod show;
mod stats;
mod views;
pub mod watch;

pub use list::write_json as write_list_json;
pub use show::text as show_text;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Read, search and watch a spool of Comm100 chat_ended webhooks.
#[derive(Debug, Parser)]
#[command(
    name = "chatspool",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub tui: TuiArgs,
}

/// Options of the interactive viewer (`chatspool [SPOOL]`).
#[derive(Debug, clap::Args)]
pub struct TuiArgs {
    /// The spool directory the webhook receiver writes to.
    #[arg(env = "CHATSPOOL_SPOOL")]
    pub spool: Option<PathBuf>,
    /// Start with this search (same language as `list --query`).
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Start with this order: newest, oldest, wait, duration, rating, visitor, agent.
    #[arg(short, long, value_name = "KEY")]
    pub sort: Option<crate::query::SortKey>,
    /// Colours for a dark or light background, or none (NO_COLOR also turns colours off).
    #[arg(long, value_enum)]
    pub theme: Option<crate::tui::theme::ThemeName>,
    /// Leave the mouse to the terminal (select and copy text); `m` toggles it at run time.
    #[arg(long)]
    pub no_mouse: bool,
    /// Keep the newest chat selected as chats arrive.
    #[arg(long)]
    pub follow: bool,
    #[command(flatten)]
    pub poll: watch::PollArg,
    /// Load the spool once and do not follow changes.
    #[arg(long, conflicts_with = "poll")]
    pub no_watch: bool,
    /// Neither read nor write the index cache (under the XDG cache directory): parse every file.
    #[arg(long)]
    pub no_cache: bool,
    /// Follow symbolic links to directories inside the spool (loops are detected; /proc, /sys
    /// and other pseudo-filesystems are never entered).
    #[arg(long)]
    pub follow_links: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List chats, newest first (or best match first when the query has bare words).
    List(list::Args),
    /// Show one chat: details and transcript.
    Show(show::Args),
    /// Totals and per-agent figures: chats, average wait, duration and rating.
    Stats(stats::Args),
    /// Report skipped and broken files; exits 1 when there are problems.
    Check(check::Args),
    /// Print chats as they arrive or change, one line each (JSON Lines with --json).
    Watch(watch::Args),
}

/// Arguments every spool-reading subcommand shares.
#[derive(Debug, clap::Args)]
pub struct SpoolArg {
    /// The spool directory the webhook receiver writes to.
    #[arg(env = "CHATSPOOL_SPOOL")]
    pub spool: PathBuf,
    /// Neither read nor write the index cache (under the XDG cache directory): parse every file.
    #[arg(long)]
    pub no_cache: bool,
    /// Follow symbolic links to directories inside the spool (loops are detected; /proc, /sys
    /// and other pseudo-filesystems are never entered).
    #[arg(long)]
    pub follow_links: bool,
}

impl SpoolArg {
    /// Check the spool and set up how this process reads it (`--follow-links`).
    pub fn open(&self) -> Result<PathBuf, Failure> {
        crate::spool::walk::policy::set_follow_links(self.follow_links);
        Ok(crate::spool::open(&self.spool)?)
    }
}

/// A failure that ends the command with a message on stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<crate::spool::SpoolError> for Failure {
    fn from(e: crate::spool::SpoolError) -> Self {
        Failure::usage(e.to_string())
    }
}

/// What a subcommand returns: the exit code on success (0 or 1), or a failure.
pub type Outcome = Result<u8, Failure>;

/// Parse the command line and run it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::List(a)) => list::run(&a),
        Some(Command::Show(a)) => show::run(&a),
        Some(Command::Stats(a)) => stats::run(&a),
        Some(Command::Check(a)) => check::run(&a),
        Some(Command::Watch(a)) => watch::run(&a),
        None => run_default(&cli.tui),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("chatspool: {}", crate::sanitize::line(&f.message));
            ExitCode::from(f.code)
        }
    }
}

fn run_default(args: &TuiArgs) -> Outcome {
    use std::io::IsTerminal;
    let Some(spool) = &args.spool else {
        return Err(Failure::usage(
            "no spool given: run `chatspool SPOOL` (or set CHATSPOOL_SPOOL); see `chatspool --help`",
        ));
    };
    crate::spool::walk::policy::set_follow_links(args.follow_links);
    let root = crate::spool::open(spool)?;
    if args.no_cache {
        crate::spool::cache::disable();
    }
    if let Some(q) = &args.query {
        list::parse_query(Some(q))?;
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        // No terminal to draw on (a pipe, a script): print the list instead.
        let mut a = list::Args::for_spool(&root);
        a.spool.follow_links = args.follow_links;
        a.spool.no_cache = args.no_cache;
        a.query.clone_from(&args.query);
        a.sort = args.sort;
        return list::run(&a);
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = crate::tui::app::Options {
        root,
        theme: crate::tui::theme::Theme::pick(args.theme, no_color),
        mouse: !args.no_mouse,
        follow: args.follow,
        query: args.query.clone().unwrap_or_default(),
        sort: args.sort,
    };
    crate::tui::run_with(opts, watch::mode(args.poll.poll, args.no_watch)).map_err(|e| {
        Failure {
            code: 1,
            message: format!("terminal error: {e}"),
        }
    })?;
    Ok(0)
}

/// Load a spool for a one-shot command, with a progress line on stderr when it is a terminal.
pub fn load(arg: &SpoolArg) -> Result<crate::spool::Store, Failure> {
    load_with_stats(arg).map(|(store, _)| store)
}

/// [`load`], also saying how the index cache served the load (for `check`).
pub fn load_with_stats(
    arg: &SpoolArg,
) -> Result<(crate::spool::Store, crate::spool::cache::LoadStats), Failure> {
    use std::io::IsTerminal;
    let root = arg.open()?;
    if !arg.no_cache {
        note_no_cache();
    }
    let progress = output::Progress::new("reading");
    let (store, stats) = crate::spool::cache::load(&root, !arg.no_cache, &|done, total| {
        progress.update(done, total);
    });
    progress.finish();
    // The cache is only a speed-up: failing to write it never fails the command.
    if let Some(e) = &stats.write_error {
        if std::io::stderr().is_terminal() {
            eprintln!(
                "chatspool: cannot write the index cache ({}); --no-cache skips it",
                crate::sanitize::line(e)
            );
        }
    }
    Ok((store, stats))
}

/// Say once, on stderr, that there is nowhere to keep the index cache (and so none is used).
pub fn note_no_cache() {
    if let Some(note) = crate::spool::cache::unavailable() {
        eprintln!("chatspool: {note}");
    }
}

/// Print a report to stdout: pretty JSON with `--json`, otherwise the command's text form.
/// A closed pipe (`| head`) ends quietly.
pub fn emit<T: serde::Serialize>(
    json: bool,
    report: &T,
    text: impl FnOnce(&mut std::io::StdoutLock<'static>, &T) -> std::io::Result<()>,
) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        text(&mut out, report)
    };
    ignore_broken_pipe(written.and_then(|()| out.flush()))
}

/// Writing to a closed pipe (`chatspool list | head`) is not an error worth reporting.
pub fn ignore_broken_pipe(r: std::io::Result<()>) -> Result<(), Failure> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure {
            code: 1,
            message: format!("cannot write output: {e}"),
        }),
        _ => Ok(()),
    }
}
