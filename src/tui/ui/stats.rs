//! The stats view (`i`): totals, the per-agent or per-department table, chat starts over time,
//! the weekday × hour heatmap and the rating distribution, for the chats the search selects.
//! Sections give way from the bottom up on short terminals; the table always stays.

use super::super::app::{App, StatsTable, COLUMNS};
use super::super::keymap::{hint, Action, Context};
use super::heatmap;
use crate::format::{compact_secs, fit};
use crate::stats::{Figures, Group, Report};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Cell, Paragraph, Row, Sparkline, Table};
use ratatui::Frame;
use std::sync::Arc;

/// Column widths of the table after the name (0: the name takes the rest).
const WIDTHS: [u16; 11] = [0, 5, 6, 6, 6, 6, 6, 6, 4, 5, 4];

fn secs(s: Option<u64>) -> String {
    crate::format::secs_or_dash(s, compact_secs)
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
        Span::styled(
            format!(
                "· by {} {} ",
                sort_name(app),
                if app.stats.reverse { "▲" } else { "▼" }
            ),
            t.dim(),
        ),
    ];
    if app.stats.computing {
        title.push(Span::styled("· computing… ", t.dim()));
    }
    let block = super::pane(app, Line::from(title), true)
        .title_bottom(Line::styled(format!(" {} ", footer()), t.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(report) = app.stats.report.clone() else {
        super::message(frame, inner, vec![Line::from("Computing…")]);
        return;
    };
    draw_inner(frame, app, &report, inner);
}

/// The view's keys, from the key table.
fn footer() -> String {
    let k = |a: Action| hint(a, Context::Stats);
    format!(
        "{} back · {} agents/depts · {}/{} sort · {} reverse · {} filter · {} wait",
        k(Action::ToggleStats),
        k(Action::StatsTable),
        k(Action::StatsColumnPrev),
        k(Action::StatsColumnNext),
        k(Action::StatsReverse),
        k(Action::Accept),
        k(Action::StatsHeat)
    )
}

/// Where the parts go inside the view: totals, volume, the table, heatmap and ratings; a part
/// that does not fit is left out (zero height).
fn parts(inner: Rect) -> [Rect; 4] {
    let h = inner.height;
    let bottom_h = if h >= 18 { heatmap::HEIGHT } else { 0 };
    let volume_h = if h >= 21 { 3 } else { 0 };
    let totals_h = if h >= 8 { 2 } else { 0 };
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
    s.selected = s.selected.min(rows.saturating_sub(1));
    s.offset = s.offset.min(s.selected);
    if s.selected >= s.offset + visible {
        s.offset = s.selected + 1 - visible;
    }
}

fn draw_inner(frame: &mut Frame, app: &App, r: &Arc<Report>, inner: Rect) {
    let [totals, volume, table, bottom] = parts(inner);
    if totals.height > 0 {
        frame.render_widget(Paragraph::new(totals_lines(app, &r.total)), totals);
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

fn totals_lines(app: &App, f: &Figures) -> Vec<Line<'static>> {
    let t = app.theme;
    let first = format!(
        "{} chats · {} missed · {} answered · {} rated, avg {}★, {} 4–5★",
        f.chats,
        f.missed,
        f.with_first_response,
        f.rated,
        f.avg_rating
            .map_or_else(|| "-".into(), |v| format!("{v:.1}")),
        pct(f.good_share()),
    );
    let second = format!(
        "p50/p90: wait {}/{} · first reply {}/{} · duration {}/{}",
        secs(f.wait_p50_secs),
        secs(f.wait_p90_secs),
        secs(f.first_response_p50_secs),
        secs(f.first_response_p90_secs),
        secs(f.duration_p50_secs),
        secs(f.duration_p90_secs),
    );
    vec![Line::styled(first, t.title()), Line::raw(second)]
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
    let title = format!(
        "Chats per {} · {} to {} ({}) · max {}",
        if v.hourly { "hour" } else { "day" },
        label(skip),
        label(v.counts.len().saturating_sub(1)),
        r.tz,
        shown.iter().max().unwrap_or(&0)
    );
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Line::styled(fit(&title, width), app.theme.header()), head);
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
    ]
}

fn draw_table(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let s = &app.stats;
    let rows = s.rows();
    let name_head = match s.table {
        StatsTable::Agents => "AGENT",
        StatsTable::Departments => "DEPARTMENT",
    };
    // The sort column's header in reverse video (no colour needed); the title says the order.
    let header: Vec<Cell> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = if i == 0 { name_head } else { c };
            let line = if i == 0 {
                Line::from(text)
            } else {
                Line::from(text).right_aligned()
            };
            let cell = Cell::from(line);
            if i == s.column {
                cell.style(t.selected(true))
            } else {
                cell
            }
        })
        .collect();
    let widths = WIDTHS.map(|w| {
        if w == 0 {
            Constraint::Min(8)
        } else {
            Constraint::Length(w)
        }
    });
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    let (selected, offset) = (s.selected, s.offset);
    let fixed: u16 = WIDTHS.iter().sum::<u16>() + 10;
    let name_w = usize::from(area.width.saturating_sub(fixed)).max(8);
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, g)| {
            let c = cells(g);
            let row = Row::new(c.into_iter().enumerate().map(|(i, text)| {
                if i == 0 {
                    Cell::from(fit(&text, name_w))
                } else {
                    Cell::from(Line::from(text).right_aligned())
                }
            }));
            if i == selected {
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
