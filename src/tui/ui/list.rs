//! The chat list: only the visible rows are built, so a million chats draw as fast as ten.

use super::super::app::{App, Focus};
use super::super::keymap::{hint, Action, Context};
use super::columns::{Col, Columns, BADGE, DUR, FRT, LAST, RATING, REPLY, SCORE, WAIT};
use crate::format::fit;
use crate::model::shown::{show, Form};
use crate::model::ChatSummary;
use crate::query::{Marks, SortKey};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The start time, in the one format every view uses (the header names the zone).
fn started(app: &App, c: &ChatSummary, cols: &Columns) -> String {
    let form = if cols.short_time() {
        Form::Short { now: app.now }
    } else {
        Form::Minutes
    };
    c.started_at().map_or_else(
        || "-".into(),
        |t| {
            let mut shown = show(t, &app.zone.for_chat(c.visitor_offset_min), form);
            if app.zone.falls_back(c.visitor_offset_min) {
                shown.push(crate::model::zone::UTC_MARK);
            }
            shown
        },
    )
}

fn cell(s: &str, width: usize, right: bool) -> String {
    if width == 0 {
        return String::new();
    }
    let s = fit(s, width);
    let pad = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{pad}{s} ")
    } else {
        format!("{s}{pad} ")
    }
}

/// A left-aligned cell with the marked characters highlighted. Sanitising and fitting keep one
/// character per character (only the end is cut), so the marks still line up.
fn marked_cell(
    text: &str,
    width: usize,
    marked: &[bool],
    style: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, ch) in cell(text, width, false).chars().enumerate() {
        let s = if marked.get(i).copied().unwrap_or(false) {
            hit
        } else {
            style
        };
        match spans.last_mut() {
            Some(last) if last.style == s => last.content.to_mut().push(ch),
            _ => spans.push(Span::styled(ch.to_string(), s)),
        }
    }
    spans
}

/// A duration cell: the one format, cut the one way ([`crate::format::duration_in`]).
fn duration(secs: Option<i64>, width: usize) -> String {
    secs.map_or_else(|| "-".into(), |s| crate::format::duration_in(s, width))
}

fn row<'a>(app: &App, c: &ChatSummary, cols: &Columns, marks: &Marks) -> Line<'a> {
    let t = app.theme;
    let review = app.reviews.get(&c.id);
    let first = if app.fresh.contains(&c.id) {
        Span::styled("●", t.badge())
    } else if app.reviews.is_reviewed(&c.id) {
        Span::styled("✓", t.ok())
    } else {
        Span::raw(" ")
    };
    let tagged = if review.is_some_and(|r| !r.tags.is_empty()) {
        Span::styled("# ", t.key())
    } else {
        Span::raw("  ")
    };
    let mut spans = vec![
        first,
        tagged,
        Span::styled(cell(&started(app, c, cols), cols.time, false), t.dim()),
    ];
    let masked = app.mask().text(c.visitor_display());
    let name = masked.as_ref();
    // The placeholder `Visitor` is not a name: it was never searched, so never highlighted.
    let name_marks = if c.visitor.is_some() {
        marks.in_name(name)
    } else {
        Vec::new()
    };
    spans.extend(marked_cell(
        name,
        cols.visitor,
        &name_marks,
        t.base(),
        t.hit(),
    ));
    let last = cols.order.last().copied();
    for &col in &cols.order {
        match col {
            Col::Agents if c.agents.is_empty() => spans.push(Span::styled(
                cell("(missed)", cols.agents, false),
                t.warning(),
            )),
            Col::Agents => {
                // Each agent is matched on its own, as the query does.
                let mut agent_marks = Vec::new();
                for (i, a) in c.agents.iter().enumerate() {
                    if i > 0 {
                        agent_marks.extend([false, false]);
                    }
                    agent_marks.extend(marks.in_name(a));
                }
                let joined = c.agents.join(", ");
                spans.extend(marked_cell(
                    &joined,
                    cols.agents,
                    &agent_marks,
                    t.base(),
                    t.hit(),
                ));
            }
            Col::Dept => spans.push(Span::styled(
                cell(c.department().unwrap_or("-"), cols.dept, false),
                t.dim(),
            )),
            Col::WrapUp => spans.push(Span::styled(
                cell(c.wrap_up_category().unwrap_or("-"), cols.wrap_up, false),
                t.dim(),
            )),
            Col::Wait => {
                let wait = c.wait_secs.map(|w| i64::try_from(w).unwrap_or(i64::MAX));
                spans.push(Span::raw(cell(&duration(wait, WAIT), WAIT, true)));
            }
            Col::Frt => {
                let frt = c.first_response_secs.map(i64::from);
                spans.push(Span::raw(cell(&duration(frt, FRT), FRT, true)));
            }
            Col::Dur => spans.push(Span::raw(cell(
                &duration(c.duration_secs(), DUR),
                DUR,
                true,
            ))),
            Col::Reply => {
                let reply = c.turns.reply_max_secs().map(i64::from);
                spans.push(Span::raw(cell(&duration(reply, REPLY), REPLY, true)));
            }
            Col::Last => spans.push(Span::styled(
                cell(c.turns.last_from().map_or("-", |l| l.name()), LAST, false),
                t.dim(),
            )),
            Col::Score => {
                let score = crate::model::review::score_of(review);
                let text = score.map_or_else(|| "-".into(), crate::model::score::shown);
                let style = if score.is_some() { t.base() } else { t.dim() };
                spans.push(Span::styled(cell(&text, SCORE, true), style));
            }
            Col::Rating => {
                // One more cell when sorted on: the header's mark (see `header`).
                let w = RATING + usize::from(matches!(sorted(app), Some((Sorted::Rating, _))));
                let mut text = match c.rating {
                    Some(r) => format!("{:>w$}", crate::format::rating(r)),
                    None => format!("{:^w$}", "-"),
                };
                // The last column has no space after it; a rating drawn earlier does.
                if last != Some(Col::Rating) {
                    text.push(' ');
                }
                let style = if c.rating.is_some() {
                    t.rating()
                } else {
                    t.dim()
                };
                spans.push(Span::styled(text, style));
            }
        }
    }
    Line::from(spans)
}

/// The column the list is sorted by, and whether largest (newest) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sorted {
    Time,
    Visitor,
    Agents,
    Wait,
    Frt,
    Dur,
    Rating,
    Reply,
    Score,
}

/// Which header gets the sort mark, and which way it points (`None`: best match first).
fn sorted(app: &App) -> Option<(Sorted, bool)> {
    let key = match app.sort {
        Some(k) => k,
        None if app.search.query.has_fuzzy() => return None,
        None => SortKey::Newest,
    };
    let (col, descending) = match key {
        SortKey::Newest => (Sorted::Time, true),
        SortKey::Oldest => (Sorted::Time, false),
        SortKey::Wait => (Sorted::Wait, true),
        SortKey::Frt => (Sorted::Frt, true),
        SortKey::Duration => (Sorted::Dur, true),
        SortKey::Rating => (Sorted::Rating, true),
        SortKey::Visitor => (Sorted::Visitor, false),
        SortKey::Agent => (Sorted::Agents, false),
        SortKey::Reply => (Sorted::Reply, true),
        SortKey::Score => (Sorted::Score, true),
    };
    Some((col, descending != app.reversed))
}

/// The time column's heading: the zone named in it when it fits (`STARTED (UTC)`), else
/// `None` and the list's title names the zone (`America/Argentina/Buenos_Aires` never fits).
fn time_heading(app: &App, cols: &Columns) -> Option<String> {
    let what = if cols.short_time() { "TIME" } else { "STARTED" };
    let time = format!("{what} ({})", app.zone.label());
    // Room for the sort mark too when the list is sorted by time.
    let mark = usize::from(matches!(sorted(app), Some((Sorted::Time, _))));
    (time.width() + mark <= cols.time).then_some(time)
}

fn header<'a>(app: &App, cols: &Columns) -> Line<'a> {
    let what = if cols.short_time() { "TIME" } else { "STARTED" };
    let time = time_heading(app, cols).unwrap_or_else(|| what.to_string());
    let sort = sorted(app);
    // The sorted column's name is cut to make room for its mark, never the mark.
    let head = |col: Sorted, label: &str, width: usize, right: bool| match sort {
        Some((c, down)) if c == col && width > 1 => {
            let mark = app.theme.sort_mark(down);
            let text = format!("{}{mark}", fit(label, width - 1));
            cell(&text, width, right)
        }
        _ => cell(label, width, right),
    };
    let mut s = format!(
        "{}{}{}",
        " ".repeat(BADGE),
        head(Sorted::Time, &time, cols.time, false),
        head(Sorted::Visitor, "VISITOR", cols.visitor, false)
    );
    let last = cols.order.last().copied();
    for &col in &cols.order {
        let text = match col {
            Col::Agents => head(Sorted::Agents, "AGENTS", cols.agents, false),
            Col::Dept => cell("DEPT", cols.dept, false),
            Col::WrapUp => cell("WRAP-UP", cols.wrap_up, false),
            Col::Wait => head(Sorted::Wait, "WAIT", WAIT, true),
            Col::Frt => head(Sorted::Frt, "FRT", FRT, true),
            Col::Dur => head(Sorted::Dur, "DUR", DUR, true),
            Col::Reply => head(Sorted::Reply, "REPLY", REPLY, true),
            Col::Last => cell("LAST", LAST, false),
            Col::Score => head(Sorted::Score, "SCORE", SCORE, true),
            Col::Rating => {
                // The rating column keeps one more cell when it is sorted on (see `Columns`).
                let mut text = "RATE".to_string();
                if let Some((Sorted::Rating, down)) = sort {
                    text.push_str(app.theme.sort_mark(down));
                }
                if last != Some(Col::Rating) {
                    text.push(' ');
                }
                text
            }
        };
        s.push_str(&text);
    }
    Line::styled(s, app.theme.header())
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if area.area() == 0 {
        return;
    }
    let focused = app.focus == Focus::List || app.search.searching;
    let sort = app.order_label();
    let total = app.snapshot.chats.len();
    let inner_width = usize::from(area.width.saturating_sub(2));
    // The time column keeps its width when names widen: enough to decide where the zone goes.
    // Under `--tz visitor` the time column keeps a cell for the mark of a time in UTC.
    let marked = usize::from(app.zone == crate::model::zone::Zone::Visitor);
    let mut heading_cols = Columns::for_width(
        inner_width.saturating_sub(marked),
        app.sort,
        app.columns.as_deref(),
    );
    heading_cols.time += marked;
    let mut title = vec![
        Span::styled(" Chats ", app.theme.title()),
        Span::raw(format!("{}/{} ", app.order.len(), total)),
        Span::styled(format!("· {sort} "), app.theme.dim()),
    ];
    let falls_back = |&i: &u32| {
        app.view
            .chats
            .get(i as usize)
            .is_some_and(|c| app.zone.falls_back(c.visitor_offset_min))
    };
    if marked == 1 && app.order.iter().any(falls_back) {
        title.push(Span::styled(
            format!("· {} ", crate::model::zone::UTC_LEGEND),
            app.theme.dim(),
        ));
    }
    if time_heading(app, &heading_cols).is_none() {
        title.push(Span::styled(
            format!("· times {} ", app.zone.label()),
            app.theme.dim(),
        ));
    }
    if app.search.matching {
        let doing = match app.search.tally.percent() {
            Some(pct) => format!("· searching transcripts {pct}% "),
            None => "· matching… ".into(),
        };
        title.push(Span::styled(doing, app.theme.dim()));
    }
    let block = super::pane(app, Line::from(title), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let mut cols = heading_cols;
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    cols.widen(usize::from(inner.width), wants(app, visible));
    let marks = app.search.query.marks();
    frame.render_widget(header(app, &cols), Rect { height: 1, ..inner });
    let body = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    if app.order.is_empty() {
        super::message(frame, body, empty_message(app));
        return;
    }
    for (n, &i) in app
        .order
        .iter()
        .skip(app.panes.list_offset)
        .take(visible)
        .enumerate()
    {
        let chat = &app.view.chats[i as usize];
        let mut line = row(app, chat, &cols, &marks);
        let index = app.panes.list_offset + n;
        if index == app.selected {
            line = line.patch_style(app.theme.selected(app.focus == Focus::List));
        }
        let y = body.y + u16::try_from(n).unwrap_or(0);
        frame.render_widget(
            line,
            Rect {
                y,
                height: 1,
                ..body
            },
        );
    }
    // Position indicator on the bottom border.
    let pos = format!(" {}/{} ", app.selected + 1, app.order.len());
    let w = u16::try_from(pos.width()).unwrap_or(0);
    if area.width > w + 2 {
        let r = Rect::new(area.x + area.width - w - 1, area.y + area.height - 1, w, 1);
        frame.render_widget(Line::styled(pos, app.theme.dim()), r);
    }
}

/// The widest visitor, agents, department and wrap-up among the rows on screen: what the name
/// columns would need to show them whole.
fn wants(app: &App, visible: usize) -> [usize; 4] {
    let mut w = [0; 4];
    for &i in app.order.iter().skip(app.panes.list_offset).take(visible) {
        let Some(c) = app.view.chats.get(i as usize) else {
            continue;
        };
        let agents: usize = c.agents.iter().map(|a| a.width() + 2).sum::<usize>();
        let texts = [
            c.visitor_display().width(),
            agents.saturating_sub(2),
            c.department().map_or(0, UnicodeWidthStr::width),
            c.wrap_up_category().map_or(0, UnicodeWidthStr::width),
        ];
        for (w, t) in w.iter_mut().zip(texts) {
            *w = (*w).max(t);
        }
    }
    w
}

/// The layout pass for the list drawn in `area`: the selection inside the list, and the first
/// row shown such that the selection is on screen.
pub fn arrange(app: &mut App, area: Rect) {
    if app.order.is_empty() {
        app.selected = 0;
        app.panes.list_offset = 0;
        return;
    }
    app.selected = app.selected.min(app.order.len() - 1);
    // Borders and the header row.
    let visible = usize::from(super::inner(area).height.saturating_sub(1)).max(1);
    if app.selected < app.panes.list_offset {
        app.panes.list_offset = app.selected;
    } else if app.selected >= app.panes.list_offset + visible {
        app.panes.list_offset = app.selected + 1 - visible;
    }
    app.panes.list_offset = app
        .panes
        .list_offset
        .min(app.order.len().saturating_sub(visible));
}

fn empty_message<'a>(app: &App) -> Vec<Line<'a>> {
    let s = &app.snapshot;
    let t = app.theme;
    if !s.progress.finished {
        return vec![Line::from(format!(
            "Loading spool… {}/{} files",
            s.progress.done, s.progress.total
        ))];
    }
    if s.chats.is_empty() && !s.problems.is_empty() {
        return vec![
            Line::styled(
                format!(
                    "No chats loaded: {} files could not be read.",
                    s.problems.len()
                ),
                t.warning(),
            ),
            Line::from("Press p to see which files and why."),
        ];
    }
    if s.chats.is_empty() {
        return vec![
            Line::styled("No chats in this spool yet.", t.title()),
            Line::from("chatspool reads *.json, *.jsonl, *.ndjson (and .gz) chat_ended webhooks."),
            Line::from(if s.skipped > 0 {
                format!("{} files held other events only.", s.skipped)
            } else {
                "New files appear here as the webhook receiver writes them.".to_string()
            }),
        ];
    }
    if app.search.matching {
        return vec![Line::from("Matching…")];
    }
    if let Some((words, n)) = &app.search.text_hint {
        return vec![
            Line::styled(
                format!(
                    "no name matches · {} {words}: {} searches transcripts",
                    crate::format::plural(*n, "chat says", "chats say"),
                    hint(Action::Scope, Context::Global)
                ),
                t.title(),
            ),
            Line::from(format!(
                "{} clears the search; {} lists the query language.",
                hint(Action::Cancel, Context::Browse),
                hint(Action::Help, Context::Browse)
            )),
        ];
    }
    vec![
        Line::styled("No chat matches this search.", t.title()),
        Line::from(format!(
            "{} clears it; {} lists the query language.",
            hint(Action::Cancel, Context::Browse),
            hint(Action::Help, Context::Browse)
        )),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_cell_is_whole_or_says_it_is_more() {
        assert_eq!(duration(Some(95), FRT), "1m 35s");
        assert_eq!(duration(Some(3723), WAIT), "1h 02m");
        assert_eq!(duration(None, FRT), "-");
        assert_eq!(duration(Some(86_400 * 12_000 + 3_600), DUR), "12000d");
        assert_eq!(duration(Some(i64::from(u32::MAX)), FRT), "49710d");
        assert_eq!(duration(Some(86_400 * 1_000_000), FRT), ">99999d");
        assert_eq!(duration(Some(i64::MAX), WAIT), ">99999d");
    }
}
