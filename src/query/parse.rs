//! Turning the terms the lexer found into predicates.

use chrono::{DateTime, Utc};

use super::error::QueryError;
use super::fields::{names, Field, Value};
use super::lex::{join, show, RawTerm, Seg};
use super::term::{Pred, Term, TextField};
use super::text::{Anchor, Needle};

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
    if name.is_empty() {
        return Err(QueryError::MissingField {
            term: shown.to_string(),
            fields: names(),
        });
    }
    let Some(spec) = Field::named(name) else {
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
            fields: names(),
        });
    };
    // Text fields take `^`/`$` anchors typed outside quotes: `agent:^"PT: Jason"$`.
    let mut anchored = value.to_vec();
    let anchor = if spec.anchored {
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
    if v.is_empty() {
        return Err(QueryError::EmptyValue {
            field: name.to_string(),
            expected: spec.expected,
        });
    }
    let bad = || QueryError::BadValue {
        value: v.clone(),
        term: shown.to_string(),
        expected: spec.expected,
    };
    (spec.parse)(&Value {
        text: &v,
        bare: value.iter().all(|s| !s.quoted),
        anchor,
        now,
        bad: &bad,
    })
}
