//! Errors from parsing a query or a sort key: one line each, saying what would have been valid.

/// The field names the error messages offer (aliases are accepted but not listed).
pub const FIELDS: &str =
    "agent, visitor, dept, country, city, wrapup, status, id, rating, wait, frt, dur, since, until, text, tag, note, reviewed, score, scored, sample";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// `foo:bar` where `foo` is not a field.
    #[error(
        "unknown field '{field}' in '{term}': use one of {FIELDS} (to search for a colon, quote the word: {quoted})"
    )]
    UnknownField {
        field: String,
        term: String,
        quoted: String,
    },

    /// `:bar`.
    #[error("missing field name before ':' in '{term}': use one of {FIELDS}")]
    MissingField { term: String },

    /// `agent:` or `agent:""`.
    #[error("'{field}:' needs a value: {expected}")]
    EmptyValue {
        field: String,
        expected: &'static str,
    },

    /// A value the field cannot read (`rating:x`, `wait:>>2`, `since:notadate`).
    #[error("bad value '{value}' in '{term}': {expected}")]
    BadValue {
        value: String,
        term: String,
        expected: &'static str,
    },

    /// `status:` with text that is part of no status label.
    #[error("no status matches '{value}': use a code (status:9) or part of a label: {labels}")]
    UnknownStatus { value: String, labels: String },

    /// A sort key that is not one of [`super::SortKey::ALL`].
    #[error("unknown order '{value}' ({keys})")]
    UnknownSort { value: String, keys: String },
}
