//! E-mail addresses spelled out to dodge filters: `bob (at) example (dot) com`,
//! `bob[at]example.com`, `bob at example.com`. A second text for the e-mail scanner, with those
//! forms written as `@` and `.`.

use std::ops::Range;

/// `text` with `(at)`, `[at]`, `{at}`, ` at ` and ` @ ` as `@` and `(dot)`, `[dot]`, ` dot `
/// as `.` (any case), or `None` when it has none.
pub fn at_forms(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("at") && !lower.contains(" @ ") && !lower.contains("dot") {
        return None;
    }
    let b = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        match spelled(b, i) {
            Some((c, len)) => {
                out.push(c);
                map.push(i..i + len);
                changed = true;
                i += len;
            }
            None => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[i..i + len]);
                map.extend((0..len).map(|_| i..i + len));
                i += len;
            }
        }
    }
    changed.then_some((out, map))
}

/// The spelled-out `@` or `.` starting at `i` (spaces around included) and its length.
fn spelled(b: &[u8], i: usize) -> Option<(char, usize)> {
    let mut s = i;
    while b.get(s) == Some(&b' ') {
        s += 1;
    }
    let spaced = s > i;
    for (word, c) in [("at", '@'), ("dot", '.'), ("@", '@')] {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"), ("", "")] {
            let form = format!("{open}{word}{close}");
            if !b[s..].starts_with(form.as_bytes()) {
                continue;
            }
            let mut e = s + form.len();
            let bare = open.is_empty();
            // A bare `at`, `dot` or `@` needs a space on both sides (`that`, `dotted` stay).
            if bare && (!spaced || b.get(e) != Some(&b' ')) {
                continue;
            }
            while b.get(e) == Some(&b' ') {
                e += 1;
            }
            let before = i.checked_sub(1).map(|p| b[p]);
            let word_left = before.is_some_and(|c| c.is_ascii_alphanumeric() || c >= 0x80);
            if word_left
                && b.get(e)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80)
            {
                return Some((c, e - i));
            }
        }
    }
    None
}

/// True when the original form of an `@` was a bare ` at `, which the scanner trusts less.
pub fn weak(original: &str) -> bool {
    original.trim().eq_ignore_ascii_case("at")
}

/// Words that come before a plain `at` in English (`look at`, `we are at`, `available at`):
/// with one of them, `at example.com` is a place, not an address.
const PLAIN: &[&str] = &[
    "a",
    "am",
    "and",
    "are",
    "arrive",
    "arrived",
    "at",
    "available",
    "back",
    "be",
    "been",
    "bought",
    "buy",
    "check",
    "come",
    "either",
    "even",
    "found",
    "get",
    "go",
    "good",
    "got",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "home",
    "i",
    "im",
    "is",
    "it",
    "its",
    "just",
    "listed",
    "live",
    "log",
    "logged",
    "look",
    "looked",
    "looking",
    "me",
    "meet",
    "not",
    "now",
    "off",
    "on",
    "online",
    "only",
    "or",
    "order",
    "ordered",
    "out",
    "placed",
    "priced",
    "right",
    "see",
    "sell",
    "she",
    "shop",
    "sign",
    "signed",
    "sold",
    "starting",
    "stay",
    "still",
    "that",
    "the",
    "them",
    "there",
    "they",
    "this",
    "up",
    "us",
    "visit",
    "was",
    "we",
    "were",
    "work",
    "you",
];

/// True when the left side of a bare ` at ` can be a mailbox name: two characters or more and
/// not a word English puts before `at`.
pub fn name_like(local: &[u8]) -> bool {
    let word = String::from_utf8_lossy(local).to_lowercase();
    local.len() >= 2 && !PLAIN.contains(&word.as_str())
}
