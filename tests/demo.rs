//! The demo spool is the first thing a new user sees: its chats must read like conversations
//! and keep showing what assets/README.md says they show. (The counts are checked against the
//! generator's manifest in tests/fixtures.rs.)

mod support;

use chatspool::model::{Chat, SpeakerKind};
use chatspool::spool;
use std::collections::HashSet;
use std::path::PathBuf;

fn demo() -> Vec<Chat> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-spool");
    support::isolate();
    let store = spool::load(&root, &|_, _| {}).unwrap();
    let mut chats: Vec<Chat> = store
        .chats()
        .iter()
        .map(|s| spool::load_chat(&root, &s.source, &s.id).unwrap())
        .collect();
    chats.sort_by(|a, b| a.id.cmp(&b.id));
    chats
}

fn by_id<'a>(chats: &'a [Chat], prefix: &str) -> &'a Chat {
    chats
        .iter()
        .find(|c| c.id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no chat {prefix}… in the demo"))
}

fn said(chat: &Chat) -> impl Iterator<Item = &chatspool::model::Entry> {
    chat.transcript
        .iter()
        .filter(|e| e.kind != SpeakerKind::System && e.speaker.is_some())
}

#[test]
fn nobody_repeats_their_previous_message() {
    for chat in demo() {
        let mut last: Vec<(&str, &str)> = Vec::new();
        for e in said(&chat) {
            let who = e.speaker.as_deref().unwrap();
            if let Some((_, before)) = last.iter().find(|(w, _)| *w == who) {
                assert_ne!(*before, e.text, "{}: {who} says it twice", chat.id);
            }
            last.retain(|(w, _)| *w != who);
            last.push((who, &e.text));
        }
    }
}

#[test]
fn the_demo_says_many_different_things() {
    let chats = demo();
    let texts: Vec<&str> = chats
        .iter()
        .flat_map(|c| said(c).map(|e| e.text.as_str()))
        .collect();
    let distinct: HashSet<&str> = texts.iter().copied().collect();
    assert!(texts.len() >= 400, "{} messages", texts.len());
    assert!(
        distinct.len() * 10 >= texts.len() * 6,
        "{} distinct texts over {} messages",
        distinct.len(),
        texts.len()
    );
}

/// Whether `c`, a letter that is not Latin, is in a writing system of `country`.
fn written_in(country: &str, c: char) -> bool {
    let han =
        matches!(c, '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}');
    match country {
        "China" => han,
        "Japan" => han || matches!(c, '\u{3040}'..='\u{30FF}'),
        "South Korea" => matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}'),
        "Egypt" | "United Arab Emirates" => matches!(c, '\u{0600}'..='\u{06FF}'),
        "Israel" => matches!(c, '\u{0590}'..='\u{05FF}'),
        "Russia" => matches!(c, '\u{0400}'..='\u{04FF}'),
        _ => false,
    }
}

#[test]
fn visitors_write_in_a_language_of_their_country() {
    let mut foreign = 0;
    for chat in demo() {
        let country = chat.visitor.country.as_deref().unwrap_or("");
        for e in said(&chat).filter(|e| e.kind == SpeakerKind::Visitor) {
            for c in e
                .text
                .chars()
                .filter(|c| c.is_alphabetic() && !c.is_ascii())
            {
                let latin = c <= '\u{024F}' || ('\u{1E00}'..='\u{1EFF}').contains(&c);
                let fits = latin || written_in(country, c);
                assert!(
                    fits,
                    "{}: a visitor in {country:?} writes {c:?}: {}",
                    chat.id, e.text
                );
                foreign += usize::from(!latin);
            }
        }
    }
    assert!(
        foreign > 0,
        "the demo should show visitors writing other scripts"
    );
}

/// What a visitor says when the chat is not going well.
const UNHAPPY: &[&str] = &[
    "still not working",
    "still the same",
    "still broken",
    "still no ",
    "same error",
    "didn't help",
    "not great",
    "long enough",
    "time for this",
    "took too long",
];

#[test]
fn ratings_follow_how_the_chat_went() {
    for chat in demo() {
        let Some(rating) = chat.rating else { continue };
        assert!(
            !chat.agents.is_empty(),
            "{}: rated without an agent",
            chat.id
        );
        if rating < 4 {
            continue;
        }
        for e in said(&chat).filter(|e| e.kind == SpeakerKind::Visitor) {
            let text = e.text.to_lowercase();
            let sour = UNHAPPY.iter().find(|w| text.contains(*w));
            assert!(sour.is_none(), "{}: {rating}★ after {:?}", chat.id, e.text);
        }
        let comment = chat.rating_comment.as_deref().unwrap_or("").to_lowercase();
        let sour = UNHAPPY.iter().find(|w| comment.contains(*w));
        assert!(sour.is_none(), "{}: {rating}★ with {comment:?}", chat.id);
    }
}

#[test]
fn the_chats_assets_readme_names_show_what_it_says() {
    let chats = demo();
    let hostile = by_id(&chats, "2d5ff2e3");
    let all: String = hostile.transcript.iter().map(|e| e.text.as_str()).collect();
    for attack in [
        "\u{1b}]0;",
        "\u{1b}[2J",
        "\u{202e}",
        "\u{1b}]52;",
        "\u{1b}]8;",
        "\r",
        "\u{9b}",
        "\u{7}",
        "[12:00:00] Walid:",
    ] {
        assert!(all.contains(attack), "hostile chat lacks {attack:?}");
    }
    assert!(
        said(by_id(&chats, "ea567c48")).count() >= 200,
        "the long chat"
    );
    let multi = said(by_id(&chats, "6c58a553"))
        .filter(|e| e.text.contains('\n'))
        .count();
    assert!(multi >= 1, "the multi-line chat");
    assert_eq!(by_id(&chats, "ee8ff644").agents.len(), 2, "the transfer");
    assert!(
        by_id(&chats, "cad48ab2").agents.is_empty(),
        "the missed chat"
    );
    let midnight = by_id(&chats, "14bd86bf");
    let days: HashSet<_> = said(midnight)
        .filter_map(|e| e.at.map(|t| t.date_naive()))
        .collect();
    assert_eq!(days.len(), 2, "the chat across midnight");
    let bot = by_id(&chats, "ee8db969");
    assert!(bot.agents.is_empty() && said(bot).any(|e| e.kind == SpeakerKind::Bot));
    let handover = by_id(&chats, "a562544c");
    let kinds: HashSet<_> = said(handover).map(|e| e.kind).collect();
    assert!(kinds.contains(&SpeakerKind::Bot) && kinds.contains(&SpeakerKind::Agent));
}
