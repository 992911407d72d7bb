//! The stats view's state and keys: which table (agents or departments), its order and cursor,
//! the heatmap mode, and the latest report, computed off the UI thread (latest request wins).

use super::{App, Effect, Focus};
use crate::model::zone::Zone;
use crate::spool::live::Snapshot;
use crate::stats::{Group, Report};
use crossterm::event::KeyEvent;
use std::cmp::Ordering;
use std::sync::Arc;

use super::super::keymap::{self, Action};

/// The per-group table being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsTable {
    #[default]
    Agents,
    Departments,
}

/// Columns of the per-group table, in order; the first is the name. The last, the SLA rate,
/// is there only when the config sets service levels (see [`StatsView::columns`]).
pub const COLUMNS: [&str; 15] = [
    "NAME", "CHATS", "MISSED", "FRT50", "FRT90", "WAIT50", "WAIT90", "DUR50", "AVG★", "RATED",
    "4-5★", "SCORED", "SCORE", "REPLY50", "SLA%",
];

/// The SLA rate's column.
pub const SLA_COLUMN: usize = 14;

/// A request for the stats worker: the chats the list shows, in a zone.
#[derive(Debug, Clone)]
pub struct StatsRequest {
    pub generation: u64,
    pub snapshot: Arc<Snapshot>,
    pub order: Arc<[u32]>,
    pub zone: Zone,
    pub sla: Option<Arc<crate::model::sla::Sla>>,
    /// The review data: scorecards give `scored` and `avg_score`.
    pub reviews: Arc<crate::review::Reviews>,
}

impl StatsRequest {
    /// The report: the rows the request lists, in its zone (what the worker thread runs).
    pub fn compute(&self) -> Report {
        let chats = &self.snapshot.chats;
        let rows = self
            .order
            .iter()
            .filter_map(|&i| chats.get(i as usize))
            .map(|c| &**c);
        let reviews = &self.reviews;
        crate::stats::report_scored(rows, self.zone, self.sla.as_deref(), &|c| {
            reviews.scored(&c.id)
        })
    }
}

#[derive(Debug)]
pub struct StatsView {
    pub open: bool,
    /// The newest report that came back (kept on screen while a newer one is computed).
    pub report: Option<Arc<Report>>,
    pub generation: u64,
    pub computing: bool,
    pub table: StatsTable,
    /// Sort column (index into [`COLUMNS`]); 1 (chats) by default.
    pub column: usize,
    pub reverse: bool,
    pub selected: usize,
    /// First visible table row (kept by the renderer).
    pub offset: usize,
    /// Table rows on screen, for page moves (kept by the layout pass).
    pub page: usize,
    /// Heatmap of median waits instead of chat starts.
    pub heat_wait: bool,
}

/// A column's value for a group, for sorting: larger first; unknown values last.
#[allow(clippy::cast_precision_loss)]
pub fn value(g: &Group, column: usize) -> Option<f64> {
    let f = &g.figures;
    let secs = |s: Option<u64>| s.map(|v| v as f64);
    match column {
        1 => Some(f.chats as f64),
        2 => Some(f.missed as f64),
        3 => secs(f.first_response_p50_secs),
        4 => secs(f.first_response_p90_secs),
        5 => secs(f.wait_p50_secs),
        6 => secs(f.wait_p90_secs),
        7 => secs(f.duration_p50_secs),
        8 => f.avg_rating,
        9 => f.rated_share(),
        10 => f.good_share(),
        11 => Some(f.scored as f64),
        12 => f.avg_score,
        13 => secs(f.reply_p50_secs),
        SLA_COLUMN => f.sla_rate,
        _ => None,
    }
}

impl Default for StatsView {
    fn default() -> Self {
        StatsView {
            open: false,
            report: None,
            generation: 0,
            computing: false,
            table: StatsTable::Agents,
            column: 1,
            reverse: false,
            selected: 0,
            offset: 0,
            page: 1,
            heat_wait: false,
        }
    }
}

impl StatsView {
    /// How many columns the table has: all, or all but the SLA rate without levels.
    pub fn columns(sla: bool) -> usize {
        if sla {
            COLUMNS.len()
        } else {
            SLA_COLUMN
        }
    }

    /// The groups of the current table, in the chosen order.
    pub fn rows(&self) -> Vec<&Group> {
        let Some(r) = &self.report else {
            return Vec::new();
        };
        let groups = match self.table {
            StatsTable::Agents => &r.agents,
            StatsTable::Departments => &r.departments,
        };
        let mut rows: Vec<&Group> = groups.iter().collect();
        let col = self.column;
        rows.sort_by(|a, b| {
            let o = if col == 0 {
                a.name.to_lowercase().cmp(&b.name.to_lowercase())
            } else {
                match (value(a, col), value(b, col)) {
                    (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
                    (x, y) => y.is_some().cmp(&x.is_some()),
                }
            };
            let o = if self.reverse { o.reverse() } else { o };
            o.then_with(|| a.name.cmp(&b.name))
        });
        rows
    }
}

impl App {
    /// A stats request for what the list shows now (when the view is open).
    pub(super) fn request_stats(&mut self) -> Option<Effect> {
        if !self.stats.open {
            return None;
        }
        self.stats.generation += 1;
        self.stats.computing = true;
        Some(Effect::Stats(StatsRequest {
            generation: self.stats.generation,
            snapshot: self.view.clone(),
            order: self.order.as_slice().into(),
            zone: self.zone,
            sla: self.sla.clone(),
            reviews: self.reviews.clone(),
        }))
    }

    /// The worker's answer; an older generation's is dropped.
    pub fn on_stats(&mut self, generation: u64, report: Arc<Report>) {
        if generation != self.stats.generation {
            return;
        }
        self.stats.computing = false;
        self.stats.report = Some(report);
    }

    pub(super) fn toggle_stats(&mut self) -> Vec<Effect> {
        self.stats.open = !self.stats.open;
        self.search.searching = false;
        self.request_stats().into_iter().collect()
    }

    /// `z`: the next zone; the stats view recomputes its buckets.
    pub(super) fn cycle_zone(&mut self) -> Vec<Effect> {
        self.zone = self.zone.next();
        self.flash = Some(match self.zone {
            Zone::Visitor => "times in each visitor's zone".into(),
            z => format!("times in {z}"),
        });
        self.request_stats().into_iter().collect()
    }

    pub(super) fn on_stats_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(action) = keymap::stats_action(&key) else {
            return Vec::new();
        };
        let rows = self.stats.rows().len();
        let n = StatsView::columns(self.sla.is_some());
        let s = &mut self.stats;
        match action {
            Action::ToggleStats | Action::Cancel => return self.toggle_stats(),
            // Only Ctrl-C quits from here: `q` closes the view, as it closes the overlays.
            Action::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::Suspend => return vec![Effect::Suspend],
            Action::Redraw => return vec![Effect::Clear],
            Action::CycleZone => return self.cycle_zone(),
            Action::Search | Action::Help => return self.on_action(action),
            Action::Accept => return self.filter_to_selected(),
            Action::Down => s.selected = (s.selected + 1).min(rows.saturating_sub(1)),
            Action::Up => s.selected = s.selected.saturating_sub(1),
            // The same moves as in the list; the layout pass keeps the row in view.
            Action::Top => s.selected = 0,
            Action::Bottom => s.selected = rows.saturating_sub(1),
            Action::PageDown => {
                s.selected = (s.selected + s.page.max(1)).min(rows.saturating_sub(1));
            }
            Action::PageUp => s.selected = s.selected.saturating_sub(s.page.max(1)),
            Action::StatsTable => {
                s.table = match s.table {
                    StatsTable::Agents => StatsTable::Departments,
                    StatsTable::Departments => StatsTable::Agents,
                };
                s.selected = 0;
                s.offset = 0;
            }
            Action::StatsColumnNext => s.column = (s.column + 1) % n,
            Action::StatsColumnPrev => s.column = (s.column.min(n - 1) + n - 1) % n,
            Action::StatsReverse => s.reverse = !s.reverse,
            Action::StatsHeat => s.heat_wait = !s.heat_wait,
            _ => {}
        }
        Vec::new()
    }

    /// Enter on a row: add `agent:^"NAME"$` (or `dept:`) to the search and go back to the list.
    fn filter_to_selected(&mut self) -> Vec<Effect> {
        let (field, name) = {
            let rows = self.stats.rows();
            let Some(g) = rows.get(self.stats.selected) else {
                return Vec::new();
            };
            let field = match self.stats.table {
                StatsTable::Agents => "agent",
                StatsTable::Departments => "dept",
            };
            (field, g.name.clone())
        };
        if field == "dept" && name == "(none)" {
            self.flash = Some("chats without a department cannot be searched for".into());
            return Vec::new();
        }
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        let term = format!("{field}:^\"{quoted}\"$");
        if !self.search.input.text.trim().is_empty() {
            self.search.input.text = format!("{} ", self.search.input.text.trim_end());
        }
        self.search.input.text.push_str(&term);
        self.search.input.end();
        self.stats.open = false;
        self.focus = Focus::List;
        self.apply_input()
    }
}
