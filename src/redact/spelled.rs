//! E-mail addresses spelled out to dodge filters: `bob (at) example (dot) com`,
//! `bob[at]example.com`, `bob at example.com`. A second text for the e-mail scanner, with those
//! forms written as `@` and `.`.

use std::ops::Range;

/// `text` with `(at)`, `[at]`, `{at}`, ` at ` and ` @ ` as `@` and `(dot)`, `[dot]`, ` dot `
/// as `.` (any case), or `None` when it has none.
pub fn at_forms(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    let lower = text.to_ascii_lowercase();
    if !any_form(&lower) {
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

/// The spelled-out forms and what they stand for; a bare one (no brackets) needs spaces
/// around it.
const FORMS: &[(&str, char)] = &[
    ("(at)", '@'),
    ("[at]", '@'),
    ("{at}", '@'),
    ("<at>", '@'),
    ("(@)", '@'),
    ("[@]", '@'),
    ("(dot)", '.'),
    ("[dot]", '.'),
    ("{dot}", '.'),
    ("<dot>", '.'),
    (" at ", '@'),
    (" @ ", '@'),
    (" dot ", '.'),
];

/// True when `lower` (lower-cased text) holds one of the [`FORMS`]: most text does not, and is
/// spared the second pass.
fn any_form(lower: &str) -> bool {
    FORMS.iter().any(|(f, _)| lower.contains(f))
}

/// The spelled-out `@` or `.` starting at `i` (spaces around included) and its length.
fn spelled(b: &[u8], i: usize) -> Option<(char, usize)> {
    if !matches!(b[i], b' ' | b'(' | b'[' | b'{' | b'<') {
        return None;
    }
    let before = i.checked_sub(1).map(|p| b[p]);
    if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c >= 0x80) {
        return None;
    }
    let mut s = i;
    while b.get(s) == Some(&b' ') {
        s += 1;
    }
    for &(form, c) in FORMS {
        let bare = form.starts_with(' ');
        // ` at ` starts at the last space before it (`bob  at x`), a bracket after any.
        let from = if bare { s.saturating_sub(1).max(i) } else { s };
        if !b[from..].starts_with(form.as_bytes()) || (bare && s == i) {
            continue;
        }
        let mut e = from + form.len();
        while b.get(e) == Some(&b' ') {
            e += 1;
        }
        if b.get(e)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80)
        {
            return Some((c, e - i));
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

/// Endings an address spelled with a bare ` at ` is believed with: the common ones. A plain
/// sentence run together (`stuck at checkout.what`) rarely ends in one.
const ENDINGS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "me", "app", "dev",
    "ai", "uk", "de", "fr", "es", "it", "nl", "be", "ch", "at", "au", "ca", "us", "eu", "ru", "cn",
    "jp", "kr", "br", "mx", "ar", "in", "pl", "se", "no", "dk", "fi", "pt", "ie", "cz", "gr", "tr",
    "nz", "za", "sg", "hk", "tw",
];

/// True when a bare ` at ` joins a mailbox name (two characters or more, not a word English
/// puts before `at`) to a domain with a common ending (`tld`, as written).
pub fn plausible(local: &[u8], tld: &[u8]) -> bool {
    let word = String::from_utf8_lossy(local).to_lowercase();
    let tld = String::from_utf8_lossy(tld).to_ascii_lowercase();
    local.len() >= 2 && !PLAIN.contains(&word.as_str()) && ENDINGS.contains(&tld.as_str())
}
