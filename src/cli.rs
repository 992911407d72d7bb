//! The command line: argument parsing and dispatch to one module per subcommand.
//!
//! Each subcommand builds a plain `Serialize` report from the domain, then prints it as JSON or
//! as sanitised text. Exit codes follow docs/CLI-CONTRACT.md: 0 success, 1 `check` found problems or
//! `show` found no such chat, 2 usage errors (bad flag, bad query, missing or unreadable spool).

mod argv;
mod bulk;
mod calibrate;
mod check;
mod doctor;
mod export;
mod list;
mod meta;
mod output;
mod review;
mod sample;
mod score;
mod show;
mod stats;
pub mod watch;

pub use list::write_json as write_list_json;

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Read, search and watch a spool of Comm100 chat_ended webhooks.
#[derive(Debug, Parser)]
#[command(
    name = "chatspool",
    version,
    about,
    propagate_version = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub tui: TuiArgs,
    /// Append diagnostics to FILE: cache use, parsing, watcher decisions, problems (level from
    /// CHATSPOOL_LOG, `info` by default).
    #[arg(long, global = true, value_name = "FILE")]
    pub log: Option<PathBuf>,
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
    /// Start with this order: newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score.
    #[arg(short, long, value_name = "KEY")]
    pub sort: Option<crate::query::SortKey>,
    /// Colours for a dark or light background, or none (NO_COLOR also turns colours off).
    /// Accepted by every command (a script may pass the same options to all of them); only
    /// the viewer draws colours.
    #[arg(long, value_enum, global = true)]
    pub theme: Option<crate::tui::theme::ThemeName>,
    /// Leave the mouse to the terminal (select and copy text); `m` toggles it at run time.
    #[arg(long)]
    pub no_mouse: bool,
    /// Keep the newest chat selected as chats arrive.
    #[arg(long)]
    pub follow: bool,
    #[command(flatten)]
    pub poll: watch::PollArg,
    #[command(flatten)]
    pub tz: TzArg,
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
    #[command(flatten)]
    pub review: ReviewDirArg,
    #[command(flatten)]
    pub view: ViewArg,
}

/// `--view NAME`, on the viewer, `list`, `stats` and `export`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ViewArg {
    /// Use this saved view (the config file's [views], or views.toml in the review directory):
    /// its query, order and zone, each unless --query, --sort or --tz is given.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

impl ViewArg {
    /// The view named, from the config file's views and the team's in the spool's review
    /// directory (a damaged `views.toml` is skipped with one warning on stderr); `None` when
    /// no `--view` is given, a usage error for an unknown name.
    pub fn resolve(
        &self,
        config: &crate::config::Config,
        review: &ReviewDirArg,
        spool: &std::path::Path,
    ) -> Result<Option<crate::views::View>, Failure> {
        let Some(name) = &self.view else {
            return Ok(None);
        };
        let views = all_views(config, review.find(spool)?.as_deref(), |w| {
            eprintln!("chatspool: warning: {}", crate::sanitize::line(w));
        });
        crate::views::find(&views, name)
            .cloned()
            .map(Some)
            .map_err(Failure::usage)
    }
}

/// The config file's views, then the team's in `review_dir` not named the same; `warn` hears
/// why a damaged team file was skipped.
pub fn all_views(
    config: &crate::config::Config,
    review_dir: Option<&std::path::Path>,
    warn: impl FnOnce(&str),
) -> Vec<crate::views::View> {
    let team = match review_dir {
        Some(dir) => {
            let (views, warning) = crate::views::load_team(dir);
            if let Some(w) = warning {
                warn(&w);
            }
            views
        }
        None => Vec::new(),
    };
    crate::views::combine(&config.views, team)
}

/// `--view`'s query, order and zone under what the command line gives (explicit flags win),
/// over the config file's defaults.
fn with_view(
    view: Option<&crate::views::View>,
    query: &mut Option<String>,
    sort: Option<&mut Option<crate::query::SortKey>>,
    tz: &mut TzArg,
) {
    let Some(v) = view else {
        return;
    };
    if query.is_none() {
        query.clone_from(&v.query);
    }
    if let Some(sort) = sort {
        *sort = sort.or(v.sort);
    }
    tz.tz = tz.tz.or(v.zone);
}

/// `--review-dir`, shared by the viewer and every spool-reading subcommand.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReviewDirArg {
    /// Keep tags, notes and reviewed marks in DIR (e.g. a directory shared by several people)
    /// instead of under $XDG_DATA_HOME/chatspool/reviews/.
    #[arg(long, value_name = "DIR", env = "CHATSPOOL_REVIEW_DIR")]
    pub review_dir: Option<PathBuf>,
}

impl ReviewDirArg {
    /// The review directory for `spool`, `None` when there is no data directory; a usage error
    /// when it would be inside the spool.
    pub fn find(&self, spool: &std::path::Path) -> Result<Option<PathBuf>, Failure> {
        // A missing or unreadable spool is reported as every command reports it; a bucket's
        // reviews belong to its local copy, whose path is fixed by the URL.
        let local = open_spool(spool)?;
        crate::review::place::review_dir(&local, self.review_dir.as_deref()).map_err(Failure::usage)
    }

    /// The review directory, required (to write to it).
    pub fn dir(&self, spool: &std::path::Path) -> Result<PathBuf, Failure> {
        self.find(spool)?
            .ok_or_else(|| Failure::usage(crate::review::place::NO_DIR))
    }

    /// Every journal of the spool's review directory, merged (none without a directory).
    pub fn load(&self, spool: &std::path::Path) -> Result<crate::review::Reviews, Failure> {
        Ok(self
            .find(spool)?
            .map(|dir| crate::review::merge(&crate::review::read_dir(&dir)))
            .unwrap_or_default())
    }
}

/// Who review records name: the config file's `author`, else `$USER` (refused when it has
/// control characters).
pub fn author_of(config: &crate::config::Config) -> Result<String, Failure> {
    match &config.author {
        Some(a) => Ok(a.clone()),
        None => crate::review::default_author().map_err(Failure::usage),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List chats, newest first (or best match first when the query has bare words).
    List(list::Args),
    /// Show one chat: details and transcript.
    Show(show::Args),
    /// Totals, per agent and per department: averages, p50/p90 of wait, first response and
    /// duration, ratings, chat starts by hour and weekday.
    Stats(stats::Args),
    /// Report skipped and broken files; exits 1 when there are problems.
    Check(check::Args),
    /// Print chats as they arrive or change, one line each (JSON Lines with --json).
    Watch(watch::Args),
    /// Check the spool, its filesystem, inotify limits, the cache, the terminal and the config
    /// file; exits 1 when a check fails.
    Doctor(doctor::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(meta::CompletionsArgs),
    /// Print the man page (roff).
    Man,
    /// Where the config file is, or a default one to start from.
    Config(meta::ConfigArgs),
    /// Add tags to a chat, or to every chat --query selects (or take them away with --remove).
    Tag(review::TagArgs),
    /// Add a note to a chat.
    Note(review::NoteArgs),
    /// Mark a chat reviewed, or every chat --query selects (or take the mark away with --undo).
    Review(review::ReviewArgs),
    /// Score a chat against a rubric (or print its scorecards without --rubric).
    Score(score::ScoreArgs),
    /// How far reviewers agree on the chats two or more of them scored.
    Calibrate(calibrate::Args),
    /// Pick N chats per agent, reproducibly for a seed (--name records it as sample:NAME).
    Sample(sample::Args),
    /// Write the chats a query selects as one Markdown, text, HTML, CSV or JSON document.
    Export(export::Args),
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
    #[command(flatten)]
    pub review: ReviewDirArg,
    /// The config's service levels (`[sla]`), which `sla:` terms and the `sla` fields judge by.
    #[arg(skip)]
    pub sla: Option<std::sync::Arc<crate::model::sla::Sla>>,
}

impl SpoolArg {
    /// Take what the config sets for reading a spool.
    pub fn configure(&mut self, config: &crate::config::Config) {
        self.sla.clone_from(&config.sla);
    }

    /// The configured service levels.
    pub fn levels(&self) -> Option<&crate::model::sla::Sla> {
        self.sla.as_deref()
    }

    /// Check the spool (a bucket URL is mirrored into its local copy first).
    pub fn open(&self) -> Result<PathBuf, Failure> {
        open_spool(&self.spool)
    }

    /// How the command reads the spool: `--follow-links`, `--no-cache`.
    pub fn reading(&self) -> crate::spool::Reading {
        crate::spool::Reading {
            follow_links: self.follow_links,
            cache: !self.no_cache,
        }
    }
}

/// `--tz`: the zone times are shown and bucketed in (JSON times stay UTC).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct TzArg {
    /// Show times in this zone: utc (the default), local, visitor (each chat's visitor's zone),
    /// an IANA name (Europe/Paris) or an offset (+05:30, -08:00). JSON times stay UTC.
    // A negative offset (`--tz -08:00`) is a value, not a flag.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<crate::model::zone::Zone>,
}

impl TzArg {
    /// `--tz`, else the config file's `tz`.
    pub fn or_config(self, config: Option<crate::model::zone::Zone>) -> TzArg {
        TzArg {
            tz: self.tz.or(config),
        }
    }

    /// The zone asked for, UTC by default.
    pub fn zone(self) -> crate::model::zone::Zone {
        self.tz.unwrap_or_default()
    }
}

/// Check a spool argument: a directory, or a bucket URL, whose objects are brought into a
/// local copy first (with a progress line on stderr when it is a terminal); the copy is the
/// root to load. A bucket opened once in this process is not synced again.
pub fn open_spool(spool: &std::path::Path) -> Result<PathBuf, Failure> {
    let text = spool.to_string_lossy();
    if !crate::spool::origin::is_url(&text) {
        return Ok(crate::spool::open(spool)?);
    }
    open_url(&text)
}

#[cfg(feature = "remote")]
fn open_url(text: &str) -> Result<PathBuf, Failure> {
    let url = crate::remote::Url::parse(text).map_err(Failure::usage)?;
    let progress = output::Progress::new("downloading");
    let opened = crate::remote::open(&url, &mut |done, total| progress.update(done, total));
    progress.finish();
    let opened = opened.map_err(Failure::usage)?;
    let r = &opened.report;
    tracing::info!(
        spool = %url,
        listed = r.listed,
        downloaded = r.downloaded,
        removed = r.removed,
        bytes = r.bytes,
        problems = r.problems.len(),
        "bucket synced"
    );
    Ok(opened.root)
}

#[cfg(not(feature = "remote"))]
fn open_url(text: &str) -> Result<PathBuf, Failure> {
    Err(Failure::usage(format!(
        "{text}: this chatspool was built without object-storage spools (cargo feature `remote`)"
    )))
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
    let config = crate::config::Config::load();
    if let Ok(Some(spool)) = config.as_ref().map(|c| c.spool.as_ref()) {
        // The config's spool is the last fallback: the argument, then CHATSPOOL_SPOOL, then it.
        // Passing it through the variable gives every subcommand the same precedence.
        if std::env::var_os("CHATSPOOL_SPOOL").is_none() {
            std::env::set_var("CHATSPOOL_SPOOL", spool);
        }
    }
    let args = match argv::arrange(std::env::args_os().collect(), &Cli::command()) {
        Ok(args) => args,
        Err(line) => return fail(&Failure::usage(line)),
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => match &config {
            // A missing spool may well be the config's fault: say what is wrong with it.
            Err(ce) if e.use_stderr() => return fail(&Failure::usage(ce.to_string())),
            _ if e.use_stderr() => return fail(&Failure::usage(argv::one_line(&e))),
            _ => e.exit(),
        },
    };
    let result = start_logging(&cli).and_then(|()| run(cli, config));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => fail(&f),
    }
}

fn fail(f: &Failure) -> ExitCode {
    tracing::error!(code = f.code, "{}", f.message);
    eprintln!("chatspool: {}", crate::sanitize::line(&f.message));
    ExitCode::from(f.code)
}

/// `--log FILE` and `CHATSPOOL_LOG`. A log file inside the spool is refused, whether named by
/// `--log` or the viewer's default under `XDG_STATE_HOME`: chatspool never writes there.
fn start_logging(cli: &Cli) -> Result<(), Failure> {
    let viewer = cli.command.is_none();
    // Commands without a spool argument still run beside one (CHATSPOOL_SPOOL or the config's).
    let spool = spool_of(cli)
        .map(std::path::Path::to_path_buf)
        .or_else(|| std::env::var_os("CHATSPOOL_SPOOL").map(std::path::PathBuf::from))
        .filter(|s| !crate::spool::origin::is_url(&s.to_string_lossy()));
    let spool = spool.as_deref();
    let file = match &cli.log {
        Some(log) => Some(
            crate::paths::outside_spool(log, spool, "the --log file").map_err(Failure::usage)?,
        ),
        None => None,
    };
    let wanted = viewer && file.is_none() && crate::log::level().is_some();
    let default = match crate::log::viewer_default().filter(|_| wanted) {
        Some(d) => Some(
            crate::paths::outside_spool(&d, spool, "the viewer's log").map_err(Failure::usage)?,
        ),
        None => None,
    };
    crate::log::init(file.as_deref(), default.as_deref(), viewer).map_err(Failure::usage)
}

/// The spool a command line reads, if any.
fn spool_of(cli: &Cli) -> Option<&std::path::Path> {
    match &cli.command {
        Some(Command::List(a)) => Some(&a.spool.spool),
        Some(Command::Show(a)) => Some(&a.spool.spool),
        Some(Command::Stats(a)) => Some(&a.spool.spool),
        Some(Command::Check(a)) => Some(&a.spool.spool),
        Some(Command::Watch(a)) => Some(&a.spool.spool),
        Some(Command::Tag(a)) => Some(&a.spool.spool),
        Some(Command::Note(a)) => Some(&a.spool.spool),
        Some(Command::Review(a)) => Some(&a.spool.spool),
        Some(Command::Export(a)) => Some(&a.spool.spool),
        Some(Command::Score(a)) => Some(&a.spool.spool),
        Some(Command::Calibrate(a)) => Some(&a.spool.spool),
        Some(Command::Sample(a)) => Some(&a.spool.spool),
        Some(Command::Doctor(a)) => a.spool.as_deref(),
        Some(Command::Completions(_) | Command::Man | Command::Config(_)) => None,
        None => cli.tui.spool.as_deref(),
    }
}

/// Run the parsed command. Commands that read a spool need a valid config file; those about
/// chatspool itself (and `doctor`, which reports on it) run whatever it holds.
fn run(cli: Cli, config: Result<crate::config::Config, crate::config::ConfigError>) -> Outcome {
    let needs = |config: Result<_, crate::config::ConfigError>| {
        config.map_err(|e| Failure::usage(e.to_string()))
    };
    match cli.command {
        Some(Command::Completions(a)) => meta::completions(&a),
        Some(Command::Man) => meta::man(),
        Some(Command::Config(a)) => meta::config(&a),
        Some(Command::Doctor(a)) => doctor::run(&a, &config),
        Some(Command::List(mut a)) => {
            let config = needs(config)?;
            a.spool.configure(&config);
            let view = a.view.resolve(&config, &a.spool.review, &a.spool.spool)?;
            with_view(view.as_ref(), &mut a.query, Some(&mut a.sort), &mut a.tz);
            a.sort = a.sort.or(config.sort);
            a.tz = a.tz.or_config(config.tz);
            a.columns = config.columns;
            list::run(&a)
        }
        Some(Command::Show(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            a.tz = a.tz.or_config(c.tz);
            show::run(&a)
        }),
        Some(Command::Stats(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            let view = a.view.resolve(&c, &a.spool.review, &a.spool.spool)?;
            with_view(view.as_ref(), &mut a.query, None, &mut a.tz);
            a.tz = a.tz.or_config(c.tz);
            stats::run(&a)
        }),
        Some(Command::Check(a)) => needs(config).and_then(|_| check::run(&a)),
        Some(Command::Watch(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            a.tz = a.tz.or_config(c.tz);
            watch::run(&a)
        }),
        Some(Command::Tag(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            review::tag(&a, &author_of(&c)?)
        }),
        Some(Command::Note(a)) => needs(config).and_then(|c| review::note(&a, &author_of(&c)?)),
        Some(Command::Review(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            review::review(&a, &author_of(&c)?)
        }),
        Some(Command::Score(a)) => needs(config).and_then(|c| score::run(&a, &author_of(&c)?)),
        Some(Command::Calibrate(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            calibrate::run(&a)
        }),
        Some(Command::Sample(mut a)) => needs(config).and_then(|c| {
            a.spool.configure(&c);
            sample::run(&a, &author_of(&c)?)
        }),
        Some(Command::Export(mut a)) => {
            let config = needs(config)?;
            a.spool.configure(&config);
            let view = a.view.resolve(&config, &a.spool.review, &a.spool.spool)?;
            with_view(view.as_ref(), &mut a.query, Some(&mut a.sort), &mut a.tz);
            a.sort = a.sort.or(config.sort);
            a.tz = a.tz.or_config(config.tz);
            export::run(&a, &config)
        }
        None => {
            let config = needs(config)?;
            let mut tui = cli.tui;
            if let Some(spool) = tui.spool.clone() {
                let view = tui.view.resolve(&config, &tui.review, &spool)?;
                with_view(
                    view.as_ref(),
                    &mut tui.query,
                    Some(&mut tui.sort),
                    &mut tui.tz,
                );
            }
            run_default(&tui, &config)
        }
    }
}

fn run_default(args: &TuiArgs, config: &crate::config::Config) -> Outcome {
    use std::io::IsTerminal;
    let Some(spool) = &args.spool else {
        return Err(Failure::usage(
            "no spool given: run `chatspool SPOOL` (or set CHATSPOOL_SPOOL); see `chatspool --help`",
        ));
    };
    let root = open_spool(spool)?;
    if let Some(q) = &args.query {
        list::parse_query(Some(q), config.sla.as_ref())?;
    }
    let sort = args.sort.or(config.sort);
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        // No terminal to draw on (a pipe, a script): print the list instead.
        let mut a = list::Args::for_spool(&root);
        a.spool.follow_links = args.follow_links;
        a.spool.no_cache = args.no_cache;
        a.query.clone_from(&args.query);
        a.sort = sort;
        a.columns.clone_from(&config.columns);
        a.spool.review = args.review.clone();
        a.spool.configure(config);
        a.tz = args.tz.or_config(config.tz);
        return list::run(&a);
    }
    let review_dir = args.review.find(&root)?;
    let mut warnings = Vec::new();
    let views = all_views(config, review_dir.as_deref(), |w| {
        warnings.push(w.to_string())
    });
    let (history, warning) = crate::tui::history::path(&root)
        .map(|p| crate::tui::history::load(&p))
        .unwrap_or_default();
    warnings.extend(warning);
    crate::tui::keymap::install(&config.keys).map_err(Failure::usage)?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = crate::tui::app::Options {
        root,
        theme: crate::tui::theme::Theme::pick(args.theme.or(config.theme), no_color),
        mouse: !args.no_mouse,
        follow: args.follow,
        query: args.query.clone().unwrap_or_default(),
        sort,
        columns: config.columns.clone(),
        review_dir,
        author: author_of(config)?,
        redact: config.redact.clone(),
        zone: args.tz.or_config(config.tz).zone(),
        sla: config.sla.clone(),
        reading: crate::spool::Reading {
            follow_links: args.follow_links,
            cache: !args.no_cache,
        },
        views,
        history,
        notice: (!warnings.is_empty()).then(|| warnings.join("; ")),
    };
    crate::tui::run_with(opts, watch::mode(args.poll.poll, args.no_watch)).map_err(|e| {
        // A viewer thread's panic exits as a panic does (101); the terminal is already restored.
        match e.downcast_ref::<crate::tui::Crash>() {
            Some(crash) => Failure {
                code: 101,
                message: crash.to_string(),
            },
            None => Failure {
                code: 1,
                message: format!("terminal error: {e}"),
            },
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
    note_no_cache(arg.reading());
    let progress = output::Progress::new("reading");
    let (store, stats) = crate::spool::cache::load(&root, arg.reading(), &|done, total| {
        progress.update(done, total);
    });
    progress.finish();
    // A bucket's objects that could not be downloaded are problems like unreadable files.
    #[cfg(feature = "remote")]
    let store = {
        let mut store = store;
        store.dir_problems.extend(crate::remote::problems_of(&root));
        store
    };
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
pub fn note_no_cache(reading: crate::spool::Reading) {
    if let Some(note) = crate::spool::cache::unavailable(reading) {
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
