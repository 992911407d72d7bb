//! The query language shared by `list --query`, `stats --query` and the TUI search bar.
//!
//! A query is terms separated by whitespace; a chat must match every term. An empty query matches
//! every chat.
//!
//! **Quotes** group and make characters literal: `agent:"PT: Jason"`, `"two words"`, `"^x"`,
//! `"12:30"`. Inside quotes `\"` is a quote and `\\` a backslash. An unterminated quote runs to the
//! end of the query (lenient, so the search bar can filter while the user types).
//!
//! **Bare words** search the visitor's name, the visitor's email and each agent's name, separately
//! (a chat with no visitor name has no name field: the placeholder `Visitor` is not searched).
//!
//! | Term | Matches when one of those fields |
//! |---|---|
//! | `word` | fuzzy-matches `word` (its characters in order, skim scoring) |
//! | `'word` | contains `word` |
//! | `^word` / `word$` / `^word$` | starts with / ends with / is `word` |
//! | `!word` or `-word` | *excludes*: matches when no field contains `word` (also `!^word`, `!word$`, `!^word$`) |
//!
//! Smart case: a word with an upper-case letter is case-sensitive, an all-lower-case word ignores case
//! (Unicode-aware: `émile` finds `ÉMILE`). A quoted phrase is a word like any other (`"jo smith"` is
//! fuzzy, `'"jo smith"` exact). A term that is only sigils (`!`, `^`, `'`, `$`, `""`) is ignored.
//!
//! **Fields** are `name:value` (names ignore case) and never fuzzy:
//!
//! | Term | Matches chats where |
//! |---|---|
//! | `agent:wal` `visitor:x` `dept:` (`department:`) `country:` `city:` | the field (any agent; visitor name or email) contains the value, ignoring case |
//! | `wrapup:refund` (`wrap_up:`) | the wrap-up's category or comment contains it, ignoring case |
//! | `wrapup:none` | there is no wrap-up (quote it to search for the word: `wrapup:"none"`) |
//! | `text:refund`, `text:"a phrase"` | a transcript entry's text contains it, ignoring case |
//! | `status:9` | the status code is 9 |
//! | `status:ended`, `status:"chat ended"` | the status label contains it (an unknown code's label is its number) |
//! | `id:3fa8` | the chat id starts with it, ignoring case |
//! | `rating:5` `rating:>=4` `rating:<3` | the rating (1 to 5) compares |
//! | `rating:none` | there is no rating |
//! | `wait:>2m` `dur:<=30s` (`duration:`) | the waiting time / duration compares; durations: `90`, `90s`, `2m`, `1h30m`, `"1h 2m"`, `1:30` |
//! | `frt:>1m` (`first_response:`) | the first response time compares, as durations do |
//! | `reply:>2m` | the longest reply time (see `model::turns`) compares, as durations do |
//! | `transfers:>0` `unanswered:>0` | the number of agents after the first / of visitor turns no agent answered compares |
//! | `last:visitor` `last:agent` `last:bot` `last:none` (`last_from:`) | who sent the chat's last message |
//! | `bot:only` `bot:handoff` `bot:none` | a bot spoke and no agent / a bot and an agent / no bot |
//! | `sla:breached` `sla:met` | the chat's verdict against the configured service levels (none without `[sla]`) |
//! | `since:X` / `until:X` | the chat started at or after / at or before X |
//! | `score:<80` `score:>=90` `score:82.5` | the chat's score (0 to 100, the mean of its reviewers' scorecards) compares |
//! | `score:none` | the chat has no score |
//! | `scored:yes` / `scored:no` | a scorecard is / is not recorded on the chat |
//! | `sample:NAME` | the chat is in the sample recorded as NAME (`sample --name`) |
//!
//! Operators: `>`, `>=`, `<`, `<=`, `=` (none means `=`). A chat whose value is unknown matches no
//! comparison, no date and no text field. Dates `X`: `2020-09-01` (UTC; `until:` includes that whole
//! day), an RFC 3339 instant `2020-09-01T10:00:00+02:00`, `2020-09-01T10:00` (UTC), `today`,
//! `yesterday`, or an age back from now: `30m`, `12h`, `7d`, `2w`, `1d12h` (units `s m h d w`; `m`
//! is minutes). "Now" is passed to [`Query::parse`]; this module never reads the clock.
//!
//! **Negation** `!field:value` or `-field:value` keeps the chats the term does not match, including
//! those whose value is unknown (`!wait:>2m` keeps chats with no waiting time).
//!
//! **Errors** are one line naming what is valid: an unknown field (any unquoted colon makes a term
//! a field, so `agnet:walid` and `12:30` are errors, `"12:30"` is not), an empty value (`agent:`), a
//! value the field cannot read (`rating:x`, `wait:>>2`, `since:notadate`, `since:7`), a status text
//! no label contains (`status:endd`).
//!
//! **Scores.** A chat's score is the sum, over the fuzzy words, of the word's best score over the
//! name fields; sigil words and fields add nothing. Default order: best score first when there is a
//! fuzzy word, else newest first (see [`sort_hits`]).

mod error;
pub(crate) mod fields;
mod fuzzy;
mod index;
mod lex;
mod marks;
mod narrow;
mod parse;
mod skim;
mod skim_trace;
mod sort;
mod term;
mod text;
mod values;

#[cfg(test)]
mod tests;

use std::borrow::Borrow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::sla::Sla;
use crate::model::{ChatSummary, Entry};
use term::{Pred, Term, TextField};

pub use crate::fold::accents::{folded_with_origins, insensitive_word};
pub use crate::fold::{transcript_text, ENTRY_END};
pub use error::QueryError;
pub use fields::{all_names as field_names, help_lines as field_help};
pub use index::SearchIndex;
pub use marks::Marks;
pub use sort::{sort_hits, SortKey};
#[cfg(test)]
pub(crate) use text::fold_str;

/// Rows per parallel chunk when filtering: below this, threads cost more than they save.
pub(crate) const PARALLEL_CHUNK: usize = 8192;

/// A parsed query: immutable, and cheap to clone and share between threads (`Arc` inside).
#[derive(Debug, Clone, Default)]
pub struct Query {
    inner: Arc<Inner>,
}

#[derive(Debug, Default, Clone)]
struct Inner {
    /// Summary predicates other than fuzzy words, cheapest first.
    filters: Vec<Term>,
    /// Fuzzy words, longest (most selective) first.
    fuzzy: Vec<Term>,
    /// `text:` terms.
    text: Vec<Term>,
    /// `tag:`, `note:`, `reviewed:` terms, decided on review data ([`Query::match_review`]).
    review: Vec<Term>,
}

/// One chat that matched: its position in the slice given to [`select`], and its fuzzy score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

impl Query {
    /// Parse a query. `now` anchors relative dates (`since:today`, `since:7d`); the module never
    /// reads the clock.
    pub fn parse(input: &str, now: DateTime<Utc>) -> Result<Query, QueryError> {
        match Self::parse_valid(input, now) {
            (_, Some(e)) => Err(e),
            (q, None) => Ok(q),
        }
    }

    /// The query of every term that parses, and the first error: what the viewer matches while
    /// a term is still being typed (`agent:` has no value yet), so the list shows the complete
    /// terms' results instead of those of a half-typed prefix.
    pub fn parse_valid(input: &str, now: DateTime<Utc>) -> (Query, Option<QueryError>) {
        Self::parse_scoped(input, now, false)
    }

    /// [`Query::parse_valid`] in the viewer's transcript scope when `transcript` is set: bare
    /// words (also `'word`, `!word`) search the transcript, as `text:word` would; fields and
    /// `^`/`$` anchors keep their meaning.
    pub fn parse_scoped(
        input: &str,
        now: DateTime<Utc>,
        transcript: bool,
    ) -> (Query, Option<QueryError>) {
        let mut inner = Inner::default();
        let mut error = None;
        for raw in lex::lex(input) {
            let t = match parse::term(raw, now, transcript) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(e) => {
                    error.get_or_insert(e);
                    continue;
                }
            };
            match &t.pred {
                Pred::Fuzzy(_) => inner.fuzzy.push(t),
                Pred::Field(TextField::Text, ..) => inner.text.push(t),
                p if p.is_review() => inner.review.push(t),
                _ => inner.filters.push(t),
            }
        }
        inner.filters.sort_by_key(Term::cost);
        inner.fuzzy.sort_by_key(|t| match &t.pred {
            Pred::Fuzzy(n) => std::cmp::Reverse(n.text.len()),
            _ => std::cmp::Reverse(0),
        });
        let query = Query {
            inner: Arc::new(inner),
        };
        (query, error)
    }

    /// Give the `sla:` terms the service levels they judge by (the config's `[sla]`); without
    /// levels no chat has a verdict, so `sla:met` and `sla:breached` match nothing.
    pub fn with_sla(self, levels: Option<Arc<Sla>>) -> Query {
        if !self.needs_sla() {
            return self;
        }
        let mut inner = Arc::unwrap_or_clone(self.inner);
        for t in &mut inner.filters {
            if let Pred::Sla(_, l) = &mut t.pred {
                *l = levels.clone();
            }
        }
        Query {
            inner: Arc::new(inner),
        }
    }

    /// Whether there are `sla:` terms (which need levels to mean anything).
    pub fn needs_sla(&self) -> bool {
        self.inner
            .filters
            .iter()
            .any(|t| matches!(t.pred, Pred::Sla(..)))
    }

    /// No terms at all: every chat matches, with score 0.
    pub fn is_empty(&self) -> bool {
        let i = &*self.inner;
        i.filters.is_empty() && i.fuzzy.is_empty() && i.text.is_empty() && i.review.is_empty()
    }

    /// Whether there are `tag:`, `note:` or `reviewed:` terms, which need the review data.
    pub fn needs_reviews(&self) -> bool {
        !self.inner.review.is_empty()
    }

    /// The review terms against a chat's review (`None`: nothing recorded on it); `true` when
    /// there are none. Every other term is left to [`Query::match_summary`].
    pub fn match_review(&self, review: Option<&crate::model::review::ChatReview>) -> bool {
        self.inner
            .review
            .iter()
            .all(|t| t.pred.holds_review(review) != t.neg)
    }

    /// Whether there is a bare fuzzy word (then the default order is best score first).
    pub fn has_fuzzy(&self) -> bool {
        !self.inner.fuzzy.is_empty()
    }

    /// Whether there are `text:` terms, which need the parsed transcript.
    pub fn needs_transcript(&self) -> bool {
        !self.inner.text.is_empty()
    }

    /// The `text:` terms: each folded value (as [`transcript_text`] folds transcripts) and
    /// whether it is negated (`!text:`).
    pub fn text_terms(&self) -> impl Iterator<Item = (&str, bool)> {
        self.inner.text.iter().filter_map(|t| match &t.pred {
            Pred::Field(TextField::Text, n, _) => Some((&*n.text, t.neg)),
            _ => None,
        })
    }

    /// Every term except `text:`. `Some(score)` when the chat matches; the score is the sum over the
    /// fuzzy words of each word's best score over the name fields (0 when there are none).
    pub fn match_summary(&self, chat: &ChatSummary) -> Option<i64> {
        let i = &*self.inner;
        if !i.filters.iter().all(|t| t.accepts(chat)) {
            return None;
        }
        let mut score = 0i64;
        for t in &i.fuzzy {
            let Pred::Fuzzy(word) = &t.pred else { continue };
            score = score.saturating_add(fuzzy::best(word, term::name_fields(chat))?);
        }
        Some(score)
    }

    /// The `text:` terms against a parsed transcript (`true` when there are none). A term matches
    /// when one entry's text contains the value, ignoring case.
    pub fn match_transcript(&self, entries: &[Entry]) -> bool {
        self.inner.text.iter().all(|t| {
            let Pred::Field(_, n, _) = &t.pred else {
                return true;
            };
            entries.iter().any(|e| n.within(&e.text)) != t.neg
        })
    }

    /// `prev.narrows(&next)`: `true` when every chat that matches `next` also matches `prev` (summary
    /// and transcript terms alike), so the hits of `next` are exactly the hits of `prev` that match
    /// `next`, and the TUI can re-filter the previous result set instead of every chat. Scores must
    /// still be recomputed with `next`.
    ///
    /// It holds when each term of `prev` is implied by some term of `next`: typing more characters of
    /// a word or field value (`jas` → `jaso`, `agent:wa` → `agent:wal`), adding a term, tightening a
    /// bound (`wait:>1m` → `wait:>5m`, `rating:>=3` → `rating:>=4`) or a date range. It is
    /// conservative: `false` means "don't know", e.g. after deleting characters, or lengthening a
    /// negated word (`!a` → `!ab` widens the result).
    pub fn narrows(&self, next: &Query) -> bool {
        let (old, new) = (&*self.inner, &*next.inner);
        let new_terms: Vec<&Term> = new
            .filters
            .iter()
            .chain(&new.fuzzy)
            .chain(&new.text)
            .chain(&new.review)
            .collect();
        old.filters
            .iter()
            .chain(&old.fuzzy)
            .chain(&old.text)
            .chain(&old.review)
            .all(|o| new_terms.iter().any(|n| narrow::implies(n, o)))
    }
}

/// Filter: every chat of `chats` that [`Query::match_summary`] accepts, in slice order, with its
/// index in `chats`. Works on `&[ChatSummary]` and `&[&ChatSummary]` alike. Parallelism is the
/// caller's job (filter chunks, add the chunk offset to `index`).
pub fn select<C: Borrow<ChatSummary>>(query: &Query, chats: &[C]) -> Vec<Hit> {
    if query.inner.filters.is_empty() && query.inner.fuzzy.is_empty() {
        return (0..chats.len())
            .map(|index| Hit { index, score: 0 })
            .collect();
    }
    chats
        .iter()
        .enumerate()
        .filter_map(|(index, c)| {
            query
                .match_summary(c.borrow())
                .map(|score| Hit { index, score })
        })
        .collect()
}

/// Incremental filter: the hits among `prev` (indices into `chats`) that `query` accepts, rescored.
/// Use when `prev_query.narrows(&query)`.
pub fn refine<C: Borrow<ChatSummary>>(query: &Query, chats: &[C], prev: &[Hit]) -> Vec<Hit> {
    prev.iter()
        .filter_map(|h| {
            let score = query.match_summary(chats[h.index].borrow())?;
            Some(Hit {
                index: h.index,
                score,
            })
        })
        .collect()
}
