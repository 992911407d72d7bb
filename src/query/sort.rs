//! Ordering the hits of a query.

use rayon::slice::ParallelSliceMut;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;
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
    /// First response time, longest first.
    Frt,
    /// Duration, longest first.
    Duration,
    /// The longest reply time, longest first.
    Reply,
    /// Rating, highest first.
    Rating,
    /// Visitor name A-Z, ignoring case.
    Visitor,
    /// First agent's name A-Z, ignoring case.
    Agent,
    /// The chat's score, highest first: review data, so [`sort_hits`] leaves it in the newest
    /// order and the search ([`crate::search`]) orders it by score, stably.
    Score,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::Newest,
        SortKey::Oldest,
        SortKey::Wait,
        SortKey::Frt,
        SortKey::Duration,
        SortKey::Rating,
        SortKey::Visitor,
        SortKey::Agent,
        SortKey::Reply,
        SortKey::Score,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Newest => "newest",
            SortKey::Oldest => "oldest",
            SortKey::Wait => "wait",
            SortKey::Frt => "frt",
            SortKey::Duration => "duration",
            SortKey::Reply => "reply",
            SortKey::Rating => "rating",
            SortKey::Visitor => "visitor",
            SortKey::Agent => "agent",
            SortKey::Score => "score",
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
        if t.eq_ignore_ascii_case("first_response") {
            return Ok(SortKey::Frt);
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
/// total and the same on every run. (The single exception to "newest first": a start of exactly
/// `i64::MIN` milliseconds, which no date can have, ties with an unknown start.)
///
/// Keys are computed once per hit into compact integer records (A-Z keys become the rank of the
/// text among the distinct texts), so comparisons touch the summaries only on full ties. Hits
/// already in order (chats stored newest first, default order) are detected in linear time.
pub fn sort_hits<C: Borrow<ChatSummary> + Sync>(
    hits: &mut [Hit],
    chats: &[C],
    sort: Option<SortKey>,
    by_score: bool,
) {
    let key: fn(&Hit, &ChatSummary) -> u128 = match sort {
        None if by_score => |h, _| desc(Some(h.score)),
        None | Some(SortKey::Newest | SortKey::Score) => |_, _| 0,
        Some(SortKey::Oldest) => |_, c| asc(c.started_ms()),
        Some(SortKey::Wait) => {
            |_, c| desc(c.wait_secs.map(|w| i64::try_from(w).unwrap_or(i64::MAX)))
        }
        Some(SortKey::Frt) => |_, c| desc(c.first_response_secs.map(i64::from)),
        Some(SortKey::Duration) => |_, c| desc(c.duration_secs()),
        Some(SortKey::Reply) => |_, c| desc(c.turns.reply_max_secs().map(i64::from)),
        Some(SortKey::Rating) => |_, c| desc(c.rating.map(i64::from)),
        Some(text @ (SortKey::Visitor | SortKey::Agent)) => {
            let ranks = text_ranks(hits, chats, text);
            return keyed_sort(hits, chats, |pos, _, _| ranks[pos]);
        }
    };
    keyed_sort(hits, chats, |_, hit, chat| key(hit, chat));
}

/// For each hit, the rank of its text (A-Z ignoring case) among the distinct texts of all hits;
/// [`UNKNOWN`] when it has none. Visitors type their own names, so the map keeps std's randomly
/// seeded hasher: crafted collisions cannot make sorting quadratic.
fn text_ranks<C: Borrow<ChatSummary> + Sync>(hits: &[Hit], chats: &[C], key: SortKey) -> Vec<u128> {
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut texts: Vec<&str> = Vec::new();
    let slot_of: Vec<Option<usize>> = hits
        .iter()
        .map(|h| {
            let text = text_key(chats[h.index].borrow(), key)?;
            Some(*slots.entry(text).or_insert_with(|| {
                texts.push(text);
                texts.len() - 1
            }))
        })
        .collect();
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_unstable_by(|&a, &b| cmp_ci(texts[a], texts[b]));
    let mut rank = vec![0u128; texts.len()];
    for w in order.windows(2) {
        let step = u128::from(cmp_ci(texts[w[0]], texts[w[1]]) != Ordering::Equal);
        rank[w[1]] = rank[w[0]] + step;
    }
    slot_of
        .iter()
        .map(|s| s.map_or(UNKNOWN, |s| rank[s]))
        .collect()
}

/// Hits from which sorting uses every core: a keystroke that matches most of 100,000 chats
/// sorts tens of thousands of rows.
const PARALLEL_SORT: usize = 16_384;

/// Sort by `key(position, hit, chat)`, then the common tie-breaks.
fn keyed_sort<C: Borrow<ChatSummary> + Sync>(
    hits: &mut [Hit],
    chats: &[C],
    key: impl Fn(usize, &Hit, &ChatSummary) -> u128,
) {
    let chat = |h: &Hit| chats[h.index].borrow();
    let mut keyed: Vec<(u128, u64, Hit)> = hits
        .iter()
        .enumerate()
        .map(|(pos, &hit)| {
            let c = chat(&hit);
            let newest = c
                .started_ms()
                .map_or(u64::MAX, |ms| (!ordered(ms)).min(u64::MAX - 1));
            (key(pos, &hit, c), newest, hit)
        })
        .collect();
    let order = |(ka, na, a): &(u128, u64, Hit), (kb, nb, b): &(u128, u64, Hit)| {
        ka.cmp(kb)
            .then(na.cmp(nb))
            .then_with(|| chat(a).id.cmp(&chat(b).id))
            .then(a.index.cmp(&b.index))
    };
    // The order is total, so splitting the work across threads cannot change the result.
    if keyed.len() >= PARALLEL_SORT {
        keyed.par_sort_unstable_by(order);
    } else {
        keyed.sort_unstable_by(order);
    }
    for (h, (_, _, hit)) in hits.iter_mut().zip(keyed) {
        *h = hit;
    }
}

/// `i64` to `u64` keeping the order.
fn ordered(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

/// Keys hold a value in the low 64 bits; bit 64 set means unknown (sorts last).
const UNKNOWN: u128 = 1 << 64;

/// Ascending, unknown last.
fn asc(v: Option<i64>) -> u128 {
    v.map_or(UNKNOWN, |v| u128::from(ordered(v)))
}

/// Descending, unknown last.
fn desc(v: Option<i64>) -> u128 {
    v.map_or(UNKNOWN, |v| u128::from(!ordered(v)))
}

/// The text an A-Z key sorts on.
fn text_key(c: &ChatSummary, key: SortKey) -> Option<&str> {
    match key {
        SortKey::Agent => c.agents.first().map(|a| &**a),
        _ => c.visitor.as_deref(),
    }
}
