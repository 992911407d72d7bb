//! `export --format csv`: one row per chat with the columns of `list --json` plus the review
//! columns, RFC 4180 (CRLF line ends, fields with commas, quotes or line breaks quoted, quotes
//! doubled) with a header row, for spreadsheets.

use super::{Exported, Options};
use crate::cli::views::ListItem;
use crate::sanitize;
use serde_json::Value;
use std::borrow::Cow;
use std::io::Write;

/// The columns, named as the fields of `list --json`.
pub const COLUMNS: &[&str] = &[
    "id",
    "source",
    "line",
    "visitor",
    "visitor_email",
    "agents",
    "department",
    "started_at",
    "ended_at",
    "duration_secs",
    "wait_secs",
    "first_response_secs",
    "rating",
    "status",
    "messages",
    "tags",
    "notes",
    "reviewed",
];

/// Columns whose text comes from the payload or the lead, so it is masked and guarded.
const FREE_TEXT: &[&str] = &["visitor", "visitor_email", "agents", "department", "tags"];

/// One field, quoted when it must be.
fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`) gets a leading
/// `'`, the usual guard against CSV injection.
fn guard(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("; "),
        Value::Object(o) => o.get("label").map(cell).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The header row.
pub fn header(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}\r", COLUMNS.join(","))
}

/// One chat's row.
pub fn row(out: &mut dyn Write, e: &Exported, opts: &Options) -> std::io::Result<()> {
    {
        let row = serde_json::to_value(ListItem::new(&e.summary, e.review.as_ref()))?;
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|&c| {
                let text = sanitize::text(&cell(&row[c])).into_owned();
                if FREE_TEXT.contains(&c) {
                    guard(opts.mask.text(&text).into_owned())
                } else {
                    text
                }
            })
            .collect();
        let line: Vec<Cow<str>> = cells.iter().map(|c| field(c)).collect();
        writeln!(out, "{}\r", line.join(","))
    }
}
