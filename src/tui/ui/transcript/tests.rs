//! The transcript layout: safe and within the pane for any text, width and search.

use super::layout as layout_marked;
use crate::model::shown::Zone;
use crate::model::{Entry, SpeakerKind};
use crate::query::{Marks, Query};
use crate::tui::theme::{Theme, ThemeName};
use proptest::prelude::*;
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

const THEME: Theme = Theme {
    name: ThemeName::Dark,
};

fn entry(kind: SpeakerKind, speaker: Option<&str>, time: Option<&str>, text: &str) -> Entry {
    Entry {
        kind,
        speaker: speaker.map(str::to_string),
        time: time.map(str::to_string),
        at: None,
        text: text.to_string(),
    }
}

/// What a search for each of `terms` as `text:` marks.
fn marks<S: AsRef<str>>(terms: &[S]) -> Marks {
    let q: Vec<String> = terms
        .iter()
        .map(|t| {
            let t = t.as_ref().replace('\\', "\\\\").replace('"', "\\\"");
            format!("text:\"{t}\"")
        })
        .collect();
    let now = chrono::DateTime::from_timestamp(0, 0).unwrap();
    Query::parse_valid(&q.join(" "), now).0.marks()
}

/// The layout without slow replies.
fn layout(
    entries: &[Entry],
    width: usize,
    zone: &Zone,
    theme: Theme,
    marks: &Marks,
    hit: Option<usize>,
) -> (Vec<Line<'static>>, Vec<usize>) {
    layout_marked(entries, width, zone, theme, marks, hit, &[])
}

fn text_of(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Widest line, measured the way ratatui measures a span.
fn widest(lines: &[Line]) -> usize {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.width()).sum::<usize>())
        .max()
        .unwrap_or(0)
}

#[test]
fn empty_message_and_long_first_word_with_a_search() {
    let url = "https://shop.example.com/track/0123456789abcdefghijklmnopqrstuvwxyz/refund";
    let entries = [
        entry(SpeakerKind::Agent, Some("Walid"), Some("03:30:05"), ""),
        entry(SpeakerKind::Visitor, Some("Ann"), Some("03:30:06"), url),
        entry(SpeakerKind::System, None, Some("03:30:07"), ""),
    ];
    for width in [1, 5, 12, 20, 40, 60, 80] {
        let terms = marks(&["refund", "wal"]);
        let (lines, starts) = layout(&entries, width, &Zone::Utc, THEME, &terms, Some(1));
        assert_eq!(starts.len(), 3);
        assert!(widest(&lines) <= width, "{width}: {lines:?}");
    }
    let (lines, _) = layout(&entries, 60, &Zone::Utc, THEME, &marks(&["refund"]), None);
    assert!(text_of(&lines[0]).contains("Walid:"), "{:?}", lines[0]);
    // The URL did not fit after the name: the name's line holds the name only.
    assert_eq!(text_of(&lines[1]).trim_end(), "03:30:06 VISITOR Ann:");
    assert!(text_of(&lines[2]).trim_start().starts_with("https://"));
}

#[test]
fn long_clocks_and_names_keep_their_columns() {
    let entries = [
        entry(
            SpeakerKind::Agent,
            Some("Francis - Comm100 ( Training ) and a much longer title"),
            Some("12:00:00 P.M."),
            "hello there",
        ),
        entry(
            SpeakerKind::Visitor,
            Some("V"),
            Some("01:00:00\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}PM"),
            "hi",
        ),
    ];
    for width in [50, 55, 70] {
        let (lines, _) = layout(&entries, width, &Zone::Utc, THEME, &Marks::default(), None);
        assert!(widest(&lines) <= width, "{width}: {lines:?}");
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert!(texts[0].starts_with("12:00:00 P.M. AGENT"), "{texts:?}");
        // Both entries' text starts in the same column.
        let col = |s: &str, tag: &str| s.find(tag).map(|at| s[..at].width());
        assert_eq!(
            col(&texts[0], "AGENT"),
            col(texts.last().unwrap(), "VISITOR")
        );
    }
}

#[test]
fn highlights_survive_case_folding_that_changes_lengths() {
    // 'İ' lower-cases to two characters; marks must still fall on character boundaries.
    let entries = [entry(
        SpeakerKind::Visitor,
        Some("V"),
        None,
        "İstanbul ẞtraße refund İİ",
    )];
    let (lines, _) = layout(
        &entries,
        30,
        &Zone::Utc,
        THEME,
        &marks(&["refund", "i", "ß"]),
        None,
    );
    let hit = THEME.hit();
    let marked: Vec<String> = lines
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.style == hit)
        .map(|s| s.content.to_string())
        .collect();
    assert!(marked.contains(&"refund".to_string()), "{marked:?}");
}

#[test]
fn invisible_characters_are_not_drawn() {
    let entries = [entry(
        SpeakerKind::Visitor,
        Some("Ze\u{200B}ro\u{200D}Width"),
        Some("03:30:05"),
        "\u{FEFF}zero\u{200B}width \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    )];
    let (lines, _) = layout(
        &entries,
        60,
        &Zone::Utc,
        THEME,
        &marks(&["zerowidth"]),
        None,
    );
    let all: String = lines.iter().map(text_of).collect();
    assert!(
        !all.contains(['\u{200B}', '\u{200D}', '\u{FEFF}']),
        "{all:?}"
    );
    assert!(all.contains("ZeroWidth: zerowidth"), "{all:?}");
    assert!(lines[0].spans.iter().any(|s| s.style == THEME.hit()));
}

/// Pieces of text that stress wrapping: wide, zero-width and joined characters, long words.
fn texts() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("山田太郎".to_string()),
        Just("👋🏽".to_string()),
        Just("👨\u{200D}👩\u{200D}👧".to_string()),
        Just("☺\u{FE0F}".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{200B}\u{FEFF}\u{2060}".to_string()),
        Just("\u{1b}[31m\t".to_string()),
        Just("مرحبا".to_string()),
        Just("İẞ".to_string()),
        "[a-z]{20,90}",
        ".{0,12}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn kinds() -> impl Strategy<Value = SpeakerKind> {
    prop_oneof![
        Just(SpeakerKind::Agent),
        Just(SpeakerKind::Visitor),
        Just(SpeakerKind::Bot),
        Just(SpeakerKind::System),
    ]
}

proptest! {
    #[test]
    fn any_text_any_width_stays_inside_the_pane(
        messages in prop::collection::vec(
            (kinds(), proptest::option::of(texts()), proptest::option::of("[0-9: APM.\u{3000}]{0,16}"), texts()),
            0..5,
        ),
        width in 1usize..120,
        terms in prop::collection::vec(prop_oneof![texts(), "[a-z]{1,3}"], 0..3),
        hit in proptest::option::of(0usize..6),
        slow in prop::collection::btree_map(0usize..6, 0u32..20_000_000, 0..3),
    ) {
        let entries: Vec<Entry> = messages
            .iter()
            .map(|(kind, who, time, text)| {
                let who = if *kind == SpeakerKind::System { None } else { who.as_deref() };
                entry(*kind, who, time.as_deref(), text)
            })
            .collect();
        let slow: Vec<(usize, u32)> = slow.into_iter().collect();
        let (lines, starts) =
            layout_marked(&entries, width, &Zone::Utc, THEME, &marks(&terms), hit, &slow);
        prop_assert_eq!(starts.len(), entries.len());
        prop_assert!(starts.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(starts.last().is_none_or(|&s| s < lines.len()));
        for line in &lines {
            let w: usize = line.spans.iter().map(|s| s.content.width()).sum();
            prop_assert!(w <= width, "{} > {}: {:?}", w, width, line);
            let raw = ['\u{1b}', '\u{200B}', '\u{FEFF}', '\t'];
            prop_assert!(!text_of(line).contains(raw), "{:?}", line);
        }
    }
}

/// A slow reply's time sits under its clock, in the time column, as text (`!` without
/// colours); a one-line reply gets a line for it; a narrow pane still shows a mark.
#[test]
fn a_slow_reply_is_marked_under_its_clock() {
    let entries = [
        entry(
            SpeakerKind::Visitor,
            Some("Ann"),
            Some("10:00:09"),
            "where is it?",
        ),
        entry(
            SpeakerKind::Agent,
            Some("Walid"),
            Some("10:03:19"),
            "on its way",
        ),
        entry(
            SpeakerKind::Visitor,
            Some("Ann"),
            Some("10:04:00"),
            "thanks",
        ),
    ];
    let slow = [(1, 190)];
    let (lines, starts) = layout_marked(
        &entries,
        80,
        &Zone::Utc,
        THEME,
        &Marks::default(),
        None,
        &slow,
    );
    let texts: Vec<String> = lines.iter().map(text_of).collect();
    assert_eq!(starts, [0, 1, 3], "{texts:#?}");
    assert!(
        texts[1].starts_with("10:03:19 AGENT   Walid:"),
        "{texts:#?}"
    );
    assert_eq!(texts[2].trim_end(), "⏱ 3m 10s");
    assert!(texts[0].starts_with("10:00:09 VISITOR"), "{texts:#?}");
    let plain = Theme::pick(Some(ThemeName::Dark), true);
    let (lines, _) = layout_marked(
        &entries,
        80,
        &Zone::Utc,
        plain,
        &Marks::default(),
        None,
        &slow,
    );
    assert_eq!(text_of(&lines[2]).trim_end(), "! 3m 10s");
    // A long reply carries the mark in its second line's time column.
    let long = [entry(
        SpeakerKind::Agent,
        Some("Walid"),
        Some("10:03:19"),
        &"word ".repeat(30),
    )];
    let (lines, _) = layout_marked(
        &long,
        60,
        &Zone::Utc,
        THEME,
        &Marks::default(),
        None,
        &[(0, 3723)],
    );
    assert!(lines.len() >= 3);
    // The clock column widened for the mark, so the text keeps its column.
    let second = text_of(&lines[1]);
    assert!(second.starts_with("⏱ 1h 02m 03s "), "{lines:?}");
    let col = |s: &str, what: &str| s.find(what).map(|at| s[..at].width());
    assert_eq!(
        col(&second, "word"),
        col(&text_of(&lines[0]), "Walid"),
        "{lines:?}"
    );
    assert!(widest(&lines) <= 60);
    // No time column: the mark in the tag column, cut the one way durations are cut.
    let (lines, _) = layout_marked(
        &long,
        30,
        &Zone::Utc,
        THEME,
        &Marks::default(),
        None,
        &[(0, 3723)],
    );
    assert!(text_of(&lines[1]).starts_with("⏱ 1h    word"), "{lines:?}");
    for width in 1..20 {
        let (lines, _) = layout_marked(
            &entries,
            width,
            &Zone::Utc,
            THEME,
            &Marks::default(),
            None,
            &slow,
        );
        assert!(widest(&lines) <= width, "{width}: {lines:?}");
        assert!(lines.iter().any(|l| text_of(l).contains('⏱')), "{width}");
    }
}
