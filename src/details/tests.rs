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
    let s = sections(&rich(), None, &Zone::Utc);
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
    let s = sections(&rich(), None, &Zone::Utc);
    assert_eq!(value(&s, Part::Chat, "Wait"), None);
    let mut c = rich();
    c.wait_secs = Some(65);
    assert_eq!(
        value(&sections(&c, None, &Zone::Utc), Part::Chat, "Wait"),
        Some("1m 05s")
    );
}

#[test]
fn empty_fields_and_sections_are_left_out() {
    let s = sections(&Chat::default(), None, &Zone::Utc);
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
    let s = sections(&rich(), Some(&src), &Zone::Utc);
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
