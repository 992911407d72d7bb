use super::*;
use proptest::prelude::*;

use SpeakerKind::{Agent as A, Bot as B, System as S, Visitor as V};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An entry of `kind` said by `who` at `when` (`"10:00:05"` on 2024-03-01 UTC, a full RFC 3339
/// instant, or `""` for none).
fn e(kind: SpeakerKind, who: &str, when: &str) -> Entry {
    let at = match when {
        "" => None,
        w if w.contains('T') => Some(t(w)),
        w => Some(t(&format!("2024-03-01T{w}Z"))),
    };
    Entry {
        kind,
        speaker: (kind != S).then(|| who.to_string()),
        time: None,
        at,
        text: "text".into(),
    }
}

fn start() -> Option<DateTime<Utc>> {
    Some(t("2024-03-01T09:59:00Z"))
}

#[test]
fn system_lines_do_not_break_a_visitor_turn() {
    let chat = [
        e(V, "Ann", "09:59:30"),
        e(A, "Walid", "10:00:00"),
        e(V, "Ann", "10:00:10"),
        e(S, "", "10:00:20"),
        e(V, "Ann", "10:00:40"),
        e(A, "Walid", "10:01:10"),
    ];
    let got = turns(&chat, start());
    assert_eq!(got.reply_count, 1);
    assert_eq!(
        got.reply_max_secs,
        Some(60),
        "from the turn's first message"
    );
    assert_eq!(got.reply_p50_secs, Some(60));
    assert_eq!(got.unanswered_turns, 0);
    assert_eq!(got.reply_secs(), vec![(5, Some(60))]);
    assert_eq!(got.replies[0].turn, 2);
    assert_eq!(got.last_from, Some(LastFrom::Agent));
    assert_eq!(
        got.first_response,
        Some((t("2024-03-01T09:59:00Z"), t("2024-03-01T10:00:00Z")))
    );
}

#[test]
fn a_bot_message_splits_turns_and_is_no_reply() {
    let chat = [
        e(A, "Walid", "10:00:00"),
        e(V, "Ann", "10:00:10"),
        e(B, "Comm100 Bot", "10:00:20"),
        e(V, "Ann", "10:00:30"),
        e(A, "Walid", "10:01:00"),
    ];
    let got = turns(&chat, start());
    // Two turns, both answered by the one agent message after them.
    assert_eq!(got.reply_count, 2);
    let secs: Vec<_> = got.replies.iter().map(|r| r.secs).collect();
    assert_eq!(secs, vec![Some(50), Some(30)]);
    assert_eq!(got.reply_max_secs, Some(50));
    assert_eq!(
        got.reply_p50_secs,
        Some(30),
        "nearest rank: the first of two"
    );
    // The message's own reply time is the longest wait it ended.
    assert_eq!(got.reply_secs(), vec![(4, Some(50))]);
    assert_eq!(
        got.bot,
        BotUse::Handoff,
        "a bot spoke after the agent: still both"
    );
    assert_eq!(got.responders, ["Walid", "Comm100 Bot"]);
}

#[test]
fn turns_before_the_first_agent_message_are_the_first_response_not_replies() {
    let chat = [
        e(V, "Ann", "09:59:10"),
        e(V, "Ann", "09:59:20"),
        e(A, "Walid", "10:00:00"),
        e(A, "Walid", "10:00:05"),
        e(V, "Ann", "10:00:30"),
        e(S, "", "10:05:00"),
    ];
    let got = turns(&chat, start());
    assert_eq!(got.reply_count, 0);
    assert_eq!((got.reply_p50_secs, got.reply_max_secs), (None, None));
    assert_eq!(got.unanswered_turns, 1, "the visitor's last question");
    assert_eq!(
        got.last_from,
        Some(LastFrom::Visitor),
        "system lines send nothing"
    );
    assert!(got.replies.is_empty());
}

#[test]
fn a_reply_across_midnight() {
    let chat = [
        e(A, "Walid", "2024-03-01T23:50:00Z"),
        e(V, "Ann", "2024-03-01T23:59:30Z"),
        e(A, "Walid", "2024-03-02T00:01:00Z"),
    ];
    assert_eq!(turns(&chat, start()).reply_max_secs, Some(90));
}

#[test]
fn reply_times_round_down_and_are_never_negative() {
    let chat = [
        e(A, "Walid", "10:00:00"),
        e(V, "Ann", "10:05:00"),
        e(A, "Walid", "10:04:00"),
        e(V, "Ann", "2024-03-01T10:06:00.900Z"),
        e(A, "Walid", "2024-03-01T10:06:02.100Z"),
    ];
    let got = turns(&chat, start());
    let secs: Vec<_> = got.replies.iter().map(|r| r.secs).collect();
    assert_eq!(secs, vec![Some(0), Some(1)]);
    assert_eq!(got.reply_max_secs, Some(1));
}

#[test]
fn no_agent_at_all() {
    let chat = [
        e(V, "Ann", "10:00:00"),
        e(B, "Comm100 Bot", "10:00:01"),
        e(V, "Ann", "10:00:30"),
        e(B, "Comm100 Bot", "10:00:31"),
        e(V, "Ann", "10:01:00"),
    ];
    let got = turns(&chat, start());
    assert_eq!((got.reply_count, got.unanswered_turns), (0, 0));
    assert_eq!(got.bot, BotUse::Only);
    assert_eq!(got.responders, ["Comm100 Bot"]);
    assert_eq!(got.transfers, 0);
    assert_eq!(got.last_from, Some(LastFrom::Visitor));
    assert_eq!(got.first_response, None);
}

#[test]
fn a_bot_hands_over_and_agents_transfer() {
    let chat = [
        e(B, "Comm100 Bot", "10:00:00"),
        e(V, "Ann", "10:00:10"),
        e(S, "", "10:00:15"),
        e(A, "Walid", "10:00:20"),
        e(V, "Ann", "10:00:30"),
        e(A, " PT: Jason ", "10:02:30"),
        e(V, "Ann", "10:03:00"),
        e(A, "Walid", "10:03:05"),
        e(B, "Comm100 Bot", "10:04:00"),
    ];
    let got = turns(&chat, start());
    assert_eq!(got.responders, ["Comm100 Bot", "Walid", "PT: Jason"]);
    assert_eq!(got.transfers, 1, "two agents in the list");
    assert_eq!(got.bot, BotUse::Handoff);
    assert_eq!(got.last_from, Some(LastFrom::Bot));
    let by: Vec<_> = got
        .replies
        .iter()
        .map(|r| (r.agent.as_str(), r.secs))
        .collect();
    assert_eq!(by, vec![("PT: Jason", Some(120)), ("Walid", Some(5))]);
    assert_eq!(got.reply_p50_secs, Some(5));
    assert_eq!(got.reply_max_secs, Some(120));
}

#[test]
fn three_agents_are_two_transfers() {
    let chat = [
        e(A, "Walid", "10:00:00"),
        e(A, "PT: Jason", "10:01:00"),
        e(A, "Walid", "10:02:00"),
        e(A, "Mia", "10:03:00"),
    ];
    let got = turns(&chat, start());
    assert_eq!(got.responders, ["Walid", "PT: Jason", "Mia"]);
    assert_eq!(got.transfers, 2);
    assert_eq!(got.bot, BotUse::None);
}

#[test]
fn thousands_of_agents_are_counted_once_each() {
    let chat: Vec<Entry> = (0..30_000)
        .map(|i| e(A, &format!("Agent {}", i % 20_000), "10:00:00"))
        .collect();
    let got = turns(&chat, start());
    assert_eq!(got.responders.len(), 20_000);
    assert_eq!(got.transfers, 19_999);
}

#[test]
fn a_turn_without_an_instant_is_answered_but_not_timed() {
    let chat = [
        e(A, "Walid", "10:00:00"),
        e(V, "Ann", ""),
        e(A, "Walid", "10:01:00"),
        e(V, "Ann", "10:02:00"),
        e(A, "Walid", ""),
        e(V, "Ann", "10:03:00"),
        e(A, "Walid", "10:03:40"),
    ];
    let got = turns(&chat, start());
    assert_eq!(got.reply_count, 3);
    assert_eq!(got.reply_max_secs, Some(40));
    assert_eq!(got.reply_p50_secs, Some(40));
    assert_eq!(got.reply_secs(), vec![(2, None), (4, None), (6, Some(40))]);
}

#[test]
fn an_empty_transcript() {
    let got = turns(&[], start());
    assert_eq!(got, Turns::default());
    assert_eq!(got.last_from, None);
}

#[test]
fn the_chat_method_reads_its_start() {
    let chat = Chat {
        started_at: start(),
        transcript: vec![e(V, "Ann", "09:59:10"), e(A, "Walid", "10:00:00")],
        ..Chat::default()
    };
    let got = chat.turns();
    let (from, to) = got.first_response.unwrap();
    assert_eq!(whole_secs(from, to), 60);
    assert_eq!(chat.first_response_secs(), Some(60));
}

/// The definitions spelled out one entry at a time, as a reader of `show --json` would.
fn plainly(entries: &[Entry]) -> (u32, Option<u32>, u32, Option<LastFrom>) {
    let first_agent = entries.iter().position(|e| e.kind == A);
    let (mut count, mut max, mut unanswered) = (0, None, 0);
    for (i, e) in entries.iter().enumerate() {
        let before = entries[..i].iter().rev().find(|p| p.kind != S);
        let starts_turn = e.kind == V && before.is_none_or(|p| p.kind != V);
        if !starts_turn || first_agent.is_none_or(|f| i < f) {
            continue;
        }
        match entries[i..].iter().find(|r| r.kind == A) {
            None => unanswered += 1,
            Some(r) => {
                count += 1;
                if let (Some(a), Some(b)) = (e.at, r.at) {
                    let ms = (b - a).num_milliseconds();
                    let secs = if ms <= 0 { 0 } else { (ms / 1000) as u32 };
                    max = Some(max.map_or(secs, |m: u32| m.max(secs)));
                }
            }
        }
    }
    let last = entries
        .iter()
        .rev()
        .find(|e| e.kind != S)
        .map(|e| match e.kind {
            A => LastFrom::Agent,
            B => LastFrom::Bot,
            _ => LastFrom::Visitor,
        });
    (count, max, unanswered, last)
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        0..4u8,
        0..3usize,
        proptest::option::weighted(0.9, 0i64..200_000_000),
    )
        .prop_map(|(k, n, ms)| {
            let kind = [A, V, B, S][k as usize];
            let mut e = e(kind, ["Walid", "PT: Jason", "Comm100 Bot"][n], "");
            e.at = ms.map(|ms| DateTime::from_timestamp_millis(1_709_251_200_000 + ms).unwrap());
            e
        })
}

proptest! {
    #[test]
    fn agrees_with_a_plain_recomputation(entries in proptest::collection::vec(entry(), 0..40)) {
        let got = turns(&entries, start());
        let (count, max, unanswered, last) = plainly(&entries);
        prop_assert_eq!(got.reply_count, count);
        prop_assert_eq!(got.reply_max_secs, max);
        prop_assert_eq!(got.unanswered_turns, unanswered);
        prop_assert_eq!(got.last_from, last);
        prop_assert!(got.reply_p50_secs <= got.reply_max_secs);
        prop_assert_eq!(got.replies.len() as u32, got.reply_count);
        prop_assert!(got.replies.iter().all(|r| entries[r.entry].kind == A && r.turn < r.entry));
    }

    /// The packed figures a list row keeps say what the full computation says.
    #[test]
    fn the_packed_figures_say_the_same(entries in proptest::collection::vec(entry(), 0..40)) {
        let full = turns(&entries, start());
        let packed = super::figures::TurnFigures::of(&full);
        prop_assert_eq!(packed.reply_count(), full.reply_count);
        prop_assert_eq!(packed.reply_p50_secs(), full.reply_p50_secs);
        prop_assert_eq!(packed.reply_max_secs(), full.reply_max_secs);
        prop_assert_eq!(packed.unanswered_turns(), full.unanswered_turns);
        prop_assert_eq!(packed.last_from(), full.last_from);
        prop_assert_eq!(packed.transfers(), full.transfers);
        prop_assert_eq!(packed.bot(), full.bot);
        let names: Vec<&str> = packed.responders().iter().map(|r| &**r).collect();
        prop_assert_eq!(names, full.responders.iter().map(String::as_str).collect::<Vec<_>>());
        for (mark, reply) in packed.replies.iter().zip(&full.replies) {
            prop_assert_eq!(packed.replier(*mark), (!reply.agent.is_empty()).then_some(&*reply.agent));
            prop_assert_eq!(mark.secs(), reply.secs);
        }
    }
}

#[test]
fn from_a_parsed_transcript() {
    use crate::model::transcript::{parse, Participants};
    let raw = "[23:58:00] Comm100 Bot: Hi! How can I help?⊙\
        [23:58:10] Ann: a person please⊙\
        Agent Walid has joined the chat.⊙\
        [23:58:40] Walid: Hello Ann⊙\
        [23:59:30] Ann: my order⊙is late\nand wrong⊙\
        Agent PT: Jason has joined the chat.⊙\
        [00:01:00] PT: Jason: Let me look⊙\
        [00:01:30] Ann: thanks⊙\
        The chat is ended.(00:02:00)⊙";
    let who = Participants {
        agents: vec!["Walid", "PT: Jason"],
        visitor: Some("Ann"),
    };
    let started = Some(t("2024-03-01T23:57:50Z"));
    let entries = parse(raw, &who, started);
    let got = turns(&entries, started);
    assert_eq!(
        got.responders,
        ["Comm100 Bot", "Walid", "PT: Jason"],
        "{entries:#?}"
    );
    assert_eq!((got.transfers, got.bot), (1, BotUse::Handoff));
    assert_eq!(got.reply_count, 1);
    assert_eq!(
        got.reply_max_secs,
        Some(90),
        "23:59:30 to 00:01:00 the next day"
    );
    assert_eq!(got.replies[0].agent, "PT: Jason");
    assert_eq!(got.unanswered_turns, 1);
    assert_eq!(got.last_from, Some(LastFrom::Visitor));
    let (from, to) = got.first_response.unwrap();
    assert_eq!(whole_secs(from, to), 50);
}
