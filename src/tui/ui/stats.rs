//! The stats view (`i`): totals, the per-agent or per-department table, chat starts over time,
//! the weekday × hour heatmap and the rating distribution, for the chats the search selects.
//! Sections give way from the bottom up on short terminals; the table always stays.

use super::super::app::{App, StatsTable, StatsView, COLUMNS};
use super::super::keymap::{hint, Action, Context};
use super::heatmap;
use crate::format::fit;
use crate::stats::{Figures, Group, Report};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Cell, Paragraph, Row, Sparkline, Table};
use ratatui::Frame;
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

fn secs(s: Option<u64>) -> String {
    crate::format::duration_or_dash(s)
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn pct(x: Option<f64>) -> String {
    x.map_or_else(
        || "-".into(),
        |v| format!("{}%", (v * 100.0).round() as u32),
    )
}

/// The name of the table's sort column.
fn sort_name(app: &App) -> &'static str {
    match (app.stats.column, app.stats.table) {
        (0, StatsTable::Agents) => "agent",
        (0, StatsTable::Departments) => "department",
        (c, _) => COLUMNS.get(c).copied().unwrap_or(""),
    }
}

/// The sort column's mark: `▼` largest first (names: Z–A), `▲` the other way.
fn mark(app: &App) -> &'static str {
    let descending = app.stats.column != 0;
    app.theme.sort_mark(descending != app.stats.reverse)
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let mut title = vec![
        Span::styled(" Stats ", t.title()),
        Span::raw(format!("{} chats ", app.order.len())),
        Span::styled(
            if app.search.input.text.trim().is_empty() {
                "· all chats ".to_string()
            } else {
                format!("· {} ", fit(&app.search.input.text, 30))
            },
            t.dim(),
        ),
        Span::styled(format!("· times {} ", app.zone), t.dim()),
        Span::styled(format!("· by {} {} ", sort_name(app), mark(app)), t.dim()),
    ];
    if app.stats.computing {
        title.push(Span::styled("· computing… ", t.dim()));
    }
    let inner = super::inner(area);
    let [_, _, table, _] = parts(inner);
    let visible = usize::from(table.height.saturating_sub(1)).max(1);
    let pos = format!(
        " {} ",
        position(app.stats.offset, visible, app.stats.rows().len())
    );
    // The keys give way to the row count, which is always whole.
    let room = usize::from(area.width).saturating_sub(pos.width() + 4);
    let block = super::pane(app, Line::from(title), true).title_bottom(Line::styled(
        format!(" {} ", whole_parts(&footer(), room.saturating_sub(2))),
        t.dim(),
    ));
    frame.render_widget(block, area);
    let w = u16::try_from(pos.width()).unwrap_or(0);
    if area.width > w + 2 {
        let r = Rect::new(area.x + area.width - w - 1, area.y + area.height - 1, w, 1);
        frame.render_widget(Line::styled(pos, t.dim()), r);
    }
    let Some(report) = app.stats.report.clone() else {
        super::message(frame, inner, vec![Line::from("Computing…")]);
        return;
    };
    draw_inner(frame, app, &report, inner);
}

/// The view's keys, from the key table, one part each.
fn footer() -> Vec<String> {
    let k = |a: Action| hint(a, Context::Stats);
    vec![
        format!("{} back", k(Action::ToggleStats)),
        format!("{} agents/depts", k(Action::StatsTable)),
        format!(
            "{}/{} sort",
            k(Action::StatsColumnPrev),
            k(Action::StatsColumnNext)
        ),
        format!("{} reverse", k(Action::StatsReverse)),
        format!("{} filter", k(Action::Accept)),
        format!("{} wait", k(Action::StatsHeat)),
    ]
}

/// Where the parts go inside the view: totals, volume, the table, heatmap and ratings; a part
/// that does not fit is left out (zero height).
fn parts(inner: Rect) -> [Rect; 4] {
    let h = inner.height;
    let bottom_h = if h >= 18 { heatmap::HEIGHT } else { 0 };
    let volume_h = if h >= 21 { 3 } else { 0 };
    let totals_h = match h {
        30.. => 4,
        10.. => 3,
        8.. => 2,
        _ => 0,
    };
    Layout::vertical([
        Constraint::Length(totals_h),
        Constraint::Length(volume_h),
        Constraint::Min(3),
        Constraint::Length(bottom_h),
    ])
    .areas(inner)
}

/// The layout pass: the table's selection inside its rows and on screen.
pub fn arrange(app: &mut App, area: Rect) {
    let [_, _, table, _] = parts(super::inner(area));
    let rows = app.stats.rows().len();
    let s = &mut app.stats;
    let visible = usize::from(table.height.saturating_sub(1)).max(1);
    s.page = visible;
    s.selected = s.selected.min(rows.saturating_sub(1));
    s.offset = s.offset.min(s.selected);
    if s.selected >= s.offset + visible {
        s.offset = s.selected + 1 - visible;
    }
    s.offset = s.offset.min(rows.saturating_sub(visible));
}

fn draw_inner(frame: &mut Frame, app: &App, r: &Arc<Report>, inner: Rect) {
    let [totals, volume, table, bottom] = parts(inner);
    if totals.height > 0 {
        frame.render_widget(
            Paragraph::new(totals_lines(
                app,
                &r.total,
                usize::from(totals.width),
                usize::from(totals.height),
            )),
            totals,
        );
    }
    if volume.height > 0 {
        draw_volume(frame, app, r, volume);
    }
    draw_table(frame, app, table);
    if bottom.height > 0 {
        let ratings_w = if inner.width >= 74 { 22 } else { 0 };
        let [heat, _, ratings] = Layout::horizontal([
            Constraint::Min(heatmap::MIN_WIDTH),
            Constraint::Length(if ratings_w > 0 { 2 } else { 0 }),
            Constraint::Length(ratings_w),
        ])
        .areas(bottom);
        heatmap::draw(frame, app, r, heat);
        if ratings_w > 0 {
            draw_ratings(frame, app, &r.total, ratings);
        }
    }
}

/// As many of `parts` as fit `width`, joined by ` · `: a figure is shown whole or left out.
fn whole_parts(parts: &[String], width: usize) -> String {
    let mut out = String::new();
    for p in parts {
        let sep = if out.is_empty() { "" } else { " · " };
        if out.width() + sep.width() + p.width() > width {
            break;
        }
        out.push_str(sep);
        out.push_str(p);
    }
    out
}

/// The totals in `height` lines of `width` columns, each figure whole or left out.
fn totals_lines(app: &App, f: &Figures, width: usize, height: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let first = [
        format!("{} chats", f.chats),
        format!("{} missed", f.missed),
        format!("{} answered", f.with_first_response),
        format!(
            "{} rated, avg {}★, {} 4–5★",
            f.rated,
            f.avg_rating
                .map_or_else(|| "-".into(), |v| format!("{v:.1}")),
            pct(f.good_share())
        ),
    ];
    let scores = (f.scored > 0).then(|| {
        format!(
            "{} scored, avg {}",
            f.scored,
            f.avg_score
                .map_or_else(|| "-".into(), |v| format!("{v:.1}"))
        )
    });
    let first: Vec<String> = first.into_iter().chain(scores).collect();
    let second = [
        format!(
            "p50/p90: wait {}/{}",
            secs(f.wait_p50_secs),
            secs(f.wait_p90_secs)
        ),
        format!(
            "first reply {}/{}",
            secs(f.first_response_p50_secs),
            secs(f.first_response_p90_secs)
        ),
        format!(
            "duration {}/{}",
            secs(f.duration_p50_secs),
            secs(f.duration_p90_secs)
        ),
    ];
    // What happened inside the chats, most wanted first: the parts that do not fit the third
    // line go to a fourth when the view has room for it, else they are left out whole.
    let mut inside = vec![format!(
        "reply {}/{}",
        secs(f.reply_p50_secs),
        secs(f.reply_p90_secs)
    )];
    if let (Some(met), Some(breached)) = (f.sla_met, f.sla_breached) {
        inside.push(format!(
            "SLA {met} met, {breached} breached, {}",
            pct(f.sla_rate)
        ));
    }
    inside.extend([
        format!("{} transferred", f.transferred),
        format!("{} ended on visitor", f.ended_on_visitor),
        format!(
            "bot {} only, {} handoff, {} contained",
            f.bot_only,
            f.bot_handoff,
            pct(f.containment)
        ),
    ]);
    let mut lines = vec![
        Line::styled(whole_parts(&first, width), t.title()),
        Line::raw(whole_parts(&second, width)),
    ];
    let mut rest: &[String] = &inside;
    for _ in 2..height {
        let line = whole_parts(rest, width);
        let used = rest
            .iter()
            .scan(0, |w, p| {
                *w += p.width() + if *w == 0 { 0 } else { 3 };
                Some(*w)
            })
            .take_while(|&w| w <= width)
            .count();
        lines.push(Line::raw(line));
        rest = &rest[used.max(1).min(rest.len())..];
        if rest.is_empty() {
            break;
        }
    }
    lines
}

fn draw_volume(frame: &mut Frame, app: &App, r: &Report, area: Rect) {
    let v = &r.volume;
    let width = usize::from(area.width);
    let skip = v.counts.len().saturating_sub(width);
    let shown: Vec<u64> = v.counts[skip..].iter().map(|&c| c as u64).collect();
    let step = if v.hourly {
        chrono::Duration::hours(1)
    } else {
        chrono::Duration::days(1)
    };
    let pattern = if v.hourly { "%b %d %H:00" } else { "%Y-%m-%d" };
    let label = |i: usize| {
        v.start
            .and_then(|s| s.checked_add_signed(step * i32::try_from(i).unwrap_or(0)))
            .map(|t| t.format(pattern).to_string())
            .unwrap_or_default()
    };
    let title = whole_parts(
        &[
            format!("Chats per {}", if v.hourly { "hour" } else { "day" }),
            format!(
                "{} to {} ({})",
                label(skip),
                label(v.counts.len().saturating_sub(1)),
                r.tz
            ),
            format!("max {}", shown.iter().max().unwrap_or(&0)),
        ],
        width,
    );
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Line::styled(title, app.theme.header()), head);
    frame.render_widget(
        Sparkline::default().data(&shown).style(app.theme.heat(2)),
        body,
    );
}

fn draw_ratings(frame: &mut Frame, app: &App, f: &Figures, area: Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Line::styled(format!("Ratings ({} rated)", f.rated), app.theme.header()),
        head,
    );
    let labels = ["1★", "2★", "3★", "4★", "5★"];
    let data: Vec<(&str, u64)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                *l,
                f.ratings.get(&(i + 1).to_string()).map_or(0, |&n| n as u64),
            )
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(&data)
            .bar_width(3)
            .bar_gap(1)
            .bar_style(app.theme.rating())
            .value_style(app.theme.title()),
        body,
    );
}

fn cells(g: &Group) -> Vec<String> {
    let f = &g.figures;
    vec![
        g.name.clone(),
        f.chats.to_string(),
        f.missed.to_string(),
        secs(f.first_response_p50_secs),
        secs(f.first_response_p90_secs),
        secs(f.wait_p50_secs),
        secs(f.wait_p90_secs),
        secs(f.duration_p50_secs),
        f.avg_rating
            .map_or_else(|| "-".into(), |v| format!("{v:.1}")),
        pct(f.rated_share()),
        pct(f.good_share()),
        f.scored.to_string(),
        f.avg_score
            .map_or_else(|| "-".into(), |v| format!("{v:.1}")),
        secs(f.reply_p50_secs),
        pct(f.sla_rate),
    ]
}

/// The order the table's columns give way in on a narrow screen, least needed first; the name
/// and the column the table is sorted by never do. A column is shown whole or not at all.
const DROP_ORDER: [usize; 14] = [11, 12, 7, 9, 4, 5, 2, 10, 14, 13, 3, 6, 8, 1];
/// The name column's narrowest: names are text, cut with `…` (never a number).
const NAME_MIN: usize = 8;

/// Which columns (indexes into [`COLUMNS`], the name first; the first `count`) fit `width`, and
/// each one's width: its widest cell or header, over every row (so scrolling never changes the
/// layout). The score columns are left out when no chat has a scorecard (`scored` false).
fn fitted(
    all: &[Vec<String>],
    width: usize,
    sort: usize,
    count: usize,
    scored: bool,
) -> Vec<(usize, usize)> {
    let widest = |c: usize| {
        all.iter()
            .map(|r| r.get(c).map_or(0, |s| s.width()))
            .chain([COLUMNS[c].width() + usize::from(c == sort)])
            .max()
            .unwrap_or(0)
    };
    let candidates: Vec<usize> = (1..count.min(COLUMNS.len()))
        .filter(|&c| scored || !(11..=12).contains(&c) || c == sort)
        .collect();
    let mut shown: Vec<(usize, usize)> =
        candidates.iter().copied().map(|c| (c, widest(c))).collect();
    let need =
        |shown: &[(usize, usize)]| NAME_MIN + shown.iter().map(|(_, w)| w + 1).sum::<usize>();
    for col in DROP_ORDER {
        if need(&shown) <= width {
            break;
        }
        if col != sort {
            shown.retain(|(c, _)| *c != col);
        }
    }
    // A column dropped early may fit again once a wider one went: the most needed first.
    for &col in DROP_ORDER.iter().rev() {
        let w = widest(col);
        if candidates.contains(&col)
            && !shown.iter().any(|(c, _)| *c == col)
            && need(&shown) + w < width
        {
            let at = shown.partition_point(|(c, _)| *c < col);
            shown.insert(at, (col, w));
        }
    }
    let name_w = width.saturating_sub(need(&shown) - NAME_MIN).max(NAME_MIN);
    let mut out = vec![(0, name_w)];
    out.extend(shown);
    out
}

/// `rows 1–6 of 19`: how many rows the table has and which are in view.
fn position(offset: usize, visible: usize, rows: usize) -> String {
    if rows == 0 {
        return "no rows".into();
    }
    format!(
        "rows {}–{} of {rows}",
        offset + 1,
        (offset + visible).min(rows)
    )
}

fn draw_table(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let s = &app.stats;
    let rows = s.rows();
    let name_head = match s.table {
        StatsTable::Agents => "AGENT",
        StatsTable::Departments => "DEPARTMENT",
    };
    let all: Vec<Vec<String>> = rows.iter().map(|g| cells(g)).collect();
    let count = StatsView::columns(app.sla.is_some());
    let scored = s.report.as_ref().is_some_and(|r| r.total.scored > 0);
    let cols = fitted(&all, usize::from(area.width), s.column, count, scored);
    // The sort column's header in reverse video and marked ▲/▼ (no colour needed).
    let header: Vec<Cell> = cols
        .iter()
        .map(|&(i, w)| {
            let marked = |head: &str| {
                if i == s.column {
                    format!("{head}{}", mark(app))
                } else {
                    head.to_string()
                }
            };
            let cell = if i == 0 {
                Cell::from(marked(&fit(name_head, w.saturating_sub(1))))
            } else {
                Cell::from(Line::from(marked(COLUMNS[i])).right_aligned())
            };
            if i == s.column {
                cell.style(t.selected(true))
            } else {
                cell
            }
        })
        .collect();
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|&(_, w)| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .collect();
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    let (selected, offset) = (s.selected, s.offset);
    let body: Vec<Row> = all
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(n, c)| {
            let row = Row::new(cols.iter().map(|&(i, w)| {
                let text = c.get(i).map_or("", String::as_str);
                if i == 0 {
                    Cell::from(fit(text, w))
                } else {
                    Cell::from(Line::from(text.to_string()).right_aligned())
                }
            }));
            if n == selected {
                row.style(t.selected(true))
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(body, widths)
        .header(Row::new(header).style(t.header()))
        .column_spacing(1);
    frame.render_widget(table, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_give_way_whole_and_the_sort_column_stays() {
        let row: Vec<String> = [
            "Walid", "1234567", "0", "8m26s", "8m26s", "8m26s", "8m26s", "1h02m", "4.0", "100%",
            "100%", "3", "82.5", "3m 10s", "100%",
        ]
        .map(String::from)
        .to_vec();
        for width in 10..120 {
            for sort in 0..COLUMNS.len() {
                let cols = fitted(std::slice::from_ref(&row), width, sort, COLUMNS.len(), true);
                assert_eq!(cols[0].0, 0, "the name comes first");
                assert!(
                    sort == 0 || cols.iter().any(|c| c.0 == sort),
                    "{width} {sort}"
                );
                for &(c, w) in &cols[1..] {
                    assert!(w >= row[c].width() && w >= COLUMNS[c].width(), "{c} cut");
                }
                let used: usize = cols.iter().map(|c| c.1 + 1).sum::<usize>() - 1;
                assert!(width < 20 || used <= width, "{width} {sort}: {used}");
            }
        }
        let narrow = fitted(std::slice::from_ref(&row), 38, 1, COLUMNS.len(), true);
        let names: Vec<&str> = narrow.iter().map(|c| COLUMNS[c.0]).collect();
        assert_eq!(names, ["NAME", "CHATS", "FRT50", "WAIT90", "AVG★"]);
        let wide = fitted(std::slice::from_ref(&row), 200, 1, COLUMNS.len(), true);
        assert!(wide.iter().any(|c| COLUMNS[c.0] == "SLA%"));
        let unset = fitted(
            std::slice::from_ref(&row),
            200,
            1,
            StatsView::columns(false),
            false,
        );
        assert!(
            unset.iter().all(|c| COLUMNS[c.0] != "SLA%"),
            "no levels, no SLA column"
        );
        assert!(unset.iter().any(|c| COLUMNS[c.0] == "REPLY50"));
        assert!(
            unset.iter().all(|c| COLUMNS[c.0] != "SCORE"),
            "no scorecards, no score columns, also when room frees up"
        );
    }
}
