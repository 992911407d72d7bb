//! Drawing in two passes. [`arrange`] is the layout pass: it decides where every pane goes and
//! clamps the app's view state (list offset, scroll positions, the pane areas the mouse needs)
//! to what fits; the runtime runs it before every frame. [`draw`] then only reads the app, one
//! module per panel, so a frame can never change what the next key does.

mod columns;
mod details;
mod heatmap;
mod help;
mod list;
mod score;
mod stats;
mod status;
mod transcript;
pub mod wrap;

use super::app::{App, Areas, Focus, Overlay, Zoom};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Below this the panes cannot be drawn usefully; a message says so instead.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 5;

/// Where everything goes on one screen.
struct Screen {
    /// Everything above the bars: the panes, or the stats view.
    main: Rect,
    list: Rect,
    details: Rect,
    transcript: Rect,
    /// The scoring form, carved from the top of the transcript (or the pane shown instead).
    form: Rect,
    /// The rows of a notice too long for the status bar (empty without one).
    notice_area: Rect,
    search_bar: Rect,
    status_bar: Rect,
    /// The search bar (or a prompt) is shown.
    bar: bool,
    /// A message too long for the status bar (and the search bar's line), shown whole on
    /// rows of its own above them: what the user just did wins the room.
    notice: Option<String>,
}

/// The screen's layout, or `None` when the terminal is too small to draw the panes.
fn screen(app: &App, area: Rect) -> Option<Screen> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let width = usize::from(area.width);
    let prompt = app.prompt.is_some();
    let search = status::search_bar_shown(app);
    let notice = app.flash.clone().filter(|_| {
        !prompt && !status::flash_fits(app, width) && !status::flash_on_search_bar(app, width)
    });
    let bar_height = if prompt {
        1
    } else if search {
        let lines = status::search_lines(app, width).len();
        // The whole error, but never more than half the screen.
        u16::try_from(lines)
            .unwrap_or(u16::MAX)
            .min(area.height / 2)
            .max(1)
    } else {
        0
    };
    let notice_height = notice.as_deref().map_or(0, |n| {
        u16::try_from(status::notice_lines(n, width).len())
            .unwrap_or(1)
            .min(area.height / 4)
            .max(1)
    });
    let [main, notice_area, search_bar, status_bar] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(notice_height),
        Constraint::Length(bar_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let (mut list, mut details, mut transcript) = if app.stats.open {
        (Rect::default(), Rect::default(), Rect::default())
    } else {
        split(main, app.focus, app.panes.zoom)
    };
    let mut form = Rect::default();
    if app.score_form.is_some() && !app.stats.open {
        // Over the transcript, which keeps the rows under the form; else the pane shown.
        let pane = if transcript.area() > 0 {
            &mut transcript
        } else if details.area() > 0 {
            &mut details
        } else {
            &mut list
        };
        let want = score::height(app).min(pane.height.saturating_sub(3).max(pane.height / 2));
        let [top, rest] =
            Layout::vertical([Constraint::Length(want), Constraint::Min(0)]).areas(*pane);
        form = top;
        *pane = rest;
    }
    Some(Screen {
        main,
        list,
        details,
        transcript,
        form,
        notice_area,
        search_bar,
        status_bar,
        bar: prompt || search,
        notice,
    })
}

/// The layout pass for a screen `area`: the pane areas (for the mouse and page sizes) and
/// every offset and scroll position clamped to what those panes show.
pub fn arrange(app: &mut App, area: Rect) {
    let Some(s) = screen(app, area) else {
        app.panes.areas = Areas::default();
        return;
    };
    app.panes.areas = Areas {
        list: s.list,
        details: s.details,
        transcript: s.transcript,
    };
    if app.stats.open {
        stats::arrange(app, s.main);
    } else {
        list::arrange(app, s.list);
        details::arrange(app, s.details);
        transcript::arrange(app, s.transcript);
    }
    help::arrange(app, area);
}

/// Draw the whole screen as [`arrange`] left it.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(s) = screen(app, area) else {
        let msg = Paragraph::new("chatspool: terminal too small").wrap(Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    };
    if app.stats.open {
        stats::draw(frame, app, s.main);
    } else {
        list::draw(frame, app, s.list);
        if s.details.area() > 0 {
            details::draw(frame, app, s.details);
        }
        if s.transcript.area() > 0 {
            transcript::draw(frame, app, s.transcript);
        }
        score::draw(frame, app, s.form);
    }
    if let Some(text) = &s.notice {
        status::draw_notice(frame, app, s.notice_area, text);
    }
    if s.bar {
        status::draw_search(frame, app, s.search_bar);
    }
    let flash_here =
        s.notice.is_none() && !status::flash_on_search_bar(app, usize::from(s.status_bar.width));
    status::draw_status(frame, app, s.status_bar, flash_here);
    match app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw_help(frame, app, area, scroll),
        Overlay::Problems { scroll } => help::draw_problems(frame, app, area, scroll),
        Overlay::Export => help::draw_export(frame, app, area),
    }
}

/// The inside of a bordered pane.
fn inner(area: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(area)
}

/// Where the three panes go. Wide: the list on top across the screen (its columns widen to
/// what they hold), the details beside the transcript below it, the details no wider than they
/// need, so the transcript gets the rest. Narrow: the list on top and only the focused one of
/// details/transcript below. Short: just the focused pane.
///
/// `zoom` enlarges the focused pane: `Half` gives it at least half the screen (the top half
/// for the list, the right half, or the lower half on a narrow screen, for the others), `Full`
/// the whole screen.
fn split(main: Rect, focus: Focus, zoom: Zoom) -> (Rect, Rect, Rect) {
    let none = Rect::default();
    if main.height < 12 || zoom == Zoom::Full {
        return match focus {
            Focus::List => (main, none, none),
            Focus::Details => (none, main, none),
            Focus::Transcript => (none, none, main),
        };
    }
    let wide = main.width >= 100;
    let normal_h = (main.height * 2 / 5).clamp(5, 20);
    let list_h = match (zoom, focus) {
        (Zoom::Half, Focus::List) => normal_h.max(main.height / 2),
        (Zoom::Half, _) if !wide => normal_h.min(main.height / 2),
        _ => normal_h,
    };
    if wide && zoom == Zoom::Half && focus != Focus::List {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(main);
        let [list, other] =
            Layout::vertical([Constraint::Length(normal_h), Constraint::Min(5)]).areas(left);
        return if focus == Focus::Details {
            (list, right, none)
        } else {
            (list, other, right)
        };
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(5)]).areas(main);
    if wide {
        // The details hold short label/value lines: a quarter of the screen is plenty, and
        // every column more goes to the transcript, which wraps less.
        // At least 40: a label and a time with its zone (`2020-09-01 10:05:00 UTC`) on one line.
        let details_w = (main.width / 4).clamp(40, 48);
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
