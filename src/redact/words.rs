//! Where words start and end in UTF-8 text, for the scanners that must not take a number glued
//! to an identifier (`ORD-4111…`) or a code inside a word: shared by every scanner.

/// The character starting at byte `i` of UTF-8 text.
fn char_at(b: &[u8], i: usize) -> Option<char> {
    let len = match *b.get(i)? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    std::str::from_utf8(b.get(i..i + len)?).ok()?.chars().next()
}

/// The character ending at byte `i` of UTF-8 text.
fn char_before(b: &[u8], i: usize) -> Option<char> {
    let mut s = i.checked_sub(1)?;
    while s > 0 && i - s < 4 && b[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    char_at(b, s)
}

/// Letters, digits and `_` make identifiers a number can be part of. Scripts written without
/// spaces (Chinese, Japanese, Thai) put a number right next to words (`電話0312345678`), and
/// punctuation or symbols (`«`, `€`, emoji) end a word, so neither glues.
fn word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let spaceless = matches!(c as u32,
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x2E80..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF);
    c.is_alphanumeric() && !spaceless
}

/// True when the character starting at `i` is a [`word_char`].
pub fn word_at(b: &[u8], i: usize) -> bool {
    char_at(b, i).is_some_and(word_char)
}

/// True when the character ending at `i` is a [`word_char`].
pub fn word_before(b: &[u8], i: usize) -> bool {
    char_before(b, i).is_some_and(word_char)
}
