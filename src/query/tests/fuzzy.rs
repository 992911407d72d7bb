//! Bare words: fields searched, smart case, scores and ranking; the allocation-free scorer against
//! fuzzy-matcher's own `SkimMatcherV2`, and the prefilter.

use super::matching::{bare, check, m, q, s, sample};
use crate::query::skim::Scratch;
use crate::query::text::{self, Needle};
use crate::query::*;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use proptest::prelude::*;

/// A newly built matcher for every call: the crate's cache leaks state between calls.
fn reference(choice: &str, pattern: &str, sensitive: bool) -> Option<i64> {
    let m = SkimMatcherV2::default();
    let m = if sensitive {
        m.respect_case()
    } else {
        m.ignore_case()
    };
    m.fuzzy_match(choice, pattern)
}

const ALPHABET: &str = "aAbBcCsS -_./()@:1é";

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

    #[test]
    fn same_scores_as_a_fresh_skim_matcher(choice in text(24), pattern in text(5), sensitive in any::<bool>()) {
        let mut s = Scratch::default();
        prop_assert_eq!(s.score(&choice, &pattern, sensitive, false), reference(&choice, &pattern, sensitive));
    }

    /// Patterns taken from the choice itself, so that most of them match and the matrix is exercised.
    #[test]
    fn same_scores_on_matching_patterns(choice in text(30), picks in proptest::collection::vec(any::<bool>(), 30)) {
        let pattern: String = choice.chars().zip(&picks).filter(|(_, &k)| k).map(|(c, _)| c).take(7).collect();
        let mut s = Scratch::default();
        for sensitive in [false, true] {
            prop_assert_eq!(s.score(&choice, &pattern, sensitive, false), reference(&choice, &pattern, sensitive));
            let lower = pattern.to_lowercase();
            prop_assert_eq!(s.score(&choice, &lower, sensitive, false), reference(&choice, &lower, sensitive));
        }
    }

    /// The prefilter never rejects a candidate the scorer would accept.
    #[test]
    fn prefilter_is_a_necessary_condition(choice in text(20), pattern in text(4)) {
        let word = Needle::smart(&pattern);
        if word.text.is_empty() { return Ok(()); }
        let mut s = Scratch::default();
        let scored = s.score(&choice, &word.text, word.sensitive, false);
        if scored.is_some() {
            prop_assert!(fuzzy::may_match(&word, &choice));
        }
        if word.text.is_ascii() {
            prop_assert_eq!(scored.is_some(), fuzzy::may_match(&word, &choice));
        }
    }
}

#[test]
fn known_scores() {
    let mut s = Scratch::default();
    for (choice, pattern) in [
        ("Jason Smith", "jason"),
        ("PT: Jason", "jas"),
        ("aab", "aab"),
        ("abc", "a"),
        ("Walid - Comm100", "wc"),
    ] {
        assert_eq!(
            s.score(choice, pattern, false, false),
            reference(choice, pattern, false),
            "{pattern} in {choice}"
        );
    }
    assert_eq!(s.score("abc", "d", false, false), None);
    // Folded: accents go, case stays, so the score is skim's on the folded text.
    assert_eq!(
        s.score("ÉMILE", "emile", false, true),
        reference("EMILE", "emile", false)
    );
    assert_eq!(
        s.score("Anna-Lena Müller", "muller", false, true),
        reference("Anna-Lena Muller", "muller", false)
    );
    assert_eq!(
        s.score("Straße", "strasse", false, true),
        reference("Strasse", "strasse", false)
    );
}

#[test]
fn fuzzy_words_over_name_fields_separately() {
    check(
        &[
            "jsn",
            "jason",
            "wld",
            "comm100",
            "jsmith",
            "example",
            "smith jason",
            "pt",
        ],
        // "jw" would only match across fields (Jason + Walid), never within one.
        &["jw", "billing", "seattle", "zzz", "xjason"],
    );
    // No visitor name: the placeholder "Visitor" is not searched.
    assert!(!m("visitor", &bare("1")) && !m("v", &bare("1")));
}

#[test]
fn smart_case_both_ways() {
    check(
        &[
            "jason",
            "JaSm",
            "Jason",
            "PT",
            "'Jason",
            "^Jason",
            "Smith$",
            "jason$",
            "'jason",
            "^\"pt: j\"",
        ],
        &[
            "JASON", "JASoN", "'jASON", "'SMITH", "^jAson", "'WALID", "Jason$x", "JASON$",
        ],
    );
    let mut c = bare("1");
    c.visitor = s("ÉMILE Zoë");
    for yes in [
        "émile",
        "mile",
        "zoë",
        "'ÉMILE",
        "^émile",
        "ÉMILE",
        "Zoë$",
        "zoë$",
        "visitor:émile",
    ] {
        assert!(m(yes, &c), "{yes}");
    }
    for no in ["Émile", "'Émile", "ZOË$"] {
        assert!(!m(no, &c), "{no}");
    }
}

#[test]
fn scores_sum_best_field_per_word() {
    let c = sample();
    let score = |w: &str| q(w).match_summary(&c).unwrap();
    assert!(score("jason") > 0);
    assert_eq!(score("jason smith"), score("jason") + score("smith"));
    // "jason" matches both the visitor name and "PT: Jason": the best counts, not the sum.
    let best = ["Jason Smith", "PT: Jason", "jsmith@example.com"]
        .iter()
        .filter_map(|f| fuzzy::score(&text::Needle::smart("jason"), f))
        .max()
        .unwrap();
    assert_eq!(score("jason"), best);
    assert_eq!(q("agent:walid").match_summary(&c), Some(0));
}

#[test]
fn fuzzy_ranking_order() {
    let chats: Vec<ChatSummary> = [
        "Jasmine Ohara",
        "Jason Smith",
        "Jaxon Sonders",
        "J. A. Soneson",
        "Bob",
    ]
    .iter()
    .enumerate()
    .map(|(i, v)| ChatSummary {
        visitor: s(v),
        ..bare(&i.to_string())
    })
    .collect();
    let query = q("jason");
    let mut hits = select(&query, &chats);
    sort_hits(&mut hits, &chats, None, query.has_fuzzy());
    let names: Vec<&str> = hits
        .iter()
        .map(|h| chats[h.index].visitor_display())
        .collect();
    assert_eq!(names[0], "Jason Smith", "{names:?}");
    assert!(!names.contains(&"Bob") && !names.contains(&"Jasmine Ohara"));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn lower_case_words_fold_accents_and_ligatures() {
    let mut c = bare("1");
    c.visitor = s("Anna-Lena Müller");
    c.agents = vec![std::sync::Arc::from("Ægir Ångström")].into();
    c.visitor_email = s("straße@example.de");
    for yes in [
        "muller", "müller", "Müller", "anna", "aegir", "angstrom", "strasse", "ægir", "mlr",
    ] {
        assert!(m(yes, &c), "{yes}");
    }
    // Smart case: a capital makes the word strict, accents included.
    for no in ["Muller", "Aegir", "Angstrom", "Strasse"] {
        assert!(!m(no, &c), "{no}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// An insensitive word scores against accented text exactly as skim scores the folded text.
    #[test]
    fn folded_scores_are_skims_on_the_folded_text(
        choice in proptest::collection::vec(proptest::sample::select("aAüÜßæÆ -é.ÉoÖ".chars().collect::<Vec<_>>()), 0..20),
        pattern in proptest::collection::vec(proptest::sample::select("auseoæ".chars().collect::<Vec<_>>()), 1..4),
    ) {
        let choice: String = choice.into_iter().collect();
        let word = Needle::fuzzy(&pattern.into_iter().collect::<String>());
        let folded = crate::fold::accents::unaccent(&choice);
        prop_assert_eq!(fuzzy::score(&word, &choice), reference(&folded, &word.text, false));
    }
}
