//! Drawing: the layout, then one module per panel. Reads the app; only the list offset, the
//! clamped scroll positions and the pane areas (for the mouse) are written back.

mod columns;
mod details;
mod heatmap;
mod help;
mod list;
mod stats;
mod status;
mod transcript;
pub mod wrap;

use super::app::{App, Focus, Overlay};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Below this the panes cannot be drawn usefully; a message says so instead.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 5;
/// The transcript's width beside a full-width list: from this on, the list moves aside.
const WIDE_TRANSCRIPT: u16 = 64;

/// Draw the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = Paragraph::new("chatspool: terminal too small").wrap(Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    }
    let prompt = app.prompt.is_some();
    let search = app.searching || !app.input.text.is_empty() || app.query_error.is_some();
    // A notice longer than the status bar can hold takes the free search-bar row.
    let notice = app
        .flash
        .clone()
        .filter(|_| !prompt && !search && !status::flash_fits(app, usize::from(area.width)));
    let bar_height = if prompt {
        1
    } else if search {
        let lines = status::search_lines(app, usize::from(area.width)).len();
        // The whole error, but never more than half the screen.
        u16::try_from(lines)
            .unwrap_or(u16::MAX)
            .min(area.height / 2)
            .max(1)
    } else {
        let lines = notice.as_deref().map_or(0, |n| {
            status::notice_lines(n, usize::from(area.width)).len()
        });
        u16::try_from(lines)
            .unwrap_or(1)
            .min(area.height / 4)
            .max(u16::from(notice.is_some()))
    };
    let [main, search_bar, status_bar] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(bar_height),
        Constraint::Length(1),
    ])
    .areas(area);
    if app.stats.open {
        stats::draw(frame, app, main);
        draw_bars(
            frame,
            app,
            [search_bar, status_bar],
            notice.as_deref(),
            prompt || search,
        );
        return draw_overlay(frame, app, area);
    }
    let (list_area, details_area, transcript_area) = split(main, app.focus);
    app.areas.list = list_area;
    app.areas.details = details_area;
    app.areas.transcript = transcript_area;
    list::draw(frame, app, list_area);
    if details_area.area() > 0 {
        details::draw(frame, app, details_area);
    }
    if transcript_area.area() > 0 {
        transcript::draw(frame, app, transcript_area);
    }
    draw_bars(
        frame,
        app,
        [search_bar, status_bar],
        notice.as_deref(),
        prompt || search,
    );
    draw_overlay(frame, app, area);
}

/// The bar above the status bar (a long notice, else the prompt or search) and the status bar.
fn draw_bars(
    frame: &mut Frame,
    app: &App,
    [search_bar, status_bar]: [Rect; 2],
    notice: Option<&str>,
    typing: bool,
) {
    match notice {
        Some(text) => status::draw_notice(frame, app, search_bar, text),
        None if typing => status::draw_search(frame, app, search_bar),
        None => {}
    }
    status::draw_status(frame, app, status_bar, notice.is_none());
}

fn draw_overlay(frame: &mut Frame, app: &mut App, area: Rect) {
    match app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => {
            let scroll = help::draw_help(frame, app, area, scroll);
            app.overlay = Overlay::Help { scroll };
        }
        Overlay::Problems { scroll } => {
            let scroll = help::draw_problems(frame, app, area, scroll);
            app.overlay = Overlay::Problems { scroll };
        }
        Overlay::Export => help::draw_export(frame, app, area),
    }
}

/// Where the three panes go. Very wide: list over details on the left, the transcript on the
/// right. Wide: list on top, details and transcript side by side below. Narrow: list on top and only the focused one of details/transcript below. Short: just the
/// focused pane.
fn split(main: Rect, focus: Focus) -> (Rect, Rect, Rect) {
    let none = Rect::default();
    if main.height < 12 {
        return match focus {
            Focus::List => (main, none, none),
            Focus::Details => (none, main, none),
            Focus::Transcript => (none, none, main),
        };
    }
    let list_h = (main.height * 2 / 5).clamp(5, 20);
    // The list's columns stop growing at their maximum widths: on a terminal wide enough, the
    // list keeps that width with the details under it, and the transcript takes the rest.
    let list_w = u16::try_from(columns::Columns::natural_width() + 2).unwrap_or(u16::MAX);
    if main.width >= list_w + WIDE_TRANSCRIPT {
        let [left, transcript] =
            Layout::horizontal([Constraint::Length(list_w), Constraint::Min(20)]).areas(main);
        let list_h = (main.height * 2 / 5).clamp(5, 24);
        let [list, details] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Min(5)]).areas(left);
        return (list, details, transcript);
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(5)]).areas(main);
    if main.width >= 100 {
        let details_w = (main.width / 3).clamp(34, 56);
        let [d, t] =
            Layout::horizontal([Constraint::Length(details_w), Constraint::Min(20)]).areas(bottom);
        (top, d, t)
    } else if focus == Focus::Details {
        (top, bottom, none)
    } else {
        (top, none, bottom)
    }
}

/// A bordered pane with a title; the focused pane's border stands out.
pub fn pane<'a>(app: &App, title: Line<'a>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(focused))
        .title(title)
}

/// Draw a centred message inside an area (empty states).
pub fn message(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    let h = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let rect = Rect::new(area.x + 1, y, area.width.saturating_sub(2), h);
    frame.render_widget(
        Paragraph::new(lines).centered().wrap(Wrap { trim: true }),
        rect,
    );
}
