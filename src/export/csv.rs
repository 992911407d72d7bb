//! `export --format csv`: one row per chat with the columns of `list --json` plus the review
//! columns, RFC 4180 (CRLF line ends, fields with commas, quotes or line breaks quoted, quotes
//! doubled) with a header row, for spreadsheets.

use super::{Exported, Options};
use crate::sanitize;
use crate::view::json::ListItem;
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
    "wrap_up",
    "tags",
    "notes",
    "reviewed",
    "reply_count",
    "reply_p50_secs",
    "reply_max_secs",
    "unanswered_turns",
    "last_from",
    "responders",
    "transfers",
    "bot",
    "sla_breaches",
    "sla",
    "score",
];

/// Columns whose text says something about a person, so it is masked when redacting (ids, file
/// names and times identify the chat and stay).
const MASKED: &[&str] = &[
    "visitor",
    "visitor_email",
    "agents",
    "department",
    "wrap_up",
    "tags",
    "responders",
];

/// One field, quoted when it must be.
fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, also
/// after leading blanks) gets a leading `'`, the usual guard against CSV injection. Every text
/// cell is guarded: ids and file names come from the payload and the spool too. Blanks are any
/// Unicode whitespace (a no-break or ideographic space) and invisible format characters, which
/// spreadsheets may skip too.
fn guard(s: String) -> String {
    let start = s.trim_start_matches(|c: char| c.is_whitespace() || sanitize::is_invisible(c));
    if start.starts_with(['=', '+', '-', '@']) || s.starts_with(['\t', '\r']) {
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
    let row = serde_json::to_value(ListItem::new(&e.summary, e.review.as_ref(), opts.levels))?;
    let cells: Vec<String> = COLUMNS
        .iter()
        .map(|&c| {
            let text = sanitize::text(&cell(&row[c])).into_owned();
            let text = match MASKED.contains(&c) {
                true => opts.mask.field(c, &text).into_owned(),
                false => text,
            };
            match &row[c] {
                Value::String(_) | Value::Array(_) | Value::Object(_) => guard(text),
                _ => text,
            }
        })
        .collect();
    let line: Vec<Cow<str>> = cells.iter().map(|c| field(c)).collect();
    writeln!(out, "{}\r", line.join(","))
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formulas_behind_any_blank_are_guarded() {
        for lead in [
            "",
            " ",
            "\t",
            "\u{00A0}",
            "\u{3000}",
            "\u{2009}",
            "\u{202F}",
            "\u{200B}",
            "\u{FEFF}",
            "\u{00A0}\u{3000} ",
        ] {
            for op in ['=', '+', '-', '@'] {
                let cell = format!("{lead}{op}HYPERLINK(\"http://x.example\")");
                assert_eq!(guard(cell.clone()), format!("'{cell}"), "{lead:?}{op}");
            }
        }
        assert_eq!(guard("\u{00A0}plain".into()), "\u{00A0}plain");
    }
}
