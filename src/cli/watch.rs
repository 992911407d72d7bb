//! `chatspool watch`: one line per chat that arrives or changes, for scripts.
//!
//! Stdout carries chats only (JSON Lines with `--json`, in the `list --json` shape), flushed
//! line by line, and a `gone` line (`{"event":"gone","id":…}`) for a chat whose file was deleted; stderr carries each new problem as `path: reason`. Runs until SIGINT or
//! SIGTERM (exit 0); exits 2 if the spool directory goes away.

use super::{Failure, Outcome, SpoolArg, TzArg};
use crate::model::shown::{show, Form, Zone};
use crate::model::sla::Sla;
use crate::model::ChatSummary;
use crate::query::Query;
use crate::review::{Poller, Reviews};
use crate::sanitize;
use crate::spool::live::ChangeKind;
use crate::spool::watch::{self, Mode, Update};
use crate::spool::PathReason;
use crate::view::json::ListItem;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// JSON Lines: one object per line, the fields of `list --json`.
    #[arg(long)]
    pub json: bool,
    /// Print the chats already in the spool first (newest first; current problems to
    /// stderr), then follow.
    #[arg(long)]
    pub existing: bool,
    #[command(flatten)]
    pub poll: PollArg,
    #[command(flatten)]
    pub tz: TzArg,
}

/// `--poll[=SECS]`, shared by the viewer and `watch`.
#[derive(Debug, clap::Args)]
pub struct PollArg {
    /// Check the spool for changes every SECS seconds (default 2) instead of using inotify;
    /// chosen automatically on NFS, SMB, 9p/WSL and FUSE mounts.
    #[arg(
        long,
        value_name = "SECS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "2",
        value_parser = parse_interval
    )]
    pub poll: Option<Duration>,
}

/// `--poll=SECS`: seconds, possibly fractional (`0.5`), optionally with an `s` or `ms` suffix.
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else {
        (t, 1.0)
    };
    let secs = num
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("`{s}` is not a number of seconds (try --poll=2)"))?
        * scale;
    if !secs.is_finite() || !(0.05..=86_400.0).contains(&secs) {
        return Err(format!(
            "poll interval must be between 0.05 and 86400 seconds, not `{s}`"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The watch mode for `--poll` / `--no-watch`.
pub fn mode(poll: Option<Duration>, no_watch: bool) -> Mode {
    match (no_watch, poll) {
        (true, _) => Mode::Off,
        (false, Some(every)) => Mode::Poll(every),
        (false, None) => Mode::Auto,
    }
}

enum Msg {
    Update(Update),
    Signal,
}

pub fn run(args: &Args) -> Outcome {
    let root = args.spool.open()?;
    // Review fields follow the review directory: re-read (changed journals only) per batch.
    let review_dir = args.spool.review.find(&root)?;
    let (mut poller, mut reviews) = match &review_dir {
        Some(dir) => {
            let (p, r) = Poller::start(dir);
            (Some(p), r)
        }
        None => (None, Reviews::default()),
    };
    super::note_no_cache(args.spool.reading());
    let (tx, rx) = channel::<Msg>();
    spawn_signals(tx.clone())
        .map_err(|e| Failure::usage(format!("cannot install signal handlers: {e}")))?;
    let upstream = crate::sources::upstream(&root);
    let handle = watch::spawn(
        root.clone(),
        mode(args.poll.poll, false),
        upstream,
        args.spool.reading(),
        move |u| {
            let _ = tx.send(Msg::Update(u));
        },
    )
    .map_err(|e| Failure::usage(format!("cannot start the watcher: {e}")))?;
    // Exiting must not wait for a large initial load to finish.
    let _detach = Detach(Some(handle));
    let mut out = std::io::stdout().lock();
    let mut loaded = false;
    // A bucket's poll status goes to stderr when it changes (a failure and its retry, the
    // recovery); a local spool's health has nothing to report there.
    let remote = crate::spool::origin::url_of(&root).is_some();
    let mut status: Option<String> = None;
    while let Ok(msg) = rx.recv() {
        let u = match msg {
            Msg::Update(u) => u,
            Msg::Signal => break,
        };
        if !u.snapshot.progress.finished {
            continue;
        }
        if let Some(newer) = poller.as_mut().and_then(Poller::poll) {
            reviews = newer;
        }
        let written = if loaded {
            print_update(
                &mut out,
                &u,
                args.json,
                (&reviews, args.spool.levels()),
                args.tz.zone(),
            )
        } else {
            loaded = true;
            if args.existing {
                print_existing(
                    &mut out,
                    &u,
                    args.json,
                    &root,
                    (&reviews, args.spool.levels()),
                    args.tz.zone(),
                )
            } else {
                Ok(())
            }
        };
        if let Err(e) = written {
            // A closed pipe (`chatspool watch | head -1`) is a normal way to stop.
            super::ignore_broken_pipe(Err(e))?;
            return Ok(0);
        }
        if remote && u.snapshot.watch != status {
            status.clone_from(&u.snapshot.watch);
            if let Some(s) = &status {
                eprintln!("chatspool: {}", sanitize::line(s));
            }
        }
        if let Some(w) = u.snapshot.watch.as_deref() {
            if let Some(why) = w.strip_prefix("stopped: ") {
                return Err(Failure::usage(format!("stopped watching: {why}")));
            }
        }
    }
    Ok(0)
}

/// Stops the watcher without waiting for it when `run` returns, however it returns.
struct Detach(Option<watch::Handle>);

impl Drop for Detach {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.detach();
        }
    }
}

fn print_existing(
    out: &mut impl Write,
    u: &Update,
    json: bool,
    root: &Path,
    (reviews, levels): (&Reviews, Option<&Sla>),
    zone: Zone,
) -> std::io::Result<()> {
    let chats = &u.snapshot.chats;
    let order = crate::search::run(chats, &Query::default(), None, root);
    for i in order {
        print_chat(
            out,
            ChangeKind::New,
            &chats[i],
            json,
            (reviews, levels),
            zone,
        )?;
    }
    print_problems(&u.snapshot.problems);
    Ok(())
}

fn print_update(
    out: &mut impl Write,
    u: &Update,
    json: bool,
    (reviews, levels): (&Reviews, Option<&Sla>),
    zone: Zone,
) -> std::io::Result<()> {
    for (kind, chat) in &u.changes {
        print_chat(out, *kind, chat, json, (reviews, levels), zone)?;
    }
    for chat in &u.gone {
        print_gone(out, chat, json, zone)?;
    }
    print_problems(&u.new_problems);
    Ok(())
}

/// A chat whose file was deleted: `{"event":"gone","id":…}`, or `gone  <time>  <visitor>  <id>`.
fn print_gone(
    out: &mut impl Write,
    c: &ChatSummary,
    json: bool,
    zone: Zone,
) -> std::io::Result<()> {
    if json {
        let v = serde_json::json!({"event": "gone", "id": &*c.id});
        serde_json::to_writer(&mut *out, &v).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", gone_line(c, zone))?;
    }
    out.flush()
}

/// `gone     2020-09-01 10:00 UTC  Alice  <id>`, safe for a terminal.
pub fn gone_line(c: &ChatSummary, zone: Zone) -> String {
    let line = format!(
        "{:<7}  {}  {}  {}",
        "gone",
        started(c, zone),
        c.visitor_display(),
        c.id
    );
    sanitize::line(&line).into_owned()
}

/// When a chat started, in the zone, with the zone's name.
fn started(c: &ChatSummary, zone: Zone) -> String {
    let zone = zone.for_chat(c.visitor_offset_min);
    c.started_at()
        .map_or_else(|| "-".into(), |t| show(t, &zone, Form::MinutesNamed))
}

fn print_problems(problems: &[PathReason]) {
    if problems.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = writeln!(
            err,
            "{}: {}",
            sanitize::line(&p.path),
            sanitize::line(&p.reason)
        );
    }
}

fn print_chat(
    out: &mut impl Write,
    kind: ChangeKind,
    c: &Arc<ChatSummary>,
    json: bool,
    (reviews, levels): (&Reviews, Option<&Sla>),
    zone: Zone,
) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &ListItem::new(c, reviews.get(&c.id), levels))
            .map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", plain_line(kind, c, zone))?;
    }
    out.flush()
}

/// `new  2020-09-01 10:00 UTC  <id>  Alice  Walid  Support  5/5  4 msgs`, safe for a terminal.
pub fn plain_line(kind: ChangeKind, c: &ChatSummary, zone: Zone) -> String {
    let started = started(c, zone);
    let agents = if c.agents.is_empty() {
        "(missed)".to_string()
    } else {
        c.agents.join(", ")
    };
    // The wrap-up goes last: a chat printed again because its wrap-up arrived shows why.
    let wrap_up = c
        .wrap_up_category()
        .map_or_else(String::new, |w| format!("  wrap-up: {w}"));
    let line = format!(
        "{:<7}  {started}  {}  {}  {agents}  {}  {}  {}{wrap_up}",
        kind.as_str(),
        c.id,
        c.visitor_display(),
        c.department().unwrap_or("-"),
        c.rating.map_or_else(|| "-".into(), crate::format::rating),
        crate::format::plural(c.messages as usize, "msg", "msgs"),
    );
    sanitize::line(&line).into_owned()
}

#[cfg(unix)]
fn spawn_signals(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    crate::signals::on_first(&[SIGINT, SIGTERM], move || {
        let _ = tx.send(Msg::Signal);
    })
}

#[cfg(not(unix))]
fn spawn_signals(_tx: Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_interval("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_interval("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_interval("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("-1").is_err());
        assert!(parse_interval("abc").is_err());
        assert!(parse_interval("NaN").is_err());
    }

    #[test]
    fn plain_lines_are_safe() {
        let c = ChatSummary {
            id: "42".into(),
            visitor: Some("Eve\u{1b}]0;pwned\u{7}".into()),
            ..ChatSummary::default()
        };
        let line = plain_line(ChangeKind::Changed, &c, Zone::Utc);
        assert!(!line.chars().any(sanitize::is_unsafe), "{line:?}");
        assert!(line.starts_with("changed  -  42  Eve"), "{line:?}");
    }

    #[test]
    fn gone_lines_name_the_time_visitor_and_id() {
        let c = ChatSummary {
            id: "9\u{1b}[2J".into(),
            visitor: Some("Ana".into()),
            started: crate::model::PackedMs::new(Some(1_598_954_400_000)),
            ..ChatSummary::default()
        };
        assert_eq!(
            gone_line(&c, Zone::Utc),
            "gone     2020-09-01 10:00 UTC  Ana  9␛[2J"
        );
    }

    #[test]
    fn plain_lines_say_the_wrap_up_and_count_in_words() {
        let mut c = ChatSummary {
            id: "7".into(),
            messages: 1,
            ..ChatSummary::default()
        };
        assert!(plain_line(ChangeKind::New, &c, Zone::Utc).ends_with("  1 msg"));
        c.messages = 2;
        c.wrap_up = Some(std::sync::Arc::new(crate::model::WrapUp {
            category: Some("Billing: Refund\u{1b}[2J".into()),
            ..crate::model::WrapUp::default()
        }));
        let line = plain_line(ChangeKind::Changed, &c, Zone::Utc);
        assert!(
            line.ends_with("2 msgs  wrap-up: Billing: Refund␛[2J"),
            "{line:?}"
        );
    }
}
