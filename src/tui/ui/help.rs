//! Overlays: the key help (written from the keymap table) and the problems list.

use super::super::app::{App, Overlay, EXPORT_CHOICES};
use super::super::keymap::{bindings, hint, keys_label, Action, Context};
use super::wrap::wrap;
use crate::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The query language in brief, for the help overlay.
const QUERY_HELP: &[(&str, &str)] = &[
    ("word", "fuzzy: visitor name, email or agent"),
    ("'exact ^pre suf$", "exact, prefix, suffix"),
    ("!word", "exclude chats containing word"),
    ("agent: visitor: dept:", "substring of that field"),
    ("country: city: status:", "status by label or code"),
    ("id:", "chat id prefix"),
    ("rating:5 rating:>=4", "rating:none for unrated"),
    ("wait:>2m dur:<30s", "waiting time, duration"),
    ("frt:>1m", "first response time (first_response:)"),
    ("agent:^Ann$", "^ $ anchor field values"),
    (
        "since:7d until:2024-05-31",
        "today, yesterday, Nd, Nh, Nw, dates",
    ),
    ("wrapup:refund", "wrap-up category or comment"),
    ("wrapup:none !wrapup:x", "no wrap-up; negated"),
    ("text:refund", "words in the transcript"),
    ("tag:coach note:refund", "a tag / a note containing it"),
    ("reviewed:yes reviewed:no", "marked reviewed or not"),
    (
        "score:<80 score:>=90",
        "the chat's score compares (score:none)",
    ),
    ("scored:yes scored:no", "a scorecard is recorded or not"),
    ("sample:NAME", "in the sample recorded as NAME"),
    ("agent:\"PT: Jason\"", "quote values with spaces"),
];

/// The overlays' widest.
const WIDTH: u16 = 100;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The footer of the scrolling overlays, from the key table.
fn scroll_footer() -> String {
    format!(
        "{} close · {}/{} scroll",
        hint(Action::Close, Context::Overlay),
        hint(Action::Down, Context::Browse),
        hint(Action::Up, Context::Browse)
    )
}

/// Where an overlay of `count` lines goes on a screen `area`.
fn frame_of(area: Rect, count: usize) -> Rect {
    centered(area, WIDTH, u16::try_from(count + 2).unwrap_or(u16::MAX))
}

/// The layout pass for the open overlay: its scroll clamped so the last line can be reached
/// and never passed.
pub fn arrange(app: &mut App, area: Rect) {
    let width = inner_width(area);
    let count = match app.overlay {
        Overlay::None | Overlay::Export => return,
        Overlay::Help { .. } => help_lines(app, width).len(),
        Overlay::Problems { .. } => problem_lines(app, width).len(),
    };
    let height = usize::from(frame_of(area, count).height.saturating_sub(2));
    if let Overlay::Help { scroll } | Overlay::Problems { scroll } = &mut app.overlay {
        *scroll = (*scroll).min(count.saturating_sub(height));
    }
}

/// Draw an overlay of `lines` (already wrapped to the inner width, so their count is what the
/// screen shows) with `footer`, scrolled to `scroll`, which [`arrange`] clamped.
fn overlay(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: usize,
    footer: &str,
) {
    let rect = frame_of(area, lines.len());
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(Line::styled(format!(" {title} "), app.theme.title()))
        .title_bottom(Line::styled(format!(" {footer} "), app.theme.dim()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let rows = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((rows, 0)), inner);
}

/// The overlay's inner width on a screen `area` wide.
fn inner_width(area: Rect) -> usize {
    usize::from(area.width.min(WIDTH).saturating_sub(2))
}

/// One entry of a two-column list: `what` wrapped beside `key`, continuation lines under its
/// start; a key too long for its column gets a line of its own, no key no column.
fn entry(key: &str, what: &str, key_w: usize, width: usize, app: &App) -> Vec<Line<'static>> {
    let key_w = if key.is_empty() {
        2
    } else {
        key_w.min(width / 3)
    };
    let indent = " ".repeat(key_w);
    let mut pieces = wrap(what, width.saturating_sub(key_w)).into_iter();
    let key = format!("  {key}");
    let mut lines = Vec::new();
    if key.trim().is_empty() {
        // No key: the text alone, under the indent.
    } else if key.width() + 1 > key_w {
        lines.push(Line::styled(key, app.theme.key()));
    } else {
        let first = pieces.next().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{key:<key_w$}"), app.theme.key()),
            Span::raw(first),
        ]));
    }
    lines.extend(pieces.map(|p| Line::raw(format!("{indent}{p}"))));
    lines
}

/// The key help, scrolled to `scroll`.
pub fn draw_help(frame: &mut Frame, app: &App, area: Rect, scroll: usize) {
    let lines = help_lines(app, inner_width(area));
    overlay(
        frame,
        app,
        area,
        "chatspool help",
        lines,
        scroll,
        &scroll_footer(),
    );
}

/// The key help's lines (from the key table), wrapped to `width`.
fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut lines = Vec::new();
    for (title, ctx) in [
        ("Keys", Context::Browse),
        ("While typing a search", Context::Search),
        ("In the stats view (i)", Context::Stats),
        ("Editing the search or a prompt", Context::Edit),
        ("In a tag or note prompt", Context::Prompt),
        ("In this help and the problems list", Context::Overlay),
        ("Everywhere", Context::Global),
    ] {
        lines.push(Line::styled(title.to_string(), t.header()));
        for b in bindings().iter().filter(|b| b.context == ctx) {
            lines.extend(entry(&keys_label(b), b.help, 24, width, app));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Mouse", t.header()));
    lines.extend(entry(
        "",
        "wheel scrolls the pane under the pointer, click selects (m or --no-mouse turns it off)",
        0,
        width,
        app,
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Search (all terms must match)", t.header()));
    for (q, what) in QUERY_HELP {
        lines.extend(entry(q, what, 30, width, app));
    }
    lines
}

/// The problems list, scrolled to `scroll`.
pub fn draw_problems(frame: &mut Frame, app: &App, area: Rect, scroll: usize) {
    let lines = problem_lines(app, inner_width(area));
    let title = crate::format::plural(app.snapshot.problems.len(), "problem", "problems");
    overlay(frame, app, area, &title, lines, scroll, &scroll_footer());
}

/// The problems list's lines, wrapped to `width`.
fn problem_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let problems = &app.snapshot.problems;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if problems.is_empty() {
        lines.push(Line::raw("No problems: every file in the spool was read."));
    }
    for p in problems.iter() {
        for piece in wrap(&sanitize::line(&p.path), width) {
            lines.push(Line::styled(piece, t.title()));
        }
        for piece in wrap(&sanitize::line(&p.reason), width.saturating_sub(2)) {
            lines.push(Line::styled(format!("  {piece}"), t.warning()));
        }
    }
    lines
}

/// The export menu: one line per choice of the app's table, and where the file goes.
pub fn draw_export(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let mut lines: Vec<Line<'static>> = vec![Line::raw(format!(
        "Export to a file ({} in the list{}):",
        crate::format::plural(app.order.len(), "chat", "chats"),
        if app.redact { ", redacted" } else { "" }
    ))];
    for c in EXPORT_CHOICES {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}  ", c.key), t.key()),
            Span::raw(c.help),
        ]));
    }
    let dir = crate::export::default_dir(&app.root).map_or_else(|e| e, |d| d.display().to_string());
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Saved in {}", sanitize::line(&dir)),
        t.dim(),
    ));
    overlay(
        frame,
        app,
        area,
        "export",
        lines,
        0,
        &format!(
            "a key exports · {} closes",
            hint(Action::Close, Context::Overlay)
        ),
    );
}
