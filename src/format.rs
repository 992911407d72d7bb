//! Small display helpers shared by the CLI tables and the TUI.

use crate::sanitize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A duration, the one way every view writes it (viewer, plain CLI, exports): `45s`,
/// `6m 29s`, `1h 02m 03s`, `2d 03h 04m` (a day-long one without its seconds). Negative
/// durations are shown as `0s`.
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s:02}s"),
        (0, _, _) => format!("{h}h {m:02}m {s:02}s"),
        _ => format!("{d}d {h:02}h {m:02}m"),
    }
}

/// [`duration`] in at most `width` columns, cut the same way everywhere: whole when it fits,
/// else without its last unit (`1h 02m`, `2d 03h`), else its first unit alone (`1h`, `2d`),
/// else `>` and the most days the column can write. Never part of a number.
pub fn duration_in(secs: i64, width: usize) -> String {
    let full = duration(secs);
    if full.len() <= width {
        return full;
    }
    let units: Vec<&str> = full.split(' ').collect();
    for keep in (1..units.len()).rev() {
        let cut = units[..keep].join(" ");
        if cut.len() <= width {
            return cut;
        }
    }
    let days = format!("{}d", secs.max(0) / 86_400);
    if days.len() <= width {
        return days;
    }
    format!(">{}d", "9".repeat(width.saturating_sub(2)))
}

/// Optional seconds as a [`duration`]; `-` when unknown.
pub fn duration_or_dash(secs: Option<u64>) -> String {
    secs.map_or_else(
        || "-".into(),
        |v| duration(i64::try_from(v).unwrap_or(i64::MAX)),
    )
}

/// A rating, the one way every view writes it: `4/5`.
pub fn rating(r: u8) -> String {
    format!("{r}/5")
}

/// `1 problem`, `2 problems`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// ` (5 already had it)` after a count, nothing when the aside counts none.
pub fn aside(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ({n} {what})")
    }
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
    fn one_duration_format_cut_one_way() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(95), "1m 35s");
        assert_eq!(duration(3723), "1h 02m 03s");
        assert_eq!(duration(273_645), "3d 04h 00m");
        assert_eq!(duration(-5), "0s");
        assert_eq!(duration_in(389, 7), "6m 29s");
        assert_eq!(duration_in(3723, 8), "1h 02m");
        assert_eq!(duration_in(3723, 3), "1h");
        assert_eq!(duration_in(273_645, 7), "3d 04h");
        assert_eq!(duration_in(1_000_000_000, 6), "11574d");
        assert_eq!(duration_in(1_000_000_000, 4), ">99d");
        assert_eq!(duration_or_dash(None), "-");
        assert_eq!(rating(4), "4/5");
        assert_eq!(plural(1, "problem", "problems"), "1 problem");
    }

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("山田太郎", 5), "山田…");
        assert_eq!(fit("\u{1b}[2J", 10), "␛[2J");
    }
}
