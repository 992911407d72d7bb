//! One group's running figures, and nearest-rank percentiles.

use super::Figures;
use crate::model::sla::SlaVerdict;
use crate::model::turns::{BotUse, LastFrom};
use crate::model::ChatSummary;

/// Cells of the weekday × hour grid: Monday 00h is 0, Sunday 23h is 167.
pub const CELLS: usize = 7 * 24;

/// Whether a chat has a scorecard, and its score in tenths (review data, given by the caller).
pub type Scored = (bool, Option<i64>);

/// Raw values of one group, kept whole so percentiles are exact.
#[derive(Default)]
pub(super) struct Acc {
    chats: usize,
    missed: usize,
    wait: Vec<u64>,
    dur: Vec<u64>,
    frt: Vec<u64>,
    rating: (u64, usize),
    dist: [usize; 5],
    cells: Vec<usize>,
    reply: Vec<u64>,
    transferred: usize,
    bot_only: usize,
    bot_handoff: usize,
    ended_on_visitor: usize,
    sla_met: usize,
    sla_breached: usize,
    /// Chats with a scorecard; the sum (tenths) and count of their scores.
    scored: usize,
    score: (i64, usize),
}

/// What is decided once per chat and counted in every group it belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Once<'a> {
    pub cell: Option<usize>,
    /// The chat's verdict against the configured levels.
    pub sla: Option<SlaVerdict>,
    /// For a per-agent group: only the replies this agent sent count.
    pub replier: Option<&'a str>,
    /// The chat's scorecards (review data).
    pub score: Scored,
}

impl Acc {
    /// Count one chat; `cell` is its start's weekday × hour in the report's zone.
    pub fn add(&mut self, c: &ChatSummary, once: Once) {
        let cell = once.cell;
        let score = once.score;
        self.chats += 1;
        if score.0 {
            self.scored += 1;
        }
        if let Some(s) = score.1 {
            self.score = (self.score.0 + s, self.score.1 + 1);
        }
        if c.agents.is_empty() {
            self.missed += 1;
        }
        if let Some(w) = c.wait_secs {
            self.wait.push(w);
        }
        if let Some(d) = c.duration_secs().and_then(|d| u64::try_from(d).ok()) {
            self.dur.push(d);
        }
        if let Some(f) = c.first_response_secs {
            self.frt.push(f.into());
        }
        if let Some(r) = c.rating.filter(|r| (1..=5).contains(r)) {
            self.rating = (self.rating.0 + u64::from(r), self.rating.1 + 1);
            self.dist[usize::from(r) - 1] += 1;
        }
        let t = &c.turns;
        match once.replier {
            None => self.reply.extend(t.reply_times().map(u64::from)),
            Some(agent) => self.reply.extend(
                t.replies
                    .iter()
                    .filter(|r| t.replier(**r) == Some(agent.trim()))
                    .filter_map(|r| r.secs().map(u64::from)),
            ),
        }
        self.transferred += usize::from(t.transfers() > 0);
        match t.bot() {
            BotUse::Only => self.bot_only += 1,
            BotUse::Handoff => self.bot_handoff += 1,
            BotUse::None => {}
        }
        self.ended_on_visitor += usize::from(t.last_from() == Some(LastFrom::Visitor));
        match once.sla {
            Some(SlaVerdict::Met) => self.sla_met += 1,
            Some(SlaVerdict::Breached) => self.sla_breached += 1,
            None => {}
        }
        if let Some(cell) = cell {
            if self.cells.is_empty() {
                self.cells = vec![0; CELLS];
            }
            self.cells[cell] += 1;
        }
    }

    /// Take in another group's values (the report folds chunks of chats in parallel); every
    /// figure is independent of the order values arrive in.
    pub fn merge(&mut self, other: Acc) {
        self.chats += other.chats;
        self.missed += other.missed;
        self.scored += other.scored;
        self.score = (self.score.0 + other.score.0, self.score.1 + other.score.1);
        self.wait.extend(other.wait);
        self.dur.extend(other.dur);
        self.frt.extend(other.frt);
        self.rating = (
            self.rating.0 + other.rating.0,
            self.rating.1 + other.rating.1,
        );
        self.reply.extend(other.reply);
        self.transferred += other.transferred;
        self.bot_only += other.bot_only;
        self.bot_handoff += other.bot_handoff;
        self.ended_on_visitor += other.ended_on_visitor;
        self.sla_met += other.sla_met;
        self.sla_breached += other.sla_breached;
        for (mine, theirs) in self.dist.iter_mut().zip(other.dist) {
            *mine += theirs;
        }
        if self.cells.is_empty() {
            self.cells = other.cells;
        } else {
            for (mine, theirs) in self.cells.iter_mut().zip(other.cells) {
                *mine += theirs;
            }
        }
    }

    /// The figures; reorders the kept values (percentile selection). `levels`: whether
    /// service levels are configured (the SLA figures are null without).
    #[allow(clippy::cast_precision_loss)] // rating sums are at most 5 × chats
    pub fn figures(&mut self, levels: bool) -> Figures {
        let share =
            |part: usize, whole: usize| (whole > 0).then(|| round2(part as f64 / whole as f64));
        let mut cells = std::mem::take(&mut self.cells);
        cells.resize(CELLS, 0);
        let by_weekday_hour: Vec<Vec<usize>> = cells.chunks(24).map(<[usize]>::to_vec).collect();
        let by_hour = (0..24)
            .map(|h| by_weekday_hour.iter().map(|day| day[h]).sum())
            .collect();
        Figures {
            chats: self.chats,
            missed: self.missed,
            with_wait: self.wait.len(),
            with_duration: self.dur.len(),
            with_first_response: self.frt.len(),
            rated: self.rating.1,
            avg_wait_secs: mean(&self.wait),
            avg_duration_secs: mean(&self.dur),
            avg_first_response_secs: mean(&self.frt),
            avg_rating: (self.rating.1 > 0)
                .then(|| round2(self.rating.0 as f64 / self.rating.1 as f64)),
            wait_p50_secs: percentile(&mut self.wait, 50),
            wait_p90_secs: percentile(&mut self.wait, 90),
            duration_p50_secs: percentile(&mut self.dur, 50),
            duration_p90_secs: percentile(&mut self.dur, 90),
            first_response_p50_secs: percentile(&mut self.frt, 50),
            first_response_p90_secs: percentile(&mut self.frt, 90),
            reply_p50_secs: percentile(&mut self.reply, 50),
            reply_p90_secs: percentile(&mut self.reply, 90),
            transferred: self.transferred,
            bot_only: self.bot_only,
            bot_handoff: self.bot_handoff,
            containment: share(self.bot_only, self.bot_only + self.bot_handoff),
            ended_on_visitor: self.ended_on_visitor,
            sla_met: levels.then_some(self.sla_met),
            sla_breached: levels.then_some(self.sla_breached),
            sla_rate: levels
                .then(|| share(self.sla_met, self.sla_met + self.sla_breached))
                .flatten(),
            ratings: (1..=5).map(|r| (r.to_string(), self.dist[r - 1])).collect(),
            by_hour,
            by_weekday_hour,
            scored: self.scored,
            avg_score: crate::model::score::mean_tenths_of(self.score.0, self.score.1)
                .map(crate::model::score::as_number),
        }
    }
}

/// Mean rounded to two decimals; `None` for no values. Sums in u128: no overflow.
#[allow(clippy::cast_precision_loss)]
fn mean(values: &[u64]) -> Option<f64> {
    let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
    (!values.is_empty()).then(|| round2(sum as f64 / values.len() as f64))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Nearest-rank percentile; lives in the model, which a chat's own reply times use too.
pub use crate::model::rank::percentile;

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, spelled out: sort, then the first value with ≥ pct% at or below it.
    fn by_definition(values: &[u64], pct: usize) -> Option<u64> {
        let mut v = values.to_vec();
        v.sort_unstable();
        v.iter()
            .copied()
            .find(|x| v.iter().filter(|y| *y <= x).count() * 100 >= pct * v.len())
    }

    #[test]
    fn nearest_rank_examples() {
        assert_eq!(percentile(&mut [], 50), None);
        assert_eq!(percentile(&mut [7], 90), Some(7));
        assert_eq!(percentile(&mut [1, 2], 50), Some(1));
        assert_eq!(percentile(&mut [4, 1, 3, 2], 50), Some(2));
        assert_eq!(
            percentile(&mut [10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90),
            Some(9)
        );
        assert_eq!(
            percentile(&mut [10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 11], 90),
            Some(10)
        );
    }

    proptest::proptest! {
        #[test]
        fn matches_the_definition(values in proptest::collection::vec(0u64..50, 0..60), pct in 1usize..=100) {
            let mut v = values.clone();
            proptest::prop_assert_eq!(percentile(&mut v, pct), by_definition(&values, pct));
        }
    }
}
