//! The text the scanners read: percent-encoding decoded, full-width forms and other scripts'
//! digits folded to ASCII, exotic spaces made plain and invisible characters dropped, with a map
//! from every folded byte back to the original bytes it came from.
//!
//! A reader sees `４１１１ １１１１…`, `cc=4111%201111…` or `bob＠example.com` as the plain
//! number or address; the scanners only know ASCII. Folding first lets them find the disguised
//! forms, and the map lets the mask cover exactly the original span.

use std::ops::Range;

/// Folded text and where each of its bytes came from.
pub struct Folded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// For each byte of `text`, the original byte range it came from; `None` when nothing was
    /// folded (the common case: plain ASCII without `%`).
    map: Option<Vec<Range<usize>>>,
}

impl<'a> Folded<'a> {
    /// The text unchanged: offsets are the same both ways.
    pub fn identity(text: &'a str) -> Self {
        Folded {
            text: std::borrow::Cow::Borrowed(text),
            map: None,
        }
    }

    /// The original byte range a non-empty range of the folded text came from.
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        match &self.map {
            None => r,
            Some(m) if r.start < r.end && r.end <= m.len() => m[r.start].start..m[r.end - 1].end,
            Some(_) => r,
        }
    }

    /// This text after `pass`, with the maps composed; `None` when `pass` changes nothing.
    pub fn then(
        &self,
        pass: impl Fn(&str) -> Option<(String, Vec<Range<usize>>)>,
    ) -> Option<Folded<'static>> {
        let (text, inner) = pass(&self.text)?;
        let map = match &self.map {
            None => inner,
            Some(outer) => inner
                .into_iter()
                .map(|r| outer[r.start].start..outer[r.end - 1].end)
                .collect(),
        };
        Some(Folded {
            text: std::borrow::Cow::Owned(text),
            map: Some(map),
        })
    }
}

/// `text` folded for matching. Percent-encoding is decoded twice over (`%2540` is `@` encoded
/// twice, as a URL inside a URL's query has it).
pub fn fold(text: &str) -> Folded<'_> {
    let plain = Folded::identity(text);
    let Some(once) = plain.then(chars) else {
        return plain;
    };
    once.then(chars).unwrap_or(once)
}

/// The zero of each decimal digit script folded to ASCII digits (all but ASCII and full-width,
/// which [`one`] handles).
const ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0x104A0, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
    0x11730, 0x118E0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E950, 0x1FBF0,
];

/// The decimal value of a digit of any script, ASCII ones included.
pub fn digit(c: char) -> Option<u8> {
    let n = c as u32;
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    if (0xFF10..=0xFF19).contains(&n) {
        return Some((n - 0xFF10) as u8);
    }
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&n))
        .map(|&z| (n - z) as u8)
}

/// What one character reads as: `None` to drop it (invisible), or its plain form.
fn one(c: char) -> Option<char> {
    let n = c as u32;
    Some(match c {
        c if c.is_ascii() => c,
        // Full-width ASCII: `＠`, `．`, `４`.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(n - 0xFEE0).unwrap_or(c),
        c if crate::sanitize::is_invisible(c) || crate::sanitize::is_unsafe(c) => return None,
        c if c.is_whitespace() => ' ',
        c if digit(c).is_some() => char::from(b'0' + digit(c).unwrap_or(0)),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        '\u{FE6B}' => '@',
        '\u{3002}' | '\u{FF61}' | '\u{FE52}' => '.',
        c => c,
    })
}

/// The character a `%XX` sequence at the start of `b` decodes to, and how many bytes it took;
/// `None` unless it is valid UTF-8 (a stray `%` stays).
fn percent(b: &[u8]) -> Option<(char, usize)> {
    let byte = |i: usize| -> Option<u8> {
        let h = b.get(i * 3..i * 3 + 3)?;
        let hex = std::str::from_utf8(&h[1..]).ok()?;
        (h[0] == b'%').then(|| u8::from_str_radix(hex, 16).ok())?
    };
    let lead = byte(0)?;
    let len = match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let bytes: Vec<u8> = (0..len).map(byte).collect::<Option<_>>()?;
    let c = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    Some((c, len * 3))
}

/// One folding pass: `None` when it changes nothing.
fn chars(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    if text.is_ascii() && !text.contains('%') {
        return None;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < text.len() {
        let (c, len) = match percent(&b[i..]) {
            Some(p) => p,
            None => match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            },
        };
        let plain = one(c);
        changed |= len != c.len_utf8() || plain != Some(c);
        if let Some(p) = plain {
            out.push(p);
            map.extend(std::iter::repeat_n(i..i + len, p.len_utf8()));
        }
        i += len;
    }
    changed.then_some((out, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let s = "cc=4111%201111 ４１\u{00A0}x\u{200B}y bob%40ex ٣";
        let f = fold(s);
        assert_eq!(f.text, "cc=4111 1111 41 xy bob@ex 3");
        let at = f.text.find('@').unwrap_or_default();
        assert_eq!(&s[f.original(at..at + 1)], "%40");
        let four = f.text.find("41 ").unwrap_or_default();
        assert_eq!(&s[f.original(four..four + 3)], "４１\u{00A0}");
        assert_eq!(&s[f.original(16..18)], "x\u{200B}y");
        assert_eq!(fold("%2540").text, "@");
        assert_eq!(fold("100% sure %zz %C3%BC").text, "100% sure %zz ü");
    }
}
