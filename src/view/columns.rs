//! The columns of the chat list, by name: what the config file's `columns` key chooses from,
//! and how `list` prints each one.

use crate::format::duration;

/// Column alignment: text left (cut with `…` when too long), figures right (never cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A short id for tables: GUIDs cut to 8 characters (`show` accepts a unique prefix).
pub fn short_id(id: &str) -> &str {
    if id.len() > 12 && id.is_char_boundary(8) {
        &id[..8]
    } else {
        id
    }
}
use crate::model::shown::{show, Form, Zone};
use crate::model::ChatSummary;
use crate::review::ChatReview;

/// One column of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Time,
    Id,
    Visitor,
    Agents,
    Dept,
    Wait,
    /// First response time.
    Frt,
    Duration,
    Rating,
    Messages,
    /// The wrap-up's category (from the payload or a later `chat_wrapped_up` event).
    WrapUp,
    /// The lead's review: `✓` when reviewed, the tags, how many notes.
    Review,
    /// The longest reply time (`reply_max_secs`).
    Reply,
    /// Who sent the last message: `agent`, `visitor` or `bot` (`last_from`).
    Last,
    /// The chat's score (the mean of its reviewers' scorecards); shown when chosen.
    Score,
}

impl Column {
    /// The columns `list` shows when the config file does not choose.
    pub const DEFAULT: [Column; 11] = [
        Column::Time,
        Column::Id,
        Column::Visitor,
        Column::Agents,
        Column::Dept,
        Column::Wait,
        Column::Frt,
        Column::Duration,
        Column::Rating,
        Column::Messages,
        Column::Review,
    ];

    /// Every column.
    pub const ALL: [Column; 15] = [
        Column::Time,
        Column::Id,
        Column::Visitor,
        Column::Agents,
        Column::Dept,
        Column::Wait,
        Column::Frt,
        Column::Duration,
        Column::Rating,
        Column::Messages,
        Column::WrapUp,
        Column::Review,
        Column::Reply,
        Column::Last,
        Column::Score,
    ];

    /// The name the config file uses.
    pub fn name(self) -> &'static str {
        match self {
            Column::Time => "time",
            Column::Id => "id",
            Column::Visitor => "visitor",
            Column::Agents => "agents",
            Column::Dept => "dept",
            Column::Wait => "wait",
            Column::Frt => "frt",
            Column::Duration => "duration",
            Column::Rating => "rating",
            Column::Messages => "messages",
            Column::WrapUp => "wrap_up",
            Column::Review => "review",
            Column::Reply => "reply",
            Column::Last => "last",
            Column::Score => "score",
        }
    }

    /// A column by its name, or by the heading `list` or the viewer prints for it (`started`,
    /// `dur`, `rate`, `msgs`), ignoring case.
    pub fn from_name(s: &str) -> Option<Column> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "started" => Some(Column::Time),
            "department" => Some(Column::Dept),
            "dur" => Some(Column::Duration),
            "rate" => Some(Column::Rating),
            "msgs" => Some(Column::Messages),
            "wrap-up" | "wrapup" => Some(Column::WrapUp),
            "first_response" | "first" | "first reply" => Some(Column::Frt),
            "reply_max" => Some(Column::Reply),
            "last_from" => Some(Column::Last),
            _ => None,
        };
        alias.or_else(|| Column::ALL.into_iter().find(|c| c.name() == s))
    }

    /// Every name, for messages.
    pub fn names() -> String {
        Column::ALL.map(Column::name).join(", ")
    }

    /// The heading, alignment and widest cell of the `list` table; times name their zone.
    pub fn heading(self, zone: &Zone) -> (String, Align, usize) {
        let (name, align, width) = match self {
            Column::Time => {
                // One more for the mark of a time shown in UTC under `--tz visitor`.
                let width = 16 + usize::from(*zone == Zone::Visitor);
                return (format!("STARTED ({})", zone.label()), Align::Left, width);
            }
            Column::Id => ("ID", Align::Left, 12),
            Column::Visitor => ("VISITOR", Align::Left, 24),
            Column::Agents => ("AGENTS", Align::Left, 28),
            Column::Dept => ("DEPT", Align::Left, 16),
            Column::Wait => ("WAIT", Align::Right, 12),
            Column::Frt => ("FIRST REPLY", Align::Right, 12),
            Column::Duration => ("DURATION", Align::Right, 12),
            Column::Rating => ("RATING", Align::Right, 6),
            Column::Messages => ("MSGS", Align::Right, 6),
            Column::WrapUp => ("WRAP-UP", Align::Left, 20),
            Column::Review => ("REVIEW", Align::Left, 40),
            Column::Reply => ("REPLY", Align::Right, 12),
            Column::Last => ("LAST", Align::Left, 7),
            Column::Score => ("SCORE", Align::Right, 6),
        };
        (name.to_string(), align, width)
    }

    /// The column's cell for a chat in the `list` table (not yet sanitised or cut); `review` is
    /// what is recorded on the chat.
    pub fn cell(self, c: &ChatSummary, zone: &Zone, review: Option<&ChatReview>) -> String {
        match self {
            Column::Time => c.started_at().map_or_else(
                || "-".into(),
                |t| {
                    let mut shown = show(t, &zone.for_chat(c.visitor_offset_min), Form::Minutes);
                    if zone.falls_back(c.visitor_offset_min) {
                        shown.push(crate::model::zone::UTC_MARK);
                    }
                    shown
                },
            ),
            Column::Id => short_id(&c.id).to_string(),
            Column::Visitor => c.visitor_display().to_string(),
            Column::Agents => {
                if c.agents.is_empty() {
                    "(missed)".into()
                } else {
                    c.agents.join(", ")
                }
            }
            Column::Dept => c.department().unwrap_or("-").to_string(),
            Column::Wait => c.wait_secs.map_or_else(
                || "-".into(),
                |w| duration(i64::try_from(w).unwrap_or(i64::MAX)),
            ),
            Column::Frt => crate::format::duration_or_dash(c.first_response_secs.map(u64::from)),
            Column::Duration => c.duration_secs().map_or_else(|| "-".into(), duration),
            Column::Rating => c.rating.map_or_else(|| "-".into(), crate::format::rating),
            Column::Messages => c.messages.to_string(),
            Column::WrapUp => c.wrap_up_category().unwrap_or("-").to_string(),
            Column::Review => review_marks(review),
            Column::Reply => {
                crate::format::duration_or_dash(c.turns.reply_max_secs().map(u64::from))
            }
            Column::Last => c.turns.last_from().map_or("-", |l| l.name()).to_string(),
            Column::Score => crate::model::review::score_of(review)
                .map_or_else(|| "-".into(), crate::model::score::shown),
        }
    }
}

/// The REVIEW column: `✓` when reviewed, then the tags (`#coaching`) and the number of notes.
fn review_marks(review: Option<&ChatReview>) -> String {
    let Some(r) = review else {
        return String::new();
    };
    let mut parts: Vec<String> = Vec::new();
    if r.reviewed.is_some() {
        parts.push("✓".into());
    }
    parts.extend(r.tags.iter().map(|t| format!("#{t}")));
    if !r.notes.is_empty() {
        parts.push(crate::format::plural(r.notes.len(), "note", "notes"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_headings_read_back() {
        for c in Column::ALL {
            assert_eq!(Column::from_name(c.name()), Some(c));
            let heading = c.heading(&Zone::default()).0;
            let heading = heading.split(' ').next().unwrap();
            assert_eq!(Column::from_name(heading), Some(c), "{heading}");
        }
        assert_eq!(Column::from_name("DUR"), Some(Column::Duration));
        assert_eq!(Column::from_name("colour"), None);
    }
}
