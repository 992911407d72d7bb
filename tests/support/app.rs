//! The viewer without a terminal, for the TUI tests: an app over a test spool, driven by keys and
//! messages with the runtime's effects carried out synchronously, and drawn on a `TestBackend`.

use super::T0;
use chatspool::review::{Record, Reviews};
use chatspool::search;
use chatspool::spool::live::{Progress, Snapshot};
use chatspool::spool::{self, load_chat};
use chatspool::tui::app::{saved_message, App, Effect, Options};
use chatspool::tui::event::{Matched, Msg};
use chatspool::tui::theme::{Theme, ThemeName};
use chatspool::tui::ui;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

/// 2020-09-01T12:00:00Z: "today" for the test spool.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(T0 + 2 * 3_600_000).unwrap()
}

pub fn snapshot_of(root: &Path) -> Arc<Snapshot> {
    super::isolate();
    let store = spool::load(root, &|_, _| {}).unwrap();
    let progress = Progress::complete(store.file_count());
    Arc::new(Snapshot::of(&store, 1, progress, Some("watching".into())))
}

/// Carry out the effects the way the runtime would, but synchronously.
pub fn drive(app: &mut App, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        let msg = match e {
            Effect::Match(req) => {
                let order = search::run_reviewed(
                    &req.snapshot.chats,
                    &req.query,
                    req.sort,
                    &app.root,
                    Some(&req.reviews),
                );
                Msg::Matched(Matched {
                    generation: req.generation,
                    snapshot: req.snapshot,
                    order: order.into_iter().map(|i| i as u32).collect(),
                })
            }
            Effect::Stats(req) => Msg::Stats {
                generation: req.generation,
                report: Arc::new(req.compute()),
            },
            Effect::LoadChat { id, source } => Msg::ChatLoaded {
                result: load_chat(&app.root, &source, &id).map(Arc::new),
                id,
            },
            Effect::Review(records) => {
                // What the review thread does: save, send the merged data, then acknowledge.
                let all = SAVED.with(|saved| {
                    saved.borrow_mut().extend(records.iter().cloned());
                    saved.borrow().clone()
                });
                queue.extend(app.update(Msg::Reviews(Arc::new(Reviews::from_records(all)))));
                Msg::ReviewSaved(Ok(saved_message(&records)))
            }
            _ => continue,
        };
        queue.extend(app.update(msg));
    }
}

thread_local! {
    /// The review records the app asked to save, in this test's thread.
    pub static SAVED: std::cell::RefCell<Vec<Record>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The viewer's default start-up options over `root`, with colours.
pub fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        theme: Theme::pick(Some(ThemeName::Dark), false),
        mouse: true,
        follow: false,
        query: String::new(),
        sort: None,
        columns: None,
        review_dir: Some(root.with_extension("reviews")),
        author: "tester".into(),
        redact: Vec::new(),
        zone: chatspool::model::zone::Zone::Utc,
        sla: None,
        reading: chatspool::spool::Reading::default(),
        views: Vec::new(),
        history: Vec::new(),
        notice: None,
    }
}

/// An app over `root` with the whole spool loaded and matched.
pub fn open(root: &Path) -> App {
    open_with(root, options(root))
}

/// [`open`] with other start-up options (service levels, columns).
pub fn open_with(root: &Path, options: Options) -> App {
    let (mut app, effects) = App::new(options, now());
    drive(&mut app, effects);
    let fx = app.update(Msg::Snapshot(snapshot_of(root)));
    drive(&mut app, fx);
    app
}

pub fn key(app: &mut App, code: KeyCode) {
    let fx = app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    drive(app, fx);
}

/// Ctrl and `c` together, as the viewer's Ctrl bindings expect.
pub fn ctrl(app: &mut App, c: char) {
    let fx = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
    drive(app, fx);
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn visitors(app: &App) -> Vec<String> {
    app.order
        .iter()
        .map(|&i| app.view.chats[i as usize].visitor_display().to_string())
        .collect()
}

pub fn selected_visitor(app: &App) -> String {
    app.selected_chat().unwrap().visitor_display().to_string()
}

/// One frame as the runtime makes it: the layout pass, then the drawing, on a `w`x`h` screen.
pub fn frame(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    ui::arrange(app, ratatui::layout::Rect::new(0, 0, w, h));
    term.draw(|f| ui::draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// [`frame`] as text, one line per row (a wide character counted once).
pub fn render(app: &mut App, w: u16, h: u16) -> String {
    let buf = frame(app, w, h);
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut covered = 0;
        for x in 0..w {
            // A wide character covers the next cell too; that cell's symbol is not text.
            if covered > 0 {
                covered -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            covered = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn drive_msg(app: &mut App, msg: Msg) {
    let fx = app.update(msg);
    drive(app, fx);
}
