//! Plain-text output helpers: aligned tables, human durations, a stderr progress line.
//!
//! Everything printed here has gone through `sanitize` and contains no escape sequences, so
//! output to a pipe or file is clean text.

pub use crate::format::fit;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

pub use crate::view::columns::Align;

/// Print rows as an aligned table; each column is as wide as its widest cell. A text column
/// (left-aligned) is capped, its longer cells cut with `…`; a figure (right-aligned) is never
/// cut, its column widens instead: a number is shown whole or not at all.
pub fn table(
    out: &mut impl Write,
    headers: &[(&str, Align, usize)],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(headers)
                .map(|(c, h)| match h.1 {
                    Align::Left => fit(c, h.2),
                    Align::Right => fit(c, usize::MAX),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            cells
                .iter()
                .map(|r| r[i].width())
                .chain([h.0.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, row: &[String]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.width());
            let last = i + 1 == row.len();
            match headers[i].1 {
                Align::Right => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
                Align::Left => {
                    s.push_str(cell);
                    if !last {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            if !last {
                s.push_str("  ");
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    let head: Vec<String> = headers.iter().map(|h| h.0.to_string()).collect();
    line(out, &head)?;
    for r in &cells {
        line(out, r)?;
    }
    Ok(())
}

/// A one-line progress indicator on stderr, shown only when stderr is a terminal and the job
/// has run for more than a moment.
pub struct Progress {
    label: &'static str,
    start: Instant,
    enabled: bool,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    pub fn new(label: &'static str) -> Self {
        Progress {
            label,
            start: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            last: Mutex::new(None),
        }
    }

    pub fn update(&self, done: usize, total: usize) {
        if self.due(done, total) {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            eprint!("\r{} {done}/{total} files ({pct}%)", self.label);
        }
    }

    /// `exported 40,000 / 100,000 chats`: for work counted in something other than files.
    pub fn update_count(&self, done: usize, total: usize, noun: &str) {
        if self.due(done, total) {
            let (d, t) = (thousands(done), thousands(total));
            eprint!("\r{} {d} / {t} {noun}", self.label);
        }
    }

    /// Whether to redraw now (at most ten times a second, and the last count always).
    fn due(&self, done: usize, total: usize) -> bool {
        if !self.enabled || self.start.elapsed() < Duration::from_millis(300) {
            return false;
        }
        let Ok(mut last) = self.last.lock() else {
            return false;
        };
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) && done < total {
            return false;
        }
        *last = Some(Instant::now());
        true
    }

    pub fn finish(&self) {
        if let Ok(last) = self.last.lock() {
            if last.is_some() {
                eprint!("\r\x1b[2K");
            }
        }
    }
}

/// `100000` as `100,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(40_000), "40,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn figures_are_never_cut_text_is() {
        let heads = [("NAME", Align::Left, 4), ("WAIT", Align::Right, 6)];
        let rows = vec![vec!["Walid Abdo".to_string(), "12345h 02m 03s".to_string()]];
        let mut out = Vec::new();
        table(&mut out, &heads, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("12345h 02m 03s"), "{text}");
        assert!(text.contains("Wal…"), "{text}");
    }
}
