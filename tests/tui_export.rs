//! The viewer's ways out: `y`/`Y` copies, the `e` export menu and `R` redaction, driven by keys
//! on a test spool and drawn on a `TestBackend`.

mod support;

use chatspool::export::Format;
use chatspool::tui::app::{App, Effect, Overlay, Scope, EXPORT_CHOICES};
use chatspool::tui::event::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use support::app::{key, open, render};
use support::{chat, spool, write, T0};

/// Press a key and return the effects the runtime would carry out.
fn press(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

/// The test spool plus, newest of all, a chat full of personal data.
fn pii_spool() -> tempfile::TempDir {
    let s = spool();
    let mut c = chat(
        "eeee5555-0000-0000-0000-000000000005",
        "Eve",
        "Walid",
        T0 + 2 * 3_600_000 + 60_000,
        "3",
        "[11:00:05] Walid: Order 80890, right?⊙[11:00:09] Eve: card 4111 1111 1111 1111, mail eve@mail.example⊙",
    );
    c["visitor"]["ip"] = json!("73.158.17.199");
    c["visitor"]["phone"] = json!("5551230193");
    write(s.path(), "eve.json", c.to_string().as_bytes());
    s
}

fn copied(effects: Vec<Effect>) -> String {
    match effects.into_iter().next() {
        Some(Effect::Copy(clip)) => clip.text,
        other => panic!("no copy: {other:?}"),
    }
}

#[test]
fn y_copies_the_open_chat_as_markdown_and_capital_y_its_id() {
    let s = pii_spool();
    let mut app = open(s.path());
    let md = copied(press(&mut app, 'y'));
    assert!(md.starts_with("## Eve · "), "{md}");
    assert!(md.contains("**11:00:09 Eve** (visitor): card 4111 1111 1111 1111"));
    assert_eq!(
        copied(press(&mut app, 'Y')),
        "eeee5555-0000-0000-0000-000000000005"
    );
}

#[test]
fn capital_r_masks_the_screen_and_the_copies_until_pressed_again() {
    let s = pii_spool();
    let mut app = open(s.path());
    let before = render(&mut app, 140, 40);
    assert!(before.contains("73.158.17.199") && before.contains("eve@mail.example"));
    press(&mut app, 'R');
    let screen = render(&mut app, 140, 40);
    for leak in [
        "73.158.17.199",
        "eve@mail.example",
        "4111 1111",
        "5551230193",
    ] {
        assert!(!screen.contains(leak), "{leak} on screen:\n{screen}");
    }
    assert!(screen.contains("[ip]") && screen.contains("[card]") && screen.contains("80890"));
    let md = copied(press(&mut app, 'y'));
    assert!(!md.contains("4111") && !md.contains("eve@mail.example") && md.contains("\\[card\\]"));
    key(&mut app, KeyCode::Char('j'));
    assert!(
        render(&mut app, 140, 40).contains("redacted"),
        "the bar says so"
    );
    press(&mut app, 'R');
    key(&mut app, KeyCode::Char('k'));
    assert!(render(&mut app, 140, 40).contains("73.158.17.199"));
}

#[test]
fn e_opens_the_export_menu_and_each_choice_exports_what_it_says() {
    let s = pii_spool();
    let mut app = open(s.path());
    press(&mut app, 'e');
    assert_eq!(app.overlay, Overlay::Export);
    let screen = render(&mut app, 100, 30);
    for c in EXPORT_CHOICES {
        assert!(screen.contains(c.help), "{}\n{screen}", c.help);
    }
    assert!(
        screen.contains("chatspool/exports"),
        "says where:\n{screen}"
    );
    key(&mut app, KeyCode::Esc);
    for c in EXPORT_CHOICES {
        press(&mut app, 'e');
        let job = match press(&mut app, c.key).pop() {
            Some(Effect::Export(job)) => job,
            other => panic!("{}: {other:?}", c.key),
        };
        assert_eq!(app.overlay, Overlay::None);
        assert_eq!(job.format, c.format);
        assert!(job.file_name.ends_with(c.format.extension()));
        let ids: Vec<&str> = job.chats.iter().map(|s| &*s.id).collect();
        match c.scope {
            Scope::Chat => assert_eq!(ids, ["eeee5555-0000-0000-0000-000000000005"]),
            Scope::List => assert_eq!(ids.len(), app.order.len(), "the whole list, in order"),
        }
    }
    assert!(EXPORT_CHOICES.iter().any(|c| c.format == Format::Html));
    press(&mut app, 'e');
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn a_notice_from_a_finished_export_takes_the_status_bar() {
    let s = spool();
    let mut app = open(s.path());
    let path = "~/.local/share/chatspool/exports/list-20200901-120000.md";
    app.update(Msg::Notice(format!("exported 5 chats to {path}")));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains(path), "{screen}");
    let status = screen.lines().last().unwrap();
    assert!(
        status.ends_with("? help"),
        "help stays on the bar: {status}"
    );
}

#[test]
fn help_lists_the_new_keys() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('?'));
    let screen = render(&mut app, 120, 60);
    for want in [
        "copy the chat as Markdown",
        "copy the chat's id",
        "export the chat",
        "redact",
    ] {
        assert!(screen.contains(want), "{want}:\n{screen}");
    }
}

#[test]
fn copies_and_exports_carry_the_review_and_r_masks_the_notes_on_screen() {
    use chatspool::review::{Op, Record, Reviews};
    let s = pii_spool();
    let mut app = open(s.path());
    let id = "eeee5555-0000-0000-0000-000000000005";
    let at = chrono::DateTime::from_timestamp(1_600_000_000, 0).unwrap();
    let records = vec![
        Record::new(id, Op::Tag, "escalate", "bob", at),
        Record::new(
            id,
            Op::Note,
            "she gave 555-123-4567 and eve@mail.example",
            "bob",
            at,
        ),
        Record::new(id, Op::Review, "", "bob", at),
    ];
    app.update(Msg::Reviews(std::sync::Arc::new(Reviews::from_records(
        records,
    ))));
    let md = copied(press(&mut app, 'y'));
    for want in [
        "- Tags: escalate",
        "- Note: she gave 555-123-4567",
        "- Reviewed: ✓ bob",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    assert!(render(&mut app, 140, 40).contains("555-123-4567"));
    press(&mut app, 'R');
    let screen = render(&mut app, 140, 40);
    assert!(!screen.contains("555-123-4567"), "{screen}");
    assert!(screen.contains("escalate"), "{screen}");
    let md = copied(press(&mut app, 'y'));
    assert!(
        !md.contains("555-123-4567") && md.contains("\\[phone\\]"),
        "{md}"
    );
    press(&mut app, 'e');
    let Some(Effect::Export(job)) = press(&mut app, 'c').pop() else {
        panic!("no export");
    };
    assert!(job.redactor.is_some(), "the export is redacted too");
    assert!(job.reviews.get(id).is_some_and(|r| r.reviewed.is_some()));
}

#[test]
fn capital_y_copies_a_hostile_id_sanitised() {
    let s = spool();
    let c = chat(
        "zz\u{1b}]52;c;cHduZWQ=\u{7}id",
        "Mallory",
        "Walid",
        T0 + 9 * 3_600_000,
        "5",
        "",
    );
    write(s.path(), "m.json", c.to_string().as_bytes());
    let mut app = open(s.path());
    let id = copied(press(&mut app, 'Y'));
    assert!(id.starts_with("zz") && id.ends_with("id"), "{id:?}");
    assert!(!id.chars().any(|c| c.is_control()), "{id:?}");
}

#[test]
fn an_acknowledgement_is_seen_whole_however_long_the_status_bar() {
    let s = spool();
    let mut app = open(s.path());
    let said = "tagged coaching escalate great (saved)";
    app.flash = Some(said.into());
    for width in [60, 80, 120] {
        let screen = render(&mut app, width, 24);
        assert!(screen.contains(said), "{width} wide:\n{screen}");
        let status = screen.lines().last().unwrap();
        assert!(status.ends_with("? help"), "{status}");
    }
    // A notice longer than the screen is wide wraps (a path is read whole, never cut).
    let path = "/srv/share/team/lead/.local/share/chatspool/exports/list-20261130-132700.html";
    app.flash = Some(format!("exported 40 chats to {path}"));
    let screen = render(&mut app, 60, 24);
    let joined: String = screen.lines().map(str::trim).collect();
    assert!(joined.contains(path), "{screen}");
}
