//! Time zones for showing and bucketing times: UTC, the machine's local zone, each visitor's own
//! zone, an IANA name, or a fixed offset. One type for `--tz`, the config file's `tz`, the
//! viewer's `z` and every view's times. Display only: JSON times stay UTC whatever the zone.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone, Utc};
use std::fmt;
use std::str::FromStr;

/// The zone times are shown and bucketed in: the one type behind `--tz`, the config file's `tz`,
/// the viewer's `z` and [`super::shown`]. Precedence: `--tz`, else the config's `tz`, else UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// Coordinated Universal Time (the default: what the spool's timestamps are in).
    #[default]
    Utc,
    /// The machine's zone (`TZ`, else `/etc/localtime`).
    Local,
    /// Each chat in its visitor's zone (`time_zone` in the payload); UTC when the payload has none.
    Visitor,
    /// A zone of the IANA database, such as `Europe/Berlin` (daylight saving included).
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC such as `+05:30` or `-08:00`.
    Fixed(FixedOffset),
}

/// Marks a time shown in UTC under `--tz visitor` because the payload named no zone.
pub const UTC_MARK: char = '*';

/// What [`UTC_MARK`] means, for the legend under a table or in a title.
pub const UTC_LEGEND: &str = "* no time zone in the payload: shown in UTC";

/// Why a zone given by the user (`--tz`, the config's `tz`) could not be read; says what is
/// accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadZone {
    #[error("unknown time zone {0:?}: use utc, local, visitor, an IANA name such as Europe/Berlin, or an offset such as +05:30")]
    Unknown(String),
    #[error("time zone {0:?} is too far from UTC: offsets go up to ±14:00, as real zones do")]
    TooFar(String),
}

impl FromStr for Zone {
    type Err = BadZone;

    /// `utc` (also `z`, `gmt`), `local`, `visitor` (any case), an IANA name, or an offset
    /// `±HH:MM`, `±HHMM`, `±HH` (also written after `UTC`/`GMT`, so every label reads back).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || BadZone::Unknown(s.to_string());
        match t.to_ascii_lowercase().as_str() {
            "utc" | "z" | "gmt" => return Ok(Zone::Utc),
            "local" => return Ok(Zone::Local),
            "visitor" => return Ok(Zone::Visitor),
            _ => {}
        }
        let upper = t.to_ascii_uppercase();
        let offset = ["UTC", "GMT"]
            .iter()
            .find_map(|p| upper.strip_prefix(p).map(|_| &t[p.len()..]))
            .unwrap_or(t);
        if offset.starts_with(['+', '-']) {
            return match parse_offset(offset) {
                Ok(o) => Ok(Zone::Fixed(o)),
                Err(BadOffset::TooFar) => Err(BadZone::TooFar(s.to_string())),
                Err(BadOffset::Unreadable) => Err(bad()),
            };
        }
        t.parse::<chrono_tz::Tz>()
            .map(Zone::Named)
            .map_err(|_| bad())
    }
}

/// Why an offset was refused.
enum BadOffset {
    Unreadable,
    TooFar,
}

/// `±HH:MM` (also `±HHMM` and `±HH`), at most 14 hours either way as real zones are.
fn parse_offset(s: &str) -> Result<FixedOffset, BadOffset> {
    let (sign, rest) = s.split_at(1);
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return Err(BadOffset::Unreadable);
    }
    if rest.contains(':') && (rest.find(':') != Some(2) || digits.len() != 4) {
        return Err(BadOffset::Unreadable);
    }
    let hours: i32 = digits[..2].parse().map_err(|_| BadOffset::Unreadable)?;
    let minutes: i32 = match &digits[2..] {
        "" => 0,
        m => m.parse().map_err(|_| BadOffset::Unreadable)?,
    };
    if minutes >= 60 {
        return Err(BadOffset::Unreadable);
    }
    if hours * 60 + minutes > 14 * 60 {
        return Err(BadOffset::TooFar);
    }
    let secs = (hours * 3600 + minutes * 60) * if sign == "-" { -1 } else { 1 };
    FixedOffset::east_opt(secs).ok_or(BadOffset::TooFar)
}

/// The machine's zone by name, for labels: `TZ` when it names an IANA zone (`:` prefix
/// allowed), else the system's (`/etc/localtime`), else `local`. Read once: it is a fact of
/// the environment the process started in.
fn local_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        local_name_from(
            std::env::var("TZ").ok().as_deref(),
            iana_time_zone::get_timezone().ok(),
        )
    })
}

/// [`local_name`] from the `TZ` variable and the system's zone name.
fn local_name_from(tz_var: Option<&str>, system: Option<String>) -> String {
    let named = |s: &str| {
        let s = s.trim().trim_start_matches(':');
        s.parse::<chrono_tz::Tz>()
            .ok()
            .map(|tz| tz.name().to_string())
    };
    match tz_var {
        // TZ set decides, as it does for the clock; a value that names no zone is "local".
        Some(v) if !v.trim().is_empty() => named(v).unwrap_or_else(|| "local".into()),
        _ => system
            .as_deref()
            .and_then(named)
            .unwrap_or_else(|| "local".into()),
    }
}

impl fmt::Display for Zone {
    /// The label shown next to times: `UTC`, the machine's zone by name (`America/New_York`),
    /// `visitor`, `Europe/Paris`, `UTC+05:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Local => f.write_str(local_name()),
            Zone::Visitor => f.write_str("visitor"),
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(o) => write!(f, "UTC{}", offset_text(o.local_minus_utc() / 60)),
        }
    }
}

impl Zone {
    /// The viewer's `z` order: UTC → local → visitor → UTC; a zone given with `--tz` goes to UTC.
    pub fn next(self) -> Zone {
        match self {
            Zone::Utc => Zone::Local,
            Zone::Local => Zone::Visitor,
            _ => Zone::Utc,
        }
    }

    /// Seconds east of UTC at the instant `ms`, for a chat whose visitor is `visitor_min` minutes
    /// east of UTC (when known).
    pub fn offset_secs(&self, ms: i64, visitor_min: Option<i16>) -> i32 {
        let at = || DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc());
        match self {
            Zone::Utc => 0,
            Zone::Fixed(o) => o.local_minus_utc(),
            Zone::Visitor => visitor_min.map_or(0, |m| i32::from(m) * 60),
            Zone::Local => at().map_or(0, |t| {
                chrono::Local
                    .offset_from_utc_datetime(&t)
                    .fix()
                    .local_minus_utc()
            }),
            Zone::Named(tz) => at().map_or(0, |t| {
                tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
            }),
        }
    }

    /// The zone one chat's times are shown in: for [`Zone::Visitor`], that visitor's offset
    /// (UTC when the payload had no zone); any other zone as it is.
    pub fn for_chat(self, visitor_min: Option<i16>) -> Zone {
        match (self, visitor_min) {
            (Zone::Visitor, Some(m)) if m != 0 => {
                FixedOffset::east_opt(i32::from(m) * 60).map_or(Zone::Utc, Zone::Fixed)
            }
            (Zone::Visitor, _) => Zone::Utc,
            (z, _) => z,
        }
    }

    /// True when this chat's times are shown in UTC only because its payload named no usable
    /// zone (`--tz visitor`): such times carry [`UTC_MARK`] and the view says what it means.
    pub fn falls_back(self, visitor_min: Option<i16>) -> bool {
        self == Zone::Visitor && visitor_min.is_none()
    }

    /// The zone's name as shown next to times and in column headers.
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The wall-clock time of `t` in this zone ([`Zone::Visitor`] unresolved: UTC).
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        self.wall(t.timestamp_millis(), None)
            .unwrap_or_else(|| t.naive_utc())
    }

    /// The wall-clock time at `ms` in this zone.
    pub fn wall(&self, ms: i64, visitor_min: Option<i16>) -> Option<NaiveDateTime> {
        let off = i64::from(self.offset_secs(ms, visitor_min));
        DateTime::<Utc>::from_timestamp_millis(ms.checked_add(off * 1000)?).map(|t| t.naive_utc())
    }
}

/// Turns instants into wall-clock times for one zone over many chats, remembering offsets:
/// the local zone and IANA zones need a table search each, but a day's offset almost never
/// changes, so each UTC day is looked up once (at its first and last millisecond) and only a
/// day with a transition is looked up by quarter hour (zones change offset only on whole
/// quarter hours). Chats come in any order (by score, by wait), so the days are kept in a map.
pub struct WallClock {
    zone: Zone,
    slot: i64,
    offset: i32,
    days: std::collections::HashMap<i64, Option<i32>>,
}

const DAY_MS: i64 = 86_400_000;

const SLOT_MS: i64 = 15 * 60 * 1000;

impl WallClock {
    pub fn new(zone: Zone) -> Self {
        WallClock {
            zone,
            slot: i64::MIN,
            offset: 0,
            days: std::collections::HashMap::new(),
        }
    }

    /// Milliseconds since the epoch of the wall-clock time at `ms` (as if the wall clock were UTC).
    pub fn wall_ms(&mut self, ms: i64, visitor_min: Option<i16>) -> i64 {
        let off = match self.zone {
            Zone::Utc => 0,
            Zone::Visitor => visitor_min.map_or(0, |m| i32::from(m) * 60),
            Zone::Fixed(o) => o.local_minus_utc(),
            Zone::Local | Zone::Named(_) => {
                let day = ms.div_euclid(DAY_MS);
                let zone = &self.zone;
                let whole = *self.days.entry(day).or_insert_with(|| {
                    let first = zone.offset_secs(day.saturating_mul(DAY_MS), None);
                    let last = zone
                        .offset_secs(day.saturating_mul(DAY_MS).saturating_add(DAY_MS - 1), None);
                    (first == last).then_some(first)
                });
                if let Some(off) = whole {
                    off
                } else {
                    let slot = ms.div_euclid(SLOT_MS);
                    if slot != self.slot {
                        self.slot = slot;
                        self.offset = self.zone.offset_secs(ms, None);
                    }
                    self.offset
                }
            }
        };
        ms.saturating_add(i64::from(off) * 1000)
    }
}

/// `+05:30` style text for minutes east of UTC.
pub fn offset_text(mins: i32) -> String {
    let sign = if mins < 0 { '-' } else { '+' };
    let m = mins.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// `HH:MM`, `HHMM`, `HH`, `H` in minutes (hours up to 18, minutes below 60): payloads write
/// their `time_zone` more loosely than `--tz` is read.
fn hh_mm(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h, m),
        None if s.len() == 4 => s.split_at(2),
        None => (s, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 18 && m < 60 && !s.ends_with(':')).then_some(h * 60 + m)
}

/// The visitor's offset east of UTC in minutes from the payload's `time_zone` (`"GMT -08:00"`,
/// `"GMT +06:00"`, `"GMT 06:00"` without a sign, `"UTC-08:00"`, or an IANA name, taken at the
/// chat's start `at`). `None` when it cannot be read.
pub fn visitor_offset(raw: &str, at: Option<DateTime<Utc>>) -> Option<i16> {
    let s = raw.trim();
    let upper = s.to_ascii_uppercase();
    let rest = ["GMT", "UTC"]
        .iter()
        .find_map(|p| upper.starts_with(p).then(|| s[p.len()..].trim()));
    let mins = match rest {
        Some("") => Some(0),
        Some(r) => {
            let (sign, digits) = match r.as_bytes()[0] {
                b'+' => (1, r[1..].trim()),
                b'-' => (-1, r[1..].trim()),
                _ => (1, r),
            };
            hh_mm(digits).map(|m| sign * m)
        }
        None => {
            let tz: chrono_tz::Tz = s.parse().ok()?;
            let t = at.unwrap_or_default().naive_utc();
            Some(tz.offset_from_utc_datetime(&t).fix().local_minus_utc() / 60)
        }
    }?;
    i16::try_from(mins).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_zone_form_and_labels_read_back() {
        assert_eq!("UTC".parse::<Zone>(), Ok(Zone::Utc));
        assert_eq!("z".parse::<Zone>(), Ok(Zone::Utc));
        assert_eq!("Local".parse::<Zone>(), Ok(Zone::Local));
        assert_eq!("visitor".parse::<Zone>(), Ok(Zone::Visitor));
        assert_eq!(
            "Europe/Paris".parse::<Zone>(),
            Ok(Zone::Named(chrono_tz::Europe::Paris))
        );
        let z: Zone = "+05:30".parse().unwrap();
        assert_eq!(z.to_string(), "UTC+05:30");
        assert_eq!(z.offset_secs(0, None), 19_800);
        assert_eq!(
            "-0800".parse::<Zone>().unwrap().offset_secs(0, None),
            -28_800
        );
        assert_eq!("-03".parse::<Zone>().unwrap().offset_secs(0, None), -10_800);
        for given in [
            "utc",
            "local",
            "visitor",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "+05:30",
            "-08:00",
            "+0545",
            "-03",
        ] {
            let z: Zone = given.parse().unwrap_or_else(|e| panic!("{given}: {e}"));
            let back: Zone = z.label().parse().unwrap_or_else(|e| panic!("{given}: {e}"));
            // The machine's zone reads back as the zone it names, with the same offsets.
            if z == Zone::Local && back != Zone::Local {
                assert_eq!(back.offset_secs(0, None), z.offset_secs(0, None));
            } else {
                assert_eq!(back, z, "{given}");
            }
        }
    }

    #[test]
    fn the_machine_zone_is_named() {
        let sys = || Some("Europe/Paris".to_string());
        assert_eq!(
            local_name_from(Some("America/New_York"), sys()),
            "America/New_York"
        );
        assert_eq!(local_name_from(Some(":Asia/Tokyo"), sys()), "Asia/Tokyo");
        assert_eq!(local_name_from(None, sys()), "Europe/Paris");
        assert_eq!(local_name_from(Some(""), sys()), "Europe/Paris");
        assert_eq!(local_name_from(Some("<+03>-3"), sys()), "local");
        assert_eq!(local_name_from(None, None), "local");
    }

    #[test]
    fn nonsense_is_refused_with_what_to_use() {
        for bad in [
            "",
            "+",
            "Mars/Olympus",
            "+25:00",
            "+14:30",
            "+05:75",
            "+5:60",
            "+5:30",
            "+05:3",
            "05:30",
            "+05:30:00",
            "berlin",
        ] {
            let e = bad.parse::<Zone>().unwrap_err();
            let far = matches!(bad, "+25:00" | "+14:30");
            let says = if far { "up to ±14:00" } else { "IANA" };
            assert!(e.to_string().contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let z = Zone::Named(chrono_tz::America::New_York);
        let winter = 1_704_067_200_000; // 2024-01-01T00:00Z
        let summer = 1_719_792_000_000; // 2024-07-01T00:00Z
        assert_eq!(z.offset_secs(winter, None), -5 * 3600);
        assert_eq!(z.offset_secs(summer, None), -4 * 3600);
        let mut clock = WallClock::new(z);
        assert_eq!(clock.wall_ms(summer, None), summer - 4 * 3_600_000);
        assert_eq!(clock.wall_ms(winter, None), winter - 5 * 3_600_000);
    }

    #[test]
    fn visitor_zones_as_payloads_write_them() {
        assert_eq!(visitor_offset("GMT -08:00", None), Some(-480));
        assert_eq!(visitor_offset("GMT +06:00", None), Some(360));
        assert_eq!(visitor_offset("GMT 06:00", None), Some(360));
        assert_eq!(visitor_offset("UTC-08:00", None), Some(-480));
        assert_eq!(visitor_offset("GMT +05:30", None), Some(330));
        assert_eq!(visitor_offset("GMT", None), Some(0));
        assert_eq!(visitor_offset("Asia/Tokyo", None), Some(540));
        assert_eq!(visitor_offset("somewhere", None), None);
        assert_eq!(visitor_offset("GMT +99:00", None), None);
        let z = Zone::Visitor;
        assert_eq!(z.offset_secs(0, Some(-480)), -28_800);
        assert_eq!(z.offset_secs(0, None), 0);
    }

    #[test]
    fn cycle_and_labels() {
        assert_eq!(Zone::Utc.next(), Zone::Local);
        assert_eq!(Zone::Local.next(), Zone::Visitor);
        assert_eq!(Zone::Visitor.next(), Zone::Utc);
        assert_eq!(offset_text(-330), "-05:30");
    }

    /// The day cache gives every instant the zone's own offset, in any order, also on the days
    /// the clocks change (Paris: 2024-03-31 01:00 UTC forward, 2024-10-27 01:00 UTC back).
    #[test]
    fn wall_clock_agrees_with_the_zone_around_transitions() {
        let zone = Zone::Named(chrono_tz::Europe::Paris);
        let mut instants: Vec<i64> = Vec::new();
        for day in [
            "2024-03-30",
            "2024-03-31",
            "2024-04-01",
            "2024-10-27",
            "2024-12-25",
        ] {
            let start = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            instants.extend((0..96 * 3).map(|i| start + i * 5 * 60 * 1000 - 7));
        }
        // A scrambled order, as a sort by wait would give.
        let n = instants.len();
        let order: Vec<i64> = (0..n).map(|i| instants[(i * 7919) % n]).collect();
        let mut clock = WallClock::new(zone);
        for ms in order {
            let want = ms + i64::from(zone.offset_secs(ms, None)) * 1000;
            assert_eq!(clock.wall_ms(ms, None), want, "at {ms}");
        }
    }
}
