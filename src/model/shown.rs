//! How instants are shown to people: one format for every view (the viewer's list, details and
//! transcript, and the plain output of `list`, `show`, `stats` and `watch`), always with its zone
//! named, in a header or after the time. JSON keeps RFC 3339 ([`super::time::rfc3339`]).

use chrono::{DateTime, Datelike, Utc};

/// The zone: UTC, local, the visitor's, an IANA name or an offset (see [`super::zone`]). One
/// chat's times in the visitor's zone: pass `zone.for_chat(visitor offset)`.
pub use super::zone::Zone;

/// How much of an instant a place has room for; all are cuts of `2026-10-31 23:57:12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `2026-10-31 23:57`: tables.
    Minutes,
    /// `2026-10-31 23:57:12 UTC`: one chat's start and end, the zone named.
    Seconds,
    /// `2026-10-31 23:57 UTC`: a time standing alone (a review mark, a note), the zone named.
    MinutesNamed,
    /// `10-31 23:57` in the year of `now`, `2025-10-31` before: narrow columns.
    Short { now: DateTime<Utc> },
    /// `23:57:12`: the clock of a transcript line (the pane's title names the zone).
    Clock,
}

/// `t` in `zone`, in `form`.
pub fn show(t: DateTime<Utc>, zone: &Zone, form: Form) -> String {
    let local = zone.local(t);
    match form {
        Form::Minutes => local.format("%Y-%m-%d %H:%M").to_string(),
        Form::Seconds => format!("{} {}", local.format("%Y-%m-%d %H:%M:%S"), zone.label()),
        Form::MinutesNamed => format!("{} {}", local.format("%Y-%m-%d %H:%M"), zone.label()),
        Form::Short { now } if local.year() == zone.local(now).year() => {
            local.format("%m-%d %H:%M").to_string()
        }
        Form::Short { .. } => local.format("%Y-%m-%d").to_string(),
        Form::Clock => local.format("%H:%M:%S").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_format_cut_to_the_room_there_is() {
        let t = DateTime::parse_from_rfc3339("2026-10-31T23:57:12Z")
            .unwrap()
            .with_timezone(&Utc);
        let z = Zone::Utc;
        assert_eq!(show(t, &z, Form::Minutes), "2026-10-31 23:57");
        assert_eq!(show(t, &z, Form::Seconds), "2026-10-31 23:57:12 UTC");
        assert_eq!(show(t, &z, Form::Clock), "23:57:12");
        assert_eq!(show(t, &z, Form::MinutesNamed), "2026-10-31 23:57 UTC");
        let now = t + chrono::Duration::days(3);
        assert_eq!(show(t, &z, Form::Short { now }), "10-31 23:57");
        let next_year = t + chrono::Duration::days(90);
        assert_eq!(show(t, &z, Form::Short { now: next_year }), "2026-10-31");
        assert_eq!(z.label(), "UTC");
    }
}
