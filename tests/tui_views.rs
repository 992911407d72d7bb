//! One named snapshot per screen a reviewer cares about, drawn on a `TestBackend`: a change to
//! any view shows up as a readable diff in review instead of slipping through untested.
//!
//! Each view also asserts the one thing it exists to show, so a snapshot accepted by mistake
//! still fails where it matters. `cargo insta review` (or `INSTA_UPDATE=always`) accepts a
//! deliberate change.

mod support;

use chatspool::tui::app::App;
use chatspool::tui::theme::{Theme, ThemeName};
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use std::path::Path;
use support::app::{ctrl, frame, key, open, render, typed};
use support::spool;

/// Snapshot `screen` under `name`, with the spool's temporary path written as `[SPOOL]`.
fn snap(root: &Path, name: &str, screen: &str) {
    let root = root.display().to_string();
    insta::with_settings!({filters => vec![(root.as_str(), "[SPOOL]")], prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, screen);
    });
}

#[test]
fn list_at_80x24() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Chats 5/5"), "{screen}");
    snap(s.path(), "views_list_80x24", &screen);
}

#[test]
fn list_wide_with_every_column() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 200, 40);
    assert!(screen.contains("DEPT"), "{screen}");
    snap(s.path(), "views_list_200x40", &screen);
}

#[test]
fn details_pane_focused() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Tab);
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("alice@example.com"), "{screen}");
    snap(s.path(), "views_details_120x40", &screen);
}

#[test]
fn transcript_with_search_hits() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "text:refund");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let screen = render(&mut app, 120, 32);
    assert!(screen.contains("1/1"), "{screen}");
    assert!(screen.contains("refund"), "{screen}");
    snap(s.path(), "views_transcript_hits_120x32", &screen);
}

#[test]
fn search_bar_while_typing() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("agent:walid"), "{screen}");
    snap(s.path(), "views_search_typing_80x24", &screen);
}

#[test]
fn search_error_is_shown_whole() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "wait:>soon");
    let screen = render(&mut app, 80, 24);
    assert!(screen.to_lowercase().contains("wait"), "{screen}");
    snap(s.path(), "views_search_error_80x24", &screen);
}

#[test]
fn help_overlay() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('?'));
    let screen = render(&mut app, 100, 40);
    assert!(screen.contains("search"), "{screen}");
    snap(s.path(), "views_help_100x40", &screen);
}

#[test]
fn help_overlay_small() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('?'));
    let screen = render(&mut app, 60, 20);
    snap(s.path(), "views_help_60x20", &screen);
}

#[test]
fn problems_overlay() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('p'));
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("problem"), "{screen}");
    snap(s.path(), "views_problems_100x30", &screen);
}

#[test]
fn empty_result_of_a_search() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "zzzzqqq");
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("0/5"), "{screen}");
    snap(s.path(), "views_no_match_80x24", &screen);
}

#[test]
fn tiny_terminal() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 40, 10);
    snap(s.path(), "views_tiny_40x10", &screen);
}

#[test]
fn ctrl_f_pages_the_list() {
    let s = spool();
    let mut app = open(s.path());
    ctrl(&mut app, 'f');
    let screen = render(&mut app, 80, 24);
    snap(s.path(), "views_paged_80x24", &screen);
}

/// Draw `app` at `w`x`h` and map the cells that carry attributes (reverse video, bold,
/// underline), one line per row, failing on any colour: the plain theme (`NO_COLOR`) marks
/// selection and hits with attributes alone.
fn attribute_map(app: &mut App, w: u16, h: u16) -> String {
    let buf = frame(app, w, h);
    let mut map = String::new();
    for y in 0..h {
        let mut runs = Vec::new();
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "colour at {x},{y}: {:?}/{:?}",
                cell.fg,
                cell.bg
            );
            let m = cell.modifier;
            let start = x;
            while x < w && buf[(x, y)].modifier == m {
                x += 1;
            }
            if m != Modifier::empty() {
                runs.push(format!("{start}..{x} {m:?}"));
            }
        }
        if !runs.is_empty() {
            map.push_str(&format!("row {y:2}: {}\n", runs.join(", ")));
        }
    }
    map
}

fn plain(app: &mut App) {
    app.theme = Theme::pick(Some(ThemeName::Dark), true);
}

#[test]
fn no_color_uses_attributes_only() {
    let s = spool();
    let mut app = open(s.path());
    plain(&mut app);
    key(&mut app, KeyCode::Char('j'));
    let map = attribute_map(&mut app, 80, 24);
    assert!(
        map.contains("REVERSED"),
        "the selection is visible without colour\n{map}"
    );
    let screen = render(&mut app, 80, 24);
    snap(
        s.path(),
        "views_no_color_80x24",
        &format!("{screen}\n{map}"),
    );
}

#[test]
fn no_color_transcript_hits_are_marked() {
    let s = spool();
    let mut app = open(s.path());
    plain(&mut app);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "text:refund");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let screen = render(&mut app, 100, 24);
    let map = attribute_map(&mut app, 100, 24);
    let row = screen
        .lines()
        .position(|l| l.contains("I want a refund"))
        .expect("the hit's message is on screen");
    let text = screen.lines().nth(row).unwrap();
    let col = text[..text.find("refund").unwrap()].chars().count();
    let line = map
        .lines()
        .find(|l| l.starts_with(&format!("row {row:2}:")))
        .unwrap_or_else(|| panic!("row {row} carries no mark\n{map}"));
    assert!(
        line.contains(&format!("{col}..")),
        "the hit at column {col} is marked: {line}"
    );
    snap(
        s.path(),
        "views_no_color_hits_100x24",
        &format!("{screen}\n{map}"),
    );
}

#[test]
fn stats_view_at_80x24() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Stats 5 chats"), "{screen}");
    assert!(screen.contains("Mon") && screen.contains("Sun"), "{screen}");
    snap(s.path(), "views_stats_80x24", &screen);
}

#[test]
fn stats_view_at_200x50() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 200, 50);
    assert!(screen.contains("AGENT"), "{screen}");
    snap(s.path(), "views_stats_200x50", &screen);
}

#[test]
fn stats_view_no_color_median_wait_heatmap() {
    let s = spool();
    let mut app = open(s.path());
    plain(&mut app);
    key(&mut app, KeyCode::Char('i'));
    key(&mut app, KeyCode::Char('w'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Median wait"), "{screen}");
    let map = attribute_map(&mut app, 80, 24);
    snap(
        s.path(),
        "views_stats_no_color_wait_80x24",
        &format!("{screen}\n{map}"),
    );
}

// ---------------------------------------------------------------------------------------------
// Every figure whole, the stats table's keys, the sort mark, status messages and the layout.

/// Every word of the stats table's header line is a whole column name (`WAIT90`, not `T90`).
fn stats_header_is_whole(screen: &str) {
    let names = chatspool::tui::app::COLUMNS;
    let line = screen
        .lines()
        .find(|l| l.contains("AGENT"))
        .unwrap_or_else(|| panic!("no table header:\n{screen}"));
    for word in line
        .trim_matches(|c| c == '│' || c == ' ')
        .split_whitespace()
    {
        let word = word.trim_end_matches(['▼', '▲']);
        assert!(
            word == "AGENT" || names.contains(&word),
            "{word:?} is part of a column name:\n{screen}"
        );
    }
}

#[test]
fn stats_view_at_60x24_shows_whole_columns() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 60, 24);
    stats_header_is_whole(&screen);
    assert!(
        screen.contains("CHATS▼") && screen.contains("rows 1–3 of 3"),
        "{screen}"
    );
    snap(s.path(), "views_stats_60x24", &screen);
}

#[test]
fn stats_view_at_40x12_shows_whole_columns() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 40, 12);
    stats_header_is_whole(&screen);
    assert!(screen.contains("AVG★"), "{screen}");
    snap(s.path(), "views_stats_40x12", &screen);
}

#[test]
fn q_closes_the_stats_view_and_ctrl_c_still_quits() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit && !app.stats.open);
    key(&mut app, KeyCode::Char('i'));
    ctrl(&mut app, 'c');
    assert!(app.quit);
}

/// A spool of 19 chats, each with its own agent.
fn many_agents() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..19 {
        let id = format!("aaaa1111-0000-0000-0000-{i:012}");
        let c = support::chat(&id, "Vi", &format!("Agent {i:02}"), support::T0, "5", "");
        support::write(dir.path(), &format!("{i}.json"), c.to_string().as_bytes());
    }
    dir
}

#[test]
fn the_stats_table_moves_as_the_list_does_and_says_which_rows_show() {
    let s = many_agents();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('i'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("rows 1–5 of 19"), "{screen}");
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.stats.selected, 18);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("rows 15–19 of 19"), "{screen}");
    key(&mut app, KeyCode::Home);
    assert_eq!(app.stats.selected, 0);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.stats.selected, 5);
    ctrl(&mut app, 'u');
    assert_eq!(app.stats.selected, 0);
    ctrl(&mut app, 'd');
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.stats.selected, 13);
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.stats.selected, 0);
}

#[test]
fn the_sorted_column_is_marked() {
    let s = spool();
    let mut app = open(s.path());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("STARTED (UTC)▼"), "{screen}");
    key(&mut app, KeyCode::Char('s'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("STARTED (UTC)▲"), "oldest first:\n{screen}");
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('S'));
    plain(&mut app);
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("WAIT^"),
        "wait, reversed, no colour:\n{screen}"
    );
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('s'));
    }
    let screen = render(&mut app, 60, 20);
    assert!(
        screen.contains("RATE^"),
        "rating, reversed, narrow:\n{screen}"
    );
}

#[test]
fn esc_that_clears_the_search_returns_to_people_scope() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 't');
    typed(&mut app, "refund");
    assert!(app.search.transcript_scope);
    key(&mut app, KeyCode::Esc);
    assert!(!app.search.transcript_scope);
    key(&mut app, KeyCode::Char('/'));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.lines().any(|l| l == "/") && !screen.contains("text/"),
        "the prompt says people:\n{screen}"
    );
}

#[test]
fn a_name_search_that_finds_nothing_points_at_the_transcripts() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "refund");
    assert!(app.order.is_empty());
    let generation = app.search.generation;
    support::app::drive_msg(
        &mut app,
        chatspool::tui::event::Msg::TextHint {
            generation,
            chats: 4,
        },
    );
    let screen = render(&mut app, 100, 24);
    assert!(
        screen.contains("no name matches · 4 chats say \"refund\": Ctrl-T searches transcripts"),
        "{screen}"
    );
    // A later keystroke's answer drops the hint.
    typed(&mut app, "x");
    let screen = render(&mut app, 100, 24);
    assert!(!screen.contains("no name matches"), "{screen}");
}

#[test]
fn a_status_message_wins_the_room_and_a_file_name_is_never_cut() {
    let s = spool();
    let mut app = open(s.path());
    app.root = "/srv/chatspool/spools/production/eu-west-1/comm100/chat-ended".into();
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    key(&mut app, KeyCode::Enter);
    app.flash = Some(
        "exported 3 chats to ~/.local/share/chatspool/exports/chats-2020-09-01-120000.html".into(),
    );
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("chats-2020-09-01-120000.html"),
        "the file name is whole:\n{screen}"
    );
    app.flash = None;
    app.redact = true;
    app.follow = true;
    let screen = render(&mut app, 80, 24);
    let status = screen.lines().last().unwrap();
    assert!(
        status.contains("follow")
            && status.contains("redacted")
            && !status.contains("/srv/chatspool/spools"),
        "the path gives way to the flags:\n{status}"
    );
    app.flash = Some("copied the chat to the clipboard (8 lines)".into());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("(8 lines)"), "{screen}");
}

#[test]
fn zoom_cycles_the_focused_pane_normal_half_full_and_back() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Enter);
    let normal = app_areas(&mut app, 120, 32);
    key(&mut app, KeyCode::Char('+'));
    let half = app_areas(&mut app, 120, 32);
    assert!(half.transcript.width >= 60 && half.transcript.height > normal.transcript.height);
    snap(
        s.path(),
        "views_zoom_half_120x32",
        &render(&mut app, 120, 32),
    );
    key(&mut app, KeyCode::Char('+'));
    let full = app_areas(&mut app, 120, 32);
    assert_eq!((full.transcript.width, full.list.width), (120, 0));
    let screen = render(&mut app, 120, 32);
    assert!(
        screen.contains("Transcript") && !screen.contains("Chats 5/5"),
        "{screen}"
    );
    snap(s.path(), "views_zoom_full_120x32", &screen);
    key(&mut app, KeyCode::Char('_'));
    key(&mut app, KeyCode::Char('_'));
    let back = app_areas(&mut app, 120, 32);
    assert_eq!(back.transcript, normal.transcript);
    key(&mut app, KeyCode::Char('?'));
    let help = render(&mut app, 120, 60);
    assert!(help.contains("zoom the focused pane"), "{help}");
}

fn app_areas(app: &mut App, w: u16, h: u16) -> chatspool::tui::app::Areas {
    frame(app, w, h);
    app.panes.areas
}

#[test]
fn at_200x50_the_transcript_gets_the_room_the_details_do_not_use() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('j'));
    let a = app_areas(&mut app, 200, 50);
    assert!(a.transcript.width >= 140, "{a:?}");
    assert!(a.details.width <= 50, "{a:?}");
    assert_eq!(a.list.width, 200, "{a:?}");
    let screen = render(&mut app, 200, 50);
    assert!(screen.contains("┌ Details"), "{screen}");
    assert!(
        screen.contains("lines 1-"),
        "the details say where they are:\n{screen}"
    );
    snap(s.path(), "views_layout_200x50", &screen);
}

#[test]
fn bulk_tag_question_over_the_list() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "agent:walid");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('T'));
    typed(&mut app, "coaching");
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("tag 3 chats with \"coaching\"? y/n"),
        "{screen}"
    );
    snap(s.path(), "views_bulk_tag_question_80x24", &screen);
}

#[test]
fn saved_view_picker() {
    let s = spool();
    let mut app = open(s.path());
    app.views = chatspool::views::parse_file(
        "[views.coaching]\nquery = \"rating:<=2\"\n[views.walid]\nquery = \"agent:walid\"\n[views.weekend]\n",
    )
    .unwrap();
    key(&mut app, KeyCode::Char('v'));
    typed(&mut app, "w");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("view: w  walid · weekend"), "{screen}");
    snap(s.path(), "views_view_picker_80x24", &screen);
}

/// A slow reply's time under its clock is text (`! 3m 10s`), so it reads without colour, and
/// the details say who answered and how fast.
#[test]
fn no_color_slow_replies_are_marked() {
    let s = support::slow_spool();
    let mut app = open(s.path());
    plain(&mut app);
    key(&mut app, KeyCode::Char(']'));
    let screen = render(&mut app, 100, 24);
    assert!(
        screen.contains("! 3m 10s") && screen.contains("! 5m 00s"),
        "{screen}"
    );
    assert!(
        !screen.contains('⏱'),
        "an ASCII mark without colours: {screen}"
    );
    let map = attribute_map(&mut app, 100, 24);
    snap(
        s.path(),
        "views_no_color_slow_replies_100x24",
        &format!("{screen}\n{map}"),
    );
}

/// The longest reply and who spoke last as list columns, named by the config; the longest
/// reply keeps its column and gets the sort mark when the list is sorted by it.
#[test]
fn reply_and_last_columns() {
    use chatspool::view::columns::Column;
    let s = support::slow_spool();
    let mut opts = support::app::options(s.path());
    opts.columns = Some(vec![Column::Agents, Column::Reply, Column::Last]);
    let mut app = support::app::open_with(s.path(), opts);
    let screen = render(&mut app, 100, 12);
    let header = screen.lines().nth(1).unwrap();
    assert!(
        header.contains("REPLY") && header.contains("LAST"),
        "{screen}"
    );
    let row = screen.lines().nth(2).unwrap();
    assert!(
        row.contains("5m 00s") && row.contains(" agent "),
        "{screen}"
    );
    let mut sorted = support::app::open_with(s.path(), {
        let mut o = support::app::options(s.path());
        o.sort = Some(chatspool::query::SortKey::Reply);
        o
    });
    let screen = render(&mut sorted, 80, 12);
    assert!(
        screen.lines().nth(1).unwrap().contains("REPLY▼"),
        "{screen}"
    );
    snap(
        s.path(),
        "views_reply_columns_100x12",
        &render(&mut app, 100, 12),
    );
}
