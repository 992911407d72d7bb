//! The TUI without a terminal: app state driven by messages and keys, and what it draws on a
//! `TestBackend` at a normal, a narrow and a tiny size.

mod support;

use chatspool::query::SortKey;
use chatspool::review::{Op, Record, Reviews};
use chatspool::search;
use chatspool::spool::live::{Progress, Snapshot};
use chatspool::tui::app::{App, Effect, Focus, Overlay};
use chatspool::tui::event::{Matched, Msg};
use chatspool::tui::theme::{Theme, ThemeName};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::sync::Arc;
use support::app::{
    ctrl, drive, drive_msg, frame, key, now, open, options, render, selected_visitor, snapshot_of,
    typed, visitors, SAVED,
};
use support::{chat, spool, write, T0};

#[test]
fn list_starts_newest_first_with_the_chat_open() {
    let s = spool();
    let app = open(s.path());
    assert_eq!(
        visitors(&app),
        [
            "Carol",
            "Bob",
            "Alice",
            "Dan \u{1b}]0;pwned\u{7}",
            "testName"
        ]
    );
    assert_eq!(selected_visitor(&app), "Carol");
    assert!(app.chat.summary().is_some());
}

#[test]
fn typing_puts_the_best_match_on_top_and_esc_restores_the_list_around_it() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Alice");
    key(&mut app, KeyCode::Char('/'));
    assert!(app.search.searching);
    typed(&mut app, "agent:walid");
    assert_eq!(visitors(&app).len(), 3);
    assert_eq!(
        app.selected, 0,
        "each keystroke puts the cursor on the first match"
    );
    assert_eq!(
        selected_visitor(&app),
        "Alice",
        "the newest of Walid's chats"
    );
    typed(&mut app, " !alice");
    assert!(!visitors(&app).contains(&"Alice".to_string()));
    assert_eq!(app.order.len(), 2);
    assert_eq!(selected_visitor(&app), visitors(&app)[0]);
    key(&mut app, KeyCode::Down);
    let picked = selected_visitor(&app);
    key(&mut app, KeyCode::Esc);
    assert!(!app.search.searching);
    assert_eq!(app.search.input.text, "");
    assert_eq!(app.order.len(), 5, "Esc restores the whole list");
    assert_eq!(
        selected_visitor(&app),
        picked,
        "with the chat found still selected"
    );
}

#[test]
fn the_best_fuzzy_match_is_selected_as_you_type() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "j");
    typed(&mut app, "ason");
    assert_eq!(app.selected, 0);
    assert_eq!(
        selected_visitor(&app),
        "Bob",
        "PT: Jason is the best match for jason"
    );
}

#[test]
fn bad_query_keeps_results_and_says_why() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    let complete = app.order.clone();
    assert_eq!(complete.len(), 3);
    typed(&mut app, " colour");
    assert!(app.order.is_empty(), "no one is called colour");
    typed(&mut app, ":");
    assert!(app.search.query_error.is_some());
    assert_eq!(
        app.order, complete,
        "the complete terms' results, not those of the half-typed 'colour'"
    );
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    let fx = app.paste("colour:red");
    drive(&mut app, fx);
    assert_eq!(app.order.len(), 5);
    let err = app.search.query_error.clone().expect("an error is shown");
    assert!(err.contains("agent"), "{err}");
    let screen = render(&mut app, 120, 30);
    assert!(screen.contains("✗"), "{screen}");
}

#[test]
fn enter_accepts_the_search_and_keys_move_again() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "jk");
    assert_eq!(app.search.input.text, "jk", "j and k type while searching");
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Enter);
    assert!(!app.search.searching);
    let before = app.selected;
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected, before + 1);
}

#[test]
fn sort_cycles_through_every_key() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, Some(SortKey::Oldest));
    assert_eq!(visitors(&app)[0], "testName");
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('s'));
    }
    assert_eq!(app.sort, Some(SortKey::Rating));
    assert_eq!(visitors(&app)[0], "Alice");
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('s'));
    }
    assert_eq!(app.sort, Some(SortKey::Reply));
    // Sorted by the longest reply, the list shows it, marked, though no config names it.
    let screen = render(&mut app, 100, 12);
    assert!(screen.contains("REPLY▼"), "{screen}");
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, Some(SortKey::Score));
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, Some(SortKey::Newest), "wraps around");
}

#[test]
fn tab_cycles_focus_and_scroll_keys_go_to_the_focused_pane() {
    let s = spool();
    let mut app = open(s.path());
    assert_eq!(app.focus, Focus::List);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Details);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Transcript);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected, 0, "j scrolls the transcript, not the list");
    assert_eq!(app.panes.transcript_scroll, 1);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::List);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Focus::Transcript);
}

#[test]
fn stale_match_results_are_ignored() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    // Two requests go out; the answer to the first arrives last and must be dropped.
    let first = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('b'),
        KeyModifiers::NONE,
    )));
    let second = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::NONE,
    )));
    let answer = |fx: Vec<Effect>| match fx.into_iter().next() {
        Some(Effect::Match(req)) => Msg::Matched(Matched {
            generation: req.generation,
            snapshot: req.snapshot.clone(),
            order: search::run(&req.snapshot.chats, &req.query, req.sort, s.path())
                .into_iter()
                .map(|i| i as u32)
                .collect(),
        }),
        _ => panic!("expected a match request"),
    };
    let (a1, a2) = (answer(first), answer(second));
    drive_msg(&mut app, a2);
    let after_newest = app.order.clone();
    drive_msg(&mut app, a1);
    assert_eq!(app.order, after_newest);
    assert_eq!(visitors(&app), ["Bob"]);
}

/// The viewer on `root` after searching `text:refund`, which finds Alice's chat only.
fn found_by_text(root: &std::path::Path) -> chatspool::tui::app::App {
    let mut app = open(root);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "text:refund");
    key(&mut app, KeyCode::Enter);
    assert_eq!(visitors(&app), ["Alice"]);
    app
}

#[test]
fn n_jumps_between_search_hits_in_the_transcript() {
    let s = spool();
    let mut app = found_by_text(s.path());
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.focus, Focus::Transcript);
    assert_eq!(app.panes.transcript_jump, Some(2));
    assert!(app.flash.as_deref().unwrap_or("").contains("1/1"));
}

#[test]
fn a_chat_found_by_text_opens_at_its_first_hit() {
    let s = spool();
    let mut app = found_by_text(s.path());
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.panes.transcript_jump, Some(2));
}

#[test]
fn ctrl_t_searches_transcripts_with_bare_words() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "refund");
    assert!(visitors(&app).is_empty(), "no visitor is called refund");
    let ctrl_t = crossterm::event::KeyEvent::new(
        KeyCode::Char('t'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    let effects = app.update(chatspool::tui::event::Msg::Key(ctrl_t));
    drive(&mut app, effects);
    assert!(app.search.transcript_scope);
    assert_eq!(visitors(&app), ["Alice"]);
    assert!(render(&mut app, 80, 24).contains("text/ refund"));
    let effects = app.update(chatspool::tui::event::Msg::Key(ctrl_t));
    drive(&mut app, effects);
    assert!(!app.search.transcript_scope && visitors(&app).is_empty());
}

#[test]
fn help_and_problems_overlays_open_and_close() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Overlay::Help { .. }));
    let screen = render(&mut app, 120, 140);
    assert!(screen.contains("cycle sort"), "{screen}");
    assert!(
        screen.contains("delete the word before the cursor"),
        "{screen}"
    );
    assert!(screen.contains("text:refund"));
    for review in [
        "tag the chat",
        "add a note",
        "reviewed / not",
        "next unreviewed",
        "tag:coach",
    ] {
        assert!(screen.contains(review), "{review} in\n{screen}");
    }
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
    key(&mut app, KeyCode::Char('p'));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("3 problems"), "{screen}");
    assert!(screen.contains("broken/truncated.json"));
    key(&mut app, KeyCode::Char('q'));
    assert_eq!(
        app.overlay,
        Overlay::None,
        "q closes the overlay, it does not quit"
    );
    assert!(!app.quit);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn main_screen_shows_list_details_and_attributed_transcript() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    let screen = render(&mut app, 120, 32);
    for want in [
        "Chats 5/5",
        "Alice",
        "Walid",
        "Support",
        " 5/5",
        "AGENT   Walid: Hello Alice",
        "VISITOR Alice: I want a refund",
        "SYSTEM  Agent Walid has joined",
        "3 problems (p)",
        "alice@example.com",
    ] {
        assert!(screen.contains(want), "missing {want:?} in\n{screen}");
    }
    let root = s.path().display().to_string();
    insta::with_settings!({filters => vec![(root.as_str(), "[SPOOL]")]}, {
        insta::assert_snapshot!("main_120x32", screen);
    });
}

#[test]
fn narrow_terminal_hides_columns_but_keeps_the_essentials() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 60, 20);
    assert!(screen.contains("Carol"));
    assert!(
        !screen.contains("DEPT"),
        "department column hidden when narrow\n{screen}"
    );
    let root = s.path().display().to_string();
    insta::with_settings!({filters => vec![(root.as_str(), "[SPOOL]")]}, {
        insta::assert_snapshot!("narrow_60x20", screen);
    });
}

#[test]
fn tiny_terminals_never_panic() {
    let s = spool();
    let mut app = open(s.path());
    for (w, h) in [(40, 10), (20, 5), (10, 3), (1, 1), (200, 4), (3, 60)] {
        let screen = render(&mut app, w, h);
        assert!(!screen.trim().is_empty(), "{w}x{h} draws something");
    }
    let screen = render(&mut app, 40, 10);
    assert!(screen.contains("Carol"), "{screen}");
}

#[test]
fn hostile_text_is_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = chat("evil-1", "Mallory \u{1b}]0;pwned\u{7}\u{202e}evil", "Walid", T0, "1",
        "[10:00:05] Walid: hi⊙[10:00:09] Mallory \u{1b}]0;pwned\u{7}\u{202e}evil: \u{1b}[2J\u{1b}]52;c;aGVsbG8=\u{7}clipboard\u{9b}31m⊙");
    c["visitor"]["city"] = json!("\u{1b}[31mRed");
    write(dir.path(), "evil.json", c.to_string().as_bytes());
    let mut app = open(dir.path());
    let screen = render(&mut app, 120, 30);
    assert!(
        !screen.contains('\u{1b}')
            && !screen.contains('\u{7}')
            && !screen.contains('\u{9b}')
            && !screen.contains('\u{202e}')
    );
    assert!(screen.contains("Mallory ␛]0;pwned␇"), "{screen}");
    assert!(screen.contains("␛[2J␛]52;c;aGVsbG8=␇clipboard"), "{screen}");
    assert!(
        screen.contains("VISITOR Mallory"),
        "the visitor is still recognised\n{screen}"
    );
}

#[test]
fn wide_characters_keep_columns_straight() {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in ["山田太郎", "محمد العربي", "Zoë 🙂🙂", "plain"]
        .iter()
        .enumerate()
    {
        let c = chat(
            &format!("w{i}"),
            name,
            "Walid",
            T0 + i as i64 * 60_000,
            "3",
            &format!("[10:00:05] Walid: こんにちは {name}, 你好 🙂 שלום⊙"),
        );
        write(dir.path(), &format!("w{i}.json"), c.to_string().as_bytes());
    }
    let mut app = open(dir.path());
    let buf = &frame(&mut app, 100, 24);
    // The right border of the list sits in the last column on every row: nothing overflowed.
    for y in 1..app.panes.areas.list.height - 1 {
        assert_eq!(buf[(99, y)].symbol(), "│", "row {y}");
    }
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("山田太郎"));
    assert!(screen.contains("こんにちは"));
}

#[test]
fn empty_and_broken_spools_explain_themselves() {
    let empty = tempfile::tempdir().unwrap();
    let mut app = open(empty.path());
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("No chats in this spool yet"), "{screen}");

    let broken = tempfile::tempdir().unwrap();
    write(broken.path(), "a.json", b"{\"event\":");
    write(broken.path(), "b.json", b"");
    let mut app = open(broken.path());
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("2 files could not be read"), "{screen}");
    assert!(screen.contains("Press p"), "{screen}");
}

#[test]
fn chat_without_transcript_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        chat("quiet", "Quiet", "Walid", T0, "-1", "")
            .to_string()
            .as_bytes(),
    );
    let mut app = open(dir.path());
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("This chat has no transcript"), "{screen}");
}

#[test]
fn no_color_theme_still_marks_speakers_in_text() {
    let s = spool();
    let mut app = open(s.path());
    app.theme = Theme::pick(Some(ThemeName::Dark), true);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    let buf = &frame(&mut app, 120, 32);
    for cell in buf.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "no colour with NO_COLOR"
        );
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    let screen = render(&mut app, 120, 32);
    assert!(screen.contains("AGENT") && screen.contains("VISITOR") && screen.contains("SYSTEM"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls_the_pane_under_the_pointer() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let s = spool();
    let mut app = open(s.path());
    render(&mut app, 120, 32);
    let list = app.panes.areas.list;
    let click = |row: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: list.x + 5,
        row,
        modifiers: KeyModifiers::NONE,
    };
    // Border and header take two rows: the third visible row is the third chat.
    drive_msg(&mut app, Msg::Mouse(click(list.y + 4)));
    assert_eq!(selected_visitor(&app), "Alice");
    let t = app.panes.areas.transcript;
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: t.x + 3,
        row: t.y + 3,
        modifiers: KeyModifiers::NONE,
    };
    drive_msg(&mut app, Msg::Mouse(wheel));
    assert_eq!(
        app.panes.transcript_scroll, 3,
        "the wheel scrolled the transcript"
    );
    assert_eq!(selected_visitor(&app), "Alice", "not the list");
    // With mouse capture off, the app ignores mouse events (the terminal selects text instead).
    key(&mut app, KeyCode::Char('m'));
    assert!(!app.mouse);
    drive_msg(&mut app, Msg::Mouse(click(list.y + 2)));
    assert_eq!(selected_visitor(&app), "Alice");
}

#[test]
fn fuzzy_matched_letters_are_highlighted_in_the_list() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "jsn");
    assert_eq!(visitors(&app), ["Bob"], "PT: Jason matches j-s-n");
    let buf = &frame(&mut app, 120, 32);
    // The first list row: find "PT: Jason" and look at the styles of its letters.
    let y = app.panes.areas.list.y + 2;
    let row: String = (0..120).map(|x| buf[(x, y)].symbol().to_string()).collect();
    let byte = row.find("PT: Jason").expect("agent shown");
    let start = row[..byte].chars().count() as u16;
    let hit = |i: u16| buf[(start + i, y)].bg == ratatui::style::Color::Yellow;
    let marked: Vec<bool> = (0..9).map(hit).collect();
    // P T : ␠ J a s o n
    assert_eq!(
        marked,
        [false, false, false, false, true, false, true, false, true]
    );
}

#[test]
fn a_chat_arriving_above_keeps_the_selection_on_the_same_screen_line() {
    let s = spool();
    let mut app = open(s.path());
    render(&mut app, 120, 14);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Alice");
    render(&mut app, 120, 14);
    let line_before = app.selected - app.panes.list_offset;
    assert!(
        app.panes.list_offset > 0,
        "the list is scrolled (a short terminal)"
    );
    // A newer chat lands in the spool: the list grows above the selection.
    let newest = chat("eeee5555", "Eve", "Walid", T0 + 10 * 3_600_000, "3", "");
    write(s.path(), "new.json", newest.to_string().as_bytes());
    drive_msg(&mut app, Msg::Snapshot(snapshot_of(s.path())));
    render(&mut app, 120, 14);
    assert_eq!(selected_visitor(&app), "Alice", "still on the same chat");
    assert_eq!(app.selected, 3);
    assert_eq!(
        app.selected - app.panes.list_offset,
        line_before,
        "and on the same screen line"
    );
}

#[test]
fn an_untouched_list_stays_at_the_top_while_the_first_load_fills_it() {
    let s = spool();
    let (mut app, fx) = App::new(options(s.path()), now());
    drive(&mut app, fx);
    // A partial snapshot: only the oldest chat is loaded yet.
    let full = snapshot_of(s.path());
    let oldest: Vec<_> = full
        .chats
        .iter()
        .filter(|c| c.visitor_display() == "testName")
        .cloned()
        .collect();
    let partial = Arc::new(Snapshot {
        chats: oldest.into(),
        progress: Progress {
            done: 1,
            total: 9,
            listed: true,
            finished: false,
        },
        ..(*full).clone()
    });
    drive_msg(&mut app, Msg::Snapshot(partial));
    assert_eq!(selected_visitor(&app), "testName");
    drive_msg(&mut app, Msg::Snapshot(full.clone()));
    assert_eq!(app.selected, 0);
    assert_eq!(
        selected_visitor(&app),
        "Carol",
        "the newest chat, not the first loaded"
    );
    // Once settled, the selection follows its chat again.
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Bob");
}

#[test]
fn details_show_the_merged_wrap_up_and_follow_a_later_one() {
    let s = spool();
    let d = s.path();
    let alice = "aaaa1111-0000-0000-0000-000000000001";
    let event = |category: &str, minutes: i64| {
        support::wrap_up_event(
            "chat_wrapped_up",
            json!(alice),
            category,
            "Refund approved",
            T0 + minutes * 60_000,
        )
        .to_string()
    };
    write(
        d,
        "wrapups/alice.json",
        event("Billing: Refund", 5).as_bytes(),
    );
    let mut app = open(d);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Alice");
    let wrap_up = |app: &App| {
        let chat = app.chat.chat().expect("chat loaded");
        let w = chat.wrap_up.as_ref().expect("a wrap-up");
        (w.category.clone().unwrap(), w.fields.len())
    };
    assert_eq!(wrap_up(&app), ("Billing: Refund".to_string(), 1));
    // A tall terminal, so the details pane reaches its wrap-up section.
    let screen = render(&mut app, 120, 90);
    for want in [
        "WRAP-UP",
        "Wrap-up",
        "Billing: Refund",
        "Refund approved",
        "Order number",
        "2020-09-01 10:05:00 UTC",
    ] {
        assert!(screen.contains(want), "{want} not in\n{screen}");
    }
    assert!(
        !render(&mut app, 100, 30).contains("WRAP-UP"),
        "the column gives way first"
    );
    // A re-wrap arrives: the next snapshot changes the details of the selected chat.
    write(
        d,
        "wrapups/alice-later.json",
        event("Sales: Quote", 20).as_bytes(),
    );
    let fx = app.update(Msg::Snapshot(snapshot_of(d)));
    drive(&mut app, fx);
    assert_eq!(selected_visitor(&app), "Alice");
    assert_eq!(wrap_up(&app).0, "Sales: Quote");
    assert!(render(&mut app, 120, 90).contains("Sales: Quote"));
}

#[test]
fn a_search_over_empty_messages_and_long_first_words_draws_at_every_size() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://shop.example.com/orders/track?id=0123456789abcdef0123456789abcdef&refund=1";
    let c = chat("long-1", "Ze\u{200B}ro\u{200D}Width", "Walid", T0, "5",
        &format!("[03:30:05] Walid:⊙[03:30:06] Walid: {url}⊙[03:30:07] Ze\u{200B}ro\u{200D}Width: {url} refund⊙"));
    write(dir.path(), "long.json", c.to_string().as_bytes());
    let mut app = open(dir.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "'zero text:refund");
    assert_eq!(
        visitors(&app),
        ["Ze\u{200B}ro\u{200D}Width"],
        "'zero finds it"
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    for (w, h) in [(120, 40), (80, 24), (60, 20), (30, 12), (20, 5)] {
        let screen = render(&mut app, w, h);
        assert!(!screen.contains(['\u{200B}', '\u{200D}']), "{screen}");
    }
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("ZeroWidth"), "{screen}");
    assert!(
        screen.contains("https://shop.example.com/orders"),
        "{screen}"
    );
}

#[test]
fn the_problems_overlay_scrolls_to_the_last_problem_when_paths_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "a-very-long-directory-name-that-a-capture-tool-made/".repeat(3);
    for i in 0..30 {
        write(
            dir.path(),
            &format!("{deep}bad-{i:02}.json"),
            b"{\"event\":",
        );
    }
    let mut app = open(dir.path());
    key(&mut app, KeyCode::Char('p'));
    let _ = render(&mut app, 80, 24);
    key(&mut app, KeyCode::End);
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("bad-29.json"),
        "End shows the last problem\n{screen}"
    );
    // Scrolling past the end stays at the end, and one step back moves at once.
    for _ in 0..500 {
        key(&mut app, KeyCode::Char('j'));
    }
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("bad-29.json"), "{screen}");
    let Overlay::Problems { scroll: last } = app.overlay else {
        panic!("the overlay is open");
    };
    key(&mut app, KeyCode::Char('k'));
    let _ = render(&mut app, 80, 24);
    assert_eq!(app.overlay, Overlay::Problems { scroll: last - 1 });
}

fn row_of(screen: &str, name: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(name) && l.contains("Support"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn review_keys_save_then_show_in_the_list_and_the_details() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Alice");
    // t: the prompt takes the keys (j types, it does not move).
    key(&mut app, KeyCode::Char('t'));
    assert!(app.prompt.is_some());
    typed(&mut app, "coaching escalate junk");
    assert_eq!(selected_visitor(&app), "Alice");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert_eq!(
        app.flash.as_deref(),
        Some("tagged coaching escalate junk (saved)")
    );
    key(&mut app, KeyCode::Char('t'));
    typed(&mut app, "-junk");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "Promised a refund \u{1b}[2J by Friday");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.flash.as_deref(), Some("note added (saved)"));
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.flash.as_deref(), Some("marked reviewed (saved)"));
    let screen = render(&mut app, 120, 40);
    let alice = row_of(&screen, "Alice");
    assert!(alice.contains("✓#"), "reviewed and tagged marks: {alice}");
    assert!(!row_of(&screen, "Carol").contains('#'));
    assert!(screen.contains("coaching, escalate"), "{screen}");
    assert!(!screen.contains("junk"), "{screen}");
    assert!(screen.contains("✓ tester"), "{screen}");
    assert!(screen.contains("Promised a refund"), "{screen}");
    assert!(!screen.contains('\u{1b}'), "notes are sanitised");
    // Esc cancels a prompt without saving anything.
    let saved = SAVED.with(|s| s.borrow().len());
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "never mind");
    key(&mut app, KeyCode::Esc);
    assert_eq!(SAVED.with(|s| s.borrow().len()), saved);
    // The query language sees the saved data.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "tag:coach reviewed:yes");
    assert_eq!(visitors(&app), ["Alice"]);
    // r toggles: the mark goes, and the search drops the chat.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.flash.as_deref(), Some("reviewed mark removed (saved)"));
    assert!(visitors(&app).is_empty());
}

#[test]
fn u_goes_to_the_next_unreviewed_chat_and_others_entries_show_up() {
    let s = spool();
    let mut app = open(s.path());
    let ids: Vec<String> = app
        .order
        .iter()
        .map(|&i| app.view.chats[i as usize].id.to_string())
        .collect();
    let mark = |rows: &[usize]| {
        let records = rows
            .iter()
            .map(|&r| Record::new(&ids[r], Op::Review, "", "bob", now()))
            .collect();
        Msg::Reviews(Arc::new(Reviews::from_records(records)))
    };
    // Another reviewer's marks arrive (the review thread polls the shared directory).
    drive_msg(&mut app, mark(&[1, 2]));
    assert_eq!(app.selected, 0);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.selected, 3, "rows 1 and 2 are reviewed");
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.selected, 4);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.selected, 0, "wraps around");
    // A search on review data follows new data without a keystroke.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "reviewed:yes");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.order.len(), 2);
    drive_msg(&mut app, mark(&[0, 1, 2, 3, 4]));
    assert_eq!(app.order.len(), 5);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.flash.as_deref(),
        Some("every chat in the list is reviewed")
    );
}

#[test]
fn stats_view_opens_over_the_search_sorts_and_filters_to_an_agent() {
    let s = spool();
    let mut app = open(s.path());
    typed(&mut app, "/");
    typed(&mut app, "rating:>=1");
    key(&mut app, KeyCode::Enter);
    let shown = app.order.len();
    key(&mut app, KeyCode::Char('i'));
    assert!(app.stats.open);
    let report = app.stats.report.clone().expect("computed");
    assert_eq!(report.total.chats, shown, "over what the search selects");
    let screen = render(&mut app, 80, 24);
    for want in [
        "Stats",
        "AGENT",
        "FRT50",
        "Mon",
        "Sun",
        "Ratings",
        "Chat starts",
    ] {
        assert!(screen.contains(want), "missing {want:?} in\n{screen}");
    }
    // Sorted by chats, most first; `s` reverses.
    let first = |app: &App| app.stats.rows()[0].name.clone();
    let most = first(&app);
    key(&mut app, KeyCode::Char('s'));
    assert!(app.stats.reverse);
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(first(&app), most);
    // Sort by name (one column left of chats), then Enter on the first agent.
    key(&mut app, KeyCode::Left);
    assert_eq!(app.stats.column, 0);
    let names: Vec<String> = app.stats.rows().iter().map(|g| g.name.clone()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let agent = names[0].clone();
    let chats_of_agent = app.stats.rows()[0].figures.chats;
    key(&mut app, KeyCode::Enter);
    assert!(!app.stats.open, "back to the list");
    assert!(
        app.search
            .input
            .text
            .contains(&format!("agent:^\"{agent}\"$")),
        "{}",
        app.search.input.text
    );
    assert_eq!(app.order.len(), chats_of_agent);
    // i opens, Esc closes.
    key(&mut app, KeyCode::Char('i'));
    assert!(app.stats.open);
    key(&mut app, KeyCode::Esc);
    assert!(!app.stats.open);
}

#[test]
fn stats_view_is_legible_small_and_plain() {
    let s = spool();
    let mut app = open(s.path());
    app.theme = Theme::pick(None, true);
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.chars().any(|c| "░▒▓█".contains(c)),
        "shade characters without colour\n{screen}"
    );
    key(&mut app, KeyCode::Char('w'));
    assert!(render(&mut app, 80, 24).contains("Median wait"));
    for (w, h) in [(40, 10), (20, 5), (30, 12), (200, 60), (80, 8)] {
        render(&mut app, w, h);
    }
}

#[test]
fn z_cycles_the_zone_and_the_list_says_which() {
    let s = spool();
    let mut app = open(s.path());
    assert!(render(&mut app, 120, 32).contains("STARTED (UTC)"));
    key(&mut app, KeyCode::Char('z'));
    assert_eq!(app.zone, chatspool::model::zone::Zone::Local);
    // The machine's zone by its name (America/New_York), not "local": in the column heading
    // when it fits there, else in the list's title.
    let named = chatspool::model::zone::Zone::Local.label();
    let screen = render(&mut app, 120, 32);
    assert!(
        screen.contains(&format!("STARTED ({named})"))
            || screen.contains(&format!("· times {named}")),
        "{screen}"
    );
    assert!(!screen.contains("(local)"));
    key(&mut app, KeyCode::Char('z'));
    assert_eq!(app.zone, chatspool::model::zone::Zone::Visitor);
    key(&mut app, KeyCode::Char('z'));
    assert_eq!(app.zone, chatspool::model::zone::Zone::Utc);
}

#[test]
fn stale_stats_results_are_ignored() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let current = app.stats.report.clone().unwrap();
    let stale =
        chatspool::stats::report(std::iter::empty(), chatspool::model::zone::Zone::Utc, None);
    app.update(Msg::Stats {
        generation: app.stats.generation - 1,
        report: Arc::new(stale),
    });
    assert_eq!(
        app.stats.report.as_ref().unwrap().total.chats,
        current.total.chats
    );
}

#[test]
fn the_search_changes_inside_the_stats_view_and_the_figures_follow() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    assert_eq!(app.stats.report.as_ref().unwrap().total.chats, 5);
    let screen = render(&mut app, 140, 30);
    let status = screen.lines().last().unwrap();
    assert!(
        status.contains("Enter filter") && status.contains("? help"),
        "the stats view's own hints: {status}"
    );
    // `/` opens the search over the view; the letters type (`s`, `w`, `i` are not view keys now).
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    assert!(app.stats.open && app.search.searching);
    assert_eq!(app.search.input.text, "agent:walid");
    let report = app.stats.report.clone().unwrap();
    assert_eq!(report.total.chats, 3, "recomputed over the new search");
    assert_eq!(report.total.chats, app.order.len());
    assert!(render(&mut app, 80, 24).contains("agent:walid"));
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stats.open && !app.search.searching,
        "Enter keeps the view"
    );
    // `?` shows every key over the view; Esc closes the help, then the view.
    key(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Overlay::Help { .. }));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.stats.open);
    key(&mut app, KeyCode::Esc);
    assert!(!app.stats.open);
}

#[test]
fn big_t_and_big_m_act_on_every_chat_in_the_list_after_a_y_n_question() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.order.len(), 3);
    // One chat of the two already has the tag.
    key(&mut app, KeyCode::Char('t'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    let saved = SAVED.with(|s| s.borrow().len());
    key(&mut app, KeyCode::Char('T'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 100, 24);
    assert!(
        screen.contains("tag 3 chats with \"coaching\"? (1 already has it) y/n"),
        "{screen}"
    );
    // Anything but y saves nothing.
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.flash.as_deref(), Some("nothing changed"));
    assert_eq!(SAVED.with(|s| s.borrow().len()), saved);
    key(&mut app, KeyCode::Char('T'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.flash.as_deref(),
        Some("tagged 2 chats with \"coaching\" (saved)")
    );
    assert_eq!(
        SAVED.with(|s| s.borrow().len()),
        saved + 2,
        "one record a chat"
    );
    key(&mut app, KeyCode::Char('M'));
    assert!(render(&mut app, 100, 24).contains("mark 3 chats reviewed? y/n"));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.flash.as_deref(),
        Some("marked 3 chats reviewed (saved)")
    );
    // Every chat marked: M offers to take the marks away.
    key(&mut app, KeyCode::Char('M'));
    assert!(render(&mut app, 100, 24).contains("remove the reviewed mark from 3 chats? y/n"));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.flash.as_deref(),
        Some("reviewed mark removed from 3 chats (saved)")
    );
    // The whole spool, tagged: the two chats without the tag get it, in one batch.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.order.len(), 5);
    let saved = SAVED.with(|s| s.borrow().len());
    key(&mut app, KeyCode::Char('T'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.flash.as_deref(),
        Some("tagged 2 chats with \"coaching\" (saved)")
    );
    assert_eq!(SAVED.with(|s| s.borrow().len()), saved + 2);
    key(&mut app, KeyCode::Char('T'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert!(
        app.flash
            .as_deref()
            .unwrap()
            .starts_with("nothing to change"),
        "{:?}",
        app.flash
    );
}

#[test]
fn accepted_searches_come_back_with_up_on_an_empty_bar_and_ctrl_r() {
    let s = spool();
    let mut app = open(s.path());
    // No history yet: ↑ on the empty bar moves in the list, as it always did.
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.selected, 0);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected, 1);
    key(&mut app, KeyCode::Esc);
    for q in ["agent:walid", "rating:>=4", "agent:walid"] {
        key(&mut app, KeyCode::Char('/'));
        typed(&mut app, q);
        let fx = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        assert!(
            fx.iter().any(|e| matches!(e, Effect::SaveHistory(_))),
            "a new search is saved"
        );
        drive(&mut app, fx);
        key(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.history, ["rating:>=4", "agent:walid"]);
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Up);
    assert_eq!(app.search.input.text, "agent:walid");
    assert_eq!(app.order.len(), 3, "the recalled search applies");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.search.input.text, "rating:>=4");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.search.input.text, "rating:>=4", "the oldest stays");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.search.input.text, "agent:walid");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.search.input.text, "", "past the newest: an empty bar");
    // With text typed, ↑ moves in the list as before.
    typed(&mut app, "a");
    let row = app.selected;
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.selected, row);
    assert_eq!(app.search.input.text, "a");
    // Ctrl-R: fuzzy pick, starting from what is typed.
    ctrl(&mut app, 'u');
    ctrl(&mut app, 'r');
    typed(&mut app, "rat");
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("past search: rat  rating:>=4"), "{screen}");
    assert!(!screen.contains("agent:walid"), "{screen}");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert_eq!(app.search.input.text, "rating:>=4");
    assert!(app.search.searching);
}

#[test]
fn v_picks_a_saved_view_by_name_and_applies_its_query_and_order() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('v'));
    assert!(app.prompt.is_none());
    assert!(app.flash.as_deref().unwrap().starts_with("no saved views"));
    app.views = chatspool::views::parse_file(
        "[views.walid]\nquery = \"agent:walid\"\nsort = \"oldest\"\n[views.good]\nquery = \"rating:>=4\"\n",
    )
    .unwrap();
    key(&mut app, KeyCode::Char('v'));
    let screen = render(&mut app, 100, 24);
    assert!(screen.contains("view:   walid · good"), "{screen}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    typed(&mut app, "wal");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.flash.as_deref(), Some("view walid"));
    assert_eq!(app.search.input.text, "agent:walid");
    assert_eq!(app.sort, Some(chatspool::query::SortKey::Oldest));
    assert_eq!(app.order.len(), 3);
    // Esc leaves the picker with nothing changed.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.search.input.text, "agent:walid");
}

/// `]` and `[` go to the slow replies of the open chat and around, whatever the levels: over
/// 2 minutes without a reply level, over the level with one.
#[test]
fn brackets_jump_between_the_slow_replies() {
    let s = support::slow_spool();
    let mut app = open(s.path());
    assert_eq!(app.slow_replies(), [(2, 190), (6, 300)]);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.focus, Focus::Transcript);
    assert_eq!(app.panes.transcript_jump, Some(2));
    assert!(app.flash.as_deref().unwrap_or("").contains("1/2"));
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.panes.transcript_jump, Some(6));
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.panes.transcript_jump, Some(2), "around to the first");
    key(&mut app, KeyCode::Char('['));
    assert_eq!(
        app.panes.transcript_jump,
        Some(6),
        "back around to the last"
    );
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.panes.transcript_jump, Some(2));
    // The jump brings the reply into view on a short screen.
    let screen = render(&mut app, 100, 14);
    assert!(screen.contains("⏱ 3m 10s"), "{screen}");

    let mut opts = options(s.path());
    opts.sla = Some(Arc::new(chatspool::model::sla::Sla {
        reply: Some(240),
        ..Default::default()
    }));
    let mut strict = support::app::open_with(s.path(), opts);
    assert_eq!(strict.slow_replies(), [(6, 300)], "only the reply over 4m");
    key(&mut strict, KeyCode::Char('['));
    assert_eq!(strict.panes.transcript_jump, Some(6));
    let screen = render(&mut strict, 100, 30);
    assert!(
        screen.contains("⏱ 5m 00s") && !screen.contains("⏱ 3m"),
        "{screen}"
    );

    // A chat with no slow reply says so and stays put.
    let plain = spool();
    let mut app = open(plain.path());
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.panes.transcript_jump, None);
    assert!(app
        .flash
        .as_deref()
        .unwrap_or("")
        .contains("no reply over 2m"));
}

/// The slow-reply mark never pushes a line past the pane, at any size.
#[test]
fn slow_reply_marks_fit_every_size() {
    let s = support::slow_spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for (w, h) in [
        (1, 1),
        (10, 5),
        (20, 8),
        (33, 10),
        (49, 12),
        (50, 12),
        (80, 24),
        (160, 45),
    ] {
        let screen = render(&mut app, w, h);
        assert!(
            screen.lines().all(|l| l.chars().count() <= usize::from(w)),
            "{w}x{h}"
        );
    }
}
