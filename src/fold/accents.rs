//! Accent folding for fuzzy words, as fzf does it: an all-lower-case word matches Latin letters
//! with diacritics (`muller` finds `Müller`, `angstrom` finds `Ångström`) and spelled-out
//! ligatures (`strasse` finds `Straße`, `aegir` finds `Ægir`).
//!
//! A folded character keeps its case (`Ü` → `U`), so the scorer still sees word starts and camel
//! case where the original had them, and an ASCII text folds to itself: its scores stay skim's.
//! Other non-ASCII characters fold as everywhere else ([`super::case`]).

use super::{case as fold, has_upper};

/// The ASCII letter of each character from U+00C0 to U+024F (`.`: none, or see [`MULTI`]),
/// from Unicode's canonical decompositions plus letters with strokes and hooks.
const LATIN_1_AND_EXTENDED: &str = concat!(
    "AAAAAA.CEEEEIIIIDNOOOOO.OUUUUY..aaaaaa.ceeeeiiiidnooooo.ouuuuy.y",
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi..JjKk.LlLlLlL",
    "lLlNnNnNn.NnOoOoOo..RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs",
    "bB.....Cc.D......FfG...IKkl..Nn.Oo..Pp.....tTtTUu.VYyZz.........",
    ".............AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j...Gg..NnAa..Oo",
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh....ZzAaEeOoOoOoOoYylntj..ACcLTs",
    "z..BU.EeJjQqRrYy",
);

/// The same for U+1E00 to U+1EFF (Latin Extended Additional: Vietnamese and others).
const LATIN_EXTENDED_ADDITIONAL: &str = concat!(
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm",
    "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv",
    "WwWwWwWwWwXxXxYyZzZzZzhtwy..ss..AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe",
    "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......",
);

/// Ligatures and letters that spell out as two or three.
const MULTI: &[(char, &str)] = &[
    ('Æ', "AE"),
    ('Þ', "TH"),
    ('ß', "ss"),
    ('æ', "ae"),
    ('þ', "th"),
    ('Ĳ', "IJ"),
    ('ĳ', "ij"),
    ('Œ', "OE"),
    ('œ', "oe"),
    ('Ǆ', "DZ"),
    ('ǅ', "Dz"),
    ('ǆ', "dz"),
    ('Ǉ', "LJ"),
    ('ǈ', "Lj"),
    ('ǉ', "lj"),
    ('Ǌ', "NJ"),
    ('ǋ', "Nj"),
    ('ǌ', "nj"),
    ('Ǣ', "AE"),
    ('ǣ', "ae"),
    ('Ǳ', "DZ"),
    ('ǲ', "Dz"),
    ('ǳ', "dz"),
    ('Ǽ', "AE"),
    ('ǽ', "ae"),
    ('ẞ', "SS"),
    ('ﬀ', "ff"),
    ('ﬁ', "fi"),
    ('ﬂ', "fl"),
    ('ﬃ', "ffi"),
    ('ﬄ', "ffl"),
    ('ﬅ', "st"),
    ('ﬆ', "st"),
];

/// The single ASCII letter `c` folds to, from one of the tables.
fn single(c: char) -> Option<char> {
    let (table, first) = match c {
        '\u{C0}'..='\u{24F}' => (LATIN_1_AND_EXTENDED, 0xC0),
        '\u{1E00}'..='\u{1EFF}' => (LATIN_EXTENDED_ADDITIONAL, 0x1E00),
        _ => return None,
    };
    let b = table.as_bytes()[c as usize - first];
    (b != b'.').then_some(char::from(b))
}

/// Feed what a fuzzy word sees of `c` to `push` (one to three characters).
#[inline]
pub fn unaccent_into(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        return push(c);
    }
    if let Some(b) = single(c) {
        return push(b);
    }
    match MULTI.iter().find(|(m, _)| *m == c) {
        Some((_, spelled)) => spelled.chars().for_each(push),
        None => push(fold(c)),
    }
}

/// `s` as a fuzzy word sees it.
pub fn unaccent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        unaccent_into(c, |f| out.push(f));
    }
    out
}

/// What an all-lower-case fuzzy word looks for (`Müller` -> `muller`, `ægir` -> `aegir`), or
/// `None` for a word with a capital, which smart case matches strictly, as typed.
pub fn insensitive_word(word: &str) -> Option<String> {
    if has_upper(word) {
        return None;
    }
    Some(unaccent(&super::case_str(word)).to_ascii_lowercase())
}

/// `s` as a fuzzy word sees it, with the position in `s` (in characters) each folded character
/// came from: for highlighting the letters a word matched in the text as shown.
pub fn folded_with_origins(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut origins = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        unaccent_into(c, |f| {
            out.push(f);
            origins.push(i);
        });
    }
    (out, origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_go_case_stays_ligatures_spell_out() {
        assert_eq!(unaccent("Anna-Lena Müller"), "Anna-Lena Muller");
        assert_eq!(unaccent("Straße"), "Strasse");
        assert_eq!(unaccent("Ångström"), "Angstrom");
        assert_eq!(unaccent("Ægir Þór"), "AEgir THor");
        assert_eq!(unaccent("Nguyễn Đức"), "Nguyen Duc");
        assert_eq!(unaccent("Łódź ﬁnal"), "Lodz final");
        // Not Latin: lower-cased as elsewhere, never ASCII.
        assert_eq!(unaccent("ΣΟΦΊΑ 山田"), "σοφία 山田");
        assert_eq!(unaccent("plain ascii"), "plain ascii");
    }

    #[test]
    fn origins_point_back_at_the_shown_characters() {
        let (folded, origins) = folded_with_origins("Aß!");
        assert_eq!(folded, "Ass!");
        assert_eq!(origins, [0, 1, 1, 2]);
    }

    #[test]
    fn tables_cover_their_ranges() {
        assert_eq!(LATIN_1_AND_EXTENDED.len(), 0x250 - 0xC0);
        assert_eq!(LATIN_EXTENDED_ADDITIONAL.len(), 0x100);
        for (c, _) in MULTI {
            assert_eq!(single(*c), None, "{c} is in one table only");
        }
    }
}
