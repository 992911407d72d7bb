//! The two ways chatspool folds text before comparing it, named for what they do, in one
//! leaf module below the query language and the text store (both must fold alike):
//!
//! - **case** ([`case`], [`case_str`]): what field values, `text:` terms and the transcript
//!   text store compare. ASCII letters are lower-cased, other characters map to their lower
//!   case when that is a single non-ASCII character (`É` → `é`, `Σ` → `σ`) and stay as they
//!   are otherwise (`İ`, the Kelvin sign). No non-ASCII character folds to ASCII, so an
//!   all-ASCII needle can take a byte-level fast path with exactly the same result.
//! - **accents** ([`accents`]): what a fuzzy word sees, as fzf does it (`muller` finds
//!   `Müller`, `strasse` finds `Straße`); it keeps case, so the scorer still sees word starts.

pub mod accents;

/// The case-folded form of one character (see the module documentation).
#[inline]
pub fn case(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if !l.is_ascii() => l,
        _ => c,
    }
}

/// `s` case-folded, character by character.
pub fn case_str(s: &str) -> String {
    s.chars().map(case).collect()
}

/// Smart case: a word with an upper-case letter is matched case-sensitively.
pub fn has_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase)
}

/// Ends every entry in [`transcript_text`]: never a byte of UTF-8, so no needle (which is UTF-8)
/// can match across two entries or two chats.
pub const ENTRY_END: u8 = 0xFF;

/// A transcript as the text store keeps it: each entry's text without its invisible format
/// characters, case-folded as `text:` needles are, followed by [`ENTRY_END`]. A folded needle
/// is a substring of this exactly when it is a folded substring of one entry's text (UTF-8 is
/// self-synchronising, so a byte match of a whole needle always starts and ends on character
/// boundaries).
pub fn transcript_text<'a>(texts: impl IntoIterator<Item = &'a str>, out: &mut Vec<u8>) {
    for text in texts {
        if text.is_ascii() {
            out.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            let mut buf = [0u8; 4];
            for c in text.chars().filter(|&c| !crate::sanitize::is_invisible(c)) {
                out.extend_from_slice(case(c).encode_utf8(&mut buf).as_bytes());
            }
        }
        out.push(ENTRY_END);
    }
}
