//! Matching summaries and transcripts.

use crate::model::{SpeakerKind, Status};
use crate::query::*;
use chrono::TimeZone;

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 9, 15, 12, 0, 0).unwrap()
}

pub(super) fn q(input: &str) -> Query {
    Query::parse(input, now()).unwrap_or_else(|e| panic!("{input}: {e}"))
}

pub(super) fn s<T: for<'a> From<&'a str>>(v: &str) -> Option<T> {
    Some(v.into())
}

pub(super) fn ms(rfc3339: &str) -> Option<i64> {
    Some(
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis(),
    )
}

/// A fully populated chat.
pub(super) fn sample() -> ChatSummary {
    ChatSummary {
        id: "3FA85F64-5717-4562-b3fc-2c963f66afa6".into(),
        visitor: s("Jason Smith"),
        visitor_email: s("jsmith@example.com"),
        agents: vec!["PT: Jason".into(), "Walid - Comm100".into()].into(),
        place: crate::model::Place::of(s("Billing Support"), s("United States"), s("Seattle")),
        status: Some(Status(9)),
        started: crate::model::PackedMs::new(ms("2020-09-10T08:00:00Z")),
        ended: crate::model::PackedMs::new(ms("2020-09-10T08:05:30.900Z")),
        wait_secs: Some(150),
        first_response_secs: Some(42),
        rating: Some(4),
        // Fields the query does not read (and any added later) keep their defaults.
        ..ChatSummary::default()
    }
}

/// A chat with nothing known but its id.
pub(super) fn bare(id: &str) -> ChatSummary {
    ChatSummary {
        id: id.into(),
        ..ChatSummary::default()
    }
}

pub(super) fn m(input: &str, chat: &ChatSummary) -> bool {
    q(input).match_summary(chat).is_some()
}

/// Assert which of the inputs match the sample chat.
pub(super) fn check(yes: &[&str], no: &[&str]) {
    let c = sample();
    for input in yes {
        assert!(m(input, &c), "should match: {input}");
    }
    for input in no {
        assert!(!m(input, &c), "should not match: {input}");
    }
}

#[test]
fn text_fields_are_case_insensitive_substrings() {
    check(
        &[
            "agent:walid",
            "agent:WALID",
            "agent:\"PT: Jason\"",
            "agent:comm100",
            "visitor:smith",
            "visitor:EXAMPLE.com",
            "dept:billing",
            "department:\"billing support\"",
            "country:states",
            "city:SEAT",
            "agent:pt:",
        ],
        &[
            "agent:smith",
            "agent:\"PT:Jason\"",
            "visitor:walid",
            "dept:sales",
            "country:canada",
            "city:portland",
            "agent:wlid",
        ],
    );
    // Unknown values never match a positive field term, and always match a negated one.
    let b = bare("1");
    for f in [
        "agent:a",
        "visitor:a",
        "dept:a",
        "country:a",
        "city:a",
        "status:ended",
        "status:9",
    ] {
        assert!(!m(f, &b), "{f}");
        assert!(m(&format!("!{f}"), &b), "!{f}");
    }
}

#[test]
fn status_id_rating_wait_duration() {
    check(
        &[
            "status:9",
            "status:ended",
            "status:\"CHAT ENDED\"",
            "id:3fa8",
            "id:3FA85F64-5717",
            "rating:4",
            "rating:>=4",
            "rating:>3",
            "rating:<5",
            "rating:<=4",
            "rating:=4",
            "wait:150",
            "wait:>2m",
            "wait:2m30s",
            "wait:>=150s",
            "wait:<3m",
            "wait:<=150",
            "dur:330",
            "dur:5m30s",
            "dur:>5m",
            "duration:<=330",
            "dur:<331",
            "frt:42",
            "agent:^\"pt: jason\"$",
            "agent:^walid",
            "dept:support$",
            "dept:^\"billing support\"$",
            "frt:<1m",
            "first_response:>=42s",
            "FRT:>41",
            "!frt:>42",
            "!rating:none",
            "-status:chatting",
        ],
        &[
            "status:2",
            "status:chatting",
            "status:99",
            "id:5f64",
            "id:x",
            "rating:5",
            "rating:>4",
            "rating:<4",
            "rating:<=3",
            "rating:none",
            "wait:>150",
            "wait:<150",
            "wait:<=2m",
            "dur:331",
            "dur:>=331",
            "dur:<330",
            "frt:>42",
            "agent:^jason",
            "agent:^\"PT: Jaso\"$",
            "dept:^support",
            "agent:\"^walid\"",
            "first_response:<42",
            "!frt:42",
            "!status:9",
        ],
    );
    let mut c = sample();
    c.status = Some(Status(42));
    assert!(m("status:42", &c) && !m("status:4", &c) && !m("status:ended", &c));
    let b = bare("1");
    assert!(
        m("rating:none", &b)
            && !m("rating:<3", &b)
            && !m("wait:<1m", &b)
            && !m("dur:<1m", &b)
            && !m("frt:<1m", &b)
    );
    assert!(m("!wait:<1m", &b), "negation includes unknown values");
    assert!(m("!frt:<1m", &b), "negation includes unknown values");
}

#[test]
fn dates_inclusive_days_and_instants() {
    // Started 2020-09-10T08:00:00Z; now is 2020-09-15T12:00:00Z.
    check(
        &[
            "since:2020-09-10",
            "until:2020-09-10",
            "since:2020-09-01 until:2020-09-30",
            "since:2020-09-10T08:00:00Z",
            "until:2020-09-10T08:00:00Z",
            "since:2020-09-10T09:00:00+01:00",
            "since:7d",
            "until:5d",
            "since:1w",
            "until:yesterday",
            "!since:today",
        ],
        &[
            "since:2020-09-11",
            "until:2020-09-09",
            "since:2020-09-10T08:00:01Z",
            "until:2020-09-10T07:59:59Z",
            "since:5d",
            "until:6d",
            "since:today",
            "since:yesterday",
            "since:12h",
        ],
    );
    assert!(!m("since:2000-01-01", &bare("1")) && !m("until:2100-01-01", &bare("1")));
}

#[test]
fn sigils_and_negation() {
    check(
        &[
            "'ason",
            "'\"ason smi\"",
            "^jason",
            "^\"PT: J\"",
            "smith$",
            "'.com$",
            "^\"walid - comm100\"$",
            "^\"jason smith\"$",
            "!bob",
            "-bob",
            "!^smith",
            "!walid$",
            "!\"^x\"",
            "!SMITH",
        ],
        &[
            "'jsn",
            "'\"ason  smi\"",
            "^smith",
            "example$",
            "^jason$",
            "!smith",
            "!^jason",
            "!.com$",
            "!^\"jason smith\"$",
            "-walid",
            "!Smith",
        ],
    );
    // Excludes when ANY field contains the word: an agent name is enough.
    assert!(!m("!comm100", &sample()));
    // A chat with no name fields is never excluded.
    assert!(m("!x", &bare("1")));
    // Exact sigils add no score.
    assert_eq!(q("'jason !bob").match_summary(&sample()), Some(0));
}

#[test]
fn transcript_terms() {
    let entry = |text: &str| Entry {
        kind: SpeakerKind::Visitor,
        speaker: None,
        time: None,
        at: None,
        text: text.into(),
    };
    let entries = [entry("Hello"), entry("I want a REFUND, please")];
    let t = |input: &str| q(input).match_transcript(&entries);
    assert!(
        t("text:refund") && t("text:\"refund, please\"") && t("text:hello text:want") && t("jason")
    );
    assert!(!t("text:refunds") && !t("text:\"hello i\"") && !t("text:refund text:nope"));
    assert!(t("!text:nope") && !t("-text:hello"));
    assert!(!q("text:a").match_transcript(&[]) && q("!text:a").match_transcript(&[]));
    // text: terms are not summary terms.
    assert_eq!(q("text:zzz").match_summary(&bare("1")), Some(0));
}

#[test]
fn select_and_refine_keep_slice_indices() {
    let chats = [bare("a"), sample(), bare("b"), sample()];
    let refs: Vec<&ChatSummary> = chats.iter().collect();
    let hits = select(&q("agent:walid"), &refs);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(select(&q(""), &chats).len(), 4);
    assert_eq!(select(&q("text:x"), &chats).len(), 4);
    let narrower = q("agent:walid jason");
    let refined = refine(&narrower, &refs, &hits);
    assert_eq!(refined, select(&narrower, &refs));
    assert!(refined.iter().all(|h| h.score > 0));
}

#[test]
fn wrap_up_terms_search_category_and_comment() {
    use crate::model::WrapUp;
    let wrapped = |category: Option<&str>, comment: Option<&str>| ChatSummary {
        wrap_up: Some(std::sync::Arc::new(WrapUp {
            category: category.map(str::to_string),
            comment: comment.map(str::to_string),
            ..WrapUp::default()
        })),
        ..sample()
    };
    let refund = wrapped(Some("Billing: Refund"), Some("Approved, order 80890"));
    for yes in [
        "wrapup:refund",
        "wrapup:\"billing: REFUND\"",
        "wrap_up:billing",
        "WRAPUP:80890",
        "!wrapup:sales",
        "!wrapup:none",
    ] {
        assert!(m(yes, &refund), "should match: {yes}");
    }
    for no in [
        "wrapup:sales",
        "!wrapup:refund",
        "wrapup:none",
        "wrapup:\"none\"",
    ] {
        assert!(!m(no, &refund), "should not match: {no}");
    }
    let none = sample();
    assert!(m("wrapup:none", &none) && m("!wrapup:refund", &none));
    assert!(!m("wrapup:refund", &none) && !m("!wrapup:none", &none));
    // `none` quoted is a word: a comment that says so.
    let says_none = wrapped(None, Some("none needed"));
    assert!(m("wrapup:\"none\"", &says_none) && !m("wrapup:none", &says_none));
    assert!(Query::parse("wrapup:", now()).is_err());
}

#[test]
fn invisible_format_characters_are_ignored_by_search() {
    let chat = ChatSummary {
        visitor: s("\u{FEFF}Ze\u{200B}ro\u{200D}Width"),
        agents: vec!["Ann\u{2060}a".into()].into(),
        place: crate::model::Place::of(s("Bil\u{AD}ling"), None, None),
        ..bare("zw")
    };
    for yes in [
        "'zero",
        "'ZeroWidth",
        "^zero",
        "width$",
        "^zerowidth$",
        "zerowidth",
        "agent:anna",
        "dept:billing",
        "'zero\u{200B}w",
    ] {
        assert!(m(yes, &chat), "{yes}");
    }
    for no in ["'zeroo", "!'zero", "^width", "-dept:billing"] {
        assert!(!m(no, &chat), "{no}");
    }
    // The search index gives the same answers as the scan.
    let rows = vec![std::sync::Arc::new(chat)];
    let index = SearchIndex::build(&rows).expect("index");
    for input in ["'zero", "^zerowidth$", "agent:anna", "!'zero"] {
        let query = q(input);
        assert_eq!(
            index.select(&query, &rows),
            select(&query, &rows),
            "{input}"
        );
    }
}
