//! Aggregates over a set of chats, for `stats` and the viewer's stats view: totals, per agent,
//! per department, per wrap-up category; averages, nearest-rank percentiles, and when chats start
//! (by hour, by weekday and hour, over time) in a chosen zone. No terminal code.

mod acc;
mod volume;

pub use acc::{percentile, CELLS};
pub use volume::Volume;

use crate::model::sla::Sla;
use crate::model::zone::{WallClock, Zone};
use crate::model::ChatSummary;
use acc::{Acc, Once};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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
    /// Reply times (see `model::turns`) over the group's chats; per agent, over the replies that
    /// agent sent.
    pub reply_p50_secs: Option<u64>,
    pub reply_p90_secs: Option<u64>,
    /// Chats with `transfers > 0`.
    pub transferred: usize,
    /// Chats a bot handled alone, and chats a bot and an agent both spoke in.
    pub bot_only: usize,
    pub bot_handoff: usize,
    /// `bot_only` ÷ chats with a bot message, two decimals; null without bot chats.
    pub containment: Option<f64>,
    /// Chats whose last message was the visitor's.
    pub ended_on_visitor: usize,
    /// Chats that met / breached the configured service levels; null when none are set.
    pub sla_met: Option<usize>,
    pub sla_breached: Option<usize>,
    /// `sla_met` ÷ chats measured, two decimals.
    pub sla_rate: Option<f64>,
    /// How many chats got each rating, `"1"` to `"5"`.
    pub ratings: BTreeMap<String, usize>,
    /// Chat starts per hour of the day (24), in the report's zone.
    pub by_hour: Vec<usize>,
    /// Chat starts per weekday (7 rows, Monday first) and hour (24 columns).
    pub by_weekday_hour: Vec<Vec<usize>>,
    /// Chats with a scorecard.
    pub scored: usize,
    /// The mean of their scores (0 to 100, one decimal); null when none has a score.
    pub avg_score: Option<f64>,
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
/// per chat). Names are shared by the chats of a spool (one `Arc<str>` per distinct name), so a
/// name is looked up by its address first — one cheap hash — and by its text only the first
/// time an address is seen (two copies of one name still share a slot).
#[derive(Default)]
struct Groups<'a> {
    by_addr: HashMap<(usize, usize), usize, BuildHasherDefault<AddrHasher>>,
    by_name: HashMap<&'a str, usize>,
    accs: Vec<(&'a str, Acc)>,
}

/// A hasher for addresses: a multiply per word (they are unique already; only the spread
/// matters).
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl<'a> Groups<'a> {
    fn get(&mut self, name: &'a str) -> &mut Acc {
        // The address and the length: an empty name's address is not unique.
        let addr = (name.as_ptr() as usize, name.len());
        let i = match self.by_addr.get(&addr) {
            Some(&i) => i,
            None => {
                let accs = &mut self.accs;
                let i = *self.by_name.entry(name).or_insert_with(|| {
                    accs.push((name, Acc::default()));
                    accs.len() - 1
                });
                self.by_addr.insert(addr, i);
                i
            }
        };
        &mut self.accs[i].1
    }

    /// Most chats first, then by name.
    /// Take in another chunk's groups, by name.
    fn merge(&mut self, other: Groups<'a>) {
        for (name, acc) in other.accs {
            self.get(name).merge(acc);
        }
    }

    fn finish(self, levels: bool) -> Vec<Group> {
        let mut out: Vec<Group> = self
            .accs
            .into_iter()
            .map(|(name, mut acc)| Group {
                name: name.to_string(),
                figures: acc.figures(levels),
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

const DAY_MS: i64 = 86_400_000;

/// The weekday × hour cell (Monday 00h is 0) of a wall-clock time in milliseconds, by integer
/// arithmetic (1970-01-01 was a Thursday).
fn cell_of(wall_ms: i64) -> usize {
    let day = wall_ms.div_euclid(DAY_MS);
    let weekday = (day + 3).rem_euclid(7);
    let hour = wall_ms.rem_euclid(DAY_MS) / 3_600_000;
    usize::try_from(weekday * 24 + hour).unwrap_or(0)
}

/// Chats per parallel chunk: below this a thread costs more than it saves.
const CHUNK: usize = 16_384;

/// The running figures over some of the chats: folded per chunk, then merged.
struct Partial<'a> {
    total: Acc,
    agents: Groups<'a>,
    depts: Groups<'a>,
    wrap_ups: Groups<'a>,
    walls: Vec<i64>,
    cell_waits: Vec<Vec<u64>>,
    first: Option<i64>,
    last: Option<i64>,
}

impl<'a> Partial<'a> {
    /// Fold `chats`, bucketing start times in `zone`, judging service by `levels`, with each
    /// chat's scorecards from `scores`.
    fn of(
        chats: &[&'a ChatSummary],
        zone: Zone,
        levels: Option<&Sla>,
        scores: &ScoreOf<'_>,
    ) -> Partial<'a> {
        let mut p = Partial {
            total: Acc::default(),
            agents: Groups::default(),
            depts: Groups::default(),
            wrap_ups: Groups::default(),
            walls: Vec::new(),
            cell_waits: vec![Vec::new(); CELLS],
            first: None,
            last: None,
        };
        let mut clock = WallClock::new(zone);
        let mut names: Vec<&str> = Vec::new();
        for &c in chats {
            let cell = c.started_ms().map(|s| {
                p.first = Some(p.first.map_or(s, |f| f.min(s)));
                p.last = Some(p.last.map_or(s, |l| l.max(s)));
                let wall = clock.wall_ms(s, c.visitor_offset_min);
                p.walls.push(wall);
                cell_of(wall)
            });
            let once = Once {
                cell,
                sla: levels.and_then(|l| c.sla(l).verdict),
                replier: None,
                score: scores(c),
            };
            p.total.add(c, once);
            if let (Some(cell), Some(w)) = (cell, c.wait_secs) {
                p.cell_waits[cell].push(w);
            }
            names.clear();
            names.extend(c.agents.iter().map(|a| &**a));
            names.sort_unstable();
            names.dedup();
            for name in &names {
                let mine = Once {
                    replier: Some(name),
                    ..once
                };
                p.agents.get(name).add(c, mine);
            }
            p.depts.get(c.department().unwrap_or("(none)")).add(c, once);
            p.wrap_ups
                .get(c.wrap_up_category().unwrap_or("(none)"))
                .add(c, once);
        }
        p
    }

    /// Both parts together (every figure is independent of the order of chats).
    fn merge(mut self, other: Partial<'a>) -> Partial<'a> {
        self.total.merge(other.total);
        self.agents.merge(other.agents);
        self.depts.merge(other.depts);
        self.wrap_ups.merge(other.wrap_ups);
        self.walls.extend(other.walls);
        for (mine, theirs) in self.cell_waits.iter_mut().zip(other.cell_waits) {
            mine.extend(theirs);
        }
        self.first = self.first.into_iter().chain(other.first).min();
        self.last = self.last.into_iter().chain(other.last).max();
        self
    }
}

/// Aggregate the given chats, bucketing start times in `zone` and judging service by the
/// configured `levels`. Large sets are folded in chunks on every core and merged (the viewer
/// recomputes on each keystroke of a search).
pub fn report<'a>(
    chats: impl IntoIterator<Item = &'a ChatSummary>,
    zone: Zone,
    levels: Option<&Sla>,
) -> Report {
    report_scored(chats, zone, levels, &|_| (false, None))
}

/// What the report knows of a chat's scorecards: whether it has one, and its score in tenths.
pub type ScoreOf<'s> = dyn Fn(&ChatSummary) -> acc::Scored + Sync + 's;

/// [`report`] with the review data's scores (`scored`, `avg_score`).
pub fn report_scored<'a>(
    chats: impl IntoIterator<Item = &'a ChatSummary>,
    zone: Zone,
    levels: Option<&Sla>,
    scores: &ScoreOf<'_>,
) -> Report {
    use rayon::prelude::*;
    let chats: Vec<&ChatSummary> = chats.into_iter().collect();
    let p = if chats.len() <= CHUNK {
        Partial::of(&chats, zone, levels, scores)
    } else {
        chats
            .par_chunks(CHUNK)
            .map(|part| Partial::of(part, zone, levels, scores))
            .reduce_with(Partial::merge)
            .unwrap_or_else(|| Partial::of(&[], zone, levels, scores))
    };
    p.finish(zone, levels.is_some())
}

impl Partial<'_> {
    /// The report of the chats folded into this partial (one pass or merged chunks alike).
    fn finish(self, zone: Zone, levels: bool) -> Report {
        let Partial {
            mut total,
            agents,
            depts,
            wrap_ups,
            walls,
            mut cell_waits,
            first,
            last,
        } = self;
        let fmt = |ms: Option<i64>| {
            ms.and_then(chrono::DateTime::from_timestamp_millis)
                .map(crate::model::time::rfc3339)
        };
        let medians: Vec<Option<u64>> = cell_waits.iter_mut().map(|w| percentile(w, 50)).collect();
        Report {
            total: total.figures(levels),
            first_started_at: fmt(first),
            last_started_at: fmt(last),
            tz: zone.to_string(),
            wait_p50_by_weekday_hour: medians.chunks(24).map(<[_]>::to_vec).collect(),
            agents: agents.finish(levels),
            departments: depts.finish(levels),
            wrap_ups: wrap_ups.finish(levels),
            volume: Volume::build(&walls),
        }
    }
}

#[cfg(test)]
mod tests;
