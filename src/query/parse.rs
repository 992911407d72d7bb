//! Turning the terms the lexer found into predicates.

use chrono::{DateTime, Utc};

use super::error::QueryError;
use super::lex::{join, show, RawTerm, Seg};
use super::term::{NumField, Pred, Term, TextField};
use super::text::{Anchor, Needle};
use super::values::{self, DATE_HELP, DURATION_HELP, RATING_HELP, SCORE_HELP};
use crate::model::Status;

/// Parse one term; `Ok(None)` for a term with nothing left once its sigils are removed (a lone `!`
/// or `^` while the user is still typing), which matches every chat.
/// A bare word (no field, no `^`/`$` anchor) means `text:word` when `transcript` is set: the
/// viewer's transcript scope.
pub(crate) fn term(
    raw: RawTerm,
    now: DateTime<Utc>,
    transcript: bool,
) -> Result<Option<Term>, QueryError> {
    let shown = show(&raw);
    let mut segs = raw;
    let lead = segs
        .first()
        .filter(|s| !s.quoted)
        .and_then(|s| s.text.chars().next());
    let neg = strip_prefix(&mut segs, &['!', '-']);
    if let Some((name, value)) = split_field(&segs) {
        let lead = if neg { lead } else { None };
        let pred = field(&name, &value, &shown, (lead, &segs), now)?;
        return Ok(Some(Term { neg, pred }));
    }
    // A bare word, possibly with fzf sigils.
    let exact = strip_prefix(&mut segs, &['\'']);
    let prefix = !exact && strip_prefix(&mut segs, &['^']);
    let suffix = strip_suffix(&mut segs, '$');
    let word = join(&segs);
    if word.is_empty() {
        return Ok(None);
    }
    if transcript && !prefix && !suffix {
        let pred = Pred::Field(
            TextField::Text,
            Needle::insensitive(&word),
            Anchor::Substring,
        );
        return Ok(Some(Term { neg, pred }));
    }
    let needle = Needle::smart(&word);
    let pred = match (prefix, suffix) {
        (false, false) if !exact && !neg => Pred::Fuzzy(Needle::fuzzy(&word)),
        (false, false) => Pred::Word(needle, Anchor::Substring),
        (true, false) => Pred::Word(needle, Anchor::Prefix),
        (false, true) => Pred::Word(needle, Anchor::Suffix),
        (true, true) => Pred::Word(needle, Anchor::Whole),
    };
    Ok(Some(Term { neg, pred }))
}

/// Remove one of `chars` typed (not quoted) at the start of the term.
fn strip_prefix(segs: &mut RawTerm, chars: &[char]) -> bool {
    let Some(first) = segs.first_mut().filter(|s| !s.quoted) else {
        return false;
    };
    let Some(rest) = first.text.strip_prefix(chars) else {
        return false;
    };
    first.text = rest.to_string();
    if first.text.is_empty() {
        segs.remove(0);
    }
    true
}

/// Remove `c` typed (not quoted) at the end of the term.
fn strip_suffix(segs: &mut RawTerm, c: char) -> bool {
    let Some(last) = segs.last_mut().filter(|s| !s.quoted) else {
        return false;
    };
    if !last.text.ends_with(c) {
        return false;
    }
    last.text.pop();
    if last.text.is_empty() {
        segs.pop();
    }
    true
}

/// Split at the first colon typed outside quotes: the text before it names a field.
fn split_field(segs: &[Seg]) -> Option<(String, Vec<Seg>)> {
    let (i, at) = segs
        .iter()
        .enumerate()
        .find_map(|(i, s)| (!s.quoted).then(|| s.text.find(':').map(|at| (i, at)))?)?;
    let mut name = join(&segs[..i]);
    name.push_str(&segs[i].text[..at]);
    let mut value = Vec::with_capacity(segs.len() - i);
    let tail = &segs[i].text[at + 1..];
    if !tail.is_empty() {
        value.push(Seg {
            text: tail.to_string(),
            quoted: false,
        });
    }
    value.extend_from_slice(&segs[i + 1..]);
    Some((name, value))
}

fn field(
    name: &str,
    value: &[Seg],
    shown: &str,
    (lead, segs): (Option<char>, &[Seg]),
    now: DateTime<Utc>,
) -> Result<Pred, QueryError> {
    let key = name.to_ascii_lowercase();
    // Text fields take `^`/`$` anchors typed outside quotes: `agent:^"PT: Jason"$`.
    let mut anchored = value.to_vec();
    let anchor = if matches!(
        key.as_str(),
        "agent" | "visitor" | "dept" | "department" | "country" | "city"
    ) {
        let prefix = strip_prefix(&mut anchored, &['^']);
        let suffix = strip_suffix(&mut anchored, '$');
        match (prefix, suffix) {
            (false, false) => Anchor::Substring,
            (true, false) => Anchor::Prefix,
            (false, true) => Anchor::Suffix,
            (true, true) => Anchor::Whole,
        }
    } else {
        Anchor::Substring
    };
    let v = join(&anchored);
    let (canonical, expected): (&str, &'static str) = match key.as_str() {
        "" => {
            return Err(QueryError::MissingField {
                term: shown.to_string(),
            })
        }
        "agent" => (
            "agent",
            "agent:NAME, quoted when it has spaces: agent:\"PT: Jason\"",
        ),
        "visitor" => ("visitor", "visitor:NAME or visitor:EMAIL"),
        "dept" | "department" => ("dept", "dept:NAME"),
        "country" => ("country", "country:NAME"),
        "city" => ("city", "city:NAME"),
        "wrapup" | "wrap_up" => (
            "wrapup",
            "wrapup:WORD (part of the category or comment) or wrapup:none",
        ),
        "text" => ("text", "text:WORD or text:\"a phrase\""),
        "tag" => ("tag", "tag:WORD (a tag containing it)"),
        "note" => ("note", "note:WORD or note:\"a phrase\""),
        "reviewed" => ("reviewed", "reviewed:yes or reviewed:no"),
        "score" => ("score", SCORE_HELP),
        "scored" => ("scored", "scored:yes or scored:no"),
        "sample" => (
            "sample",
            "sample:NAME (a sample recorded with `sample --name`)",
        ),
        "id" => ("id", "id:PREFIX"),
        "status" => (
            "status",
            "status:CODE (status:9) or part of a label (status:ended)",
        ),
        "rating" => ("rating", RATING_HELP),
        "wait" => ("wait", DURATION_HELP),
        "dur" | "duration" => ("dur", DURATION_HELP),
        "frt" | "first_response" => ("frt", DURATION_HELP),
        "since" => ("since", DATE_HELP),
        "until" => ("until", DATE_HELP),
        _ => {
            let quoted: RawTerm = vec![Seg {
                text: join(segs),
                quoted: true,
            }];
            // The negation stays outside the quotes: `!agnet:x` -> `!"agnet:x"`.
            let quoted = lead.into_iter().chain(show(&quoted).chars()).collect();
            return Err(QueryError::UnknownField {
                field: name.to_string(),
                term: shown.to_string(),
                quoted,
            });
        }
    };
    if v.is_empty() {
        return Err(QueryError::EmptyValue {
            field: name.to_string(),
            expected,
        });
    }
    let bad = || QueryError::BadValue {
        value: v.clone(),
        term: shown.to_string(),
        expected,
    };
    let text = |f| Ok(Pred::Field(f, Needle::insensitive(&v), anchor));
    match canonical {
        "agent" => text(TextField::Agent),
        "visitor" => text(TextField::Visitor),
        "dept" => text(TextField::Dept),
        "country" => text(TextField::Country),
        "city" => text(TextField::City),
        // Typed `none` is "no wrap-up"; quoted, it is a word like any other.
        "wrapup" if v.trim().eq_ignore_ascii_case("none") && value.iter().all(|s| !s.quoted) => {
            Ok(Pred::NoWrapUp)
        }
        "wrapup" => text(TextField::WrapUp),
        "text" => text(TextField::Text),
        "id" => Ok(Pred::Id(Needle::insensitive(&v))),
        "tag" => Ok(Pred::Tag(Needle::insensitive(&v))),
        "note" => Ok(Pred::Note(Needle::insensitive(&v))),
        "reviewed" => match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Ok(Pred::Reviewed(true)),
            "no" | "n" | "false" => Ok(Pred::Reviewed(false)),
            _ => Err(bad()),
        },
        "scored" => match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Ok(Pred::Scored(true)),
            "no" | "n" | "false" => Ok(Pred::Scored(false)),
            _ => Err(bad()),
        },
        "score" => values::score(&v).map(Pred::Score).ok_or_else(bad),
        "sample" => Ok(Pred::Sample(v.trim().to_string())),
        "status" => status(&v),
        "rating" => values::rating(&v)
            .map(|r| Pred::Num(NumField::Rating, r))
            .ok_or_else(bad),
        "wait" => values::duration(&v)
            .map(|r| Pred::Num(NumField::Wait, r))
            .ok_or_else(bad),
        "dur" => values::duration(&v)
            .map(|r| Pred::Num(NumField::Dur, r))
            .ok_or_else(bad),
        "frt" => values::duration(&v)
            .map(|r| Pred::Num(NumField::Frt, r))
            .ok_or_else(bad),
        "since" => values::since(&v, now)
            .map(|r| Pred::Num(NumField::Started, r))
            .ok_or_else(bad),
        _ => values::until(&v, now)
            .map(|r| Pred::Num(NumField::Started, r))
            .ok_or_else(bad),
    }
}

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
