//! A search index over one fixed set of rows, for answering many queries fast (the TUI's
//! keystrokes).
//!
//! Why: scanning the rows themselves costs a few pointer hops per row (the row, then each of its
//! strings), and most of the text searched repeats (a team has a few dozen agents and
//! departments, while every row names them). The index keeps every distinct searchable string
//! once, in one contiguous buffer with a letter mask, and each row as small string ids. A term
//! is then decided once per distinct string (memoised, lazily, shared by the threads), and rows
//! only look their ids up. Orders are kept as precomputed ranks, so sorting a large hit set is a
//! walk over a permutation instead of a comparison sort.
//!
//! Results are exactly those of [`super::select`], [`super::refine`] and [`super::sort_hits`]
//! (tests compare them on random rows and queries).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::term::{Pred, Term, TextField};
use super::text::Needle;
use super::{fuzzy, sort_hits, Hit, Query, SortKey, PARALLEL_CHUNK};
use crate::model::ChatSummary;

/// A row field with no value.
const NONE: u32 = u32::MAX;

/// The index of one row set (a snapshot's chats). Build once per set; it never changes.
pub struct SearchIndex {
    rows: usize,
    /// Every distinct searchable string, back to back.
    text: String,
    /// String `k` is `text[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    /// For each string, [`mask`] of its bytes: a term whose letters are not all there cannot hold.
    masks: Vec<u64>,
    visitor: Vec<u32>,
    email: Vec<u32>,
    dept: Vec<u32>,
    country: Vec<u32>,
    city: Vec<u32>,
    /// Row `r`'s agents are `agents[agent_starts[r]..agent_starts[r + 1]]`.
    agent_starts: Vec<u32>,
    agents: Vec<u32>,
    /// Per sort key (in [`SortKey::ALL`] order), built on first use.
    ranks: [OnceLock<Ranks>; SortKey::ALL.len()],
}

/// A total order of all rows: `order` lists rows first to last, `rank[row]` is its position.
struct Ranks {
    order: Vec<u32>,
    rank: Vec<u32>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("rows", &self.rows)
            .field("strings", &self.masks.len())
            .field("text_bytes", &self.text.len())
            .finish()
    }
}

/// One bit per folded ASCII letter and digit, a few shared bits for other ASCII bytes, and one
/// for "some non-ASCII byte". A needle's bits must all be in a string's mask for any of its
/// predicates (fuzzy, substring, anchored; either case rule) to hold: ASCII characters of the
/// needle can only match ASCII bytes of the string as it is, since case folding never maps a
/// non-ASCII character to ASCII ([`crate::fold::case`]), or of the string with accents folded,
/// which fuzzy words see ([`crate::fold::accents`]: `u` in `Müller`); a string's mask holds both.
#[inline]
fn bit(b: u8) -> u64 {
    let b = b.to_ascii_lowercase();
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        0x80.. => 1 << 63,
        _ => 1 << (36 + b % 27),
    }
}

fn mask(s: &str) -> u64 {
    let bytes = |s: &str| s.bytes().fold(0, |m, b| m | bit(b));
    if s.is_ascii() {
        bytes(s)
    } else {
        bytes(s) | bytes(&crate::fold::accents::unaccent(s))
    }
}

/// The bits every string holding `needle` has (its ASCII characters; see [`bit`]).
fn needle_mask(needle: &Needle) -> u64 {
    needle
        .text
        .bytes()
        .filter(u8::is_ascii)
        .fold(0, |m, b| m | bit(b))
}

/// Interns strings while building.
struct Strings<'a> {
    ids: HashMap<&'a str, u32>,
    text: String,
    starts: Vec<u32>,
    masks: Vec<u64>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: Option<&'a str>) -> Option<u32> {
        let Some(s) = s else { return Some(NONE) };
        if let Some(&id) = self.ids.get(s) {
            return Some(id);
        }
        let id = u32::try_from(self.masks.len())
            .ok()
            .filter(|&id| id != NONE)?;
        self.text.push_str(s);
        self.starts.push(u32::try_from(self.text.len()).ok()?);
        self.masks.push(mask(s));
        self.ids.insert(s, id);
        Some(id)
    }
}

impl SearchIndex {
    /// Index `chats`. `None` when they are beyond what the index can address (4 GiB of distinct
    /// text or 4 billion rows); search without an index then.
    pub fn build<C: Borrow<ChatSummary> + Sync>(chats: &[C]) -> Option<SearchIndex> {
        let rows = chats.len();
        u32::try_from(rows).ok().filter(|&n| n != NONE)?;
        let mut strings = Strings {
            ids: HashMap::with_capacity(rows),
            text: String::new(),
            starts: vec![0],
            masks: Vec::new(),
        };
        let column = || Vec::with_capacity(rows);
        let (mut visitor, mut email, mut dept, mut country, mut city) =
            (column(), column(), column(), column(), column());
        let mut agent_starts = Vec::with_capacity(rows + 1);
        let mut agents = Vec::with_capacity(rows * 2);
        agent_starts.push(0);
        for c in chats {
            let c = c.borrow();
            visitor.push(strings.id(c.visitor.as_deref())?);
            email.push(strings.id(c.visitor_email.as_deref())?);
            dept.push(strings.id(c.department())?);
            country.push(strings.id(c.country())?);
            city.push(strings.id(c.city())?);
            for a in c.agents.iter() {
                agents.push(strings.id(Some(a))?);
            }
            agent_starts.push(u32::try_from(agents.len()).ok()?);
        }
        let Strings {
            mut text,
            mut starts,
            mut masks,
            ..
        } = strings;
        // Grown by doubling: give the slack back, the index lives as long as its snapshot.
        text.shrink_to_fit();
        starts.shrink_to_fit();
        masks.shrink_to_fit();
        agents.shrink_to_fit();
        let index = SearchIndex {
            rows,
            text,
            starts,
            masks,
            visitor,
            email,
            dept,
            country,
            city,
            agent_starts,
            agents,
            ranks: Default::default(),
        };
        // The default order is needed by every query: build it now, not on the first keystroke.
        index.ranks(chats, SortKey::Newest);
        Some(index)
    }

    /// How many rows were indexed (the length of the slice given to [`SearchIndex::build`]).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        let ranks: usize = self
            .ranks
            .iter()
            .filter_map(OnceLock::get)
            .map(|r| (r.order.capacity() + r.rank.capacity()) * 4)
            .sum();
        self.text.capacity()
            + self.masks.capacity() * 8
            + (self.starts.capacity()
                + self.visitor.capacity()
                + self.email.capacity()
                + self.dept.capacity()
                + self.country.capacity()
                + self.city.capacity()
                + self.agent_starts.capacity()
                + self.agents.capacity())
                * 4
            + ranks
    }

    fn string(&self, id: u32) -> &str {
        let k = id as usize;
        &self.text[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    fn row_agents(&self, row: usize) -> &[u32] {
        &self.agents[self.agent_starts[row] as usize..self.agent_starts[row + 1] as usize]
    }

    /// Build the order `sort` needs now (it is otherwise built on first use): the default order
    /// always exists, another is a full sort of the rows.
    pub fn prepare_order<C: Borrow<ChatSummary> + Sync>(&self, chats: &[C], sort: Option<SortKey>) {
        self.ranks(chats, sort.unwrap_or(SortKey::Newest));
    }

    fn ranks<C: Borrow<ChatSummary> + Sync>(&self, chats: &[C], key: SortKey) -> &Ranks {
        // The score order starts from the newest one (see `SortKey::Score`).
        let key = if key == SortKey::Score {
            SortKey::Newest
        } else {
            key
        };
        let slot = SortKey::ALL.iter().position(|k| *k == key).unwrap_or(0);
        self.ranks[slot].get_or_init(|| {
            let mut all: Vec<Hit> = (0..self.rows)
                .map(|index| Hit { index, score: 0 })
                .collect();
            sort_hits(&mut all, chats, Some(key), false);
            let order: Vec<u32> = all.iter().map(|h| h.index as u32).collect();
            let mut rank = vec![0u32; self.rows];
            for (pos, &row) in order.iter().enumerate() {
                rank[row as usize] = pos as u32;
            }
            Ranks { order, rank }
        })
    }

    /// [`super::select`] through the index: every row `query` accepts (`text:` terms aside),
    /// in row order. `chats` must be the slice the index was built from.
    pub fn select<C: Borrow<ChatSummary> + Sync>(&self, query: &Query, chats: &[C]) -> Vec<Hit> {
        debug_assert_eq!(chats.len(), self.rows);
        if query.inner.filters.is_empty() && query.inner.fuzzy.is_empty() {
            return (0..self.rows)
                .map(|index| Hit { index, score: 0 })
                .collect();
        }
        let plan = Plan::new(self, query, self.rows);
        (0..self.rows)
            .into_par_iter()
            .with_min_len(PARALLEL_CHUNK)
            .filter_map(|index| {
                plan.score(self, chats, index)
                    .map(|score| Hit { index, score })
            })
            .collect()
    }

    /// [`super::refine`] through the index: the hits among `prev` that `query` accepts,
    /// rescored, in their order. Use when the query that found `prev` narrows `query`.
    pub fn refine<C: Borrow<ChatSummary> + Sync>(
        &self,
        query: &Query,
        chats: &[C],
        prev: &[Hit],
    ) -> Vec<Hit> {
        let plan = Plan::new(self, query, prev.len());
        prev.par_chunks(PARALLEL_CHUNK)
            .flat_map_iter(|chunk| {
                chunk.iter().filter_map(|h| {
                    plan.score(self, chats, h.index).map(|score| Hit {
                        index: h.index,
                        score,
                    })
                })
            })
            .collect()
    }

    /// [`super::sort_hits`] through the precomputed orders (same arguments, same result).
    pub fn sort<C: Borrow<ChatSummary> + Sync>(
        &self,
        hits: &mut [Hit],
        chats: &[C],
        sort: Option<SortKey>,
        by_score: bool,
    ) {
        let by_score = by_score && sort.is_none();
        let ranks = self.ranks(chats, sort.unwrap_or(SortKey::Newest));
        // Many hits: walking the whole order beats sorting them.
        if hits.len() >= self.rows / 8 {
            self.walk_order(hits, ranks);
            if by_score {
                best_first_stable(hits);
            }
        } else if by_score {
            hits.sort_unstable_by_key(|h| (std::cmp::Reverse(h.score), ranks.rank[h.index]));
        } else {
            hits.sort_unstable_by_key(|h| ranks.rank[h.index]);
        }
    }

    /// Put `hits` in the order of `ranks`.
    fn walk_order(&self, hits: &mut [Hit], ranks: &Ranks) {
        let mut slot = vec![NONE; self.rows];
        for (i, h) in hits.iter().enumerate() {
            slot[h.index] = i as u32;
        }
        let found: Vec<Hit> = ranks
            .order
            .iter()
            .filter_map(|&row| {
                let s = slot[row as usize];
                (s != NONE).then(|| hits[s as usize])
            })
            .collect();
        hits.copy_from_slice(&found);
    }
}

/// Sort by score, best first, keeping the current order among equal scores: a counting sort when
/// the scores span a small range (they do: skim scores are small integers).
fn best_first_stable(hits: &mut [Hit]) {
    let (Some(lo), Some(hi)) = (
        hits.iter().map(|h| h.score).min(),
        hits.iter().map(|h| h.score).max(),
    ) else {
        return;
    };
    let span = hi.checked_sub(lo).and_then(|s| usize::try_from(s).ok());
    let Some(span) = span.filter(|&s| s < (1 << 16).max(hits.len())) else {
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        return;
    };
    // Bucket k holds score hi - k.
    let mut starts = vec![0usize; span + 2];
    for h in hits.iter() {
        starts[(hi - h.score) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut out = vec![Hit { index: 0, score: 0 }; hits.len()];
    for h in hits.iter() {
        let k = (hi - h.score) as usize;
        out[starts[k]] = *h;
        starts[k] += 1;
    }
    hits.copy_from_slice(&out);
}

/// Which strings of a row a term looks at.
#[derive(Clone, Copy)]
enum Fields {
    /// Visitor name, e-mail and agents (bare words).
    Names,
    /// Visitor name and e-mail (`visitor:`).
    Visitor,
    Agents,
    Dept,
    Country,
    City,
}

/// What a string-deciding term asks of one string.
enum Test<'q> {
    Fuzzy(&'q Needle),
    Has(&'q Term),
}

/// A term decided per distinct string, with the answers so far.
struct Memo<'q> {
    test: Test<'q>,
    fields: Fields,
    neg: bool,
    need: u64,
    /// Per string: [`UNKNOWN`], [`NO`], or the score (0 for a term that holds). Empty when so
    /// few rows are visited that filling a table for every string would cost more than deciding
    /// their strings as often as they come up.
    seen: Vec<AtomicI64>,
}

/// Rows visited per distinct string below which no memo table is made (a row has a few strings).
const MEMO_MIN_ROWS_PER_STRING: usize = 16;

const UNKNOWN: i64 = i64::MIN;
const NO: i64 = i64::MIN + 1;

impl Memo<'_> {
    /// The term's value for one string: its score, or [`NO`].
    #[inline]
    fn of(&self, ix: &SearchIndex, id: u32) -> i64 {
        if id == NONE {
            return NO;
        }
        let Some(cell) = self.seen.get(id as usize) else {
            return self.decide(ix, id);
        };
        let known = cell.load(Relaxed);
        if known != UNKNOWN {
            return known;
        }
        // Two threads may decide the same string at once; they store the same answer.
        let value = self.decide(ix, id);
        cell.store(value, Relaxed);
        value
    }

    /// Decide one string.
    #[inline]
    fn decide(&self, ix: &SearchIndex, id: u32) -> i64 {
        if ix.masks[id as usize] & self.need != self.need {
            return NO;
        }
        let s = ix.string(id);
        match &self.test {
            Test::Fuzzy(word) => fuzzy::score(word, s).unwrap_or(NO),
            Test::Has(term) if term.pred.holds_on(s) => 0,
            Test::Has(_) => NO,
        }
    }

    /// The best value over the row's strings of this term's fields.
    #[inline]
    fn best(&self, ix: &SearchIndex, row: usize) -> i64 {
        let one = |id: u32| self.of(ix, id);
        let agents = || {
            ix.row_agents(row)
                .iter()
                .map(|&id| one(id))
                .max()
                .unwrap_or(NO)
        };
        match self.fields {
            Fields::Names => one(ix.visitor[row]).max(one(ix.email[row])).max(agents()),
            Fields::Visitor => one(ix.visitor[row]).max(one(ix.email[row])),
            Fields::Agents => agents(),
            Fields::Dept => one(ix.dept[row]),
            Fields::Country => one(ix.country[row]),
            Fields::City => one(ix.city[row]),
        }
    }

    /// Whether the (possibly negated) term accepts the row.
    #[inline]
    fn accepts(&self, ix: &SearchIndex, row: usize) -> bool {
        (self.best(ix, row) != NO) != self.neg
    }
}

/// A query prepared against one index.
struct Plan<'q> {
    /// Text terms decided per string (cheap once memoised): first.
    strings: Vec<Memo<'q>>,
    /// Fuzzy words, in the query's order (scores add up in that order).
    fuzzy: Vec<Memo<'q>>,
    /// Terms that read the row itself (numbers, status, id): last, as they cost a memory
    /// access per row.
    rows: Vec<&'q Term>,
}

impl<'q> Plan<'q> {
    /// Prepare `query` for visiting `rows` rows of the index.
    fn new(ix: &SearchIndex, query: &'q Query, rows: usize) -> Self {
        let strings = ix.masks.len();
        let table = rows.saturating_mul(MEMO_MIN_ROWS_PER_STRING) >= strings;
        let memo = |test, fields, neg, needle: &Needle| Memo {
            test,
            fields,
            neg,
            need: needle_mask(needle),
            seen: if table {
                (0..strings).map(|_| AtomicI64::new(UNKNOWN)).collect()
            } else {
                Vec::new()
            },
        };
        let mut plan = Plan {
            strings: Vec::new(),
            rows: Vec::new(),
            fuzzy: Vec::new(),
        };
        for t in &query.inner.filters {
            let fields = match &t.pred {
                Pred::Word(..) => Fields::Names,
                Pred::Field(TextField::Agent, ..) => Fields::Agents,
                Pred::Field(TextField::Visitor, ..) => Fields::Visitor,
                Pred::Field(TextField::Dept, ..) => Fields::Dept,
                Pred::Field(TextField::Country, ..) => Fields::Country,
                Pred::Field(TextField::City, ..) => Fields::City,
                _ => {
                    plan.rows.push(t);
                    continue;
                }
            };
            let (Pred::Word(n, _) | Pred::Field(_, n, _)) = &t.pred else {
                unreachable!("only text terms have fields")
            };
            plan.strings.push(memo(Test::Has(t), fields, t.neg, n));
        }
        for t in &query.inner.fuzzy {
            if let Pred::Fuzzy(n) = &t.pred {
                plan.fuzzy
                    .push(memo(Test::Fuzzy(n), Fields::Names, false, n));
            }
        }
        plan
    }

    /// [`Query::match_summary`] for row `row` of `chats`. The row itself is read last and only
    /// when a term needs it: touching every row's memory is what the index is there to avoid
    /// (so this takes the slice, not a reference the compiler may read from early).
    #[inline]
    fn score<C: Borrow<ChatSummary>>(
        &self,
        ix: &SearchIndex,
        chats: &[C],
        row: usize,
    ) -> Option<i64> {
        if !self.strings.iter().all(|m| m.accepts(ix, row)) {
            return None;
        }
        let mut score = 0i64;
        for m in &self.fuzzy {
            let best = m.best(ix, row);
            if best == NO {
                return None;
            }
            score = score.saturating_add(best);
        }
        if !self.rows.is_empty() {
            let chat = chats[row].borrow();
            if !self.rows.iter().all(|t| t.accepts(chat)) {
                return None;
            }
        }
        Some(score)
    }
}
