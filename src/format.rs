//! Small display helpers shared by the CLI tables and the TUI.

use crate::sanitize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `95` -> `1m 35s`; `3723` -> `1h 2m 3s`.
pub fn human_secs(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s:02}s"),
        _ => format!("{h}h {m:02}m {s:02}s"),
    }
}

/// Optional seconds in one of the forms above (`human_secs`, `compact_secs`); `-` when unknown.
pub fn secs_or_dash(secs: Option<u64>, form: fn(i64) -> String) -> String {
    secs.map_or_else(
        || "-".into(),
        |v| form(i64::try_from(v).unwrap_or(i64::MAX)),
    )
}

/// Tight form for table cells: `45s`, `12m05s`, `1h02m`, `3d04h`.
pub fn compact_secs(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m{s:02}s"),
        (0, _, _) => format!("{h}h{m:02}m"),
        _ => format!("{d}d{h:02}h"),
    }
}

/// `1 problem`, `2 problems`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Columns to budget for one character when cutting text to a width. A variation selector
/// counts one: after a narrow symbol it turns the pair into a two-column emoji (`☺\u{FE0F}`), so
/// a sum of plain character widths could come out one short of what is drawn.
pub fn char_cols(c: char) -> usize {
    match c {
        '\u{FE00}'..='\u{FE0F}' => 1,
        c => c.width().unwrap_or(0),
    }
}

/// Sanitise and cut to at most `width` display columns, marking a cut with `…`.
pub fn fit(s: &str, width: usize) -> String {
    let clean = sanitize::line(s);
    if clean.width() <= width {
        return clean.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = char_cols(c);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human_secs(0), "0s");
        assert_eq!(human_secs(95), "1m 35s");
        assert_eq!(human_secs(3723), "1h 02m 03s");
    }

    #[test]
    fn compact_durations_fit_a_narrow_column() {
        assert_eq!(compact_secs(45), "45s");
        assert_eq!(compact_secs(725), "12m05s");
        assert_eq!(compact_secs(3723), "1h02m");
        assert_eq!(compact_secs(273_600), "3d04h");
        assert_eq!(plural(1, "problem", "problems"), "1 problem");
    }

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("山田太郎", 5), "山田…");
        assert_eq!(fit("\u{1b}[2J", 10), "␛[2J");
    }
}
