//! What a query marks: the traced fuzzy positions against a fresh `SkimMatcherV2`, and marks that
//! agree with matching (a marked transcript message is one `text:` matches, and back).

use crate::model::{Entry, SpeakerKind};
use crate::query::skim::Scratch;
use crate::query::skim_trace;
use crate::query::*;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_600_000_000, 0).unwrap()
}

fn marks(q: &str) -> Marks {
    Query::parse_valid(q, now()).0.marks()
}

/// The marked characters of `name`, as a string.
fn marked(q: &str, name: &str) -> String {
    let m = marks(q).in_name(name);
    name.chars()
        .zip(m)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c)
        .collect()
}

fn hits<'a>(q: &str, text: &'a str) -> Vec<&'a str> {
    marks(q)
        .in_text(text)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

const ALPHABET: &str = "aAbBcCsS -_./()@:1é";

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn entry(text: &str) -> Entry {
    Entry {
        kind: SpeakerKind::Visitor,
        speaker: Some("Mia".into()),
        time: None,
        at: None,
        text: text.into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// The traced positions are the crate's own `fuzzy_indices` on a fresh matcher, and the traced
    /// path scores what the ranking scorer gives.
    #[test]
    fn traced_positions_are_skims(choice in text(24), picks in proptest::collection::vec(any::<bool>(), 24), sensitive in any::<bool>()) {
        let pattern: String = choice.chars().zip(&picks).filter(|(_, &k)| k).map(|(c, _)| c).take(6).collect();
        let m = SkimMatcherV2::default();
        let m = if sensitive { m.respect_case() } else { m.ignore_case() };
        let want = m.fuzzy_indices(&choice, &pattern);
        let chars: Vec<char> = choice.chars().collect();
        let pat: Vec<char> = pattern.chars().collect();
        let got = skim_trace::positions(&chars, &pat, sensitive);
        prop_assert_eq!(got.as_ref().map(|(_, at)| at.clone()), want.as_ref().map(|(_, at)| at.clone()));
        let ranked = Scratch::default().score(&choice, &pattern, sensitive, false);
        prop_assert_eq!(got.map(|(s, _)| i64::from(s)), ranked);
    }

    /// A message is marked exactly when `text:` matches it, and every mark spells the needle.
    #[test]
    fn text_marks_agree_with_matching(msg in text(30), needle in "[a-cA-Cé ]{1,3}") {
        let q = Query::parse(&format!("text:\"{needle}\""), now()).unwrap();
        let m = q.marks();
        prop_assert_eq!(m.text_hit(&msg), q.match_transcript(&[entry(&msg)]));
        let want = crate::query::fold_str(&needle);
        for r in m.in_text(&msg) {
            let got = crate::query::fold_str(&msg[r]);
            prop_assert!(got.len() >= want.len() && got.contains(&*want) || want.contains(&*got), "{got:?} vs {want:?}");
        }
    }
}

#[test]
fn quoted_values_mark_what_they_match() {
    assert_eq!(hits("text:\"12:30\"", "see you at 12:30 ok"), ["12:30"]);
    assert_eq!(
        hits("text:\"a phrase\"", "It's A Phrase here"),
        ["A Phrase"]
    );
}

#[test]
fn bare_words_never_mark_transcripts() {
    let m = marks("mia text:refund");
    assert!(
        !m.text_hit("Mia said hello"),
        "a name word is not a transcript hit"
    );
    assert!(m.text_hit("I want a REFUND"));
    assert!(!marks("mia").has_text());
}

#[test]
fn negated_terms_mark_nothing() {
    assert!(hits("!text:refund", "refund please").is_empty());
    assert_eq!(marked("!walid", "Walid"), "");
    assert_eq!(marked("-'wal", "Walid"), "");
}

#[test]
fn names_are_marked_by_fuzzy_and_sigil_words() {
    assert_eq!(marked("wld", "Walid"), "Wld");
    assert_eq!(marked("'ali", "Walid Alia"), "aliAli");
    assert_eq!(marked("^wal", "Walid wal"), "Wal");
    assert_eq!(marked("lid$", "Walid lid"), "lid");
    assert_eq!(marked("^walid$", "walid"), "walid");
    assert_eq!(marked("^walid$", "walidx"), "");
    assert_eq!(marked("agent:walid", "Walid"), "", "fields mark no name");
}

#[test]
fn smart_case_and_accents_as_matching_does() {
    assert_eq!(marked("muller", "Jo Müller"), "Müller");
    assert_eq!(marked("Mul", "Jo Müller"), "", "a capital matches strictly");
    assert_eq!(marked("mül", "Jo Müller"), "Mül");
    assert_eq!(marked("aegir", "Ægir"), "Ægir");
}

#[test]
fn marks_fall_on_whole_characters_whatever_folding_does() {
    let text = "İstanbul KELVIN \u{212A} ǅemo straße";
    for r in marks("text:stan text:ǆ text:ss").in_text(text) {
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
    assert_eq!(hits("text:ǆemo", text), ["ǅemo"]);
}

#[test]
fn invisible_characters_are_looked_through_as_matching_does() {
    let text = "re\u{200b}fund now";
    let q = Query::parse("text:refund", now()).unwrap();
    assert!(q.match_transcript(&[entry(text)]));
    assert_eq!(hits("text:refund", text), ["re\u{200b}fund"]);
}
