//! Aggregates over a set of chats, for `stats` and the TUI: totals, per agent, per department,
//! per wrap-up category.

use crate::model::ChatSummary;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts and averages for one group of chats.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub chats: usize,
    /// Chats with a known waiting time, duration and rating: the averages' denominators.
    pub with_wait: usize,
    pub with_duration: usize,
    pub rated: usize,
    pub avg_wait_secs: Option<f64>,
    pub avg_duration_secs: Option<f64>,
    pub avg_rating: Option<f64>,
    /// How many chats got each rating, `"1"` to `"5"`.
    pub ratings: BTreeMap<String, usize>,
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
    /// Chats no agent took part in.
    pub missed: usize,
    pub first_started_at: Option<String>,
    pub last_started_at: Option<String>,
    /// Per agent; a chat with several agents counts for each. Most chats first.
    pub agents: Vec<Group>,
    /// Per department (`(none)` when unknown). Most chats first.
    pub departments: Vec<Group>,
    /// Per wrap-up category, under its full name (`Billing: Refund`); `(none)` for chats
    /// without one. Most chats first.
    pub wrap_ups: Vec<Group>,
}

#[derive(Default)]
struct Acc {
    chats: usize,
    wait: (u64, usize),
    dur: (i64, usize),
    rating: (u64, usize),
    dist: [usize; 5],
}

impl Acc {
    fn add(&mut self, c: &ChatSummary) {
        self.chats += 1;
        if let Some(w) = c.wait_secs {
            self.wait = (self.wait.0.saturating_add(w), self.wait.1 + 1);
        }
        if let Some(d) = c.duration_secs().filter(|d| *d >= 0) {
            self.dur = (self.dur.0.saturating_add(d), self.dur.1 + 1);
        }
        if let Some(r) = c.rating.filter(|r| (1..=5).contains(r)) {
            self.rating = (self.rating.0 + u64::from(r), self.rating.1 + 1);
            self.dist[usize::from(r) - 1] += 1;
        }
    }

    #[allow(clippy::cast_precision_loss)] // sums of seconds stay far below 2^52
    fn figures(&self) -> Figures {
        let avg = |sum: f64, n: usize| (n > 0).then(|| round2(sum / n as f64));
        Figures {
            chats: self.chats,
            with_wait: self.wait.1,
            with_duration: self.dur.1,
            rated: self.rating.1,
            avg_wait_secs: avg(self.wait.0 as f64, self.wait.1),
            avg_duration_secs: avg(self.dur.0 as f64, self.dur.1),
            avg_rating: avg(self.rating.0 as f64, self.rating.1),
            ratings: (1..=5).map(|r| (r.to_string(), self.dist[r - 1])).collect(),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn groups(map: BTreeMap<String, Acc>) -> Vec<Group> {
    let mut out: Vec<Group> = map
        .into_iter()
        .map(|(name, acc)| Group {
            name,
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

/// Aggregate the given chats.
pub fn report<'a>(chats: impl IntoIterator<Item = &'a ChatSummary>) -> Report {
    let mut total = Acc::default();
    let mut missed = 0;
    let mut agents: BTreeMap<String, Acc> = BTreeMap::new();
    let mut depts: BTreeMap<String, Acc> = BTreeMap::new();
    let mut wrap_ups: BTreeMap<String, Acc> = BTreeMap::new();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for c in chats {
        total.add(c);
        if c.agents.is_empty() {
            missed += 1;
        }
        let mut names: Vec<&str> = c.agents.iter().map(|a| &**a).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            agents.entry(name.to_string()).or_default().add(c);
        }
        let dept = c.department.as_deref().unwrap_or("(none)");
        depts.entry(dept.to_string()).or_default().add(c);
        let category = c.wrap_up_category().unwrap_or("(none)");
        wrap_ups.entry(category.to_string()).or_default().add(c);
        if let Some(s) = c.started_ms {
            first = Some(first.map_or(s, |f| f.min(s)));
            last = Some(last.map_or(s, |l| l.max(s)));
        }
    }
    let fmt = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(crate::model::time::rfc3339)
    };
    Report {
        total: total.figures(),
        missed,
        first_started_at: fmt(first),
        last_started_at: fmt(last),
        agents: groups(agents),
        departments: groups(depts),
        wrap_ups: groups(wrap_ups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chat(
        agents: &[&str],
        wait: Option<u64>,
        rating: Option<u8>,
        dur_ms: Option<i64>,
    ) -> ChatSummary {
        ChatSummary {
            id: "x".into(),
            agents: agents.iter().map(|a| std::sync::Arc::from(*a)).collect(),
            wait_secs: wait,
            rating,
            started_ms: dur_ms.map(|_| 1_000_000),
            ended_ms: dur_ms.map(|d| 1_000_000 + d),
            ..ChatSummary::default()
        }
    }

    #[test]
    fn averages_skip_unknown_values() {
        let chats = [
            chat(&["Ann"], Some(10), Some(5), Some(60_999)),
            chat(&["Ann", "Bob"], Some(20), None, Some(120_000)),
            chat(&[], None, Some(2), None),
        ];
        let r = report(&chats);
        assert_eq!(r.total.chats, 3);
        assert_eq!(r.missed, 1);
        assert_eq!(r.total.avg_wait_secs, Some(15.0));
        assert_eq!(r.total.avg_duration_secs, Some(90.0)); // 60 (rounded down) and 120
        assert_eq!(r.total.avg_rating, Some(3.5));
        assert_eq!(r.total.ratings["5"], 1);
        assert_eq!(r.total.ratings["2"], 1);
        assert_eq!(r.agents[0].name, "Ann");
        assert_eq!(r.agents[0].figures.chats, 2);
        assert_eq!(r.agents[0].figures.avg_rating, Some(5.0));
        assert_eq!(r.agents[1].name, "Bob");
        assert_eq!(r.agents[1].figures.avg_rating, None);
        assert_eq!(r.departments[0].name, "(none)");
    }

    #[test]
    fn wrap_up_categories_count_under_their_full_name() {
        let with = |category: Option<&str>, rating| ChatSummary {
            wrap_up: category.map(|c| {
                std::sync::Arc::new(crate::model::WrapUp {
                    category: Some(c.into()),
                    ..crate::model::WrapUp::default()
                })
            }),
            ..chat(&["Ann"], None, rating, None)
        };
        let chats = [
            with(Some("Billing: Refund"), Some(4)),
            with(Some("Billing: Refund"), Some(2)),
            with(Some("Billing: Invoice"), None),
            with(None, None),
        ];
        let r = report(&chats);
        let names: Vec<&str> = r.wrap_ups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Billing: Refund", "(none)", "Billing: Invoice"]);
        assert_eq!(r.wrap_ups[0].figures.chats, 2);
        assert_eq!(r.wrap_ups[0].figures.avg_rating, Some(3.0));
    }

    #[test]
    fn negative_and_absurd_durations_are_unknown() {
        let year_ms = crate::model::MAX_PLAUSIBLE_SECS * 1000;
        let chats = [
            chat(&["Ann"], Some(10), None, Some(60_000)),
            chat(&["Ann"], None, None, Some(-419_000)),
            chat(&["Ann"], None, None, Some(year_ms + 1000)),
            chat(&["Ann"], None, None, Some(i64::MAX - 1_000_000)),
        ];
        assert_eq!(chats[1].duration_secs(), None);
        assert_eq!(chats[2].duration_secs(), None);
        assert_eq!(chats[3].duration_secs(), None);
        let r = report(&chats);
        assert_eq!(r.total.avg_duration_secs, Some(60.0));
        assert_eq!(r.total.with_duration, 1);
    }
}
