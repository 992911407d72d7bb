use super::*;
use crate::model::shown::Zone;
use crate::model::{Attachment, Visitor, WrapUp};

/// A chat with every part the two old renderers disagreed on.
fn rich() -> Chat {
    Chat {
        id: "c1".into(),
        visitor: Visitor {
            name: Some("Ana".into()),
            custom_variables: vec![Field {
                id: None,
                name: Some("plan".into()),
                value: Some("gold".into()),
            }],
            ..Visitor::default()
        },
        wait_secs: Some(u64::MAX),
        attachments: vec![Attachment {
            name: Some("invoice.pdf".into()),
            uri: Some("https://files.example/invoice.pdf".into()),
        }],
        wrap_up: Some(WrapUp {
            category: Some("Billing".into()),
            comment: None,
            fields: vec![Field {
                id: Some("7".into()),
                name: None,
                value: Some("refund issued".into()),
            }],
            time: None,
        }),
        ..Chat::default()
    }
}

fn find(s: &[Section], part: Part) -> Option<&Section> {
    s.iter().find(|x| x.part == part)
}

fn value<'a>(s: &'a [Section], part: Part, label: &str) -> Option<&'a str> {
    find(s, part)?
        .items
        .iter()
        .find(|i| i.label == label)
        .map(|i| i.value.as_str())
}

#[test]
fn visitor_custom_variables_wrap_up_fields_and_attachment_links_are_listed() {
    let s = sections(&rich(), None, &Zone::Utc, None);
    assert_eq!(value(&s, Part::CustomVariables, "plan"), Some("gold"));
    assert_eq!(value(&s, Part::WrapUp, "Category"), Some("Billing"));
    assert_eq!(value(&s, Part::WrapUp, "7"), Some("refund issued"));
    assert_eq!(
        value(&s, Part::Attachments, "invoice.pdf"),
        Some("https://files.example/invoice.pdf")
    );
}

#[test]
fn a_wait_too_large_for_seconds_is_unknown_not_a_huge_number() {
    let s = sections(&rich(), None, &Zone::Utc, None);
    assert_eq!(value(&s, Part::Chat, "Wait"), None);
    let mut c = rich();
    c.wait_secs = Some(65);
    assert_eq!(
        value(&sections(&c, None, &Zone::Utc, None), Part::Chat, "Wait"),
        Some("1m 05s")
    );
}

#[test]
fn empty_fields_and_sections_are_left_out() {
    let s = sections(&Chat::default(), None, &Zone::Utc, None);
    let parts: Vec<Part> = s.iter().map(|x| x.part).collect();
    assert_eq!(parts, [Part::Visitor, Part::Chat, Part::Rating]);
    assert_eq!(value(&s, Part::Visitor, "Name"), Some("Visitor"));
    assert_eq!(value(&s, Part::Chat, "Agents"), Some("(none: missed)"));
    assert_eq!(value(&s, Part::Rating, "Rating"), Some("not rated"));
    assert!(s
        .iter()
        .all(|x| x.items.iter().all(|i| !i.value.is_empty())));
}

#[test]
fn source_is_shown_when_given() {
    let src = Source {
        path: "2020/a.jsonl".into(),
        line: Some(3),
    };
    let s = sections(&rich(), Some(&src), &Zone::Utc, None);
    assert_eq!(value(&s, Part::Chat, "Source"), Some("2020/a.jsonl:3"));
}

#[test]
fn review_times_name_their_zone() {
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T23:31:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let r = ChatReview {
        tags: vec!["coaching".into()],
        notes: vec![crate::review::Note {
            text: "call back".into(),
            author: "lead1".into(),
            at,
        }],
        reviewed: Some(crate::review::Mark {
            author: "lead1".into(),
            at,
        }),
        ..Default::default()
    };
    let value = |s: &Section, label: &str| {
        s.items
            .iter()
            .find(|i| i.label == label)
            .map(|i| i.value.clone())
            .unwrap()
    };
    let utc = review(&r, &Zone::Utc);
    assert_eq!(value(&utc, "Reviewed"), "✓ lead1, 2026-12-07 23:31 UTC");
    assert_eq!(
        value(&utc, "Note"),
        "call back — lead1, 2026-12-07 23:31 UTC"
    );
    let paris = review(&r, &Zone::Named(chrono_tz::Europe::Paris));
    assert_eq!(
        value(&paris, "Reviewed"),
        "✓ lead1, 2026-12-08 00:31 Europe/Paris"
    );
    // Under `--tz visitor` a review time is nobody's visitor time: UTC, and says so.
    assert!(value(&review(&r, &Zone::Visitor), "Reviewed").ends_with(" UTC"));
}

/// A chat whose agent answers the second visitor turn 3m 10s late.
fn slow_chat() -> Chat {
    use crate::model::{Agent, Entry, SpeakerKind};
    let at = |hms: &str| {
        chrono::DateTime::parse_from_rfc3339(&format!("2024-03-01T{hms}Z"))
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let entry = |kind: SpeakerKind, who: &str, hms: &str| Entry {
        kind,
        speaker: Some(who.into()),
        time: None,
        at: at(hms),
        text: "text".into(),
    };
    Chat {
        started_at: at("10:00:00"),
        agents: vec![Agent {
            name: "Walid".into(),
            ..Agent::default()
        }],
        transcript: vec![
            entry(SpeakerKind::Bot, "Comm100 Bot", "10:00:05"),
            entry(SpeakerKind::Visitor, "Ana", "10:00:10"),
            entry(SpeakerKind::Agent, "Walid", "10:00:30"),
            entry(SpeakerKind::Visitor, "Ana", "10:01:00"),
            entry(SpeakerKind::Agent, "Walid", "10:04:10"),
            entry(SpeakerKind::Visitor, "Ana", "10:05:00"),
        ],
        ..Chat::default()
    }
}

#[test]
fn the_chat_section_says_who_answered_how_fast_and_whether_the_levels_held() {
    let chat = slow_chat();
    let s = sections(&chat, None, &Zone::Utc, None);
    assert_eq!(
        value(&s, Part::Chat, "Responders"),
        Some("Comm100 Bot → Walid")
    );
    assert_eq!(
        value(&s, Part::Chat, "Replies"),
        Some("p50 3m 10s · max 3m 10s · 1 reply, 1 unanswered")
    );
    assert_eq!(value(&s, Part::Chat, "Last from"), Some("visitor"));
    assert_eq!(value(&s, Part::Chat, "SLA"), None, "no levels, no SLA line");
    let slow = Sla {
        reply: Some(120),
        ..Sla::default()
    };
    let s = sections(&chat, None, &Zone::Utc, Some(&slow));
    assert_eq!(value(&s, Part::Chat, "SLA"), Some("breached (1)"));
    let lenient = Sla {
        first_response: Some(60),
        reply: Some(300),
        ..Sla::default()
    };
    let s = sections(&chat, None, &Zone::Utc, Some(&lenient));
    assert_eq!(value(&s, Part::Chat, "SLA"), Some("met"));
    let unmeasured = sections(&Chat::default(), None, &Zone::Utc, Some(&slow));
    assert_eq!(value(&unmeasured, Part::Chat, "SLA"), None);
}
