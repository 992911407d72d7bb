//! The viewer in daily use (issue 11): Esc walks back, `h` stays towards the list, paging and
//! reversing, whole search errors over the complete terms' results, new chats at the top, one
//! message count, one time format, and columns and help that fit 60, 80 and 200 columns.

mod support;

use chatspool::query::SortKey;
use chatspool::tui::app::{Focus, Overlay};
use chatspool::tui::event::Msg;
use crossterm::event::KeyCode;
use support::app::{
    ctrl, drive, drive_msg, key, open, render, selected_visitor, snapshot_of, typed, visitors,
};
use support::{chat, spool, write, T0};

#[test]
fn esc_walks_back_before_it_clears_the_search() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Focus::Transcript);
    assert_eq!(app.order.len(), 3);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.focus, Focus::List, "Esc in the transcript goes back");
    assert_eq!(app.order.len(), 3, "and keeps the search");
    assert_eq!(app.search.input.text, "agent:walid");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Details);
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.focus, app.order.len()), (Focus::List, 3));
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None, "Esc closes an overlay");
    assert_eq!(app.order.len(), 3, "and only the overlay");
    let kept = selected_visitor(&app);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.order.len(), 5, "Esc on the list clears the search");
    assert!(app.search.input.text.is_empty());
    assert_eq!(
        selected_visitor(&app),
        kept,
        "the chat found stays selected"
    );
    // In the search bar, Esc clears at once.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "bob");
    assert_eq!(app.order.len(), 1);
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.order.len(), app.search.searching), (5, false));
}

#[test]
fn h_and_left_on_the_list_stay_on_the_list() {
    let s = spool();
    let mut app = open(s.path());
    for back in [KeyCode::Char('h'), KeyCode::Left] {
        key(&mut app, back);
        assert_eq!(app.focus, Focus::List, "{back:?} on the list");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Focus::Transcript);
        key(&mut app, back);
        assert_eq!(app.focus, Focus::List, "{back:?} from the transcript");
        key(&mut app, KeyCode::Tab);
        key(&mut app, back);
        assert_eq!(app.focus, Focus::List, "{back:?} from the details");
    }
}

#[test]
fn ctrl_f_and_ctrl_b_page_and_capital_s_reverses_the_order() {
    let s = spool();
    let mut app = open(s.path());
    render(&mut app, 120, 14);
    ctrl(&mut app, 'f');
    let page = app.selected;
    assert!(page > 1, "a page is more than a row: {page}");
    ctrl(&mut app, 'b');
    assert_eq!(app.selected, 0);

    let newest = visitors(&app);
    key(&mut app, KeyCode::Char('S'));
    let mut reversed = newest.clone();
    reversed.reverse();
    assert_eq!(visitors(&app), reversed);
    assert_eq!(app.selected, 0, "the new first row is selected");
    assert!(render(&mut app, 120, 30).contains("newest, reversed"));
    // Reversal applies to whatever the order is, including a new sort.
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, Some(SortKey::Oldest));
    assert_eq!(visitors(&app), newest, "oldest, reversed");
    key(&mut app, KeyCode::Char('S'));
    assert_eq!(visitors(&app), reversed);
}

#[test]
fn a_search_error_is_shown_whole_over_the_complete_terms_results() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    // Every keystroke of a field term: `agent` alone is a fuzzy word that matches no one.
    typed(&mut app, "agent");
    assert!(app.order.is_empty());
    typed(&mut app, ":");
    assert_eq!(app.order.len(), 5, "`agent:` has no value yet: all chats");
    typed(&mut app, "walid");
    assert_eq!(app.order.len(), 3);
    let fx = app.paste(" agnet:walid");
    drive(&mut app, fx);
    assert_eq!(app.order.len(), 3, "the bad term is left out");
    let err = app.search.query_error.clone().expect("an error");
    for (w, h) in [(60, 20), (80, 24), (120, 30)] {
        let screen = render(&mut app, w, h);
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        let whole = format!("✗ {}", err.split_whitespace().collect::<Vec<_>>().join(" "));
        assert!(flat.contains(&whole), "{w}x{h}: {err}\n{screen}");
        assert!(screen.contains("Chats 3/5"), "{w}x{h}\n{screen}");
    }
}

#[test]
fn new_chats_at_the_top_come_into_sight_when_the_view_is_at_the_top() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    render(&mut app, 120, 30);
    assert_eq!(
        (selected_visitor(&app), app.panes.list_offset),
        ("Bob".into(), 0)
    );
    let newest = chat("eeee5555", "Eve", "Walid", T0 + 10 * 3_600_000, "3", "");
    write(s.path(), "new.json", newest.to_string().as_bytes());
    drive_msg(&mut app, Msg::Snapshot(snapshot_of(s.path())));
    let screen = render(&mut app, 120, 30);
    assert_eq!(
        selected_visitor(&app),
        "Bob",
        "the selection stays on its chat"
    );
    assert_eq!(app.panes.list_offset, 0, "the view stays at the top");
    assert_eq!(visitors(&app)[0], "Eve");
    assert!(screen.contains("2020-09-01 20:00 Eve"), "{screen}");
}

#[test]
fn the_transcript_has_one_message_count_with_its_plural() {
    let s = spool();
    let one = chat(
        "ffff6666",
        "Fay",
        "Walid",
        T0 + 9 * 3_600_000,
        "3",
        "Agent Walid has joined the chat.⊙[19:00:05] Fay: hello?⊙",
    );
    write(s.path(), "one.json", one.to_string().as_bytes());
    let mut app = open(s.path());
    assert_eq!(selected_visitor(&app), "Fay");
    let screen = render(&mut app, 120, 30);
    assert!(
        screen.contains("Transcript 1 message · times UTC"),
        "{screen}"
    );
    assert!(!screen.contains("messages,"), "{screen}");
    assert!(screen.contains("lines 1-2 of 2"), "{screen}");
    key(&mut app, KeyCode::Char('j'));
    assert!(render(&mut app, 120, 30).contains("Transcript 0 messages"));
}

#[test]
fn times_look_the_same_everywhere_and_name_their_zone() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_visitor(&app), "Alice");
    let screen = render(&mut app, 120, 80);
    for want in [
        "STARTED (UTC)",
        "2020-09-01 10:00 Alice",
        "2020-09-01 10:00:00 UTC",
        "times UTC",
        "10:00:05 AGENT",
    ] {
        assert!(screen.contains(want), "{want:?}\n{screen}");
    }
    // Narrow: the same format without the year, the zone still in the header.
    let narrow = render(&mut app, 60, 20);
    assert!(
        narrow.contains("TIME (UTC)") && narrow.contains("09-01 10:00 Alice"),
        "{narrow}"
    );
}

#[test]
fn at_60_columns_the_sort_column_dates_and_help_stay() {
    let s = spool();
    let mut app = open(s.path());
    for (sort, header) in [
        (SortKey::Wait, "WAIT"),
        (SortKey::Duration, "DUR"),
        (SortKey::Rating, "RATE"),
    ] {
        while app.sort != Some(sort) {
            key(&mut app, KeyCode::Char('s'));
        }
        let screen = render(&mut app, 60, 20);
        let head = screen.lines().nth(1).unwrap();
        assert!(head.contains(header), "{sort}: {head}");
        let status = screen.lines().last().unwrap();
        assert!(status.ends_with("? help"), "{status:?}");
    }
    // A long status line gives way to `? help`, not the other way round.
    app.flash = Some("a long message that would fill the whole status bar by itself".into());
    let screen = render(&mut app, 60, 20);
    assert!(
        screen.lines().last().unwrap().ends_with("? help"),
        "{screen}"
    );
}

#[test]
fn at_200_columns_names_stop_growing_and_the_transcript_gets_the_room() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 200, 60);
    let head = screen.lines().nth(1).unwrap();
    let visitor = head.find("VISITOR").unwrap();
    let agents = head.find("AGENTS").unwrap();
    assert!(agents - visitor <= 25, "VISITOR at most 24 wide: {head}");
    let (list, details, transcript) = (
        app.panes.areas.list,
        app.panes.areas.details,
        app.panes.areas.transcript,
    );
    // The list spans the top; the details keep to what their lines need (at most 48 columns)
    // and the transcript beside them takes every column left.
    assert_eq!(list.width, 200, "{list:?}");
    assert!(details.width <= 48, "{details:?}");
    assert_eq!(
        transcript.x,
        details.x + details.width,
        "the transcript beside the details"
    );
    assert!(transcript.width >= 150, "{transcript:?}");
    assert!(app.panes.areas.details.y > list.y, "details under the list");
}

/// The rows of the help overlay, between its borders.
fn help_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.contains("┌ chatspool help"))
        .skip(1)
        .take_while(|l| !l.contains("Esc close"))
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').to_string())
        .collect()
}

#[test]
fn help_wraps_under_an_indent_at_60_and_80_columns() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('?'));
    let headings = [
        "Keys",
        "While typing",
        "In the stats view",
        "Editing the search",
        "In a tag or note",
        "In this help",
        "Everywhere",
        "Mouse",
        "Search (all",
    ];
    for width in [60, 80] {
        let rows = help_rows(&render(&mut app, width, 150));
        assert!(rows.len() > 40, "{width}: {rows:?}");
        for row in &rows {
            assert!(
                row.trim().is_empty()
                    || row.starts_with("  ")
                    || headings.iter().any(|h| row.starts_with(h)),
                "{width}: {row:?} is not indented"
            );
        }
        let wrapped = rows.iter().position(|r| r.contains("cycle sort")).unwrap();
        let next = &rows[wrapped + 1];
        assert!(
            next.starts_with(&" ".repeat(10)) && next.contains("visitor, agent"),
            "{width}: the rest of a key's help goes under its start: {next:?}"
        );
    }
}

#[test]
fn lower_case_words_find_and_mark_accented_names() {
    let s = spool();
    let muller = chat("abcd7777", "Anna-Lena Müller", "Ægir", T0 + 3_000, "5", "");
    write(s.path(), "m.json", muller.to_string().as_bytes());
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "muller");
    assert_eq!(visitors(&app), ["Anna-Lena Müller"]);
    let screen = render(&mut app, 120, 30);
    assert!(screen.contains("Anna-Lena Müller"), "{screen}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "aegir");
    assert_eq!(visitors(&app), ["Anna-Lena Müller"]);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "Muller");
    assert!(app.order.is_empty(), "smart case: a capital is strict");
}

/// The counter counts what the transcript marks: `alice text:refund` finds Alice by name, but
/// only the message saying "refund" is a transcript hit (her name in "Hello Alice" and in the
/// speaker column is not).
#[test]
fn the_hit_counter_counts_only_marked_transcript_hits() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "alice text:refund");
    key(&mut app, KeyCode::Enter);
    assert_eq!(selected_visitor(&app), "Alice");
    assert_eq!(app.transcript_hits().len(), 1);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.flash.as_deref(), Some("match 1/1"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.search.input.text, "",
        "Esc walked back to the list, then cleared the search"
    );
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "alice");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    assert!(
        app.flash.as_deref().is_some_and(|f| f.contains("text:")),
        "a name search has no transcript hits to step through: {:?}",
        app.flash
    );
}

/// Keys that used to bypass the key table: line editing in the search bar, closing overlays.
#[test]
fn search_editing_and_overlay_keys_work_through_the_table() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid bob");
    ctrl(&mut app, 'w');
    assert_eq!(app.search.input.text, "agent:walid ");
    ctrl(&mut app, 'a');
    typed(&mut app, "x");
    assert_eq!(app.search.input.text, "xagent:walid ");
    ctrl(&mut app, 'e');
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Delete);
    assert_eq!(app.search.input.text, "xagent:wali");
    ctrl(&mut app, 'u');
    assert_eq!(app.search.input.text, "", "Ctrl-U deletes to the start");
    key(&mut app, KeyCode::Esc);
    for close in [
        KeyCode::Esc,
        KeyCode::Char('q'),
        KeyCode::Enter,
        KeyCode::Char('?'),
    ] {
        key(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.overlay, Overlay::Help { .. }));
        key(&mut app, close);
        assert_eq!(app.overlay, Overlay::None, "{close:?} closes the help");
        assert!(!app.quit);
    }
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Char('p'));
    assert!(
        matches!(app.overlay, Overlay::Problems { .. }),
        "p switches to problems"
    );
}

/// On a narrow terminal whose status bar is taken by a long spool path, the hit counter goes
/// beside the query on the search bar instead of being cut off.
#[test]
fn the_hit_counter_stays_visible_beside_the_query_on_a_narrow_terminal() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent
        .path()
        .join("a-rather-long-spool-directory-name-that-fills-the-status-bar");
    let s = spool();
    std::fs::rename(s.path(), &root).unwrap();
    let mut app = open(&root);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "alice text:refund");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.flash.as_deref(), Some("match 1/1"));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("match 1/1"), "{screen}");
    let wide = render(&mut app, 200, 24);
    let status = wide.lines().last().unwrap_or_default();
    assert!(
        status.contains("match 1/1"),
        "wide: on the status bar: {wide}"
    );
}

#[test]
fn the_configured_column_order_is_the_order_on_screen() {
    use chatspool::view::columns::Column;
    let s = spool();
    let mut opts = support::app::options(s.path());
    opts.columns = Some(vec![
        Column::Time,
        Column::Visitor,
        Column::Wait,
        Column::Rating,
        Column::WrapUp,
    ]);
    let (mut app, fx) = chatspool::tui::app::App::new(opts, support::app::now());
    support::app::drive(&mut app, fx);
    let fx = app.update(Msg::Snapshot(support::app::snapshot_of(s.path())));
    support::app::drive(&mut app, fx);
    let screen = render(&mut app, 120, 30);
    let head = screen.lines().nth(1).unwrap();
    let at = |name: &str| {
        head.find(name)
            .unwrap_or_else(|| panic!("{name} in {head}"))
    };
    assert!(
        at("VISITOR") < at("WAIT") && at("WAIT") < at("RATE") && at("RATE") < at("WRAP-UP"),
        "{head}"
    );
    assert!(!head.contains("AGENTS") && !head.contains("DUR"), "{head}");
    // The rows follow their header: a rating cell sits under RATE.
    let alice = screen.lines().find(|l| l.contains("Alice")).unwrap();
    let rate = at("RATE");
    let cell: String = alice
        .chars()
        .skip(head[..rate].chars().count())
        .take(4)
        .collect();
    assert_eq!(cell.trim(), "5/5", "{head}\n{alice}");
}

#[test]
fn under_visitor_zones_a_time_in_utc_for_want_of_a_zone_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut bare = chat(
        "nnnn0002-0000-0000-0000-000000000002",
        "Nia",
        "Walid",
        T0,
        "5",
        "",
    );
    bare["visitor"].as_object_mut().unwrap().remove("time_zone");
    write(dir.path(), "b.json", bare.to_string().as_bytes());
    let zoned = chat(
        "zzzz0001-0000-0000-0000-000000000001",
        "Zed",
        "Walid",
        T0,
        "5",
        "",
    );
    write(dir.path(), "a.json", zoned.to_string().as_bytes());
    let mut opts = support::app::options(dir.path());
    opts.zone = chatspool::model::zone::Zone::Visitor;
    let (mut app, fx) = chatspool::tui::app::App::new(opts, support::app::now());
    drive(&mut app, fx);
    let fx = app.update(Msg::Snapshot(snapshot_of(dir.path())));
    drive(&mut app, fx);
    for width in [120, 70] {
        let screen = render(&mut app, width, 30);
        let nia = screen.lines().find(|l| l.contains("Nia")).unwrap();
        assert!(nia.contains("10:00* "), "{width}: {screen}");
        let zed = screen.lines().find(|l| l.contains("Zed")).unwrap();
        assert!(!zed.contains('*'), "{zed}");
        assert!(
            screen.contains("no time zone in the payload: shown in UTC") || width < 100,
            "{screen}"
        );
    }
}
