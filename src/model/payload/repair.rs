//! Two things valid-looking JSON can hold that serde_json refuses or reads lossily, repaired in
//! the bytes before parsing, so such a payload still loads ("a field that cannot be read is left
//! empty; it never costs the chat"):
//!
//! - numbers out of range: an integer beyond 64 bits would be read as a float (two ids
//!   `18446744073709551616` and `…617` both become `18446744073709552000`), and a float beyond
//!   `f64` (`1e309`) is an error that costs the whole file. Such a number becomes a string with
//!   its digits exactly as written: ids keep them, numeric fields find them unreadable.
//! - lone surrogate escapes (`\ud800` without its pair, `\udc00`): an error for serde_json, read
//!   here as U+FFFD, the replacement character, like any other undecodable text.
//!
//! The scan that finds them is the same linear pass that checks nesting; the rewrite runs only
//! for the rare file that needs it.

/// What one pass over a JSON text found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// Deepest bracket nesting seen, stopping at `limit + 1`.
    pub too_deep: bool,
    /// An integer with so many digits it may not fit 64 bits: parse a repaired copy.
    pub long_number: bool,
}

/// Digits from which an integer may not fit `i64`/`u64` (`-9223372036854775809` has 19).
const LONG_DIGITS: usize = 19;

/// One linear pass: bracket depth (up to `limit`) and long integers, both outside strings.
pub fn scan(json: &[u8], limit: usize) -> Scan {
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut digits = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if b.is_ascii_digit() {
            digits += 1;
            out.long_number |= digits >= LONG_DIGITS;
            continue;
        }
        digits = 0;
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    out.too_deep = true;
                    return out;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// A copy of `json` with out-of-range numbers turned into strings and lone surrogate escapes
/// into `\ufffd`; `None` when there is nothing to repair.
pub fn repair(json: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(json.len() + 16);
    let mut changed = false;
    let mut in_string = false;
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        if in_string {
            match b {
                b'"' => in_string = false,
                b'\\' if json.get(i + 1) == Some(&b'u') => {
                    let (len, ok) = unicode_escape(&json[i..]);
                    if ok {
                        out.extend_from_slice(&json[i..i + len]);
                    } else {
                        out.extend_from_slice(b"\\ufffd");
                        changed = true;
                    }
                    i += len;
                    continue;
                }
                b'\\' => {
                    out.extend_from_slice(&json[i..(i + 2).min(json.len())]);
                    i += 2;
                    continue;
                }
                _ => {}
            }
            out.push(b);
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let len = json[i..]
                .iter()
                .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .unwrap_or(json.len() - i);
            let token = &json[i..i + len];
            if in_range(token) {
                out.extend_from_slice(token);
            } else {
                out.push(b'"');
                out.extend_from_slice(token);
                out.push(b'"');
                changed = true;
            }
            i += len;
            continue;
        }
        if b == b'"' {
            in_string = true;
        }
        out.push(b);
        i += 1;
    }
    changed.then_some(out)
}

/// A `\uXXXX` escape at the start of `s`: how many bytes it takes (with its low half when it is
/// a high surrogate followed by one) and whether it decodes. Malformed hex is left for the
/// parser to report.
fn unicode_escape(s: &[u8]) -> (usize, bool) {
    let Some(unit) = hex4(s.get(2..6)) else {
        return (2, true);
    };
    match unit {
        0xD800..=0xDBFF => match (s.get(6..8), hex4(s.get(8..12))) {
            (Some(b"\\u"), Some(0xDC00..=0xDFFF)) => (12, true),
            _ => (6, false),
        },
        0xDC00..=0xDFFF => (6, false),
        _ => (6, true),
    }
}

fn hex4(s: Option<&[u8]>) -> Option<u32> {
    let s = std::str::from_utf8(s?).ok()?;
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Whether serde_json reads this number token without loss: an integer that fits `i64` or
/// `u64`, or a finite float. Anything else (including malformed tokens) is kept as text.
fn in_range(token: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(token) else {
        return false;
    };
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return s.parse::<i64>().is_ok() || s.parse::<u64>().is_ok() || s.parse::<f64>().is_err();
    }
    s.parse::<f64>().map_or(true, f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> Option<String> {
        repair(s.as_bytes()).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn out_of_range_numbers_become_strings() {
        assert_eq!(
            fixed(r#"{"id": 18446744073709551616, "r": 1e309, "ok": [1, -2.5e3, 18446744073709551615]}"#).as_deref(),
            Some(r#"{"id": "18446744073709551616", "r": "1e309", "ok": [1, -2.5e3, 18446744073709551615]}"#)
        );
        assert_eq!(
            fixed(r#"[-9223372036854775809,-9223372036854775808]"#).as_deref(),
            Some(r#"["-9223372036854775809",-9223372036854775808]"#)
        );
        assert_eq!(fixed(r#"{"a": "1e309 \" 18446744073709551616"}"#), None);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(
            fixed(r#"{"n": "a\ud800b\udc00c\ud83d\ude00\\ud800"}"#).as_deref(),
            Some(r#"{"n": "a\ufffdb\ufffdc\ud83d\ude00\\ud800"}"#)
        );
        assert_eq!(
            fixed(r#"["\ud800\u0041", "\udbff"]"#).as_deref(),
            Some(r#"["\ufffd\u0041", "\ufffd"]"#)
        );
        assert_eq!(fixed(r#"["\u00e9\uZZZZ"]"#), None);
    }

    #[test]
    fn scan_finds_long_integers_outside_strings_only() {
        assert!(scan(b"[1234567890123456789]", 128).long_number);
        assert!(!scan(b"[\"1234567890123456789\", 123456789012345678]", 128).long_number);
        assert!(scan(b"[[[]]]", 2).too_deep);
        assert!(!scan(b"[\"[[[\"]", 2).too_deep);
    }
}
