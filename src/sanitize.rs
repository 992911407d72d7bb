//! Untrusted text -> safe display text: the one place both the TUI and plain CLI output go through.
//!
//! Visitor names, messages and custom fields come from strangers. Anything a terminal could
//! interpret — escape sequences (ESC, CSI, OSC for titles and clipboard), other control characters,
//! bidi overrides that reorder what follows — is replaced by a visible placeholder, so it is shown,
//! never obeyed. JSON output does not use this: serde_json escapes control characters itself.

use std::borrow::Cow;

/// Placeholder for characters with no control picture (C1 controls, bidi controls, separators).
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for characters a terminal may act on or that reorder or hide surrounding text.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{061C}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
        // Raw bytes of file names that are not UTF-8 (`spool::names`): shown as `�`.
        | '\u{10FF00}'..='\u{10FFFF}')
}

/// The visible stand-in for an unsafe character: the Unicode control picture for C0 controls
/// (`␛` for ESC), `␡` for DEL, and `�` for everything else.
pub fn placeholder(c: char) -> char {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or(REPLACEMENT),
        '\u{7F}' => '\u{2421}',
        _ => REPLACEMENT,
    }
}

/// One line of display text: every unsafe character (newlines and tabs too) becomes a placeholder.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { placeholder(c) } else { c })
            .collect(),
    )
}

/// Multi-line display text: newlines are kept (CRLF and lone CR become LF), tabs become four
/// spaces, every other unsafe character becomes a placeholder.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\t' => out.push_str("    "),
            c if is_unsafe(c) => out.push(placeholder(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2Jbob\u{9b}31m";
        let safe = line(hostile);
        assert!(!safe.chars().any(is_unsafe), "{safe:?}");
        assert_eq!(safe, "␛]0;pwned␇␛[2Jbob\u{FFFD}31m");
    }

    #[test]
    fn bidi_overrides_are_replaced() {
        assert_eq!(line("abc\u{202E}fed"), "abc\u{FFFD}fed");
        assert_eq!(line("x\u{2066}y\u{2069}"), "x\u{FFFD}y\u{FFFD}");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(line("Walid 山田 🙂 مرحبا"), Cow::Borrowed(_)));
        assert!(matches!(text("two\nlines"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_keeps_newlines_but_not_carriage_returns() {
        assert_eq!(text("a\r\nb\rc\td\u{1b}"), "a\nb\nc    d␛");
        assert_eq!(line("a\nb"), "a␊b");
    }
}
