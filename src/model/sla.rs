//! Service levels: how long a chat's first response and each reply may take, counted in all
//! time or, as help desks measure them, only inside business hours in one zone.
//!
//! A response *exceeds* its level when it took longer than the level (a 60 s reply meets a 1 m
//! level). `sla_breaches` is 1 when the first response exceeds its level, plus one per reply
//! over its level; the verdict is `breached` with any breach, `met` when at least one response
//! was measured against a level and none exceeded it, and none when no level is set or nothing
//! could be measured. Replies without a reply time (see [`super::turns`]) are not measured.
//!
//! Business hours: only the time inside the hours counts, in the zone's local time (daylight
//! saving included: a window keeps its local hours, so a day of a change is an hour shorter or
//! longer only when the window spans the change). A local time that does not exist (in the
//! spring gap) is the first one after it; one that happens twice (in the autumn) is the first.

use super::turns::figures::{ReplyMark, TurnFigures};
use super::turns::{whole_secs, Turns};
use super::MAX_PLAUSIBLE_SECS;
use chrono::{DateTime, Datelike, LocalResult, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// The configured levels (`[sla]` in the config file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sla {
    /// Longest first response, in seconds.
    pub first_response: Option<u32>,
    /// Longest reply to a visitor turn, in seconds.
    pub reply: Option<u32>,
    /// Count only this time; all time when `None`.
    pub hours: Option<BusinessHours>,
}

/// Whether a chat kept its levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaVerdict {
    Met,
    Breached,
}

impl SlaVerdict {
    /// The word used in JSON, CSV and queries.
    pub fn name(self) -> &'static str {
        match self {
            SlaVerdict::Met => "met",
            SlaVerdict::Breached => "breached",
        }
    }
}

/// One chat measured against the levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaOutcome {
    pub breaches: u32,
    pub verdict: Option<SlaVerdict>,
}

impl Sla {
    /// Whether `secs` from `from` exceed `level`, counted as the level counts: all of them, or
    /// those inside the business hours of the span from `from` to `from + secs`.
    fn over(&self, from: DateTime<Utc>, secs: u32, level: u32) -> Option<bool> {
        let counted = match &self.hours {
            None => secs,
            Some(h) => h.secs_between(from, from + chrono::Duration::seconds(secs.into()))?,
        };
        Some(counted > level)
    }

    /// Whether a reply exceeds the reply level; `None` without a level or a measurable time.
    pub fn reply_over(&self, reply: ReplyMark) -> Option<bool> {
        self.over(reply.asked()?, reply.secs()?, self.reply?)
    }

    /// Measure a chat against the levels: its first response (`first_response_secs` after
    /// `started`) and its replies. The list rows and an opened chat are measured alike, from the
    /// packed figures both have (see [`super::turns::figures`]).
    pub fn judge(
        &self,
        started: Option<DateTime<Utc>>,
        first_response_secs: Option<u32>,
        replies: &[ReplyMark],
    ) -> SlaOutcome {
        let mut measured = false;
        let mut breaches: u32 = 0;
        if let Some(level) = self.first_response {
            if let Some(over) = started
                .zip(first_response_secs)
                .and_then(|(from, secs)| self.over(from, secs, level))
            {
                measured = true;
                breaches += u32::from(over);
            }
        }
        for over in replies.iter().filter_map(|r| self.reply_over(*r)) {
            measured = true;
            breaches = breaches.saturating_add(u32::from(over));
        }
        SlaOutcome {
            breaches,
            verdict: match (breaches, measured) {
                (0, false) => None,
                (0, true) => Some(SlaVerdict::Met),
                _ => Some(SlaVerdict::Breached),
            },
        }
    }

    /// [`Sla::judge`] on a chat's computed turns.
    pub fn judge_turns(&self, turns: &Turns) -> SlaOutcome {
        let figures = TurnFigures::of(turns);
        let (started, first) = match turns.first_response {
            Some((from, to)) => (Some(from), Some(whole_secs(from, to))),
            None => (None, None),
        };
        self.judge(started, first, &figures.replies)
    }
}

/// Weekly opening hours in one zone: `Mon-Fri 09:00-18:00, Sat 10:00-14:00`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    /// Per weekday (Monday first), sorted disjoint windows in seconds after local midnight
    /// (the end may be 86 400, midnight at the end of the day).
    days: [Vec<(u32, u32)>; 7],
    tz: Tz,
}

/// How hours are written, for errors.
const HOURS_HELP: &str =
    "write days and times such as \"Mon-Fri 09:00-18:00\" or \"Mon-Fri 09:00-18:00, Sat 10:00-14:00\"";

/// Seconds after midnight of `HH:MM` (`24:00` allowed, as the end of a day).
fn clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let secs = h * 3600 + m * 60;
    (m < 60 && secs <= 86_400).then_some(secs)
}

fn weekday(s: &str) -> Option<Weekday> {
    s.trim().parse().ok()
}

impl BusinessHours {
    /// Read hours as written in the config (`Mon-Fri 09:00-18:00`, more ranges after `,` or `;`,
    /// day ranges may wrap: `Sat-Sun`, `Fri-Mon`) in the zone `tz`. Overlapping ranges merge.
    pub fn parse(spec: &str, tz: Tz) -> Result<BusinessHours, String> {
        let bad = |why: &str| format!("bad hours {spec:?}: {why}; {HOURS_HELP}");
        let mut days: [Vec<(u32, u32)>; 7] = Default::default();
        let parts: Vec<&str> = spec
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            return Err(bad("no days and times"));
        }
        for part in parts {
            let split = part
                .find(|c: char| c.is_ascii_digit())
                .ok_or_else(|| bad(&format!("{part:?} has no times")))?;
            let (names, times) = part.split_at(split);
            let names: Vec<&str> = names.split('-').collect();
            let (first, last) = match names[..] {
                [one] => (weekday(one), weekday(one)),
                [a, b] => (weekday(a), weekday(b)),
                _ => (None, None),
            };
            let (Some(first), Some(last)) = (first, last) else {
                return Err(bad(&format!("{part:?} names no day or day range")));
            };
            let (open, close) = times
                .split_once('-')
                .and_then(|(a, b)| Some((clock(a)?, clock(b)?)))
                .ok_or_else(|| bad(&format!("{part:?} has no time range HH:MM-HH:MM")))?;
            if close <= open {
                return Err(bad(&format!(
                    "{part:?} ends before it starts (past midnight, write two ranges: Fri 22:00-24:00, Sat 00:00-06:00)"
                )));
            }
            let mut day = first;
            loop {
                days[day.num_days_from_monday() as usize].push((open, close));
                if day == last {
                    break;
                }
                day = day.succ();
            }
        }
        for windows in &mut days {
            windows.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(windows.len());
            for &(s, e) in windows.iter() {
                match merged.last_mut() {
                    Some((_, end)) if s <= *end => *end = (*end).max(e),
                    _ => merged.push((s, e)),
                }
            }
            *windows = merged;
        }
        Ok(BusinessHours { days, tz })
    }

    /// The zone the hours are in.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The instant of `secs` after local midnight of `day` (see the module's rule for the
    /// times a change of clocks skips or repeats).
    fn instant(&self, day: NaiveDate, secs: u32) -> Option<DateTime<Utc>> {
        let start = day.and_hms_opt(0, 0, 0)?;
        let mut local = start.checked_add_signed(chrono::Duration::seconds(i64::from(secs)))?;
        // A skipped local time moves to the first that exists (gaps are at most a few hours).
        for _ in 0..=24 * 60 {
            match self.tz.from_local_datetime(&local) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    return Some(t.with_timezone(&Utc))
                }
                LocalResult::None => {
                    local = local.checked_add_signed(chrono::Duration::minutes(1))?;
                }
            }
        }
        None
    }

    /// Whole seconds (rounded down) of business time from `from` to `to`; 0 when `to` is not
    /// after `from`, `None` for a span longer than a year (not a measurement).
    pub fn secs_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<u32> {
        if to <= from {
            return Some(0);
        }
        if (to - from).num_seconds() > MAX_PLAUSIBLE_SECS {
            return None;
        }
        let (a, b) = (from.timestamp_millis(), to.timestamp_millis());
        // The local days the span touches: windows of other days end before it or start after.
        let first = from.with_timezone(&self.tz).date_naive();
        let last = to.with_timezone(&self.tz).date_naive();
        let mut ms: i64 = 0;
        let mut day = first;
        while day <= last {
            for &(open, close) in &self.days[day.weekday().num_days_from_monday() as usize] {
                let (Some(s), Some(e)) = (self.instant(day, open), self.instant(day, close)) else {
                    continue;
                };
                let (s, e) = (s.timestamp_millis().max(a), e.timestamp_millis().min(b));
                ms += (e - s).max(0);
            }
            day = day.succ_opt()?;
        }
        u32::try_from(ms.div_euclid(1000)).ok()
    }
}

#[cfg(test)]
mod tests;
