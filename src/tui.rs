//! The interactive viewer: terminal set-up, the worker threads, and the event loop.
//!
//! Input, the spool loader, the matcher, the chat reader and the stats worker each run on their own thread and
//! talk to the loop through one channel of [`event::Msg`]. The loop applies messages to the
//! [`app::App`] and draws once per drained batch; it never reads files or matches itself.
//! A panic on any of those threads ends the loop with that panic as its error ([`crash`]).

pub mod app;
pub mod clipboard;
mod crash;
pub mod event;
pub mod history;
mod indexer;
pub mod keymap;
mod matcher;
mod outside;
mod reviewer;
mod stats_worker;
pub mod terminal;
pub mod theme;
pub mod ui;

pub use self::crash::Crash;

use self::app::{App, Effect, Options};
use self::event::Msg;
use crossterm::event::Event;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// How often the screen refreshes with nothing happening (clock, "today").
const TICK: Duration = Duration::from_secs(1);
/// How often it refreshes while something shows progress.
const BUSY_TICK: Duration = Duration::from_millis(200);

/// Run the viewer until the user quits.
pub fn run(opts: Options) -> anyhow::Result<()> {
    run_with(opts, crate::spool::watch::Mode::Auto)
}

/// Run the viewer, following changes to the spool as `watch` says.
pub fn run_with(opts: Options, watch: crate::spool::watch::Mode) -> anyhow::Result<()> {
    crate::memory::limit_arenas();
    let (tx, rx) = channel::<Msg>();
    let _watching = crash::watch(tx.clone());
    spawn_signals(tx.clone())?;
    spawn_loader(opts.root.clone(), watch, opts.reading, tx.clone())?;
    let search_tally = Arc::new(crate::work::Tally::default());
    let match_tx = matcher::spawn_matcher(opts.root.clone(), tx.clone(), search_tally.clone())?;
    let read_tx = matcher::spawn_reader(opts.root.clone(), tx.clone())?;
    let review_tx = match &opts.review_dir {
        Some(dir) => Some(reviewer::spawn(
            dir.clone(),
            crate::review::place::writer_id(),
            tx.clone(),
        )?),
        None => None,
    };
    let stats_tx = stats_worker::spawn(tx.clone())?;
    crash::check()?;
    let (_guard, mut term) = terminal::init(opts.mouse)?;
    spawn_input(tx.clone())?;
    let root = opts.root.clone();
    let notice = opts.notice.clone();
    let rubrics = opts
        .review_dir
        .as_deref()
        .map(crate::review::rubric::load_all)
        .unwrap_or_default();
    let (mut app, effects) = App::new(opts, chrono::Utc::now());
    (app.rubrics, app.rubric_problems) = rubrics;
    app.search.tally = search_tally;
    // Said once, in the status bar, until the first key.
    app.flash = crate::spool::cache::unavailable(app.reading).map(String::from);
    if app.flash.is_none() {
        app.flash = notice;
    }
    let workers = Workers {
        match_tx,
        read_tx,
        review_tx,
        tx,
        root,
        stats_tx,
    };
    if workers.apply(&mut term, effects)? {
        return Ok(());
    }
    loop {
        // A dead worker ends the viewer before anything more is drawn.
        crash::check()?;
        terminal::fit(&mut term)?;
        let size = term.size()?;
        ui::arrange(
            &mut app,
            ratatui::layout::Rect::new(0, 0, size.width, size.height),
        );
        term.draw(|f| ui::draw(f, &app))?;
        // Progress (loading, indexing, a transcript search) is redrawn more often.
        let s = &app.snapshot;
        let busy = app.search.matching || !s.progress.finished || s.indexing.is_some();
        let first = match rx.recv_timeout(if busy { BUSY_TICK } else { TICK }) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => Msg::Tick,
            Err(RecvTimeoutError::Disconnected) => return Ok(crash::check()?),
        };
        app.now = chrono::Utc::now();
        for msg in std::iter::once(first).chain(drain(&rx)) {
            let effects = app.update(msg);
            if workers.apply(&mut term, effects)? {
                return Ok(());
            }
        }
    }
}

/// Everything already waiting, so a burst of messages costs one draw.
fn drain(rx: &Receiver<Msg>) -> impl Iterator<Item = Msg> + '_ {
    std::iter::from_fn(|| rx.try_recv().ok()).take(10_000)
}

struct Workers {
    match_tx: matcher::MatchSender,
    read_tx: Sender<matcher::ReadRequest>,
    review_tx: Option<Sender<Vec<crate::review::Record>>>,
    /// For notices from copies and exports.
    tx: Sender<Msg>,
    root: std::path::PathBuf,
    stats_tx: Sender<app::StatsRequest>,
}

impl Workers {
    /// Carry out effects; returns true when the app should exit.
    fn apply(&self, term: &mut terminal::Term, effects: Vec<Effect>) -> anyhow::Result<bool> {
        for e in effects {
            match e {
                Effect::Match(req) => {
                    self.match_tx
                        .send(req)
                        .map_err(|_| crash::stopped("matcher"))?;
                }
                Effect::Stats(req) => {
                    self.stats_tx
                        .send(req)
                        .map_err(|_| crash::stopped("stats"))?;
                }
                Effect::LoadChat { id, source } => {
                    self.read_tx
                        .send(matcher::ReadRequest { id, source })
                        .map_err(|_| crash::stopped("reader"))?;
                }
                Effect::Review(records) => {
                    if let Some(tx) = &self.review_tx {
                        tx.send(records).map_err(|_| crash::stopped("reviews"))?;
                    }
                }
                Effect::SetMouse(on) => terminal::set_mouse(on)?,
                Effect::Copy(clip) => {
                    let notice = outside::copy(&self.root, &clip);
                    self.tx
                        .send(Msg::Notice(notice))
                        .map_err(|_| crash::stopped("main"))?;
                }
                Effect::Export(job) => {
                    outside::spawn_export(self.root.clone(), job, self.tx.clone())
                }
                Effect::SaveHistory(query) => {
                    // Off the UI thread; a failure is said, never fatal.
                    if let Some(path) = history::path(&self.root) {
                        let tx = self.tx.clone();
                        std::thread::spawn(move || {
                            if let Err(e) = history::add(&path, &query) {
                                let _ =
                                    tx.send(Msg::Notice(format!("search history not saved: {e}")));
                            }
                        });
                    }
                }
                Effect::Suspend => terminal::suspend(term)?,
                Effect::Clear => terminal::redraw(term)?,
                Effect::Quit => return Ok(true),
            }
        }
        Ok(false)
    }
}

fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || loop {
            let msg = match crossterm::event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Mouse(m)) => Msg::Mouse(m),
                Ok(Event::Paste(p)) => Msg::Paste(p),
                Ok(Event::Resize(..) | Event::FocusGained) => Msg::Resize,
                Ok(_) => continue,
                Err(_) => Msg::Terminate,
            };
            if tx.send(msg).is_err() {
                break;
            }
        })?;
    Ok(())
}

/// Load the spool and keep following it (the watcher owns the store; see `spool::watch`).
fn spawn_loader(
    root: std::path::PathBuf,
    watch: crate::spool::watch::Mode,
    reading: crate::spool::Reading,
    tx: Sender<Msg>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("loader".into())
        .spawn(move || {
            crash::test_point("loader");
            let upstream = crate::sources::upstream(&root);
            crate::spool::watch::run(&root, watch, upstream, reading, |u| {
                let _ = tx.send(Msg::Snapshot(u.snapshot));
            });
        })?;
    Ok(())
}

#[cfg(unix)]
fn spawn_signals(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    crate::signals::on_first(&[SIGTERM, SIGHUP, SIGINT, SIGQUIT], move || {
        let _ = tx.send(Msg::Terminate);
    })
}

#[cfg(not(unix))]
fn spawn_signals(_tx: Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}
