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
    match sort {
        None | Some(SortKey::Newest) => by_time(hits, chats, false, sort.is_none() && by_score),
        Some(SortKey::Oldest) => by_time(hits, chats, true, false),
        _ => sort_generic(hits, chats, sort, by_score),
    }
}

/// The default orders (score, then newest; newest; oldest), sorted on keys copied out of the
/// rows first: comparing through the rows costs a cache miss per comparison, several times
/// the sort itself at 100,000 hits. Same order as [`sort_generic`] (a test checks it).
fn by_time<C: Borrow<ChatSummary>>(hits: &mut [Hit], chats: &[C], oldest: bool, by_score: bool) {
    use std::cmp::Reverse;
    // (best score first, no start time last, time in the wanted direction), then the hit.
    type Key = (Reverse<i64>, bool, i64, Hit);
    let mut keyed: Vec<Key> = hits
        .iter()
        .map(|&h| {
            let started = chats[h.index].borrow().started_ms;
            let score = if by_score { h.score } else { 0 };
            // `!t` reverses the order of `t` without overflow.
            let t = started.map_or(0, |t| if oldest { t } else { !t });
            (Reverse(score), started.is_none(), t, h)
        })
        .collect();
    let cmp = |a: &Key, b: &Key| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            let (x, y) = (chats[a.3.index].borrow(), chats[b.3.index].borrow());
            x.id.cmp(&y.id).then_with(|| a.3.index.cmp(&b.3.index))
        })
    };
    // Ties on the copied keys are rare (the same start time), so the sort is mostly over
    // plain integers; parallel sorting needs `C: Sync`, which the callers' row types are but
    // this signature does not promise, so the one-thread sort it is.
    keyed.sort_unstable_by(cmp);
    for (slot, k) in hits.iter_mut().zip(keyed) {
        *slot = k.3;
    }
}

/// Any order, comparing through the rows.
fn sort_generic<C: Borrow<ChatSummary>>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChatSummary;

    /// The keyed fast path orders exactly like the comparator through the rows.
    #[test]
    fn by_time_is_the_generic_order() {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut rnd = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for len in [0, 1, 2, 7, 100, 40_000] {
            let chats: Vec<ChatSummary> = (0..len)
                .map(|_| ChatSummary {
                    id: format!("id-{}", rnd(50)).into(),
                    started_ms: match rnd(6) {
                        0 => None,
                        1 => Some(i64::MIN),
                        2 => Some(i64::MAX),
                        _ => Some(rnd(20) as i64 - 10),
                    },
                    ..ChatSummary::default()
                })
                .collect();
            for key in [None, Some(SortKey::Newest), Some(SortKey::Oldest)] {
                for by_score in [false, true] {
                    let hits: Vec<Hit> = (0..len)
                        .map(|index| Hit {
                            index,
                            score: rnd(4) as i64,
                        })
                        .collect();
                    let (mut a, mut b) = (hits.clone(), hits);
                    sort_hits(&mut a, &chats, key, by_score);
                    sort_generic(&mut b, &chats, key, by_score);
                    assert_eq!(a, b, "{len} rows, {key:?}, by score {by_score}");
                }
            }
        }
    }
}
