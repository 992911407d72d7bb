//! Word wrapping by display width (CJK and emoji take two columns), for the transcript and
//! details panes.

use crate::format::char_cols;

/// Wrap `text` (one paragraph, no newlines) into lines of at most `width` columns. Breaks at
/// spaces when it can, inside a word when it must; never splits a wide character. In a column
/// narrower than a character (a wide one at width 1) the character is shown as `…`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    // Byte index in `line` after the last space, and the width up to it.
    let mut last_space: Option<(usize, usize)> = None;
    for c in text.chars() {
        let (c, w) = match char_cols(c) {
            w if w > width => ('…', 1),
            w => (c, w),
        };
        if used + w > width {
            if c == ' ' {
                lines.push(std::mem::take(&mut line));
                used = 0;
                last_space = None;
                continue;
            }
            match last_space {
                Some((at, at_w)) if at_w > 0 => {
                    let rest = line.split_off(at);
                    lines.push(line.trim_end().to_string());
                    line = rest;
                    used -= at_w;
                }
                _ => {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            last_space = None;
            // The word carried over can still leave no room for a wide character.
            if used + w > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
        }
        line.push(c);
        used += w;
        if c == ' ' {
            last_space = Some((line.len(), used));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn breaks_long_words() {
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn wide_characters_never_overflow() {
        for line in wrap("山田太郎さんこんにちは🙂🙂 ok", 5) {
            assert!(line.width() <= 5, "{line:?}");
        }
        assert_eq!(wrap("山田太", 5), ["山田", "太"]);
        assert_eq!(wrap("山a", 1), ["…", "a"]);
        assert_eq!(wrap(" 山田太郎", 7), ["", "山田太", "郎"]);
    }
}
