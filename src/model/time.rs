//! Reading the date and duration forms Comm100 payloads use, and writing instants for JSON.
//!
//! Every reader returns `Option`: a value that cannot be read is absent, never an error, so one odd
//! field never costs the whole chat.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// .NET's `DateTime.MinValue` in epoch milliseconds: Comm100 writes it to mean "no date".
const DOTNET_MIN_MS: i64 = -62_135_596_800_000;

/// Parse any of the date forms in docs/FORMAT.md from a string.
///
/// `/Date(ms)/` and `/Date(ms±hhmm)/` (the suffix names the writer's zone and does not shift the
/// instant), bare epoch milliseconds, ISO 8601 with or without offset (no offset means UTC), and
/// plain dates. `""`, the .NET minimum and anything unreadable give `None`.
pub fn parse_date_str(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(inner) = s
        .strip_prefix("/Date(")
        .or_else(|| s.strip_prefix("\\/Date("))
        .or_else(|| s.strip_prefix("Date("))
    {
        let inner = inner.trim_end_matches('/').trim_end_matches('\\');
        let inner = inner.strip_suffix(')')?;
        // Digits with an optional leading minus, then an optional ±hhmm zone suffix we ignore.
        let digits_end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(inner.len(), |(i, _)| i);
        let (ms, _zone) = inner.split_at(digits_end);
        return from_millis(ms.parse().ok()?);
    }
    if s.bytes().all(|b| b.is_ascii_digit())
        || (s.starts_with('-') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        return from_millis(s.parse().ok()?);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let naive = s.trim_end_matches(['Z', 'z']);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// Epoch milliseconds to an instant; the .NET minimum (and anything before it) means "no date".
pub fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    if ms <= DOTNET_MIN_MS {
        return None;
    }
    DateTime::from_timestamp_millis(ms)
}

/// Parse a waiting time into whole seconds.
///
/// Accepts `"0s "`, `"10s"`, `"1m 5s"`, `"1h 2m 3s"`, `"2 min 5 sec"`, clock forms `"00:02:00"` and
/// `"2:05"` (minutes:seconds), and bare seconds. Returns `None` for anything else.
pub fn parse_wait(raw: &str) -> Option<u64> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<u64>() {
        return Some(n);
    }
    if let Ok(f) = s.parse::<f64>() {
        return (f.is_finite() && f >= 0.0).then_some(f as u64);
    }
    if s.contains(':') {
        let parts: Vec<&str> = s.split(':').map(str::trim).collect();
        let nums: Option<Vec<u64>> = parts
            .iter()
            .map(|p| p.split('.').next()?.parse().ok())
            .collect();
        let nums = nums?;
        let units: &[u64] = match nums.len() {
            2 => &[60, 1],
            3 => &[3600, 60, 1],
            4 => &[86400, 3600, 60, 1],
            _ => return None,
        };
        // Checked: a hostile "999999999999999999:00" is unreadable, not an overflow.
        return nums.iter().zip(units).try_fold(0u64, |acc, (n, unit)| {
            acc.checked_add(n.checked_mul(*unit)?)
        });
    }
    // Unit form: numbers each followed by a unit word, spaces optional; each unit at most once
    // (days, hours, minutes, seconds), so a hostile run of 300,000 `1s` is unreadable rather
    // than summed to 83 hours.
    let mut total: u64 = 0;
    let mut seen = false;
    let mut used: Vec<u64> = Vec::with_capacity(4);
    let mut rest = s;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let n_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if n_end == 0 {
            return None;
        }
        let n: u64 = rest[..n_end].parse().ok()?;
        rest = rest[n_end..].trim_start();
        let u_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let unit = rest[..u_end].to_ascii_lowercase();
        rest = rest[u_end..].trim_start_matches([' ', ',']);
        let mult = match unit.as_str() {
            "d" | "day" | "days" => 86400,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" | "" => 1,
            _ => return None,
        };
        if used.contains(&mult) {
            return None;
        }
        used.push(mult);
        total = total.checked_add(n.checked_mul(mult)?)?;
        seen = true;
    }
    seen.then_some(total)
}

/// RFC 3339 in UTC with a `Z` and whole seconds, the one form chatspool writes.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// serde helper: an optional instant as RFC 3339 (whole seconds, `Z`) or null.
pub fn serialize_opt_rfc3339<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_dates() {
        let t = parse_date_str("/Date(1584415801019)/").unwrap();
        assert_eq!(rfc3339(t), "2020-03-17T03:30:01Z");
        assert_eq!(t.timestamp_subsec_millis(), 19);
        // The zone suffix must not shift the instant.
        assert_eq!(parse_date_str("/Date(1584415801019+0800)/"), Some(t));
        assert_eq!(parse_date_str("/Date(1584415801019-0500)/"), Some(t));
        assert_eq!(parse_date_str("/Date(-62135596800000)/"), None);
        assert_eq!(
            parse_date_str("/Date(-86400000)/").map(rfc3339).as_deref(),
            Some("1969-12-31T00:00:00Z")
        );
        assert_eq!(parse_date_str("1584415801019"), Some(t));
        assert_eq!(parse_date_str(""), None);
        assert_eq!(parse_date_str("/Date(abc)/"), None);
        assert_eq!(parse_date_str("not a date"), None);
    }

    #[test]
    fn iso_dates() {
        let want = "2020-03-17T03:30:01Z";
        for s in [
            "2020-03-17T03:30:01Z",
            "2020-03-17T03:30:01.019Z",
            "2020-03-17T11:30:01+08:00",
            "2020-03-17T03:30:01",
            "2020-03-17 03:30:01",
            "2020-03-16T22:30:01-0500",
        ] {
            assert_eq!(parse_date_str(s).map(rfc3339).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn waits() {
        assert_eq!(parse_wait("0s "), Some(0));
        assert_eq!(parse_wait("10s"), Some(10));
        assert_eq!(parse_wait("1m 5s"), Some(65));
        assert_eq!(parse_wait("1h 2m 3s"), Some(3723));
        assert_eq!(parse_wait("1h2m3s"), Some(3723));
        assert_eq!(parse_wait("00:02:00"), Some(120));
        assert_eq!(parse_wait("2:05"), Some(125));
        assert_eq!(parse_wait("45"), Some(45));
        assert_eq!(parse_wait("2 min 5 sec"), Some(125));
        assert_eq!(parse_wait(""), None);
        assert_eq!(parse_wait("soon"), None);
        assert_eq!(parse_wait("5x"), None);
        assert_eq!(parse_wait("999999999999999999:00"), None);
        assert_eq!(parse_wait("1:00:00:05"), Some(86405));
        // Each unit once: a run of repeated units is unreadable, not summed.
        assert_eq!(parse_wait(&"1s".repeat(300_000)), None);
        assert_eq!(parse_wait("1s 1s"), None);
        assert_eq!(parse_wait("1d 2h 3m 4s"), Some(93784));
    }
}
