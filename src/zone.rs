//! The time zone times are shown in: `utc`, `local`, `visitor`, an IANA name or a fixed offset.
//!
//! This is only the *choice* (read from the config file's `tz` key, and meant for a `--tz` flag);
//! [`crate::model::shown::Zone`] is what times are then converted and labelled with. JSON output
//! stays in UTC whatever is chosen. Kept free of terminal code so the CLI, the viewer and the
//! statistics can all share it.

use std::fmt;
use std::str::FromStr;

/// Which zone to show times in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZoneChoice {
    /// Coordinated Universal Time (the default: what the spool's timestamps are in).
    #[default]
    Utc,
    /// The zone of the machine chatspool runs on.
    Local,
    /// Each chat's visitor's own zone, when the payload says (UTC otherwise).
    Visitor,
    /// A zone of the IANA database, such as `Europe/Berlin` (daylight saving included).
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC such as `+05:30` or `-08:00`.
    Fixed(chrono::FixedOffset),
}

/// Why a zone could not be read; says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: use utc, local, visitor, an IANA name such as Europe/Berlin, or an offset such as +05:30")]
pub struct BadZone(pub String);

impl FromStr for ZoneChoice {
    type Err = BadZone;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || BadZone(s.to_string());
        match t.to_ascii_lowercase().as_str() {
            "utc" | "z" => return Ok(ZoneChoice::Utc),
            "local" => return Ok(ZoneChoice::Local),
            "visitor" => return Ok(ZoneChoice::Visitor),
            _ => {}
        }
        if t.starts_with(['+', '-']) {
            return parse_offset(t).map(ZoneChoice::Fixed).ok_or_else(bad);
        }
        t.parse::<chrono_tz::Tz>()
            .map(ZoneChoice::Named)
            .map_err(|_| bad())
    }
}

/// `±HH:MM` (also `±HHMM` and `±HH`), at most 14 hours either way as real zones are.
fn parse_offset(s: &str) -> Option<chrono::FixedOffset> {
    let (sign, rest) = s.split_at(1);
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    if rest.contains(':') && rest.find(':') != Some(2) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = match &digits[2..] {
        "" => 0,
        m => m.parse().ok()?,
    };
    if minutes >= 60 || hours * 60 + minutes > 14 * 60 {
        return None;
    }
    let secs = (hours * 3600 + minutes * 60) * if sign == "-" { -1 } else { 1 };
    chrono::FixedOffset::east_opt(secs)
}

impl fmt::Display for ZoneChoice {
    /// The form the zone was given in, normalised: it reads back to the same zone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneChoice::Utc => f.write_str("utc"),
            ZoneChoice::Local => f.write_str("local"),
            ZoneChoice::Visitor => f.write_str("visitor"),
            ZoneChoice::Named(tz) => f.write_str(tz.name()),
            ZoneChoice::Fixed(o) => write!(f, "{o}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_accepted_form_reads_and_round_trips() {
        for (given, shown) in [
            ("utc", "utc"),
            ("UTC", "utc"),
            ("local", "local"),
            ("visitor", "visitor"),
            ("Europe/Berlin", "Europe/Berlin"),
            (
                "America/Argentina/Buenos_Aires",
                "America/Argentina/Buenos_Aires",
            ),
            ("+05:30", "+05:30"),
            ("-08:00", "-08:00"),
            ("+0545", "+05:45"),
            ("-03", "-03:00"),
        ] {
            let z: ZoneChoice = given.parse().unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(z.to_string(), shown);
            assert_eq!(shown.parse::<ZoneChoice>().unwrap(), z);
        }
    }

    #[test]
    fn nonsense_is_refused_with_what_to_use() {
        for bad in [
            "",
            "Mars/Olympus",
            "+25:00",
            "+05:75",
            "+5:30",
            "05:30",
            "+05:30:00",
            "berlin",
        ] {
            let e = bad.parse::<ZoneChoice>().unwrap_err();
            assert!(e.to_string().contains("IANA"), "{bad}: {e}");
        }
    }
}
