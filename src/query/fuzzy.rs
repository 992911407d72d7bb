//! Bare words: fuzzy matching with skim's scoring ([`super::skim`]). The scorer's first pass
//! rejects candidates that lack the word's characters in order; the search index adds a letter
//! mask in front of that.
//!
//! Case is decided by the query (smart case, see [`super::text`]): a word with an upper-case letter
//! is scored case-sensitively (`respect_case`) against the text as it is; any other word is folded
//! and scored ignoring case (`ignore_case`) against the text with accents and ligatures folded
//! ([`crate::fold::accents`]: `muller` finds `Müller`). Skim only folds ASCII case; an ASCII text folds to
//! itself, so its scores are skim's own.

use std::cell::RefCell;

use super::skim::Scratch;
#[cfg(test)]
use super::text::subsequence;
use super::text::Needle;
use crate::fold::accents;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The matching condition: a word can only match when its characters appear in order in the
/// candidate (kept for the tests, which check the scorer against it).
///
/// For an ASCII word this is exactly the matcher's own condition (UTF-8 bytes of other characters
/// never equal an ASCII byte), so a candidate that passes always gets a score. For other words it is
/// a necessary condition on the UTF-8 bytes.
#[cfg(test)]
pub(crate) fn may_match(word: &Needle, candidate: &str) -> bool {
    subsequence(candidate.as_bytes(), word.text.as_bytes(), !word.sensitive)
}

fn score_with(scratch: &mut Scratch, word: &Needle, candidate: &str) -> Option<i64> {
    if !word.sensitive && !candidate.is_ascii() {
        return scratch.score(candidate, &word.text, false, true);
    }
    // No separate subsequence test first: the scorer's own first pass rejects the same
    // candidates (see `may_match`), and a second pass over every match would cost more.
    scratch.score(candidate, &word.text, word.sensitive, false)
}

/// The fuzzy score of `word` against one candidate field; `None` when it does not match.
pub(crate) fn score(word: &Needle, candidate: &str) -> Option<i64> {
    SCRATCH.with(|s| score_with(&mut s.borrow_mut(), word, candidate))
}

/// The best score of `word` over several candidate fields.
#[inline]
pub(crate) fn best<'a>(word: &Needle, fields: impl Iterator<Item = &'a str>) -> Option<i64> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        fields.filter_map(|f| score_with(&mut s, word, f)).max()
    })
}

/// Whether a chat matching fuzzy word `b` in some field necessarily matches `a` in the same field
/// (the characters of `a` appear in order in `b`, under `a`'s case rule).
pub(crate) fn implied_by(a: &Needle, b: &str, b_sensitive: bool) -> bool {
    if a.sensitive {
        return b_sensitive && subsequence_chars(b, &a.text, |c| c);
    }
    // What `b` requires of a field, as `a` sees it: folded (a case-sensitive `b` matched the
    // field's own characters, so their folds are in the folded field in the same order).
    let b = accents::unaccent(b);
    subsequence_chars(&b, &a.text, |c| c.to_ascii_lowercase())
}

fn subsequence_chars(hay: &str, needle: &str, f: impl Fn(char) -> char) -> bool {
    let mut h = hay.chars().map(f);
    needle.chars().all(|n| h.any(|c| c == n))
}
