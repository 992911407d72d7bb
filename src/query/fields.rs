//! The query language's fields, one entry each: the name and its aliases, whether `^`/`$`
//! anchor the value, what a value looks like, the line the viewer's help shows, and how the
//! value becomes a predicate. The parser, the unknown-field error, the viewer's help and the
//! documentation checks all read this table, so a field on a value the row already has is one
//! entry here (plus its tests).

use chrono::{DateTime, Utc};

use super::error::QueryError;
use super::term::{NumField, Pred, Range, TextField};
use super::text::{Anchor, Needle};
use super::values::{self, COUNT_HELP, DATE_HELP, DURATION_HELP, RATING_HELP, SCORE_HELP};
use crate::model::sla::SlaVerdict;
use crate::model::turns::{BotUse, LastFrom};
use crate::model::Status;

/// A field's value, as the parser hands it to the field.
pub(crate) struct Value<'a> {
    /// The value with any anchors taken off.
    pub text: &'a str,
    /// The value was typed without quotes (`wrapup:none` is "no wrap-up"; `wrapup:"none"` a word).
    pub bare: bool,
    pub anchor: Anchor,
    /// Anchors relative dates.
    pub now: DateTime<Utc>,
    /// The error for a value the field cannot read.
    pub bad: &'a dyn Fn() -> QueryError,
}

impl Value<'_> {
    fn text_field(&self, field: TextField) -> Result<Pred, QueryError> {
        Ok(Pred::Field(
            field,
            Needle::insensitive(self.text),
            self.anchor,
        ))
    }

    fn num(&self, field: NumField, read: fn(&str) -> Option<Range>) -> Result<Pred, QueryError> {
        read(self.text)
            .map(|r| Pred::Num(field, r))
            .ok_or_else(self.bad)
    }

    /// One of a few words, ignoring case.
    fn word<T: Copy>(&self, words: &[(&str, T)]) -> Result<T, QueryError> {
        let v = self.text.trim().to_ascii_lowercase();
        words
            .iter()
            .find(|(w, _)| *w == v)
            .map(|(_, t)| *t)
            .ok_or_else(self.bad)
    }
}

/// One field.
pub(crate) struct Field {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// `^` and `$` typed outside quotes anchor the value (text fields).
    pub anchored: bool,
    /// What a value looks like, for errors.
    pub expected: &'static str,
    /// The viewer's help line (an example and what it finds); fields that share a line have it
    /// on the first of them.
    pub help: Option<(&'static str, &'static str)>,
    pub parse: fn(&Value) -> Result<Pred, QueryError>,
}

impl Field {
    /// The field a name (or alias) means, ignoring case.
    pub fn named(name: &str) -> Option<&'static Field> {
        let key = name.to_ascii_lowercase();
        FIELDS
            .iter()
            .find(|f| f.name == key || f.aliases.contains(&key.as_str()))
    }
}

/// The names the error messages offer (aliases are accepted but not listed).
pub fn names() -> String {
    FIELDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// The viewer's help lines for the fields, in table order.
pub fn help_lines() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.iter().filter_map(|f| f.help)
}

/// Every field name, aliases included (for documentation checks).
pub fn all_names() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
}

/// The words a yes/no field takes.
const YES_NO: &[(&str, bool)] = &[
    ("yes", true),
    ("y", true),
    ("true", true),
    ("no", false),
    ("n", false),
    ("false", false),
];

const TEXT: bool = true;
const NOT_TEXT: bool = false;

pub(crate) const FIELDS: &[Field] = &[
    Field {
        name: "agent",
        aliases: &[],
        anchored: TEXT,
        expected: "agent:NAME, quoted when it has spaces: agent:\"PT: Jason\"",
        help: Some(("agent: visitor: dept:", "substring of that field")),
        parse: |v| v.text_field(TextField::Agent),
    },
    Field {
        name: "visitor",
        aliases: &[],
        anchored: TEXT,
        expected: "visitor:NAME or visitor:EMAIL",
        help: None,
        parse: |v| v.text_field(TextField::Visitor),
    },
    Field {
        name: "dept",
        aliases: &["department"],
        anchored: TEXT,
        expected: "dept:NAME",
        help: None,
        parse: |v| v.text_field(TextField::Dept),
    },
    Field {
        name: "country",
        aliases: &[],
        anchored: TEXT,
        expected: "country:NAME",
        help: Some(("country: city: status:", "status by label or code")),
        parse: |v| v.text_field(TextField::Country),
    },
    Field {
        name: "city",
        aliases: &[],
        anchored: TEXT,
        expected: "city:NAME",
        help: None,
        parse: |v| v.text_field(TextField::City),
    },
    Field {
        name: "wrapup",
        aliases: &["wrap_up"],
        anchored: NOT_TEXT,
        expected: "wrapup:WORD (part of the category or comment) or wrapup:none",
        help: Some((
            "wrapup:refund wrapup:none",
            "wrap-up category or comment; none",
        )),
        parse: |v| match v.bare && v.text.trim().eq_ignore_ascii_case("none") {
            true => Ok(Pred::NoWrapUp),
            false => v.text_field(TextField::WrapUp),
        },
    },
    Field {
        name: "status",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "status:CODE (status:9) or part of a label (status:ended)",
        help: None,
        parse: |v| status(v.text),
    },
    Field {
        name: "id",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "id:PREFIX",
        help: Some(("id:", "chat id prefix")),
        parse: |v| Ok(Pred::Id(Needle::insensitive(v.text))),
    },
    Field {
        name: "rating",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: RATING_HELP,
        help: Some(("rating:5 rating:>=4", "rating:none for unrated")),
        parse: |v| v.num(NumField::Rating, values::rating),
    },
    Field {
        name: "wait",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: DURATION_HELP,
        help: Some(("wait:>2m dur:<30s", "waiting time, duration")),
        parse: |v| v.num(NumField::Wait, values::duration),
    },
    Field {
        name: "frt",
        aliases: &["first_response"],
        anchored: NOT_TEXT,
        expected: DURATION_HELP,
        help: Some(("frt:>1m", "first response time (first_response:)")),
        parse: |v| v.num(NumField::Frt, values::duration),
    },
    Field {
        name: "dur",
        aliases: &["duration"],
        anchored: NOT_TEXT,
        expected: DURATION_HELP,
        help: None,
        parse: |v| v.num(NumField::Dur, values::duration),
    },
    Field {
        name: "reply",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: DURATION_HELP,
        help: Some(("reply:>2m", "the longest reply to the visitor")),
        parse: |v| v.num(NumField::Reply, values::duration),
    },
    Field {
        name: "transfers",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: COUNT_HELP,
        help: Some((
            "transfers:>0 unanswered:>0",
            "transferred; visitor left waiting",
        )),
        parse: |v| v.num(NumField::Transfers, values::count),
    },
    Field {
        name: "unanswered",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: COUNT_HELP,
        help: None,
        parse: |v| v.num(NumField::Unanswered, values::count),
    },
    Field {
        name: "last",
        aliases: &["last_from"],
        anchored: NOT_TEXT,
        expected: "last:visitor, last:agent, last:bot or last:none",
        help: Some(("last:visitor", "who sent the last message")),
        parse: |v| {
            v.word(&[
                ("agent", Some(LastFrom::Agent)),
                ("visitor", Some(LastFrom::Visitor)),
                ("bot", Some(LastFrom::Bot)),
                ("none", None),
            ])
            .map(Pred::Last)
        },
    },
    Field {
        name: "bot",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "bot:only, bot:handoff or bot:none",
        help: Some(("bot:only bot:handoff", "a bot alone; a bot, then an agent")),
        parse: |v| {
            v.word(&[
                ("only", BotUse::Only),
                ("handoff", BotUse::Handoff),
                ("none", BotUse::None),
            ])
            .map(Pred::Bot)
        },
    },
    Field {
        name: "sla",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "sla:breached or sla:met",
        help: Some(("sla:breached sla:met", "against the config's [sla] levels")),
        parse: |v| {
            v.word(&[("breached", SlaVerdict::Breached), ("met", SlaVerdict::Met)])
                .map(|want| Pred::Sla(want, None))
        },
    },
    Field {
        name: "since",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: DATE_HELP,
        help: Some((
            "since:7d until:2024-05-31",
            "today, yesterday, Nd, Nh, Nw, dates",
        )),
        parse: |v| {
            values::since(v.text, v.now)
                .map(|r| Pred::Num(NumField::Started, r))
                .ok_or_else(v.bad)
        },
    },
    Field {
        name: "until",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: DATE_HELP,
        help: None,
        parse: |v| {
            values::until(v.text, v.now)
                .map(|r| Pred::Num(NumField::Started, r))
                .ok_or_else(v.bad)
        },
    },
    Field {
        name: "text",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "text:WORD or text:\"a phrase\"",
        help: Some(("text:refund", "words in the transcript")),
        parse: |v| v.text_field(TextField::Text),
    },
    Field {
        name: "tag",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "tag:WORD (a tag containing it)",
        help: Some(("tag:coach note:refund", "a tag / a note containing it")),
        parse: |v| Ok(Pred::Tag(Needle::insensitive(v.text))),
    },
    Field {
        name: "note",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "note:WORD or note:\"a phrase\"",
        help: None,
        parse: |v| Ok(Pred::Note(Needle::insensitive(v.text))),
    },
    Field {
        name: "reviewed",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "reviewed:yes or reviewed:no",
        help: Some(("reviewed:yes reviewed:no", "marked reviewed or not")),
        parse: |v| v.word(YES_NO).map(Pred::Reviewed),
    },
    Field {
        name: "score",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: SCORE_HELP,
        help: Some(("score:<80 scored:no", "scorecard score; scored or not")),
        parse: |v| values::score(v.text).map(Pred::Score).ok_or_else(v.bad),
    },
    Field {
        name: "scored",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "scored:yes or scored:no",
        help: None,
        parse: |v| v.word(YES_NO).map(Pred::Scored),
    },
    Field {
        name: "sample",
        aliases: &[],
        anchored: NOT_TEXT,
        expected: "sample:NAME (a sample recorded with `sample --name`)",
        help: Some(("sample:week-49", "the chats of a named sample")),
        parse: |v| Ok(Pred::Sample(v.text.trim().to_string())),
    },
];

/// `status:9` is a code; anything else is part of a label. A label that no known status has (and
/// that could not be the number of an unknown code) is an error rather than an empty result.
fn status(v: &str) -> Result<Pred, QueryError> {
    if let Ok(code) = v.trim().parse::<i64>() {
        return Ok(Pred::StatusCode(code));
    }
    let needle = Needle::insensitive(v);
    let known = Status::all_known().any(|(_, label)| needle.within(label));
    let numeric = v.chars().all(|c| c.is_ascii_digit() || c == '-');
    if known || numeric {
        return Ok(Pred::StatusLabel(needle));
    }
    let labels = Status::all_known()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(", ");
    Err(QueryError::UnknownStatus {
        value: v.to_string(),
        labels,
    })
}
