//! Reading field values: comparisons, ratings, durations and dates.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::term::Range;
use crate::model::time::parse_wait;

pub(crate) const RATING_HELP: &str =
    "use rating:N or rating:OPN with N from 1 to 5 and OP one of > >= < <= =, or rating:none";
pub(crate) const SCORE_HELP: &str =
    "use score:N or score:OPN with N from 0 to 100 (one decimal at most, 82.5) and OP one of > >= < <= =, or score:none";
pub(crate) const DURATION_HELP: &str =
    "use an optional operator (> >= < <= =) and a duration like 90, 90s, 2m, 1h30m or \"1h 2m\"";
pub(crate) const DATE_HELP: &str =
    "use a date (2020-09-01, UTC), an RFC 3339 instant (2020-09-01T10:00:00Z), \
     today, yesterday, or an age like 30m, 12h, 7d, 2w";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

/// Split a leading comparison operator off a value (`=` when there is none).
fn split_op(value: &str) -> (Op, &str) {
    for (tok, op) in [
        (">=", Op::Ge),
        ("<=", Op::Le),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ] {
        if let Some(rest) = value.strip_prefix(tok) {
            return (op, rest);
        }
    }
    (Op::Eq, value)
}

fn range(op: Op, v: i64) -> Range {
    match op {
        Op::Gt => Range::at_least(v.saturating_add(1)),
        Op::Ge => Range::at_least(v),
        Op::Lt => Range::at_most(v.saturating_sub(1)),
        Op::Le => Range::at_most(v),
        Op::Eq => Range {
            lo: v,
            hi: v,
            none: false,
        },
    }
}

/// `rating:` values: `none`, or a comparison with a number from 1 to 5.
pub(crate) fn rating(value: &str) -> Option<Range> {
    let (op, rest) = split_op(value);
    if rest.eq_ignore_ascii_case("none") {
        return (op == Op::Eq).then_some(Range::NONE_ONLY);
    }
    let n: i64 = rest.parse().ok().filter(|n| (1..=5).contains(n))?;
    // A plain number is written without sign: `+3` and `03` are fine, `-` is refused by the range.
    Some(range(op, n))
}

pub(crate) const COUNT_HELP: &str =
    "use an optional operator (> >= < <= =) and a whole number, like >0 or 2";

/// `transfers:` and `unanswered:` values: a comparison with a whole number.
pub(crate) fn count(value: &str) -> Option<Range> {
    let (op, rest) = split_op(value);
    let n: u32 = rest.trim().parse().ok()?;
    Some(range(op, i64::from(n)))
}

/// `score:` values: `none`, or a comparison with a score from 0 to 100 (one decimal at most),
/// as a range in tenths.
pub(crate) fn score(value: &str) -> Option<Range> {
    let (op, rest) = split_op(value);
    let rest = rest.trim();
    if rest.eq_ignore_ascii_case("none") {
        return (op == Op::Eq).then_some(Range::NONE_ONLY);
    }
    let (whole, tenth) = match rest.split_once('.') {
        Some((w, t)) if t.len() == 1 => (w, t),
        Some(_) => return None,
        None => (rest, "0"),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let tenth: i64 = tenth.parse().ok().filter(|t: &i64| (0..=9).contains(t))?;
    let v = whole.checked_mul(10)?.checked_add(tenth)?;
    (v <= 1000).then(|| range(op, v))
}

/// `wait:` and `dur:` values: a comparison with a duration in seconds.
pub(crate) fn duration(value: &str) -> Option<Range> {
    let (op, rest) = split_op(value);
    if rest.trim().is_empty() || rest.starts_with(['>', '<', '=']) {
        return None;
    }
    let secs = parse_wait(rest)?;
    Some(range(op, i64::try_from(secs).ok()?))
}

/// A date value: a whole day (`2020-09-01`, `today`, `yesterday`) or one instant (RFC 3339, an age).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// Start (inclusive) and end (exclusive) in epoch milliseconds.
    Day(i64, i64),
    Instant(i64),
}

fn day(d: NaiveDate) -> Option<When> {
    let start = d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    Some(When::Day(start, start.checked_add(86_400_000)?))
}

fn when(value: &str, now: DateTime<Utc>) -> Option<When> {
    let v = value.trim();
    match v.to_ascii_lowercase().as_str() {
        "today" => return day(now.date_naive()),
        "yesterday" => return day(now.date_naive().pred_opt()?),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return day(d);
    }
    // Instants (RFC 3339, or a date and time read as UTC) in the one date reader the payload
    // uses too. Bare numbers are left to the age rule (`since:7` is not 7 ms after 1970).
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(t) = crate::model::time::parse_date_str(v) {
            return Some(When::Instant(t.timestamp_millis()));
        }
    }
    let age = age_secs(v)?;
    let t = now.checked_sub_signed(Duration::try_seconds(age)?)?;
    Some(When::Instant(t.timestamp_millis()))
}

/// An age like `30m`, `12h`, `7d`, `2w`, `1d12h`: number-unit pairs, at least one, units required.
fn age_secs(v: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut rest = v;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let n: i64 = rest[..digits].parse().ok()?;
        let mut units = rest[digits..].chars();
        let unit = match units.next()?.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        rest = units.as_str();
    }
    (!v.is_empty()).then_some(total)
}

/// `since:`: chats started at or after the day's start or the instant.
pub(crate) fn since(value: &str, now: DateTime<Utc>) -> Option<Range> {
    Some(match when(value, now)? {
        When::Day(start, _) | When::Instant(start) => Range::at_least(start),
    })
}

/// `until:`: chats started before the day's end (the whole day is included) or at or before the
/// instant.
pub(crate) fn until(value: &str, now: DateTime<Utc>) -> Option<Range> {
    Some(match when(value, now)? {
        When::Day(_, end) => Range::at_most(end - 1),
        When::Instant(t) => Range::at_most(t),
    })
}
