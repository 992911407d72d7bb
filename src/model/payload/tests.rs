//! Payload parsing tests: each docs/FORMAT.md field variant and the vendor sample.

use super::*;
use crate::model::time::rfc3339;
use crate::model::{SpeakerKind, Status};

const VENDOR: &str = include_str!("../../../tests/fixtures/variants/vendor-sample.json");

fn parse_body_str(json: &str, fallback_id: &str) -> Result<Body, serde_json::Error> {
    parse_body(json.as_bytes(), fallback_id)
}

fn chat(json: &str) -> Chat {
    match parse_body_str(json, "fallback").expect("valid JSON") {
        Body::Chat(c) => *c,
        other => panic!("expected a chat, got {other:?}"),
    }
}

/// The vendor sample with `chat` fields replaced or added by `patch` (a JSON object literal).
fn vendor_with(chat_patch: serde_json::Value, visitor_patch: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(VENDOR).unwrap();
    for (k, val) in chat_patch.as_object().unwrap() {
        v["chat"][k] = val.clone();
    }
    for (k, val) in visitor_patch.as_object().unwrap() {
        v["visitor"][k] = val.clone();
    }
    v.to_string()
}

#[test]
fn vendor_sample_loads_exactly() {
    let c = chat(VENDOR);
    assert_eq!(c.id, "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15");
    assert_eq!(c.visitor_name(), Some("testName"));
    assert_eq!(c.agents.len(), 1);
    assert_eq!(c.agents[0].name, "Walid");
    assert_eq!(c.agents[0].id.as_deref(), Some("1"));
    assert_eq!(c.agents[0].email.as_deref(), Some("walidr3157@gmail.com"));
    assert_eq!(c.department.as_deref(), Some("Support"));
    assert_eq!(
        c.started_at.map(rfc3339).as_deref(),
        Some("2020-03-17T03:30:01Z")
    );
    assert_eq!(
        c.ended_at.map(rfc3339).as_deref(),
        Some("2020-03-17T03:36:59Z")
    );
    assert_eq!(c.duration_secs(), Some(418));
    assert_eq!(c.wait_secs, Some(0));
    assert_eq!(c.rating, None);
    assert_eq!(c.visitor.status, Some(Status(9)));
    assert_eq!(c.visitor.status.unwrap().label(), "chat ended");
    assert_eq!(c.visitor.time_zone.as_deref(), Some("GMT -08:00"));
    assert_eq!(c.visitor.department.as_deref(), Some("1165"));
    assert_eq!(c.visitor.custom_variables.len(), 1);
    assert_eq!(c.custom_variables.len(), 1);
    assert!(c.wrap_up.is_none(), "an all-empty wrap-up is no wrap-up");
    assert!(c.attachments.is_empty());
    let kinds: Vec<SpeakerKind> = c.transcript.iter().map(|e| e.kind).collect();
    use SpeakerKind::{Agent, System};
    assert_eq!(kinds, [System, Agent, System, System, System]);
    let msg = &c.transcript[1];
    assert_eq!(msg.speaker.as_deref(), Some("Walid"));
    assert_eq!(msg.time.as_deref(), Some("03:30:01"));
    assert_eq!(msg.at.map(rfc3339).as_deref(), Some("2020-03-17T03:30:01Z"));
    assert_eq!(
        msg.text,
        "testName thank you for contacting us! How may I help you?"
    );
    assert_eq!(c.message_count(), 1);
}

#[test]
fn ids_may_be_integers() {
    let c = chat(&vendor_with(
        serde_json::json!({"id": 1098, "operators": [{"display_name": "Ann", "id": 7}]}),
        serde_json::json!({"id": 55, "chat_id": 1098}),
    ));
    assert_eq!(c.id, "1098");
    assert_eq!(c.visitor.id.as_deref(), Some("55"));
    assert_eq!(c.agents[0].id.as_deref(), Some("7"));
}

#[test]
fn missing_chat_id_falls_back_to_visitor_chat_id_then_source() {
    let c = chat(&vendor_with(
        serde_json::json!({"id": null}),
        serde_json::json!({}),
    ));
    assert_eq!(c.id, "16c2cc3a-1b15-4b4f-9298-1cd04d6cec15");
    let c = chat(&vendor_with(
        serde_json::json!({"id": ""}),
        serde_json::json!({"chat_id": null}),
    ));
    assert_eq!(c.id, "fallback");
}

#[test]
fn operators_as_plain_string_or_agents_key() {
    let c = chat(&vendor_with(
        serde_json::json!({"operators": "henry, PT: Jason"}),
        serde_json::json!({}),
    ));
    let names: Vec<&str> = c.agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["henry", "PT: Jason"]);
    let c = chat(&vendor_with(
        serde_json::json!({"operators": null, "agents": [{"display_name": "Zoe", "email": "z@x"}]}),
        serde_json::json!({}),
    ));
    assert_eq!(c.agents[0].name, "Zoe");
    let c = chat(&vendor_with(
        serde_json::json!({"operators": {"display_name": "Solo"}}),
        serde_json::json!({}),
    ));
    assert_eq!(c.agents[0].name, "Solo");
}

#[test]
fn attachment_forms() {
    for (value, n) in [
        (serde_json::json!([]), 0),
        (
            serde_json::json!({"name": "a.png", "uri": "https://x/a.png"}),
            1,
        ),
        (
            serde_json::json!([{"name": "a.png", "uri": "u"}, {"name": "b.pdf", "uri": "v"}]),
            2,
        ),
        (serde_json::json!(null), 0),
        (serde_json::json!("weird"), 0),
    ] {
        let c = chat(&vendor_with(
            serde_json::json!({"attachment": value}),
            serde_json::json!({}),
        ));
        assert_eq!(c.attachments.len(), n);
    }
    let c = chat(&vendor_with(
        serde_json::json!({"attachments": [{"name": "c.txt", "uri": "w"}]}),
        serde_json::json!({}),
    ));
    assert_eq!(c.attachments[0].name.as_deref(), Some("c.txt"));
}

#[test]
fn status_and_rating_variants() {
    for (status, want) in [
        (serde_json::json!("2"), Some(2)),
        (serde_json::json!(14), Some(14)),
        (serde_json::json!(" 9 "), Some(9)),
        (serde_json::json!(null), None),
        (serde_json::json!("x"), None),
    ] {
        let c = chat(&vendor_with(
            serde_json::json!({}),
            serde_json::json!({"status": status}),
        ));
        assert_eq!(c.visitor.status.map(|s| s.0), want);
    }
    assert_eq!(Status(14).label(), "14");
    for (rating, want) in [
        (serde_json::json!("-1"), None),
        (serde_json::json!("5"), Some(5)),
        (serde_json::json!(3), Some(3)),
        (serde_json::json!(""), None),
        (serde_json::json!(null), None),
        (serde_json::json!("9"), None),
        (serde_json::json!(-1), None),
    ] {
        let c = chat(&vendor_with(
            serde_json::json!({"rating": rating}),
            serde_json::json!({}),
        ));
        assert_eq!(c.rating, want, "{rating}");
    }
}

#[test]
fn dates_with_offset_suffix_do_not_shift() {
    let c = chat(&vendor_with(
        serde_json::json!({"start_time": "/Date(1584415801019+0800)/", "end_time": "/Date(1584416219323-0500)/"}),
        serde_json::json!({}),
    ));
    assert_eq!(c.duration_secs(), Some(418));
    assert_eq!(
        c.started_at.map(rfc3339).as_deref(),
        Some("2020-03-17T03:30:01Z")
    );
    let c = chat(&vendor_with(
        serde_json::json!({"start_time": "/Date(-62135596800000)/", "end_time": ""}),
        serde_json::json!({}),
    ));
    assert_eq!(
        (c.started_at, c.ended_at, c.duration_secs()),
        (None, None, None)
    );
    let c = chat(&vendor_with(
        serde_json::json!({"start_time": 1584415801019_i64, "end_time": "2020-03-17T03:36:59.323Z"}),
        serde_json::json!({}),
    ));
    assert_eq!(c.duration_secs(), Some(418));
}

#[test]
fn singular_and_plural_keys_both_load() {
    let c = chat(&vendor_with(
        serde_json::json!({
            "custom_variable": null,
            "custom_variables": [{"name": "plan", "value": "gold"}],
            "operator_comment": null,
            "agent_comment": "called back",
            "wrap_up": null,
            "wrapup": {"category": "Billing: Refund", "comment": "ok", "fields": [{"field_id": 3, "name": "Order", "value": "A1"}]},
            "custom_fields": [{"field_id": 12, "name": "Order", "value": "778"}],
        }),
        serde_json::json!({"custom_variable": [{"name": "x", "value": "y"}], "custom_variables": null}),
    ));
    assert_eq!(c.custom_variables[0].value.as_deref(), Some("gold"));
    assert_eq!(c.visitor.custom_variables[0].name.as_deref(), Some("x"));
    assert_eq!(c.agent_comment.as_deref(), Some("called back"));
    let w = c.wrap_up.expect("wrapup spelling");
    assert_eq!(w.category.as_deref(), Some("Billing: Refund"));
    assert_eq!(w.fields[0].id.as_deref(), Some("3"));
    assert_eq!(c.custom_fields[0].id.as_deref(), Some("12"));
}

#[test]
fn department_prefers_chat_name_then_visitor_id() {
    let c = chat(&vendor_with(
        serde_json::json!({"department": null}),
        serde_json::json!({}),
    ));
    assert_eq!(c.department.as_deref(), Some("1165"));
    let c = chat(&vendor_with(
        serde_json::json!({"department": 42}),
        serde_json::json!({}),
    ));
    assert_eq!(c.department.as_deref(), Some("42"));
}

#[test]
fn wrong_types_never_lose_the_chat() {
    let c = chat(&vendor_with(
        serde_json::json!({
            "waiting_time": ["no"], "rating": {"x": 1}, "start_time": true,
            "operators": [1, null, {"display_name": ""}, {"display_name": "Kim"}],
            "chat_transcript": 5, "brand_new_field": {"deep": [1, 2, 3]},
        }),
        serde_json::json!({"name": null, "visits": "7", "page_views": 1.0, "status": [9]}),
    ));
    assert_eq!(c.wait_secs, None);
    assert_eq!(c.rating, None);
    assert_eq!(c.started_at, None);
    let names: Vec<&str> = c.agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["1", "Kim"]);
    assert_eq!(
        c.visitor_name(),
        Some("testName"),
        "falls back to chat.name"
    );
    assert_eq!(c.visitor.visits, Some(7));
    assert_eq!(c.visitor.page_views, Some(1));
    assert_eq!(c.visitor.status, None);
}

#[test]
fn other_events_are_skipped_not_errors() {
    for body in [
        r#"{"event":"chat_started","visitor":{"id":1}}"#,
        r#"{"event":"chat_transferred","chat":{"id":"a"}}"#,
        r#"{"event":"chat_wrapped_up","visitor":{"id":1},"wrapup":{"category":"x"}}"#,
        r#"{"event":"online","operator_id":1}"#,
        r#"{"TicketId":5,"Subject":"x"}"#,
    ] {
        assert!(
            matches!(parse_body_str(body, "f"), Ok(Body::Skipped(_))),
            "{body}"
        );
    }
}

#[test]
fn non_objects_and_broken_json_are_reported() {
    assert!(matches!(parse_body_str("[1,2]", "f"), Ok(Body::Invalid(_))));
    assert!(matches!(parse_body_str("42", "f"), Ok(Body::Invalid(_))));
    assert!(matches!(
        parse_body_str(r#"{"event":"chat_ended"}"#, "f"),
        Ok(Body::Invalid(_))
    ));
    assert!(parse_body_str(r#"{"event":"chat_ended","chat":{"#, "f").is_err());
    let deep = "[".repeat(100_000);
    assert!(matches!(parse_body_str(&deep, "f"), Ok(Body::Invalid(_))));
    // A valid chat whose unknown extra field nests absurdly deep is refused too.
    let deep_field = format!(
        r#"{{"event":"chat_ended","visitor":{{}},"chat":{{"id":"d","x":{}{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(
        matches!(parse_body_str(&deep_field, "f"), Ok(Body::Invalid(r)) if r.contains("nested too deeply"))
    );
    // Brackets inside strings do not count, escaped quotes do not end a string.
    let in_text = format!(
        r#"{{"event":"chat_ended","visitor":{{}},"chat":{{"id":"s","chat_transcript":"{}\"{}"}}}}"#,
        "[".repeat(500),
        "{".repeat(500)
    );
    assert!(matches!(parse_body_str(&in_text, "f"), Ok(Body::Chat(_))));
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let body = r#"{"event":"chat_ended","chat":{"id":"a","id":"b","rating":"4"},"visitor":{}}"#;
    let c = chat(body);
    assert_eq!(c.id, "b");
    assert_eq!(c.rating, Some(4));
}

#[test]
fn numbers_out_of_range_cost_only_their_field() {
    let c = chat(
        &vendor_with(
            serde_json::json!({"id": 1, "rating": 5, "waiting_time": 3}),
            serde_json::json!({"visits": 2}),
        )
        .replace(r#""id":1,"#, r#""id":18446744073709551617,"#)
        .replace(r#""rating":5"#, r#""rating":1e309"#)
        .replace(r#""waiting_time":3"#, r#""waiting_time":-1e999"#)
        .replace(
            r#""visits":2"#,
            r#""visits":123456789012345678901234567890"#,
        ),
    );
    assert_eq!(c.id, "18446744073709551617");
    assert_eq!(c.rating, None);
    assert_eq!(c.wait_secs, None);
    assert_eq!(c.visitor.visits, None);
    assert!(!c.transcript.is_empty(), "the rest of the chat is read");
    // Two ids that differ beyond 64 bits stay two chats; so do two below -2^63.
    for (a, b) in [
        ("18446744073709551616", "18446744073709551617"),
        ("-9223372036854775809", "-9223372036854775810"),
    ] {
        let body = |id: &str| format!(r#"{{"event":"chat_ended","chat":{{"id":{id}}}}}"#);
        assert_eq!(chat(&body(a)).id, a);
        assert_eq!(chat(&body(b)).id, b);
    }
}

#[test]
fn lone_surrogate_escapes_become_replacement_characters() {
    let body = r#"{"event":"chat_ended","visitor":{"name":"Bad\ud800Name"},
        "chat":{"id":"s1","chat_transcript":"[03:30:01] Bad\ud800Name: hi \udc00 there \ud83d\ude00"}}"#;
    let c = chat(body);
    assert_eq!(c.visitor.name.as_deref(), Some("Bad\u{FFFD}Name"));
    assert_eq!(c.transcript.len(), 1);
    assert_eq!(c.transcript[0].text, "hi \u{FFFD} there \u{1F600}");
    assert_eq!(c.transcript[0].speaker.as_deref(), Some("Bad\u{FFFD}Name"));
}

#[test]
fn negative_durations_and_absurd_waits_are_unknown() {
    for (end, wait, dur, secs) in [
        ("2020-03-17T03:23:02Z", "99999999999h", None, None),
        ("2020-03-17T03:36:59Z", "1e300", Some(418), None),
        (
            "2020-03-17T03:36:59Z",
            "18446744073709551615",
            Some(418),
            None,
        ),
        ("2021-03-18T03:30:01Z", "366d", None, None),
        (
            "2021-03-17T03:30:01Z",
            "365d",
            Some(365 * 86_400),
            Some(365 * 86_400),
        ),
        ("2020-03-17T03:36:59Z", "1h 2m", Some(418), Some(3720)),
    ] {
        let c = chat(&vendor_with(
            serde_json::json!({"start_time": "2020-03-17T03:30:01Z", "end_time": end, "waiting_time": wait}),
            serde_json::json!({}),
        ));
        assert_eq!(c.duration_secs(), dur, "{end}");
        assert_eq!(c.wait_secs, secs, "{wait}");
        assert_eq!(c.waiting_time.as_deref(), Some(wait), "kept as written");
        let row = crate::model::ChatSummary::from_chat(&c);
        assert_eq!(row.duration_secs(), dur);
    }
}

#[test]
fn huge_lists_are_capped_and_said_so() {
    let ops = vec!["1"; 5000].join(",");
    let fields = vec![r#"{"name":"f","value":"v"}"#; 3000].join(",");
    let pieces = "a⊙".repeat(150_000);
    let body = format!(
        r#"{{"event":"chat_ended","visitor":{{"custom_fields":[{fields}]}},
        "chat":{{"id":"big","operators":[{ops}],"agents":"x,y","attachments":[{fields}],
        "chat_transcript":"{pieces}"}}}}"#
    );
    let c = chat(&body);
    assert_eq!(c.agents.len(), lenient::MAX_AGENTS);
    assert_eq!(c.visitor.custom_fields.len(), lenient::MAX_ITEMS);
    assert_eq!(c.transcript.len(), transcript::MAX_PIECES);
    assert_eq!(
        c.limits,
        [
            "kept the first 1000 of 3000 custom fields (more are not read)",
            "kept the first 1000 of 3000 attachments (more are not read)",
            "kept the first 100 of 5002 agents (more are not read)",
            "kept the first 100000 transcript pieces of 150001 (more are not read)",
        ]
    );
    // A plain string of names is capped the same way.
    let c = chat(&format!(
        r#"{{"event":"chat_ended","chat":{{"id":"s","operators":"{ops}"}}}}"#
    ));
    assert_eq!(c.agents.len(), lenient::MAX_AGENTS);
    assert_eq!(
        c.limits,
        ["kept the first 100 of 5000 agents (more are not read)"]
    );
    // Ordinary chats carry no note.
    assert!(chat(VENDOR).limits.is_empty());
}

#[test]
fn a_repeated_key_does_not_lift_the_caps() {
    let ops = vec!["1"; 5000].join(",");
    let c = chat(&format!(
        r#"{{"event":"chat_ended","chat":{{"id":"a","id":"b","operators":[{ops}]}}}}"#
    ));
    assert_eq!(c.id, "b");
    assert_eq!(c.agents.len(), lenient::MAX_AGENTS);
    assert_eq!(
        c.limits,
        [
            "kept the first 100 of 1000 agents (more are not read)",
            "lists cut at 1000 items (4000 more are not read)",
        ]
    );
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = parse_body(&bytes, "f");
    }

    #[test]
    fn random_json_shapes_never_panic(s in r#"\{"event":"chat_ended","chat":\{"(id|rating|operators|start_time|chat_transcript)":("[a-z0-9 :⊙\[\]]*"|[0-9]+|null|\[\]|\{\})\}\}"#) {
        let _ = parse_body_str(&s, "f");
    }
}

/// The envelope of a real `chat_wrapped_up` webhook, both spellings, GUID and integer ids.
#[test]
fn wrap_up_events_name_their_chat_and_carry_the_wrap_up() {
    let guid = r#"{
        "event": "chat_wrapped_up",
        "chat_id": "6d1b1f8e-5c3a-4f0e-9a51-2b7e8c9d0a11",
        "visitor": {"id": "0f2b", "name": "Lisa Green", "chat_id": "other"},
        "wrapup": {
            "category": "Billing: Refund",
            "comment": "Refund approved for order 80890",
            "fields": [{"field_id": 12, "name": "Order", "value": "80890"}],
            "time": "/Date(1584416400000+0800)/"
        }
    }"#;
    let Ok(Body::WrapUp { chat_id, wrap_up }) = parse_body_str(guid, "f") else {
        panic!("a wrap-up event");
    };
    assert_eq!(chat_id, "6d1b1f8e-5c3a-4f0e-9a51-2b7e8c9d0a11");
    assert_eq!(wrap_up.category.as_deref(), Some("Billing: Refund"));
    assert_eq!(
        wrap_up.comment.as_deref(),
        Some("Refund approved for order 80890")
    );
    assert_eq!(wrap_up.fields[0].id.as_deref(), Some("12"));
    assert_eq!(wrap_up.fields[0].value.as_deref(), Some("80890"));
    assert_eq!(
        wrap_up.time.map(|t| t.timestamp_millis()),
        Some(1_584_416_400_000)
    );
    // The misspelling, an integer id given only in `visitor.chat_id`, `wrap_up` spelt so.
    let int = r#"{"event":"chat_wraped_up","visitor":{"chat_id":1098},
        "wrap_up":{"category":"Sales: Quote","comment":"","fields":[],"time":""}}"#;
    let Ok(Body::WrapUp { chat_id, wrap_up }) = parse_body_str(int, "f") else {
        panic!("the misspelt event");
    };
    assert_eq!(chat_id, "1098");
    assert_eq!(wrap_up.category.as_deref(), Some("Sales: Quote"));
    assert_eq!((wrap_up.comment, wrap_up.time), (None, None));
    // An empty one is still an event (it is counted, and never replaces a filled one).
    let empty = r#"{"event":"Chat_Wrapped_Up","chat_id":42,"wrapup":null}"#;
    let Ok(Body::WrapUp { chat_id, wrap_up }) = parse_body_str(empty, "f") else {
        panic!("an empty wrap-up event");
    };
    assert_eq!((chat_id.as_str(), wrap_up.is_empty()), ("42", true));
}
