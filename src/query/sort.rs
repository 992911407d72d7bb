//! Ordering the hits of a query.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::error::QueryError;
use super::text::cmp_ci;
use super::Hit;
use crate::model::ChatSummary;

/// An explicit order for the chat list (`--sort`, the TUI's sort menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Start time, most recent first.
    Newest,
    /// Start time, earliest first.
    Oldest,
    /// Waiting time, longest first.
    Wait,
    /// Duration, longest first.
    Duration,
    /// Rating, highest first.
    Rating,
    /// Visitor name A-Z, ignoring case.
    Visitor,
    /// First agent's name A-Z, ignoring case.
    Agent,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Newest,
        SortKey::Oldest,
        SortKey::Wait,
        SortKey::Duration,
        SortKey::Rating,
        SortKey::Visitor,
        SortKey::Agent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Newest => "newest",
            SortKey::Oldest => "oldest",
            SortKey::Wait => "wait",
            SortKey::Duration => "duration",
            SortKey::Rating => "rating",
            SortKey::Visitor => "visitor",
            SortKey::Agent => "agent",
        }
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SortKey {
    type Err = QueryError;

    /// The names of [`SortKey::as_str`], ignoring case; `dur` is accepted for `duration`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("dur") {
            return Ok(SortKey::Duration);
        }
        SortKey::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| QueryError::UnknownSort {
                value: s.to_string(),
                keys: SortKey::ALL.map(SortKey::as_str).join(", "),
            })
    }
}

/// Order hits in place.
///
/// `sort: None` is the default order: best score first when `by_score` (pass
/// [`super::Query::has_fuzzy`]), otherwise newest first. An explicit key ignores scores. Unknown
/// values (`None`) sort after every known value whatever the direction. Ties go newest first (a chat
/// with no start time after those with one), then by id ascending, then by index, so the order is
/// total and the same on every run.
pub fn sort_hits<C: Borrow<ChatSummary>>(
    hits: &mut [Hit],
    chats: &[C],
    sort: Option<SortKey>,
    by_score: bool,
) {
    hits.sort_unstable_by(|a, b| {
        let (x, y) = (chats[a.index].borrow(), chats[b.index].borrow());
        primary(a, b, x, y, sort, by_score)
            .then_with(|| desc(x.started_ms, y.started_ms))
            .then_with(|| x.id.cmp(&y.id))
            .then_with(|| a.index.cmp(&b.index))
    });
}

fn primary(
    a: &Hit,
    b: &Hit,
    x: &ChatSummary,
    y: &ChatSummary,
    sort: Option<SortKey>,
    by_score: bool,
) -> Ordering {
    match sort {
        None if by_score => b.score.cmp(&a.score),
        None | Some(SortKey::Newest) => Ordering::Equal,
        Some(SortKey::Oldest) => asc(x.started_ms, y.started_ms),
        Some(SortKey::Wait) => desc(x.wait_secs, y.wait_secs),
        Some(SortKey::Duration) => desc(x.duration_secs(), y.duration_secs()),
        Some(SortKey::Rating) => desc(x.rating, y.rating),
        Some(SortKey::Visitor) => az(x.visitor.as_deref(), y.visitor.as_deref()),
        Some(SortKey::Agent) => az(
            x.agents.first().map(|a| &**a),
            y.agents.first().map(|a| &**a),
        ),
    }
}

/// Known values first, in `known` order.
fn none_last<T>(x: Option<T>, y: Option<T>, known: impl FnOnce(T, T) -> Ordering) -> Ordering {
    match (x, y) {
        (Some(x), Some(y)) => known(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn asc<T: Ord>(x: Option<T>, y: Option<T>) -> Ordering {
    none_last(x, y, |x, y| x.cmp(&y))
}

fn desc<T: Ord>(x: Option<T>, y: Option<T>) -> Ordering {
    none_last(x, y, |x, y| y.cmp(&x))
}

fn az(x: Option<&str>, y: Option<&str>) -> Ordering {
    none_last(x, y, cmp_ci)
}
