//! What a query marks on screen: its own needles, folded and scored exactly as matching does, so
//! the viewer never highlights something the query did not match, nor misses what it did.
//!
//! Names (visitor, email, agents) are marked by the bare words: fuzzy words at the characters
//! skim's traceback picks ([`super::skim_trace`]), sigil words (`'x`, `^x`, `x$`) where they sit.
//! Transcript text is marked by the positive `text:` terms only: a bare word searches names, so
//! it never counts as a transcript hit. Negated terms mark nothing.

use std::ops::Range;

use super::skim_trace;
use super::term::{Pred, TextField};
use super::text::{fold, Anchor, Needle};
use super::Query;
use crate::fold::accents;

/// The needles of one query that the viewer marks. Cheap to build; build it when the query
/// changes.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    fuzzy: Vec<Needle>,
    words: Vec<(Needle, Anchor)>,
    text: Vec<Needle>,
}

impl Query {
    /// What this query marks on screen (see [`Marks`]).
    pub fn marks(&self) -> Marks {
        let mut marks = Marks::default();
        let i = &*self.inner;
        for t in i.fuzzy.iter().chain(&i.filters).chain(&i.text) {
            if t.neg {
                continue;
            }
            match &t.pred {
                Pred::Fuzzy(n) => marks.fuzzy.push(n.clone()),
                Pred::Word(n, anchor) => marks.words.push((n.clone(), *anchor)),
                Pred::Field(TextField::Text, n, _) if !n.text.is_empty() => {
                    marks.text.push(n.clone())
                }
                _ => {}
            }
        }
        marks
    }
}

impl Marks {
    /// Whether the query has `text:` terms to find in transcripts.
    pub fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// Whether the query has bare words to mark in names.
    pub fn has_names(&self) -> bool {
        !self.fuzzy.is_empty() || !self.words.is_empty()
    }

    /// For each character of `name` (a visitor name, email or agent name), whether a bare word
    /// matched it.
    pub fn in_name(&self, name: &str) -> Vec<bool> {
        let chars: Vec<char> = name.chars().collect();
        let mut marked = vec![false; chars.len()];
        for word in &self.fuzzy {
            for at in fuzzy_positions(word, name, &chars) {
                if let Some(m) = marked.get_mut(at) {
                    *m = true;
                }
            }
        }
        for (needle, anchor) in &self.words {
            mark_occurrences(&chars, needle, *anchor, &mut marked);
        }
        marked
    }

    /// The byte ranges of `text` (a transcript message) that the `text:` terms matched, in order
    /// and merged where they touch.
    pub fn in_text(&self, text: &str) -> Vec<Range<usize>> {
        if self.text.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let indexed: Vec<(usize, char)> = text.char_indices().collect();
        let chars: Vec<char> = indexed.iter().map(|&(_, c)| c).collect();
        let mut marked = vec![false; chars.len()];
        for needle in &self.text {
            mark_occurrences(&chars, needle, Anchor::Substring, &mut marked);
        }
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (k, &(at, c)) in indexed.iter().enumerate() {
            if !marked[k] {
                continue;
            }
            let end = at + c.len_utf8();
            match ranges.last_mut() {
                Some(r) if r.end == at => r.end = end,
                _ => ranges.push(at..end),
            }
        }
        ranges
    }

    /// Whether a transcript message holds a `text:` hit (what `n`/`N` step through and count).
    pub fn text_hit(&self, text: &str) -> bool {
        !self.in_text(text).is_empty()
    }
}

/// The characters of `name` (indices into `chars`) a fuzzy word matched, found as
/// [`super::fuzzy::score`] scores it: an insensitive word against the accent-folded name.
fn fuzzy_positions(word: &Needle, name: &str, chars: &[char]) -> Vec<usize> {
    let pattern: Vec<char> = word.text.chars().collect();
    if !word.sensitive && !name.is_ascii() {
        let (folded, origins) = accents::folded_with_origins(name);
        let folded: Vec<char> = folded.chars().collect();
        return skim_trace::positions(&folded, &pattern, false)
            .map(|(_, at)| {
                at.into_iter()
                    .filter_map(|i| origins.get(i).copied())
                    .collect()
            })
            .unwrap_or_default();
    }
    skim_trace::positions(chars, &pattern, word.sensitive)
        .map(|(_, at)| at)
        .unwrap_or_default()
}

/// Mark every occurrence of `needle` in `chars` that sits at `anchor`, comparing folded
/// characters one by one (as [`Needle`] does), so a mark always covers whole characters.
/// Invisible format characters are looked through, as matching looks through them.
fn mark_occurrences(chars: &[char], needle: &Needle, anchor: Anchor, marked: &mut [bool]) {
    let n: Vec<char> = needle.text.chars().collect();
    let visible: Vec<usize> = (0..chars.len())
        .filter(|&i| !crate::sanitize::is_invisible(chars[i]))
        .collect();
    if n.is_empty() || n.len() > visible.len() {
        return;
    }
    let same = |c: char, want: char| {
        if needle.sensitive {
            c == want
        } else {
            fold(c) == want
        }
    };
    let last = visible.len() - n.len();
    let starts: Vec<usize> = match anchor {
        Anchor::Substring => (0..=last).collect(),
        Anchor::Prefix => vec![0],
        Anchor::Suffix => vec![last],
        Anchor::Whole if last == 0 => vec![0],
        Anchor::Whole => Vec::new(),
    };
    for start in starts {
        let window = &visible[start..start + n.len()];
        if window.iter().zip(&n).all(|(&i, &w)| same(chars[i], w)) {
            marked[window[0]..=window[n.len() - 1]].fill(true);
        }
    }
}
