//! Parsing: lexing, sigils, fields, errors.

use super::matching::{now, q};
use crate::query::lex::{lex, Seg};
use crate::query::term::{NumField, Pred, Range, TextField};
use crate::query::text::Anchor;
use crate::query::*;
use proptest::prelude::*;

fn err(input: &str) -> String {
    Query::parse(input, now()).expect_err(input).to_string()
}

/// The single predicate of a one-term query, with its negation.
fn only(input: &str) -> (bool, Pred) {
    let q = q(input);
    let i = &*q.inner;
    let all: Vec<&Term> = i.filters.iter().chain(&i.fuzzy).chain(&i.text).collect();
    assert_eq!(all.len(), 1, "{input}: {all:?}");
    (all[0].neg, all[0].pred.clone())
}

fn seg(text: &str, quoted: bool) -> Seg {
    Seg {
        text: text.into(),
        quoted,
    }
}

#[test]
fn lexer_groups_quotes_and_splits_on_whitespace() {
    assert_eq!(
        lex(" agent:\"PT: Jason\"\t\"two words\"  x "),
        vec![
            vec![seg("agent:", false), seg("PT: Jason", true)],
            vec![seg("two words", true)],
            vec![seg("x", false)],
        ]
    );
    assert_eq!(
        lex(r#""say \"hi\" \\ \n""#),
        vec![vec![seg(r#"say "hi" \ \n"#, true)]]
    );
    // Unterminated quote: lenient, runs to the end.
    assert_eq!(
        lex("agent:\"PT: Ja"),
        vec![vec![seg("agent:", false), seg("PT: Ja", true)]]
    );
    assert!(lex("   ").is_empty());
}

#[test]
fn bare_words_and_sigils() {
    let word = |p: Pred| match p {
        Pred::Word(n, a) => (n.text.to_string(), n.sensitive, a),
        other => panic!("{other:?}"),
    };
    assert!(matches!(only("jason").1, Pred::Fuzzy(n) if &*n.text == "jason" && !n.sensitive));
    assert!(matches!(only("Jason").1, Pred::Fuzzy(n) if &*n.text == "Jason" && n.sensitive));
    assert_eq!(
        word(only("'smi").1),
        ("smi".into(), false, Anchor::Substring)
    );
    assert_eq!(word(only("^Wal").1), ("Wal".into(), true, Anchor::Prefix));
    assert_eq!(word(only("son$").1), ("son".into(), false, Anchor::Suffix));
    assert_eq!(
        word(only("^walid$").1),
        ("walid".into(), false, Anchor::Whole)
    );
    assert_eq!(
        word(only("'.com$").1),
        (".com".into(), false, Anchor::Suffix)
    );
    for (input, anchor) in [
        ("!bot", Anchor::Substring),
        ("-bot", Anchor::Substring),
        ("!^bot", Anchor::Prefix),
        ("!bot$", Anchor::Suffix),
    ] {
        let (neg, p) = only(input);
        assert!(neg, "{input}");
        assert_eq!(word(p), ("bot".into(), false, anchor), "{input}");
    }
    // Quoted sigils and colons are literal; a quoted phrase is still a fuzzy word.
    assert!(matches!(only("\"^a:b$\"").1, Pred::Fuzzy(n) if &*n.text == "^a:b$"));
    assert!(matches!(only("\"two words\"").1, Pred::Fuzzy(n) if &*n.text == "two words"));
    assert_eq!(
        word(only("'\"a b\"").1),
        ("a b".into(), false, Anchor::Substring)
    );
    // Terms that are only sigils (half-typed) are ignored.
    for input in ["!", "-", "'", "^", "$", "!^", "^$", "\"\"", "!'"] {
        assert!(q(input).is_empty(), "{input}");
    }
}

#[test]
fn fields_with_quoted_values_and_aliases() {
    let field = |input: &str| match only(input) {
        (neg, Pred::Field(f, n, _)) => (neg, f, n.text.to_string()),
        other => panic!("{input}: {other:?}"),
    };
    assert_eq!(
        field("agent:\"PT: Jason\""),
        (false, TextField::Agent, "pt: jason".into())
    );
    assert_eq!(
        field("AGENT:walid"),
        (false, TextField::Agent, "walid".into())
    );
    assert_eq!(
        field("agent:PT:Jason"),
        (false, TextField::Agent, "pt:jason".into())
    );
    assert_eq!(
        field("!agent:walid"),
        (true, TextField::Agent, "walid".into())
    );
    assert_eq!(
        field("-agent:walid"),
        (true, TextField::Agent, "walid".into())
    );
    assert_eq!(
        field("department:Sales"),
        (false, TextField::Dept, "sales".into())
    );
    assert_eq!(
        field("text:\"refund please\""),
        (false, TextField::Text, "refund please".into())
    );
    assert_eq!(
        only("duration:<30s").1,
        Pred::Num(NumField::Dur, Range::at_most(29))
    );
    assert_eq!(only("status:9").1, Pred::StatusCode(9));
    assert!(
        matches!(only("status:\"chat ended\"").1, Pred::StatusLabel(n) if &*n.text == "chat ended")
    );
    assert!(matches!(only("id:3FA8").1, Pred::Id(n) if &*n.text == "3fa8"));
}

#[test]
fn comparison_operators() {
    let num = |input: &str| match only(input).1 {
        Pred::Num(_, r) => (r.lo, r.hi, r.none),
        other => panic!("{input}: {other:?}"),
    };
    let max = i64::MAX;
    let min = i64::MIN;
    assert_eq!(num("rating:5"), (5, 5, false));
    assert_eq!(num("rating:=5"), (5, 5, false));
    assert_eq!(num("rating:>3"), (4, max, false));
    assert_eq!(num("rating:>=4"), (4, max, false));
    assert_eq!(num("rating:<3"), (min, 2, false));
    assert_eq!(num("rating:<=3"), (min, 3, false));
    assert_eq!(num("rating:none"), (1, 0, true));
    assert_eq!(num("rating:NONE"), (1, 0, true));
    assert_eq!(num("wait:>2m"), (121, max, false));
    assert_eq!(num("wait:<=30s"), (min, 30, false));
    assert_eq!(num("wait:90"), (90, 90, false));
    assert_eq!(num("wait:1h30m"), (5400, 5400, false));
    assert_eq!(num("wait:\"1h 2m\""), (3720, 3720, false));
    assert_eq!(num("dur:>=1:30"), (90, max, false));
}

#[test]
fn dates_absolute_and_relative() {
    // now() is 2020-09-15T12:00:00Z.
    let ms = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis();
    let num = |input: &str| match only(input).1 {
        Pred::Num(NumField::Started, r) => (r.lo, r.hi),
        other => panic!("{input}: {other:?}"),
    };
    let (min, max) = (i64::MIN, i64::MAX);
    assert_eq!(num("since:2020-09-01"), (ms("2020-09-01T00:00:00Z"), max));
    assert_eq!(
        num("until:2020-09-30"),
        (min, ms("2020-10-01T00:00:00Z") - 1)
    );
    assert_eq!(
        num("since:2020-09-01T10:00:00+02:00"),
        (ms("2020-09-01T08:00:00Z"), max)
    );
    assert_eq!(
        num("until:2020-09-01T10:00:00Z"),
        (min, ms("2020-09-01T10:00:00Z"))
    );
    assert_eq!(
        num("since:2020-09-01T10:00"),
        (ms("2020-09-01T10:00:00Z"), max)
    );
    assert_eq!(num("since:today"), (ms("2020-09-15T00:00:00Z"), max));
    assert_eq!(num("until:today"), (min, ms("2020-09-16T00:00:00Z") - 1));
    assert_eq!(num("since:yesterday"), (ms("2020-09-14T00:00:00Z"), max));
    assert_eq!(
        num("until:yesterday"),
        (min, ms("2020-09-15T00:00:00Z") - 1)
    );
    assert_eq!(num("since:7d"), (ms("2020-09-08T12:00:00Z"), max));
    assert_eq!(num("since:12h"), (ms("2020-09-15T00:00:00Z"), max));
    assert_eq!(num("since:2w"), (ms("2020-09-01T12:00:00Z"), max));
    assert_eq!(num("since:30m"), (ms("2020-09-15T11:30:00Z"), max));
    assert_eq!(num("since:1d12h"), (ms("2020-09-14T00:00:00Z"), max));
    assert_eq!(num("until:7d"), (min, ms("2020-09-08T12:00:00Z")));
}

#[test]
fn review_terms_parse_and_bad_values_say_what_is_valid() {
    for ok in [
        "tag:coach",
        "-tag:x",
        "!note:\"call back\"",
        "reviewed:yes",
        "reviewed:NO",
    ] {
        assert!(Query::parse(ok, Utc::now()).is_ok(), "{ok}");
    }
    assert!(Query::parse("tag:x", Utc::now()).unwrap().needs_reviews());
    assert!(!Query::parse("agent:x", Utc::now()).unwrap().needs_reviews());
    assert!(err("reviewed:maybe").contains("reviewed:yes or reviewed:no"));
    assert!(err("tag:").contains("needs a value"));
}

#[test]
fn unknown_fields_name_the_valid_ones() {
    let e = err("foo:bar");
    assert_eq!(
        e,
        "unknown field 'foo' in 'foo:bar': use one of agent, visitor, dept, country, city, wrapup, status, id, \
         rating, wait, frt, dur, reply, transfers, unanswered, last, bot, sla, since, until, text, tag, note, reviewed, score, scored, sample (to search for a colon, quote the word: \"foo:bar\")"
    );
    // A mistyped field among valid terms, with a negation, or with a quoted value.
    for input in [
        "jason agnet:walid",
        "!agnet:walid",
        "agnet:\"PT: Jason\"",
        "12:30",
        "'a:b",
    ] {
        assert!(
            err(input).contains(&crate::query::fields::names()),
            "{input}: {}",
            err(input)
        );
    }
    assert!(err("agnet:\"PT: Jason\"").contains("\"agnet:PT: Jason\""));
    assert!(err("-agnet:walid").ends_with("quote the word: -\"agnet:walid\")"));
    assert!(err(":x").starts_with("missing field name before ':' in ':x': use one of agent,"));
    // Quoted, a colon is just text.
    assert!(Query::parse("\"12:30\"", now()).is_ok());
}

#[test]
fn malformed_values_say_what_is_valid() {
    for (input, wants) in [
        ("rating:x", "bad value 'x' in 'rating:x': use rating:N"),
        ("rating:6", "from 1 to 5"),
        ("rating:0", "from 1 to 5"),
        ("rating:>none", "rating:none"),
        ("rating:>=", "bad value '>='"),
        (
            "wait:>>2",
            "bad value '>>2' in 'wait:>>2': use an optional operator (> >= < <= =)",
        ),
        ("wait:2x", "like 90, 90s, 2m, 1h30m"),
        ("dur:-5", "like 90, 90s"),
        ("wait:<", "bad value '<'"),
        (
            "since:notadate",
            "bad value 'notadate' in 'since:notadate': use a date (2020-09-01, UTC)",
        ),
        ("until:2020-13-01", "RFC 3339"),
        ("since:7", "age like 30m, 12h, 7d, 2w"),
        ("since:7y", "age like"),
        ("agent:", "'agent:' needs a value: agent:NAME"),
        ("agent:\"\"", "'agent:' needs a value"),
        ("rating:", "'rating:' needs a value: use rating:N"),
        (
            "status:endd",
            "no status matches 'endd': use a code (status:9) or part of a label: waiting for chat,",
        ),
    ] {
        let e = err(input);
        assert!(e.contains(wants), "{input}: {e}");
        assert!(!e.contains('\n'), "{input}: one line");
    }
}

#[test]
fn query_flags() {
    assert!(q("").is_empty() && !q("").has_fuzzy() && !q("").needs_transcript());
    assert!(q("jas rating:5").has_fuzzy());
    assert!(!q("'jas !bob").has_fuzzy());
    assert!(q("text:refund").needs_transcript() && !q("text:refund").is_empty());
    assert!(!q("agent:x").needs_transcript());
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Query>();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(input in "\\PC{0,40}") {
        let _ = Query::parse(&input, now());
    }

    #[test]
    fn parse_never_panics_on_query_like_input(
        input in proptest::collection::vec(
            prop_oneof![
                Just("agent:"), Just("rating:"), Just("wait:"), Just("since:"), Just("until:"),
                Just("status:"), Just("id:"), Just("text:"), Just("\""), Just("!"), Just("-"),
                Just("'"), Just("^"), Just("$"), Just(">"), Just(">="), Just("<"), Just("="),
                Just(" "), Just(":"), Just("\\"), Just("9"), Just("2m"), Just("7d"), Just("É"),
                Just("2020-09-01"), Just("none"), Just("İ"), Just("99999999999999999999"),
            ],
            0..12,
        )
    ) {
        let input: String = input.concat();
        if let Ok(q) = Query::parse(&input, now()) {
            // Matching and narrowing must not panic either.
            let _ = q.match_summary(&super::matching::sample());
            let _ = q.narrows(&q);
        }
    }
}

#[test]
fn transcript_scope_makes_bare_words_text_terms() {
    let scoped = |s: &str| Query::parse_scoped(s, now(), true).0;
    let terms = |q: &Query| {
        q.text_terms()
            .map(|(t, n)| (t.to_string(), n))
            .collect::<Vec<_>>()
    };
    let q1 = scoped("Refund 'order !spam \"cancel my\"");
    assert_eq!(
        terms(&q1),
        [
            ("refund".to_string(), false),
            ("order".into(), false),
            ("spam".into(), true),
            ("cancel my".into(), false)
        ]
    );
    assert!(!q1.has_fuzzy());
    // Fields and anchored words keep their meaning.
    let q2 = scoped("agent:walid ^ali");
    assert!(terms(&q2).is_empty() && !q2.needs_transcript());
    // Typing more narrows, as `text:` does.
    assert!(scoped("ref").narrows(&scoped("refu")));
    assert_eq!(terms(&Query::parse_scoped("refund", now(), false).0), []);
}
