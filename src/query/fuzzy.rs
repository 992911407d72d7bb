//! Bare words: fuzzy matching with `SkimMatcherV2`, behind a prefilter that rejects most candidates
//! without calling the matcher.
//!
//! Case is decided by the query (smart case, see [`super::text`]), not by the matcher: a word with an
//! upper-case letter goes to a case-respecting matcher, any other word is folded and goes to a
//! case-ignoring one. `SkimMatcherV2` only folds ASCII, so a candidate with non-ASCII letters that fold
//! (`ÉMILE`) is folded into a per-thread buffer first when the word itself is not ASCII.

use std::cell::RefCell;
use std::sync::LazyLock;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::text::{fold, needs_unicode_fold, subsequence, Needle};

static RESPECT: LazyLock<SkimMatcherV2> = LazyLock::new(|| SkimMatcherV2::default().respect_case());
static IGNORE: LazyLock<SkimMatcherV2> = LazyLock::new(|| SkimMatcherV2::default().ignore_case());

thread_local! {
    static FOLDED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The prefilter: a word can only match when its characters appear in order in the candidate.
///
/// For an ASCII word this is exactly the matcher's own condition (UTF-8 bytes of other characters
/// never equal an ASCII byte), so a candidate that passes always gets a score. For other words it is
/// a necessary condition on the UTF-8 bytes.
#[inline]
pub(crate) fn may_match(word: &Needle, candidate: &str) -> bool {
    subsequence(candidate.as_bytes(), word.text.as_bytes(), !word.sensitive)
}

/// The fuzzy score of `word` against one candidate field; `None` when it does not match.
#[inline]
pub(crate) fn score(word: &Needle, candidate: &str) -> Option<i64> {
    if candidate.is_empty() {
        return None;
    }
    if word.sensitive {
        return may_match(word, candidate)
            .then(|| RESPECT.fuzzy_match(candidate, &word.text))
            .flatten();
    }
    if !word.text.is_ascii() && needs_unicode_fold(candidate) {
        return FOLDED.with(|buf| {
            let mut buf = buf.borrow_mut();
            buf.clear();
            buf.extend(candidate.chars().map(fold));
            may_match(word, &buf)
                .then(|| IGNORE.fuzzy_match(&buf, &word.text))
                .flatten()
        });
    }
    may_match(word, candidate)
        .then(|| IGNORE.fuzzy_match(candidate, &word.text))
        .flatten()
}

/// The best score of `word` over several candidate fields.
#[inline]
pub(crate) fn best<'a>(word: &Needle, fields: impl Iterator<Item = &'a str>) -> Option<i64> {
    fields.filter_map(|f| score(word, f)).max()
}

/// Whether a chat matching fuzzy word `b` in some field necessarily matches `a` in the same field
/// (the characters of `a` appear in order in `b`, under `a`'s case rule).
pub(crate) fn implied_by(a: &Needle, b: &str, b_sensitive: bool) -> bool {
    if a.sensitive {
        return b_sensitive && subsequence_chars(b, &a.text, |c| c);
    }
    if a.text.is_ascii() {
        subsequence_chars(b, &a.text, |c| c.to_ascii_lowercase())
    } else {
        subsequence_chars(b, &a.text, fold)
    }
}

fn subsequence_chars(hay: &str, needle: &str, f: impl Fn(char) -> char) -> bool {
    let mut h = hay.chars().map(f);
    needle.chars().all(|n| h.any(|c| c == n))
}
