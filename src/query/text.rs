//! Case folding and substring tests shared by every text predicate (allocation-free but for the
//! rare haystack with invisible format characters, which are compared without them).
//!
//! Case-insensitive matching compares *folded* characters: ASCII letters are lower-cased, other
//! characters map to their lower case when that is a single non-ASCII character (`É` → `é`, `Σ` → `σ`)
//! and stay as they are otherwise (`İ`, the Kelvin sign). A needle is folded once when the query is
//! parsed; haystacks are folded on the fly, character by character, so matching a candidate never
//! allocates. Because no non-ASCII character folds to ASCII, an all-ASCII needle can take a byte-level
//! fast path that folds only ASCII letters of the haystack, with exactly the same result.

use crate::sanitize::strip_invisible;
use std::borrow::Cow;
use std::cmp::Ordering;

pub(crate) use crate::fold::{case as fold, case_str as fold_str, has_upper};

/// Case-insensitive ordering (A-Z ignoring case) without allocating.
pub(crate) fn cmp_ci(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (a, b) = (
            a.bytes().map(|c| c.to_ascii_lowercase()),
            b.bytes().map(|c| c.to_ascii_lowercase()),
        );
        return a.cmp(b);
    }
    a.chars().map(fold).cmp(b.chars().map(fold))
}

/// How a needle must sit in a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// Anywhere (`'word`, `!word`, field values).
    Substring,
    /// At the start (`^word`).
    Prefix,
    /// At the end (`word$`).
    Suffix,
    /// The whole field (`^word$`).
    Whole,
}

/// A piece of text to look for, prepared once per query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Needle {
    /// Folded when the needle is case-insensitive, as typed otherwise.
    pub text: Box<str>,
    pub sensitive: bool,
}

impl Needle {
    /// Smart case: case-sensitive when `s` has an upper-case letter.
    pub fn smart(s: &str) -> Self {
        if has_upper(s) {
            Needle {
                text: strip_invisible(s).into(),
                sensitive: true,
            }
        } else {
            Self::insensitive(s)
        }
    }

    /// A fuzzy word: smart case, and an insensitive word also folds accents and ligatures
    /// ([`crate::fold::accents`]), as the candidates it is scored against will be.
    pub fn fuzzy(s: &str) -> Self {
        match crate::fold::accents::insensitive_word(s) {
            Some(folded) => Needle {
                text: folded.into(),
                sensitive: false,
            },
            None => Self::smart(s),
        }
    }

    pub fn insensitive(s: &str) -> Self {
        Needle {
            text: fold_str(&strip_invisible(s)).into(),
            sensitive: false,
        }
    }

    /// Whether `hay` holds the needle at `anchor`.
    #[inline]
    pub fn find(&self, hay: &str, anchor: Anchor) -> bool {
        match anchor {
            Anchor::Substring => self.within(hay),
            Anchor::Prefix => self.prefix_of(hay),
            Anchor::Suffix => self.suffix_of(hay),
            Anchor::Whole => self.equals(hay),
        }
    }

    /// Whether `hay` contains the needle. Like every test here, it looks at `hay` without its
    /// invisible format characters (see [`Needle::ignoring_invisible`]).
    pub fn within(&self, hay: &str) -> bool {
        self.ignoring_invisible(hay, Self::within_raw)
    }

    pub fn prefix_of(&self, hay: &str) -> bool {
        self.ignoring_invisible(hay, Self::prefix_raw)
    }

    pub fn suffix_of(&self, hay: &str) -> bool {
        self.ignoring_invisible(hay, Self::suffix_raw)
    }

    pub fn equals(&self, hay: &str) -> bool {
        self.ignoring_invisible(hay, Self::equals_raw)
    }

    /// `test` on `hay` as if its invisible characters (zero-width space, joiners, BOM) were not
    /// there: the needle has none, so a match on the raw text is a match on the stripped text,
    /// and only a miss on a non-ASCII haystack that holds some needs the (allocating) second look.
    #[inline]
    fn ignoring_invisible(&self, hay: &str, test: fn(&Self, &str) -> bool) -> bool {
        test(self, hay)
            || (!hay.is_ascii()
                && match strip_invisible(hay) {
                    Cow::Owned(clean) => test(self, &clean),
                    Cow::Borrowed(_) => false,
                })
    }

    fn within_raw(&self, hay: &str) -> bool {
        let n = &*self.text;
        if self.sensitive {
            return hay.contains(n);
        }
        if n.is_ascii() {
            return contains_ascii_ci(hay.as_bytes(), n.as_bytes());
        }
        hay.char_indices().any(|(i, _)| starts_folded(&hay[i..], n))
    }

    fn prefix_raw(&self, hay: &str) -> bool {
        let n = &*self.text;
        if self.sensitive {
            hay.starts_with(n)
        } else if n.is_ascii() {
            hay.len() >= n.len() && hay.as_bytes()[..n.len()].eq_ignore_ascii_case(n.as_bytes())
        } else {
            starts_folded(hay, n)
        }
    }

    fn suffix_raw(&self, hay: &str) -> bool {
        let n = &*self.text;
        if self.sensitive {
            hay.ends_with(n)
        } else if n.is_ascii() {
            hay.len() >= n.len()
                && hay.as_bytes()[hay.len() - n.len()..].eq_ignore_ascii_case(n.as_bytes())
        } else {
            let mut h = hay.chars().rev().map(fold);
            n.chars().rev().all(|c| h.next() == Some(c))
        }
    }

    fn equals_raw(&self, hay: &str) -> bool {
        let n = &*self.text;
        if self.sensitive {
            hay == n
        } else if n.is_ascii() {
            hay.eq_ignore_ascii_case(n)
        } else {
            hay.chars().map(fold).eq(n.chars())
        }
    }
}

/// `hay` (folded on the fly) starts with the folded needle `n`.
fn starts_folded(hay: &str, n: &str) -> bool {
    let mut h = hay.chars().map(fold);
    n.chars().all(|c| h.next() == Some(c))
}

/// Substring test for a lower-case ASCII needle, folding ASCII letters of the haystack.
pub(crate) fn contains_ascii_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    let upper = first.to_ascii_uppercase();
    let mut i = 0;
    while i <= last_start {
        let b = hay[i];
        if (b == first || b == upper) && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether the bytes of `needle` appear in order in `hay` (ASCII letters of `hay` folded when
/// `fold_hay`). `needle` must already be folded in that case.
#[cfg(test)]
pub(crate) fn subsequence(hay: &[u8], needle: &[u8], fold_hay: bool) -> bool {
    let mut it = needle.iter();
    let Some(mut want) = it.next() else {
        return true;
    };
    for &b in hay {
        let b = if fold_hay { b.to_ascii_lowercase() } else { b };
        if b == *want {
            match it.next() {
                Some(w) => want = w,
                None => return true,
            }
        }
    }
    false
}
