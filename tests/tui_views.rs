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
