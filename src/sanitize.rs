//! Untrusted text -> safe display text: the one place both the TUI and plain CLI output go through.
//!
//! Visitor names, messages and custom fields come from strangers. Anything a terminal could
//! interpret — escape sequences (ESC, CSI, OSC for titles and clipboard), other control characters,
//! bidi overrides that reorder what follows — is replaced by a visible placeholder, so it is shown,
//! never obeyed. Invisible format characters (zero-width space and joiners, the byte order mark,
//! soft hyphens, tag characters) are dropped: terminals disagree on their width, so drawn raw they
//! shift columns and leave stale cells; dropped, every width computed here is what the terminal
//! draws. Search ignores them too ([`strip_invisible`]), so `'zero` finds `Ze\u{200B}roWidth`.
//! JSON output does not use this: serde_json escapes control characters itself.

use std::borrow::Cow;

/// Placeholder for characters with no control picture (C1 controls, bidi controls, separators).
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for characters a terminal may act on or that reorder or hide surrounding text.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{061C}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}'
        // Raw bytes of file names that are not UTF-8 (`spool::names`): shown as `�`.
        | '\u{10FF00}'..='\u{10FFFF}')
}

/// True for invisible format characters (Unicode category Cf that is also default-ignorable),
/// other than the bidi controls [`is_unsafe`] makes visible: they are dropped from display text
/// and ignored by search.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2065}'
        | '\u{206A}'..='\u{206F}' | '\u{FEFF}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `s` without its invisible format characters: what search compares (borrowed when there are
/// none, which is nearly always).
pub fn strip_invisible(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_invisible(c)).collect())
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

/// One line of display text: every unsafe character (newlines and tabs too) becomes a placeholder,
/// invisible ones are dropped.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || is_invisible(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| if is_unsafe(c) { placeholder(c) } else { c })
            .collect(),
    )
}

/// Multi-line display text: newlines are kept (CRLF and lone CR become LF), tabs become four
/// spaces, every other unsafe character becomes a placeholder, invisible ones are dropped.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| (is_unsafe(c) && c != '\n') || is_invisible(c))
    {
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
            c if is_invisible(c) => {}
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
    fn invisible_format_characters_are_dropped() {
        let name = "\u{FEFF}Ze\u{200B}ro\u{200D}Wi\u{2060}dth\u{AD}\u{E0041}";
        assert_eq!(line(name), "ZeroWidth");
        assert_eq!(text(&format!("{name}\n{name}")), "ZeroWidth\nZeroWidth");
        assert_eq!(strip_invisible(name), "ZeroWidth");
        // Bidi controls stay visible: they are a trick, not decoration.
        assert_eq!(line("a\u{200E}b"), "a\u{FFFD}b");
        assert!(matches!(strip_invisible("山田 🙂"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_keeps_newlines_but_not_carriage_returns() {
        assert_eq!(text("a\r\nb\rc\td\u{1b}"), "a\nb\nc    d␛");
        assert_eq!(line("a\nb"), "a␊b");
    }
}
