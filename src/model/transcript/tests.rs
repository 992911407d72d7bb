use super::lines::{clock, stamp, system, Role};
use super::names::looks_like_bot;
use super::*;
use chrono::TimeZone;
use proptest::prelude::*;
use SpeakerKind::{Agent, Bot, System as Sys, Visitor};

fn who<'a>(agents: &[&'a str], visitor: Option<&'a str>) -> Participants<'a> {
    Participants {
        agents: agents.to_vec(),
        visitor,
    }
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// The parts of an entry most tests check: kind, speaker, clock, text.
fn brief(e: &Entry) -> (SpeakerKind, Option<&str>, Option<&str>, &str) {
    (
        e.kind,
        e.speaker.as_deref(),
        e.time.as_deref(),
        e.text.as_str(),
    )
}

fn briefs(entries: &[Entry]) -> Vec<(SpeakerKind, Option<&str>, Option<&str>, &str)> {
    entries.iter().map(brief).collect()
}

fn ats(entries: &[Entry]) -> Vec<Option<DateTime<Utc>>> {
    entries.iter().map(|e| e.at).collect()
}

const VENDOR: &str = "Agent Walid has joined the chat.⊙[03:30:01] Walid: testName thank you for contacting us! How may I help you?⊙It's been a while since your last response. Please respond within the next few minutes or this chat will be ended.⊙The visitor has left the chat.⊙The chat is ended.(03:36:59)⊙";

#[test]
fn vendor_sample_exactly() {
    let start = DateTime::from_timestamp_millis(1_584_415_801_019);
    let got = parse(VENDOR, &who(&["Walid"], Some("testName")), start);
    let sys = |text: &str, time: Option<&str>, at| Entry {
        kind: Sys,
        speaker: None,
        time: time.map(str::to_string),
        at,
        text: text.to_string(),
    };
    let want = vec![
        sys("Agent Walid has joined the chat.", None, None),
        Entry {
            kind: Agent,
            speaker: Some("Walid".into()),
            time: Some("03:30:01".into()),
            at: Some(utc(2020, 3, 17, 3, 30, 1)),
            text: "testName thank you for contacting us! How may I help you?".into(),
        },
        sys(
            "It's been a while since your last response. Please respond within the next few minutes or this chat will be ended.",
            None,
            None,
        ),
        sys("The visitor has left the chat.", None, None),
        sys(
            "The chat is ended.(03:36:59)",
            Some("03:36:59"),
            Some(utc(2020, 3, 17, 3, 36, 59)),
        ),
    ];
    assert_eq!(got, want);
}

#[test]
fn same_entries_with_bullets_newlines_and_crlf() {
    let lines = [
        "Agent Walid has joined the chat.",
        "[03:30:01] Walid: Hello: how may I help?",
        "[03:30:09] testName: I need help",
        "The visitor has left the chat.",
    ];
    let start = Some(utc(2020, 3, 17, 3, 30, 0));
    let p = who(&["Walid"], Some("testName"));
    let bullets = parse(&lines.join("⊙"), &p, start);
    let newlines = parse(&lines.join("\n"), &p, start);
    let crlf = parse(&(lines.join("\r\n") + "\r\n"), &p, start);
    assert_eq!(bullets.len(), 4);
    assert_eq!(
        brief(&bullets[2]),
        (Visitor, Some("testName"), Some("03:30:09"), "I need help")
    );
    assert_eq!(bullets, newlines);
    assert_eq!(bullets, crlf);
}

#[test]
fn trailing_and_empty_entries_are_dropped() {
    let p = who(&["Walid"], None);
    for raw in [
        "[01:00:00] Walid: hi⊙",
        "⊙[01:00:00] Walid: hi⊙ ⊙\n⊙",
        "\n[01:00:00] Walid: hi\n\n\r\n  \n",
    ] {
        let got = parse(raw, &p, None);
        assert_eq!(
            briefs(&got),
            vec![(Agent, Some("Walid"), Some("01:00:00"), "hi")],
            "{raw:?}"
        );
    }
}

#[test]
fn empty_transcripts_give_no_entries() {
    for raw in ["", "   ", "⊙", "⊙⊙ ⊙", "\n\n", "\r\n"] {
        assert_eq!(parse(raw, &who(&[], None), None), vec![], "{raw:?}");
    }
}

#[test]
fn bullet_messages_keep_their_lines_whole() {
    let raw = "Comm100 Bot has joined the chat.⊙[10:00:00] Comm100 Bot: Choose one:\n[Sales]\n\n[Support]\nAgent X has joined the chat.⊙[10:00:05] Visitor: [Sales]⊙";
    let got = parse(raw, &who(&[], None), None);
    assert_eq!(
        briefs(&got)[1..],
        [
            (
                Bot,
                Some("Comm100 Bot"),
                Some("10:00:00"),
                "Choose one:\n[Sales]\n\n[Support]\nAgent X has joined the chat."
            ),
            (Visitor, Some("Visitor"), Some("10:00:05"), "[Sales]"),
        ]
    );
}

#[test]
fn newline_transcripts_continue_messages() {
    let raw = "Comm100 Bot has joined the chat.\r\n\
               [10:00:00] Comm100 Bot: Choose one\r\n\
               [Sales]\r\n\
               \r\n\
               \x20 [Support]  \r\n\
               \r\n\
               Agent Walid has joined the chat.\r\n\
               [10:00:09] Walid: hi\r\n\
               second line: with a colon\r\n\
               The chat is ended.(10:05:00)\r\n\
               stray line after the end\r\n";
    let got = parse(raw, &who(&[], None), None);
    assert_eq!(
        briefs(&got),
        vec![
            (Sys, None, None, "Comm100 Bot has joined the chat."),
            (
                Bot,
                Some("Comm100 Bot"),
                Some("10:00:00"),
                "Choose one\n[Sales]\n\n  [Support]"
            ),
            (Sys, None, None, "Agent Walid has joined the chat."),
            (
                Agent,
                Some("Walid"),
                Some("10:00:09"),
                "hi\nsecond line: with a colon"
            ),
            (Sys, None, Some("10:05:00"), "The chat is ended.(10:05:00)"),
            (Sys, None, None, "stray line after the end"),
        ]
    );
}

#[test]
fn a_message_may_start_on_its_second_line() {
    let got = parse(
        "[10:00:00] Sam:\n\n  first\n\nsecond",
        &who(&["Sam"], None),
        None,
    );
    assert_eq!(
        briefs(&got),
        vec![(Agent, Some("Sam"), Some("10:00:00"), "  first\n\nsecond")]
    );
}

#[test]
fn unstamped_line_before_any_message_is_a_system_line() {
    let got = parse(
        "Bienvenue !\nAgent Walid has joined the chat.\nMerci.",
        &who(&[], None),
        None,
    );
    assert_eq!(
        briefs(&got),
        vec![
            (Sys, None, None, "Bienvenue !"),
            (Sys, None, None, "Agent Walid has joined the chat."),
            (Sys, None, None, "Merci."),
        ]
    );
}

#[test]
fn a_continuation_follows_a_stamped_line_without_speaker() {
    let got = parse(
        "[10:00:00] Chat transferred\nto Sales",
        &who(&[], None),
        None,
    );
    assert_eq!(
        briefs(&got),
        vec![(Sys, None, Some("10:00:00"), "Chat transferred\nto Sales")]
    );
}

#[test]
fn speaker_names_with_colons_dashes_parentheses() {
    let p = who(
        &[
            "PT: Jason",
            "Henry - Comm100",
            "Francis - Comm100 ( Training )",
        ],
        Some("10.0.0.7"),
    );
    let raw = "[09:00:00] PT: Jason: Hi: welcome⊙\
               [09:00:01] Henry - Comm100: ok - sure⊙\
               [09:00:02] Francis - Comm100 ( Training ): (aside) fine⊙\
               [09:00:03] 10.0.0.7: my IP: is this⊙\
               [09:00:04] 2001:db8::1: unknown IPv6 visitor⊙\
               [09:00:05] 192.168.0.1: unknown IPv4 visitor";
    assert_eq!(
        briefs(&parse(raw, &p, None)),
        vec![
            (Agent, Some("PT: Jason"), Some("09:00:00"), "Hi: welcome"),
            (
                Agent,
                Some("Henry - Comm100"),
                Some("09:00:01"),
                "ok - sure"
            ),
            (
                Agent,
                Some("Francis - Comm100 ( Training )"),
                Some("09:00:02"),
                "(aside) fine"
            ),
            (
                Visitor,
                Some("10.0.0.7"),
                Some("09:00:03"),
                "my IP: is this"
            ),
            (
                Visitor,
                Some("2001:db8::1"),
                Some("09:00:04"),
                "unknown IPv6 visitor"
            ),
            (
                Visitor,
                Some("192.168.0.1"),
                Some("09:00:05"),
                "unknown IPv4 visitor"
            ),
        ]
    );
}

#[test]
fn longest_known_name_wins() {
    let raw = "[09:00:00] PT: Jason: hello⊙[09:00:01] PT: hello: there⊙[09:00:02] PT:no space";
    for agents in [["PT", "PT: Jason"], ["PT: Jason", "PT"]] {
        assert_eq!(
            briefs(&parse(raw, &who(&agents, None), None)),
            vec![
                (Agent, Some("PT: Jason"), Some("09:00:00"), "hello"),
                (Agent, Some("PT"), Some("09:00:01"), "hello: there"),
                (Agent, Some("PT"), Some("09:00:02"), "no space"),
            ]
        );
    }
}

#[test]
fn text_with_stamps_colons_and_anything_a_visitor_types() {
    let p = who(&["Walid"], Some("Dana"));
    let typed = "meet at [12:00:00]: ok? Walid: yes \u{1b}[31mred\u{1b}[0m 🎉 مرحبا\tשלום";
    let raw = format!("[10:00:00] Dana: {typed}⊙[10:00:01] Walid: [12:00:00] Walid: echo");
    assert_eq!(
        briefs(&parse(&raw, &p, None)),
        vec![
            (Visitor, Some("Dana"), Some("10:00:00"), typed),
            (
                Agent,
                Some("Walid"),
                Some("10:00:01"),
                "[12:00:00] Walid: echo"
            ),
        ]
    );
}

#[test]
fn unknown_speaker_splits_at_first_colon_space() {
    let raw = "[10:00:00] Jane Doe: Re: your ticket⊙\
               [10:00:01] Note:see below: really⊙\
               [10:00:02] Chat transferred to Sales⊙\
               [10:00:03] Support Bot: beep⊙\
               [10:00:04] Sam:\n(file)⊙\
               [10:00:05] https://example.com:8080/x⊙\
               [10:00:06] : nobody";
    assert_eq!(
        briefs(&parse(raw, &who(&["Walid"], None), None)),
        vec![
            (Agent, Some("Jane Doe"), Some("10:00:00"), "Re: your ticket"),
            (Agent, Some("Note:see below"), Some("10:00:01"), "really"),
            (Sys, None, Some("10:00:02"), "Chat transferred to Sales"),
            (Bot, Some("Support Bot"), Some("10:00:03"), "beep"),
            (Agent, Some("Sam"), Some("10:00:04"), "(file)"),
            (Sys, None, Some("10:00:05"), "https://example.com:8080/x"),
            (Sys, None, Some("10:00:06"), ": nobody"),
        ]
    );
}

#[test]
fn unknown_speaker_must_be_short_and_on_the_first_line() {
    let long = format!("[10:00:00] {} and then: something", "word ".repeat(30));
    let got = parse(&long, &who(&[], None), None);
    assert_eq!(got[0].kind, Sys);
    assert_eq!(got[0].text, long["[10:00:00] ".len()..]);
    let got = parse("[10:00:00] hello\nthere: you⊙", &who(&[], None), None);
    assert_eq!(
        brief(&got[0]),
        (Sys, None, Some("10:00:00"), "hello\nthere: you")
    );
}

#[test]
fn bots_join_without_agent_prefix_and_then_speak() {
    // The bot's name is learned from its join line, whether that line comes before or after.
    let raw = "[10:00:00] Ask Ada: Hi: I am Ada⊙Ask Ada has joined the chat.⊙[10:00:01] Ask Ada: Pick: one";
    assert_eq!(
        briefs(&parse(raw, &who(&[], Some("Jo")), None)),
        vec![
            (Bot, Some("Ask Ada"), Some("10:00:00"), "Hi: I am Ada"),
            (Sys, None, None, "Ask Ada has joined the chat."),
            (Bot, Some("Ask Ada"), Some("10:00:01"), "Pick: one"),
        ]
    );
}

#[test]
fn agents_learned_from_system_lines_split_on_their_names() {
    // Without the join lines, `Ops: Kim` would split at the first `: ` as `Ops`.
    let raw = "[10:00:00] Ops: Kim: hello: there⊙\
               Operator Ops: Kim has joined the chat.⊙\
               Agent Lee - L2 has transferred the chat to Agent Bo: Tier 2.⊙\
               [10:01:00] Lee - L2: moving you⊙\
               [10:01:30] Bo: Tier 2: hi⊙\
               Agent Al: X has sent a file: a.pdf⊙\
               [10:02:00] Al: X: see file";
    assert_eq!(
        briefs(&parse(raw, &who(&[], None), None))
            .into_iter()
            .filter(|e| e.0 != Sys)
            .collect::<Vec<_>>(),
        vec![
            (Agent, Some("Ops: Kim"), Some("10:00:00"), "hello: there"),
            (Agent, Some("Lee - L2"), Some("10:01:00"), "moving you"),
            (Agent, Some("Bo: Tier 2"), Some("10:01:30"), "hi"),
            (Agent, Some("Al: X"), Some("10:02:00"), "see file"),
        ]
    );
}

#[test]
fn operator_joined_older_form() {
    let raw = "Operator Henry has joined the chat.\n[10:00:00] Henry: hi\nsecond";
    assert_eq!(
        briefs(&parse(raw, &who(&[], None), None)),
        vec![
            (Sys, None, None, "Operator Henry has joined the chat."),
            (Agent, Some("Henry"), Some("10:00:00"), "hi\nsecond"),
        ]
    );
}

#[test]
fn visitor_placeholder_and_names() {
    let raw = "[10:00:00] Visitor: hi⊙[10:00:01] visitor: hi⊙[10:00:02] Dana: me⊙[10:00:03] DANA: me again";
    for name in [None, Some(""), Some("  ")] {
        let got = parse(raw, &who(&["Walid"], name), None);
        assert_eq!(got[0].kind, Visitor);
        assert_eq!(got[1].kind, Visitor, "case-insensitive placeholder");
        assert_eq!(
            (got[2].kind, got[3].kind),
            (Agent, Agent),
            "unknown speakers"
        );
    }
    let got = parse(raw, &who(&["Walid"], Some("Dana")), None);
    assert_eq!(
        briefs(&got)[2..],
        [
            (Visitor, Some("Dana"), Some("10:00:02"), "me"),
            (Visitor, Some("DANA"), Some("10:00:03"), "me again"),
        ]
    );
}

#[test]
fn precedence_between_roles() {
    // Agent list beats the visitor's name; the visitor's name beats a join line; exact case first.
    let raw = "Agent Dana has joined the chat.⊙Sam has joined the chat.⊙\
               [10:00:00] Sam: a⊙[10:00:01] sam: b⊙[10:00:02] SAM: c⊙[10:00:03] Dana: d⊙[10:00:04] Bot Boss: e";
    let got = parse(raw, &who(&["sam", "Bot Boss"], Some("Dana")), None);
    let kinds: Vec<_> = got
        .iter()
        .filter(|e| e.kind != Sys)
        .map(|e| e.kind)
        .collect();
    // `Sam` exactly is only the bot; `sam` is the agent; `SAM` folds to both, the agent wins.
    assert_eq!(kinds, vec![Bot, Agent, Agent, Visitor, Agent]);
}

#[test]
fn midnight_crossings() {
    let start = Some(utc(2024, 5, 31, 23, 58, 0));
    let raw = "[23:59:50] A: a⊙[00:00:10] B: b⊙[00:00:10] A: same second⊙[12:00:00] A: noon⊙\
               [23:59:59] B: late⊙[00:00:01] A: second midnight⊙The chat is ended.(00:00:02)";
    let got = parse(raw, &who(&["A", "B"], None), start);
    assert_eq!(
        ats(&got),
        vec![
            Some(utc(2024, 5, 31, 23, 59, 50)),
            Some(utc(2024, 6, 1, 0, 0, 10)),
            Some(utc(2024, 6, 1, 0, 0, 10)),
            Some(utc(2024, 6, 1, 12, 0, 0)),
            Some(utc(2024, 6, 1, 23, 59, 59)),
            Some(utc(2024, 6, 2, 0, 0, 1)),
            Some(utc(2024, 6, 2, 0, 0, 2)),
        ]
    );
}

#[test]
fn first_stamp_takes_the_date_nearest_start() {
    let p = who(&["A"], None);
    let at = |start, raw| parse(raw, &p, Some(start))[0].at;
    // Slightly before start, across midnight: the previous day.
    assert_eq!(
        at(utc(2024, 1, 1, 0, 0, 5), "[23:59:58] A: x"),
        Some(utc(2023, 12, 31, 23, 59, 58))
    );
    // Slightly after start, across midnight: the next day.
    assert_eq!(
        at(utc(2023, 12, 31, 23, 59, 58), "[00:00:03] A: x"),
        Some(utc(2024, 1, 1, 0, 0, 3))
    );
    // Milliseconds are ignored: 19 ms before start is the same second, same day.
    let vendor = DateTime::from_timestamp_millis(1_584_415_801_019).unwrap();
    assert_eq!(
        at(vendor, "[03:30:01] A: x"),
        Some(utc(2020, 3, 17, 3, 30, 1))
    );
    // Exactly 12 hours either way stays on start's date.
    assert_eq!(
        at(utc(2024, 1, 1, 12, 0, 0), "[00:00:00] A: x"),
        Some(utc(2024, 1, 1, 0, 0, 0))
    );
    assert_eq!(
        at(utc(2024, 1, 1, 0, 0, 0), "[12:00:00] A: x"),
        Some(utc(2024, 1, 1, 12, 0, 0))
    );
    assert_eq!(
        at(utc(2024, 1, 1, 0, 0, 0), "[12:00:01] A: x"),
        Some(utc(2023, 12, 31, 12, 0, 1))
    );
}

#[test]
fn any_backwards_clock_moves_to_the_next_day() {
    // docs/FORMAT.md: "each later entry moves to the next day when its clock goes backwards".
    let got = parse(
        "[10:00:05] A: a⊙[10:00:04] A: b⊙[10:00:06] A: c",
        &who(&["A"], None),
        Some(utc(2024, 1, 1, 10, 0, 0)),
    );
    assert_eq!(
        ats(&got),
        vec![
            Some(utc(2024, 1, 1, 10, 0, 5)),
            Some(utc(2024, 1, 2, 10, 0, 4)),
            Some(utc(2024, 1, 2, 10, 0, 6)),
        ]
    );
}

#[test]
fn no_start_means_no_instants() {
    let got = parse(VENDOR, &who(&["Walid"], None), None);
    assert!(got.iter().all(|e| e.at.is_none()));
    assert_eq!(got[1].time.as_deref(), Some("03:30:01"));
    assert_eq!(got[4].time.as_deref(), Some("03:36:59"));
}

#[test]
fn invalid_clocks_keep_the_message_without_instant() {
    let raw = "[23:59:00] A: a⊙[25:99:00] A: bad⊙[00:00:30] A: after midnight";
    let got = parse(raw, &who(&["A"], None), Some(utc(2024, 1, 1, 23, 58, 0)));
    assert_eq!(brief(&got[1]), (Agent, Some("A"), Some("25:99:00"), "bad"));
    assert_eq!(
        ats(&got),
        vec![
            Some(utc(2024, 1, 1, 23, 59, 0)),
            None,
            Some(utc(2024, 1, 2, 0, 0, 30))
        ]
    );
}

#[test]
fn stamp_variants() {
    let start = Some(utc(2024, 1, 1, 15, 0, 0));
    let raw = "  [3:30:01] A: short hour⊙[ 15:30:02 ]   A:   spaced  ⊙[3:30:03 PM] A: pm⊙[12:00:04 am] A: midnight am";
    let got = parse(raw, &who(&["A"], None), start);
    assert_eq!(
        briefs(&got),
        vec![
            (Agent, Some("A"), Some("3:30:01"), "short hour"),
            (Agent, Some("A"), Some("15:30:02"), "spaced"),
            (Agent, Some("A"), Some("3:30:03 PM"), "pm"),
            (Agent, Some("A"), Some("12:00:04 am"), "midnight am"),
        ]
    );
    assert_eq!(
        ats(&got),
        vec![
            Some(utc(2024, 1, 1, 3, 30, 1)),
            Some(utc(2024, 1, 1, 15, 30, 2)),
            Some(utc(2024, 1, 1, 15, 30, 3)),
            Some(utc(2024, 1, 2, 0, 0, 4)),
        ]
    );
}

#[test]
fn clock_shapes() {
    let secs = |s| clock(s).map(|c| c.secs);
    assert_eq!(secs("03:30:01"), Some(Some(3 * 3600 + 30 * 60 + 1)));
    assert_eq!(secs("0:00:00"), Some(Some(0)));
    assert_eq!(secs("23:59:59"), Some(Some(86_399)));
    assert_eq!(secs("24:00:00"), Some(None));
    assert_eq!(secs("12:60:00"), Some(None));
    assert_eq!(secs("13:00:00 PM"), Some(None));
    assert_eq!(secs("12:30:00 PM"), Some(Some(12 * 3600 + 30 * 60)));
    for not_a_clock in [
        "",
        "Sales",
        "123:00:00",
        "1:2:3",
        "12:00",
        "12:00:00x",
        "12:00:000",
        "１2:00:00",
        "12:00:00 XM",
    ] {
        assert_eq!(clock(not_a_clock), None, "{not_a_clock:?}");
    }
    assert_eq!(stamp("[Sales] x"), None);
    assert_eq!(stamp("[12:00:00"), None);
    assert_eq!(stamp("x [12:00:00] y"), None);
    assert_eq!(
        stamp("[12:00:00]x").map(|(c, r)| (c.written, r)),
        Some(("12:00:00", "x"))
    );
}

#[test]
fn unknown_and_translated_system_lines() {
    let raw = "Agent Walid a rejoint la conversation.⊙\
               Le visiteur a quitté la conversation.⊙\
               La conversation est terminée.(03:36:59)⊙\
               聊天已结束。(03:37:00)⊙\
               The chat is ended⊙\
               Agent Walid is typing";
    let got = parse(
        raw,
        &who(&["Walid"], None),
        Some(utc(2020, 3, 17, 3, 30, 0)),
    );
    assert!(got.iter().all(|e| e.kind == Sys && e.speaker.is_none()));
    assert_eq!(got.len(), 6);
    assert_eq!(got[2].time.as_deref(), Some("03:36:59"));
    assert_eq!(got[2].at, Some(utc(2020, 3, 17, 3, 36, 59)));
    assert_eq!(got[3].time.as_deref(), Some("03:37:00"));
    assert_eq!(got[4].time, None);
    assert_eq!(got[5].text, "Agent Walid is typing");
}

#[test]
fn system_line_recognition() {
    let learned = |s| system(s).map(|x| x.learned);
    let agent = |n| Some((n, Role::Agent));
    assert_eq!(
        learned("Agent Walid has joined the chat."),
        Some([agent("Walid"), None])
    );
    assert_eq!(
        learned("Operator Walid has joined the chat"),
        Some([agent("Walid"), None])
    );
    assert_eq!(
        learned("Agent A B has left the chat."),
        Some([agent("A B"), None])
    );
    assert_eq!(
        learned("Agent A has transferred the chat to another agent."),
        Some([agent("A"), None])
    );
    assert_eq!(
        learned("Agent A has transferred the chat to Agent B."),
        Some([agent("A"), agent("B")])
    );
    assert_eq!(
        learned("Agent A has sent a file: x has sent a file.pdf"),
        Some([agent("A"), None])
    );
    assert_eq!(
        learned("Comm100 Bot has joined the chat."),
        Some([Some(("Comm100 Bot", Role::Bot)), None])
    );
    assert_eq!(
        learned("The visitor has joined the chat."),
        Some([None, None])
    );
    assert_eq!(
        learned("The visitor has sent a file: a.png"),
        Some([None, None])
    );
    assert_eq!(
        learned("It’s been a while since your last response."),
        Some([None, None])
    );
    assert_eq!(learned("Somebody has left the chat."), Some([None, None]));
    assert_eq!(learned(" has joined the chat."), None);
    assert_eq!(learned("I think he has left the chat and more"), None);
    assert_eq!(learned("Thanks (see 10:00:00)"), None);
    assert_eq!(learned("Thanks. (10:00:00) more"), None);
}

#[test]
fn bot_names() {
    for bot in [
        "Comm100 Bot",
        "bot",
        "Chatbot",
        "HelpBot",
        "Bot-7",
        "the_bot",
    ] {
        assert!(looks_like_bot(bot), "{bot}");
    }
    for not in ["Abbot", "Talbot", "Bottas", "ROBOT", "Abbott Support", ""] {
        assert!(!looks_like_bot(not), "{not}");
    }
}

#[test]
fn many_messages_parse_in_order() {
    let mut raw =
        String::from("Agent Walid has joined the chat.⊙Comm100 Bot has joined the chat.⊙");
    for i in 0..3000u32 {
        let speaker = ["Walid", "Dana", "Comm100 Bot"][i as usize % 3];
        let t = 10 * 3600 + i * 20; // crosses midnight after 2,520 messages
        raw.push_str(&format!(
            "[{:02}:{:02}:{:02}] {speaker}: message {i}: with a colon⊙",
            t / 3600 % 24,
            t / 60 % 60,
            t % 60
        ));
    }
    let got = parse(
        &raw,
        &who(&["Walid"], Some("Dana")),
        Some(utc(2024, 1, 1, 10, 0, 0)),
    );
    assert_eq!(got.len(), 3002);
    assert_eq!(
        brief(&got[3]),
        (
            Visitor,
            Some("Dana"),
            Some("10:00:20"),
            "message 1: with a colon"
        )
    );
    assert_eq!(got[4].kind, Bot);
    assert_eq!(got[3001].at, Some(utc(2024, 1, 2, 2, 39, 40)));
    assert!(got.windows(2).skip(2).all(|w| w[0].at < w[1].at));
}

#[test]
fn hostile_input_stays_linear() {
    // Thousands of learned names, long colon-ridden lines: must not go quadratic (the quadratic
    // version took seconds here). Speed itself is measured by `chatspool bench`, not asserted.
    let mut raw = String::new();
    for i in 0..3000 {
        raw.push_str(&format!(
            "Name {i}: {} has joined the chat.⊙",
            "x".repeat(200)
        ));
    }
    let colons = ":".repeat(2000);
    for _ in 0..3000 {
        raw.push_str(&format!("[10:00:00] Name 1: {colons}⊙[10:00:00] {colons}⊙"));
    }
    let got = parse(&raw, &who(&[], None), Some(utc(2024, 1, 1, 10, 0, 0)));
    assert_eq!(got.len(), 9000);
    assert_eq!(got[3000].speaker.as_deref(), Some("Name 1"));
}

#[test]
fn extreme_start_dates_do_not_panic() {
    for start in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let got = parse(
            "[23:59:59] A: a⊙[00:00:00] A: b⊙[12:00:00] A: c",
            &who(&["A"], None),
            Some(start),
        );
        assert_eq!(got.len(), 3);
    }
}

fn fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("⊙".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(": ".to_string()),
        Just(":".to_string()),
        Just("[23:59:59] ".to_string()),
        Just("[0:00:00 PM] ".to_string()),
        Just("[99:99:99]".to_string()),
        Just("Agent ".to_string()),
        Just("Operator ".to_string()),
        Just(" has joined the chat.".to_string()),
        Just(" has transferred the chat to Agent ".to_string()),
        Just(" has sent a file: ".to_string()),
        Just("The chat is ended.(".to_string()),
        Just("(12:00:00)".to_string()),
        Just("Visitor".to_string()),
        Just("PT: Jason".to_string()),
        Just("K\u{212a}İß".to_string()),
        ".{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn never_panics(s in ".*") {
        let _ = parse(&s, &who(&[], None), None);
        let _ = parse(&s, &who(&["PT", "PT: Jason", ""], Some("Visitor")), DateTime::from_timestamp(0, 0));
    }

    #[test]
    fn never_panics_on_transcript_like_input(
        s in fragments(),
        agents in prop::collection::vec(".{0,12}", 0..4),
        visitor in proptest::option::of(".{0,12}"),
        start_ms in proptest::option::of(any::<i64>()),
    ) {
        let agents: Vec<&str> = agents.iter().map(String::as_str).collect();
        let p = Participants { agents, visitor: visitor.as_deref() };
        let start = start_ms.and_then(DateTime::from_timestamp_millis);
        let got = parse(&s, &p, start);
        for e in &got {
            prop_assert!(!e.text.trim().is_empty() || e.time.is_some());
            prop_assert_eq!(e.kind == Sys, e.speaker.is_none());
            prop_assert!(e.at.is_none() || e.time.is_some());
        }
    }
}
