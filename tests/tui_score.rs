//! The viewer's scoring form: `c` opens the rubric over the transcript, values are typed per
//! criterion, Enter saves one scorecard (through the review effect), Esc cancels, and a value
//! out of range keeps the form open with the reason.

mod support;

use chatspool::review::rubric::Rubric;
use chatspool::review::Op;
use crossterm::event::KeyCode;
use support::app::{key, open, render, typed, SAVED};
use support::spool;

use support::RUBRIC;

fn app_with_rubric(root: &std::path::Path) -> chatspool::tui::app::App {
    let mut app = open(root);
    app.rubrics = vec![Rubric::parse("qa", "qa.toml", RUBRIC).unwrap()];
    app
}

#[test]
fn the_form_scores_the_selected_chat_and_saves_one_scorecard() {
    SAVED.with(|s| s.borrow_mut().clear());
    let s = spool();
    let mut app = app_with_rubric(s.path());
    let chat = app.selected_chat().unwrap().id.clone();
    key(&mut app, KeyCode::Char('c'));
    assert!(app.score_form.is_some());
    let screen = render(&mut app, 120, 32);
    assert!(screen.contains("Score: Chat QA"), "{screen}");
    assert!(screen.contains("Greets the visitor"), "{screen}");
    assert!(screen.contains("pass/fail"), "{screen}");
    // Out of range: refused, the form stays open and says why.
    typed(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    assert!(app.score_form.is_some());
    assert!(SAVED.with(|s| s.borrow().is_empty()));
    let screen = render(&mut app, 120, 32);
    assert!(screen.contains("out of range"), "{screen}");
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "2");
    key(&mut app, KeyCode::Down);
    typed(&mut app, "pass");
    key(&mut app, KeyCode::Down);
    typed(&mut app, "n");
    key(&mut app, KeyCode::Down);
    typed(&mut app, "kind");
    key(&mut app, KeyCode::Enter);
    assert!(app.score_form.is_none());
    let saved = SAVED.with(|s| s.borrow().clone());
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].op, Op::Score);
    assert_eq!(saved[0].chat, *chat);
    let review = app.reviews.get(&chat).unwrap();
    assert_eq!(review.score(), Some(1000));
    assert_eq!(review.scorecards[0].comment.as_deref(), Some("kind"));
    assert_eq!(app.flash.as_deref(), Some("scored 100.0 (saved)"));
    // The details pane shows the scorecard; the form reopens with the values given.
    let screen = render(&mut app, 120, 32);
    assert!(screen.contains("Scorecards"), "{screen}");
    key(&mut app, KeyCode::Char('c'));
    let form = app.score_form.as_ref().unwrap();
    let texts: Vec<&str> = form.fields.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(texts, ["2", "pass", "", "kind"]);
    key(&mut app, KeyCode::Esc);
    assert!(app.score_form.is_none());
    assert_eq!(SAVED.with(|s| s.borrow().len()), 1, "Esc saves nothing");
}

#[test]
fn without_a_rubric_the_key_says_where_to_write_one() {
    let s = spool();
    let mut app = open(s.path());
    key(&mut app, KeyCode::Char('c'));
    assert!(app.score_form.is_none());
    let flash = app.flash.clone().unwrap_or_default();
    let folder = s.path().with_extension("reviews").join("rubrics");
    assert!(
        flash.contains("NAME.toml") && flash.contains(&folder.display().to_string()),
        "{flash}"
    );
}

#[test]
fn u_walks_a_named_sample_when_the_search_selects_it() {
    use chatspool::review::{Record, Reviews};
    use chatspool::tui::event::Msg;
    let s = spool();
    let mut app = open(s.path());
    let ids: Vec<String> = app
        .order
        .iter()
        .map(|&i| app.view.chats[i as usize].id.to_string())
        .collect();
    let at = support::app::now();
    // The sample holds the second to fourth chats of the list; the third is reviewed.
    let records = vec![
        Record::new(&ids[1], Op::Sample, "w1", "lead", at),
        Record::new(&ids[2], Op::Sample, "w1", "lead", at),
        Record::new(&ids[3], Op::Sample, "w1", "lead", at),
        Record::new(&ids[2], Op::Review, "", "lead", at),
    ];
    support::app::drive_msg(
        &mut app,
        Msg::Reviews(Reviews::from_records(records).into()),
    );
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "sample:w1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.order.len(), 3);
    assert_eq!(*app.selected_chat().unwrap().id, *ids[1]);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(*app.selected_chat().unwrap().id, *ids[3]);
}

#[test]
fn a_list_sorted_by_score_follows_new_scorecards() {
    use chatspool::query::SortKey;
    use chatspool::review::{card, Record, Reviews};
    use chatspool::tui::event::Msg;
    let s = spool();
    let mut app = app_with_rubric(s.path());
    app.sort = Some(SortKey::Score);
    let last = app.view.chats[*app.order.last().unwrap() as usize]
        .id
        .to_string();
    let rubric = app.rubrics[0].clone();
    let set = [("greeting".to_string(), "1".to_string())];
    let value = card::encode(&rubric.card(&set, &[], None).unwrap());
    let records = vec![Record::new(
        &last,
        Op::Score,
        &value,
        "lead",
        support::app::now(),
    )];
    support::app::drive_msg(
        &mut app,
        Msg::Reviews(Reviews::from_records(records).into()),
    );
    let first = &app.view.chats[app.order[0] as usize].id;
    assert_eq!(**first, *last, "the one scored chat goes first");
}

#[test]
fn rubrics_edited_while_the_viewer_runs_are_followed() {
    use chatspool::tui::event::Msg;
    let s = spool();
    let mut app = open(s.path());
    let qa = Rubric::parse("qa", "qa.toml", RUBRIC).unwrap();
    support::app::drive_msg(&mut app, Msg::Rubrics(vec![qa.clone()], Vec::new()));
    key(&mut app, KeyCode::Char('c'));
    assert!(
        app.score_form.is_some(),
        "a rubric written after start is offered"
    );
    // Another rubric appears: the open form keeps its own.
    let other = Rubric::parse("aaa", "aaa.toml", RUBRIC).unwrap();
    support::app::drive_msg(&mut app, Msg::Rubrics(vec![other, qa], Vec::new()));
    assert_eq!(app.score_form.as_ref().unwrap().rubric, 1);
    // Its own is edited: the form closes rather than save against a rubric that is gone.
    let edited = RUBRIC.replace(
        "points = 2\n[[criterion]]\nid = \"no-card",
        "points = 3\n[[criterion]]\nid = \"no-card",
    );
    let qa2 = Rubric::parse("qa", "qa.toml", &edited).unwrap();
    support::app::drive_msg(&mut app, Msg::Rubrics(vec![qa2], Vec::new()));
    assert!(app.score_form.is_none());
    assert!(app
        .flash
        .as_deref()
        .unwrap_or("")
        .contains("rubric changed"));
}
