//! The search bar and the status bar.

use super::super::app::{App, Focus, Prompt, PromptKind};
use super::super::keymap::{hint, Action, Context};
use super::wrap::wrap;
use crate::format::fit;
use crate::sanitize;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The search bar's lines at `width`: the input, with the match count or the error after it. An
/// error too long for the line goes whole on the lines below, wrapped under an indent.
pub fn search_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let text = sanitize::line(&app.search.input.text).into_owned();
    let mut first = vec![Span::styled(prompt(app), t.key()), Span::raw(text.clone())];
    let Some(err) = &app.search.query_error else {
        if !app.search.input.text.is_empty() {
            first.push(Span::styled(
                format!("  {} matching", app.order.len()),
                t.dim(),
            ));
        }
        if let Some(msg) = app
            .flash
            .as_ref()
            .filter(|_| flash_on_search_bar(app, width))
        {
            first.push(Span::styled(
                format!("  · {}", sanitize::line(msg)),
                t.title(),
            ));
        }
        return vec![Line::from(first)];
    };
    let err = format!("✗ {}", sanitize::line(err));
    if prompt(app).width() + text.width() + 2 + err.width() <= width {
        first.push(Span::styled(format!("  {err}"), t.error()));
        return vec![Line::from(first)];
    }
    let mut lines = vec![Line::from(first)];
    for piece in wrap(&err, width.saturating_sub(4)) {
        lines.push(Line::styled(format!("    {piece}"), t.error()));
    }
    lines
}

/// Whether the search bar is on screen (typing, a query kept, or its error).
pub fn search_bar_shown(app: &App) -> bool {
    app.prompt.is_none()
        && (app.search.searching
            || !app.search.input.text.is_empty()
            || app.search.query_error.is_some())
}

/// Whether the flash message goes on the search bar: it is shown and the message does not fit
/// on the status bar (`match 3/12` beside the query on a narrow terminal).
pub fn flash_on_search_bar(app: &App, width: usize) -> bool {
    let Some(msg) = &app.flash else {
        return false;
    };
    search_bar_shown(app)
        && app.search.query_error.is_none()
        && !flash_fits(app, width)
        && search_line_width(app) + "  · ".width() + sanitize::line(msg).width() <= width
}

/// The search bar's first line without a message: the prompt, the text, the count.
fn search_line_width(app: &App) -> usize {
    let count = if app.search.input.text.is_empty() {
        0
    } else {
        format!("  {} matching", app.order.len()).width()
    };
    prompt(app).width() + sanitize::line(&app.search.input.text).width() + count
}

/// The search bar's prompt: `/ ` searching people, `text/ ` searching transcripts (Ctrl-T).
fn prompt(app: &App) -> &'static str {
    if app.search.transcript_scope {
        "text/ "
    } else {
        "/ "
    }
}

pub fn draw_search(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(p) = &app.prompt {
        return draw_prompt(frame, app, area, p);
    }
    let lines = search_lines(app, usize::from(area.width));
    frame.render_widget(Paragraph::new(lines), area);
    if app.search.searching {
        let before = sanitize::line(&app.search.input.text[..app.search.input.cursor]).width();
        let x = area.x + u16::try_from(prompt(app).len() + before).unwrap_or(0);
        if x < area.x + area.width {
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }
}

/// A review prompt (`t`, `a`, `T`) or a y/n question in the search bar's place: its label, the
/// text, the cursor. A question names tags the user typed: sanitised like any text.
fn draw_prompt(frame: &mut Frame, app: &App, area: Rect, p: &Prompt) {
    let text = sanitize::line(&p.input.text).into_owned();
    let label = sanitize::line(&p.label()).into_owned();
    let before = label.width() + sanitize::line(&p.input.text[..p.input.cursor]).width();
    let mut spans = vec![Span::styled(label, app.theme.key()), Span::raw(text)];
    if matches!(p.kind, PromptKind::PickView | PromptKind::PickHistory) {
        // The choices after what is typed, best first, the chosen one highlighted.
        let choices = app.picker_choices(p);
        if choices.is_empty() {
            spans.push(Span::raw("  (nothing matches)"));
        }
        for (i, c) in choices.iter().enumerate().take(20) {
            spans.push(Span::raw(if i == 0 { "  " } else { " · " }));
            let c = sanitize::line(c).into_owned();
            if i == p.choice {
                spans.push(Span::styled(
                    c,
                    ratatui::style::Style::default()
                        .add_modifier(ratatui::style::Modifier::REVERSED),
                ));
            } else {
                spans.push(Span::raw(c));
            }
        }
    }
    frame.render_widget(Line::from(spans), area);
    let x = area.x + u16::try_from(before).unwrap_or(u16::MAX);
    if x < area.x + area.width {
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// A notice too long for the status bar (where an export went), on the row above it.
pub fn draw_notice(frame: &mut Frame, app: &App, area: Rect, notice: &str) {
    let lines: Vec<Line> = notice_lines(notice, usize::from(area.width))
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), app.theme.title()))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A notice wrapped to `width` (one column kept for the margin), at most three lines: a long
/// path is read whole rather than cut.
pub fn notice_lines(notice: &str, width: usize) -> Vec<String> {
    let mut lines = wrap(&sanitize::line(notice), width.saturating_sub(1).max(1));
    lines.truncate(3);
    lines
}

/// The status bar's left side: the spool, counts and states, and the flash message when
/// `with_flash`.
fn left_spans(app: &App, with_flash: bool, path_w: usize) -> Vec<Span<'static>> {
    let t = app.theme;
    let s = &app.snapshot;
    let mut left = vec![Span::styled(
        if path_w == 0 {
            " ".to_string()
        } else {
            format!(" {} ", spool_label(app, path_w))
        },
        t.title(),
    )];
    left.push(Span::raw(crate::format::plural(
        s.chats.len(),
        "chat",
        "chats",
    )));
    if !s.progress.finished {
        let pct = (s.progress.done * 100)
            .checked_div(s.progress.total)
            .unwrap_or(0);
        left.push(Span::styled(
            if s.progress.listed {
                format!(
                    " · loading {pct}% ({}/{})",
                    s.progress.done, s.progress.total
                )
            } else {
                " · listing files…".into()
            },
            t.warning(),
        ));
    }
    if let Some((done, total)) = s.indexing {
        let pct = (done * 100).checked_div(total).unwrap_or(0);
        left.push(Span::styled(
            format!(" · indexing transcripts {pct}%"),
            t.warning(),
        ));
    }
    if !s.problems.is_empty() {
        left.push(Span::styled(
            format!(
                " · {} ({})",
                crate::format::plural(s.problems.len(), "problem", "problems"),
                hint(Action::Problems, Context::Browse)
            ),
            t.warning(),
        ));
    }
    if !app.fresh.is_empty() {
        left.push(Span::styled(
            format!(" · {} new", app.fresh.len()),
            t.badge(),
        ));
    }
    if let Some(w) = &s.watch {
        let style = if w.starts_with("stopped") {
            t.error()
        } else {
            t.dim()
        };
        left.push(Span::styled(format!(" · {}", sanitize::line(w)), style));
    }
    if app.follow {
        left.push(Span::styled(" · follow", t.ok()));
    }
    if app.redact {
        left.push(Span::styled(" · redacted", t.ok()));
    }
    if let Some(msg) = app.flash.as_ref().filter(|_| with_flash) {
        left.push(Span::styled(
            format!(" · {}", sanitize::line(msg)),
            t.title(),
        ));
    }
    left
}

/// Whether the flash message fits on a status bar `width` wide beside `? help`; when not, it
/// takes the row above, so an acknowledgement (`tagged … (saved)`, where an export went) is
/// always seen whole.
pub fn flash_fits(app: &App, width: usize) -> bool {
    used_w(&left_spans(app, true, PATH_MIN)) + "? help".width() + 2 <= width
}

/// The narrowest the spool's path gets on the status bar before key hints give way.
const PATH_MIN: usize = 16;

/// The spool as the status bar names it: its URL, or its path with the home directory as `~`;
/// at most `width` columns, the middle cut out (`~/spools/…/2026/chats`), so what the user
/// just did keeps its room.
fn spool_label(app: &App, width: usize) -> String {
    let name = match crate::spool::origin::url_of(&app.root) {
        Some(url) => url,
        None => crate::tui::outside::shown(&app.root),
    };
    middle(&sanitize::line(&name), width)
}

/// `s` in at most `width` columns, its middle replaced by `…` (a third kept before it).
fn middle(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let keep = width.saturating_sub(1);
    let head_w = keep / 3;
    let mut head = String::new();
    for c in s.chars() {
        if head.width() + crate::format::char_cols(c) > head_w {
            break;
        }
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut tail_w = 0;
    for c in s.chars().rev() {
        let w = crate::format::char_cols(c);
        if head.width() + tail_w + w > keep {
            break;
        }
        tail.push(c);
        tail_w += w;
    }
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
}

fn used_w(spans: &[Span]) -> usize {
    spans.iter().map(|s| s.content.width()).sum()
}

/// The status bar; `with_flash`: the flash message is shown here (not on the row above).
pub fn draw_status(frame: &mut Frame, app: &App, area: Rect, with_flash: bool) {
    let t = app.theme;
    // Key hints on the right: all that fit, and always `? help`. What is too wide gives way in
    // turn: the spool's path first (its middle cut out), then the hints, then the left side.
    let mut hints = hints(app);
    let width = usize::from(area.width);
    let hints_width = |h: &[(String, &str)]| -> usize {
        h.iter()
            .map(|(k, what)| k.width() + 1 + what.width())
            .sum::<usize>()
            + 2 * h.len().saturating_sub(1)
    };
    let mut left = left_spans(app, with_flash, usize::MAX);
    let over = (used_w(&left) + hints_width(&hints) + 2).saturating_sub(width);
    if over > 0 {
        let path_w = left[0].content.width().saturating_sub(2);
        left = left_spans(app, with_flash, path_w.saturating_sub(over).max(PATH_MIN));
    }
    let used = used_w(&left);
    // Hints give way one by one, the most familiar first; `? help` stays.
    for least in [
        "zoom",
        "export",
        "reviewed",
        "copy",
        "tag",
        "quit",
        "sort",
        "focus",
        "search",
        "next/prev hit",
        "close",
        "filter",
        "read",
        "back",
    ] {
        if used + hints_width(&hints) + 2 <= width {
            break;
        }
        hints.retain(|(_, what)| *what != least);
    }
    // With fewer hints the path may need less cutting: it gets back what is left over.
    let full = left_spans(app, with_flash, usize::MAX);
    let over = (used_w(&full) + hints_width(&hints) + 2).saturating_sub(width);
    let path_w = full[0]
        .content
        .width()
        .saturating_sub(2 + over)
        .max(PATH_MIN);
    left = left_spans(app, with_flash, path_w);
    let used = used_w(&left);
    let room = width.saturating_sub(hints_width(&hints) + 2);
    if used > room {
        // Still too wide without the hints: the path shrinks further before anything else.
        // Narrower than PATH_MIN a path says nothing: it is left out.
        let path_w = left[0].content.width().saturating_sub(2);
        let path_w = path_w.saturating_sub(used - room);
        left = left_spans(app, with_flash, if path_w < PATH_MIN { 0 } else { path_w });
        left = cut(left, room);
    }
    let used: usize = left.iter().map(|s| s.content.width()).sum();
    if hints_width(&hints) < width - used.min(width) {
        let pad = width - used - hints_width(&hints) - 1;
        left.push(Span::raw(" ".repeat(pad)));
        for (i, (k, what)) in hints.iter().enumerate() {
            if i > 0 {
                left.push(Span::raw("  "));
            }
            left.push(Span::styled(k.clone(), t.key()));
            left.push(Span::styled(format!(" {what}"), t.dim()));
        }
    }
    frame.render_widget(Line::from(left), area);
}

/// The spans cut to `width` columns, the cut marked with `…`.
fn cut(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut room = width;
    for span in spans {
        let w = span.content.width();
        if w <= room {
            room -= w;
            out.push(span);
            continue;
        }
        if room > 0 {
            out.push(Span::styled(fit(&span.content, room), span.style));
        }
        break;
    }
    out
}

/// The few keys that matter where the focus is now.
fn hints(app: &App) -> Vec<(String, &'static str)> {
    let b = |a: Action| hint(a, Context::Browse);
    if app
        .prompt
        .as_ref()
        .is_some_and(|p| p.kind == PromptKind::Confirm)
    {
        return vec![("y".into(), "yes"), ("n".into(), "no")];
    }
    if app
        .prompt
        .as_ref()
        .is_some_and(|p| matches!(p.kind, PromptKind::PickView | PromptKind::PickHistory))
    {
        return vec![
            (hint(Action::Accept, Context::Prompt), "pick"),
            (hint(Action::Down, Context::Prompt), "next"),
            (hint(Action::Cancel, Context::Prompt), "cancel"),
        ];
    }
    if app.prompt.is_some() {
        return vec![
            (hint(Action::Accept, Context::Prompt), "save"),
            (hint(Action::Cancel, Context::Prompt), "cancel"),
        ];
    }
    if app.search.searching {
        let s = |a: Action| hint(a, Context::Search);
        let scope = if app.search.transcript_scope {
            "people"
        } else {
            "transcripts"
        };
        return vec![
            (s(Action::Accept), "done"),
            (s(Action::Cancel), "clear"),
            (hint(Action::Scope, Context::Global), scope),
            (format!("{}{}", s(Action::Up), s(Action::Down)), "move"),
        ];
    }
    if app.stats.open {
        let st = |a: Action| hint(a, Context::Stats);
        return vec![
            (st(Action::Accept), "filter"),
            (st(Action::Search), "search"),
            (st(Action::ToggleStats), "close"),
            (st(Action::Help), "help"),
        ];
    }
    let mut h = vec![(b(Action::Search), "search")];
    match app.focus {
        Focus::List => h.push((b(Action::Open), "read")),
        Focus::Transcript if !app.search.input.text.is_empty() => {
            h.push((
                format!("{}/{}", b(Action::NextMatch), b(Action::PrevMatch)),
                "next/prev hit",
            ));
            h.push((b(Action::Cancel), "back"));
        }
        _ => h.push((b(Action::Cancel), "back")),
    }
    // The slow-reply keys where there are slow replies to go to.
    if app.focus == Focus::Transcript && !app.slow_replies().is_empty() {
        h.push((
            format!("{}/{}", b(Action::NextSlow), b(Action::PrevSlow)),
            "slow reply",
        ));
    }
    h.push((b(Action::FocusNext), "focus"));
    h.push((
        format!("{}/{}", b(Action::ZoomIn), b(Action::ZoomOut)),
        "zoom",
    ));
    h.push((b(Action::CycleSort), "sort"));
    h.push((b(Action::Tag), "tag"));
    h.push((b(Action::ToggleReviewed), "reviewed"));
    h.push((b(Action::CopyChat), "copy"));
    h.push((b(Action::Export), "export"));
    h.push((b(Action::Help), "help"));
    h.push((b(Action::Quit), "quit"));
    h
}
