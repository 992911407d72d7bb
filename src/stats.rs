//! Aggregates over a set of chats, for `stats` and the viewer's stats view: totals, per agent,
//! per department, per wrap-up category; averages, nearest-rank percentiles, and when chats start
//! (by hour, by weekday and hour, over time) in a chosen zone. No terminal code.

mod acc;
mod volume;

pub use acc::{percentile, CELLS};
pub use volume::Volume;

use crate::model::zone::{WallClock, Zone};
use crate::model::ChatSummary;
use acc::Acc;
use chrono::{Datelike, Timelike};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Counts, averages and percentiles for one group of chats. Chats whose value is unknown are left
/// out of that value's average and percentiles; `with_*` and `rated` say how many are in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub chats: usize,
    /// Chats no agent took part in (missed or bot-only).
    pub missed: usize,
    pub with_wait: usize,
    pub with_duration: usize,
    pub with_first_response: usize,
    pub rated: usize,
    pub avg_wait_secs: Option<f64>,
    pub avg_duration_secs: Option<f64>,
    pub avg_first_response_secs: Option<f64>,
    pub avg_rating: Option<f64>,
    pub wait_p50_secs: Option<u64>,
    pub wait_p90_secs: Option<u64>,
    pub duration_p50_secs: Option<u64>,
    pub duration_p90_secs: Option<u64>,
    pub first_response_p50_secs: Option<u64>,
    pub first_response_p90_secs: Option<u64>,
    /// How many chats got each rating, `"1"` to `"5"`.
    pub ratings: BTreeMap<String, usize>,
    /// Chat starts per hour of the day (24), in the report's zone.
    pub by_hour: Vec<usize>,
    /// Chat starts per weekday (7 rows, Monday first) and hour (24 columns).
    pub by_weekday_hour: Vec<Vec<usize>>,
}

impl Figures {
    /// Share of the rated chats rated 4 or 5.
    #[allow(clippy::cast_precision_loss)]
    pub fn good_share(&self) -> Option<f64> {
        let good = self.ratings.get("4").unwrap_or(&0) + self.ratings.get("5").unwrap_or(&0);
        (self.rated > 0).then(|| good as f64 / self.rated as f64)
    }

    /// Share of the chats that were rated.
    #[allow(clippy::cast_precision_loss)]
    pub fn rated_share(&self) -> Option<f64> {
        (self.chats > 0).then(|| self.rated as f64 / self.chats as f64)
    }
}

/// One named group (an agent, a department).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The whole `stats` report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub total: Figures,
    pub first_started_at: Option<String>,
    pub last_started_at: Option<String>,
    /// The zone `by_hour`, `by_weekday_hour` and the volume are bucketed in (`UTC`, `local`, …).
    pub tz: String,
    /// Median (nearest-rank p50) waiting time per weekday × hour cell, `null` for cells without
    /// a known wait.
    pub wait_p50_by_weekday_hour: Vec<Vec<Option<u64>>>,
    /// Per agent; a chat with several agents counts for each. Most chats first.
    pub agents: Vec<Group>,
    /// Per department (`(none)` when unknown). Most chats first.
    pub departments: Vec<Group>,
    /// Per wrap-up category, under its full name (`Billing: Refund`); `(none)` for chats
    /// without one. Most chats first.
    pub wrap_ups: Vec<Group>,
    /// Chat starts over time (for the viewer; not in JSON).
    #[serde(skip)]
    pub volume: Volume,
}

/// Accumulators per name, in first-seen order (names borrowed from the chats: no allocation
/// per chat).
#[derive(Default)]
struct Groups<'a> {
    slots: HashMap<&'a str, usize>,
    accs: Vec<(&'a str, Acc)>,
}

impl<'a> Groups<'a> {
    fn get(&mut self, name: &'a str) -> &mut Acc {
        let accs = &mut self.accs;
        let i = *self.slots.entry(name).or_insert_with(|| {
            accs.push((name, Acc::default()));
            accs.len() - 1
        });
        &mut self.accs[i].1
    }

    /// Most chats first, then by name.
    fn finish(self) -> Vec<Group> {
        let mut out: Vec<Group> = self
            .accs
            .into_iter()
            .map(|(name, mut acc)| Group {
                name: name.to_string(),
                figures: acc.figures(),
            })
            .collect();
        out.sort_by(|a, b| {
            b.figures
                .chats
                .cmp(&a.figures.chats)
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}

/// Aggregate the given chats, bucketing start times in `zone`.
pub fn report<'a>(chats: impl IntoIterator<Item = &'a ChatSummary>, zone: Zone) -> Report {
    let mut total = Acc::default();
    let mut agents = Groups::default();
    let mut depts = Groups::default();
    let mut wrap_ups = Groups::default();
    let mut clock = WallClock::new(zone);
    let mut walls: Vec<i64> = Vec::new();
    let mut cell_waits: Vec<Vec<u64>> = vec![Vec::new(); CELLS];
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    let mut names: Vec<&str> = Vec::new();
    for c in chats {
        let cell = c.started_ms.and_then(|s| {
            first = Some(first.map_or(s, |f| f.min(s)));
            last = Some(last.map_or(s, |l| l.max(s)));
            let wall = clock.wall_ms(s, c.visitor_offset_min);
            walls.push(wall);
            let t = chrono::DateTime::from_timestamp_millis(wall)?;
            Some(t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize)
        });
        total.add(c, cell);
        if let (Some(cell), Some(w)) = (cell, c.wait_secs) {
            cell_waits[cell].push(w);
        }
        names.clear();
        names.extend(c.agents.iter().map(|a| &**a));
        names.sort_unstable();
        names.dedup();
        for name in &names {
            agents.get(name).add(c, cell);
        }
        depts
            .get(c.department.as_deref().unwrap_or("(none)"))
            .add(c, cell);
        wrap_ups
            .get(c.wrap_up_category().unwrap_or("(none)"))
            .add(c, cell);
    }
    let fmt = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(crate::model::time::rfc3339)
    };
    let medians: Vec<Option<u64>> = cell_waits.iter_mut().map(|w| percentile(w, 50)).collect();
    Report {
        total: total.figures(),
        first_started_at: fmt(first),
        last_started_at: fmt(last),
        tz: zone.to_string(),
        wait_p50_by_weekday_hour: medians.chunks(24).map(<[_]>::to_vec).collect(),
        agents: agents.finish(),
        departments: depts.finish(),
        wrap_ups: wrap_ups.finish(),
        volume: Volume::build(&walls),
    }
}

#[cfg(test)]
mod tests;
