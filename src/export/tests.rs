use super::*;
use crate::model::{Entry, Visitor};
use crate::redact::Redactor;

fn exported(name: &str, text: &str) -> Exported {
    let chat = Chat {
        id: "c1".into(),
        visitor: Visitor {
            name: Some(name.into()),
            email: Some("ana@mail.example".into()),
            ..Visitor::default()
        },
        transcript: vec![Entry {
            kind: SpeakerKind::Visitor,
            speaker: Some(name.into()),
            time: Some("10:00:05".into()),
            at: None,
            text: text.into(),
        }],
        ..Chat::default()
    };
    Exported {
        summary: Arc::new(ChatSummary::from_chat(&chat)),
        chat: Ok(Arc::new(chat)),
        review: Some(crate::review::ChatReview {
            tags: vec!["coaching".into()],
            notes: vec![crate::review::Note {
                text: "call back".into(),
                author: "lead".into(),
                at: chrono::DateTime::from_timestamp(1_600_000_000, 0).unwrap(),
            }],
            reviewed: None,
        }),
    }
}

fn render(format: Format, e: &Exported, r: Option<&Redactor>) -> String {
    let mut out = Vec::new();
    let opts = Options {
        mask: Mask(r),
        zone: Zone::Utc,
        reviews: None,
    };
    write(&mut out, format, std::slice::from_ref(e), opts).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn markdown_escapes_markup_and_keeps_lines_apart() {
    let e = exported("<b>*Eve*</b>", "# not a heading\n- not a list\n1. nor this");
    let md = render(Format::Md, &e, None);
    assert!(md.contains("\\<b\\>\\*Eve\\*\\</b\\>"), "{md}");
    assert!(
        md.contains(": \\# not a heading  \n\\- not a list  \n1\\. nor this"),
        "{md}"
    );
    assert!(md.contains("- Tags: coaching"));
    assert!(
        md.contains("- Note: call back — lead, 2020-09-13 12:26"),
        "{md}"
    );
}

#[test]
fn html_escapes_names_messages_and_notes() {
    let e = exported("\"><img src=x onerror=alert(1)>", "a < b && c > d");
    let html = render(Format::Html, &e, None);
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("a &lt; b &amp;&amp; c &gt; d"));
}

#[test]
fn text_export_sanitises_escape_sequences() {
    let e = exported("Eve\u{1b}]52;c;aGk=\u{7}", "hi\u{1b}[2J");
    let txt = render(Format::Txt, &e, None);
    assert!(!txt.contains('\u{1b}') && !txt.contains('\u{7}'), "{txt:?}");
}

#[test]
fn redaction_reaches_fields_transcript_and_title() {
    let e = exported("ana@mail.example", "call +1 555 0193");
    let red = Redactor::default();
    for f in [
        Format::Md,
        Format::Txt,
        Format::Html,
        Format::Csv,
        Format::Json,
    ] {
        let out = render(f, &e, Some(&red));
        assert!(!out.contains("ana@mail.example"), "{f:?}: {out}");
        assert!(!out.contains("555 0193"), "{f:?}: {out}");
    }
}

#[test]
fn an_unreadable_chat_is_exported_with_its_row_and_the_reason() {
    let mut e = exported("Bo", "x");
    e.chat = Err("file vanished".into());
    let md = render(Format::Md, &e, None);
    assert!(md.contains("- Name: Bo") && md.contains("cannot read the chat: file vanished"));
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json, &e, None)).unwrap();
    assert_eq!(json[0]["error"], "file vanished");
}

#[test]
fn markdown_keeps_plain_exclamations_and_breaks_images() {
    let e = exported("Ana", "Thanks! ![x](http://tracker.example/p.png)");
    let md = render(Format::Md, &e, None);
    assert!(
        md.contains("Thanks! !\\[x\\](http://tracker.example/p.png)"),
        "{md}"
    );
}

#[cfg(unix)]
#[test]
fn the_export_directory_is_refused_inside_the_spool_by_any_route() {
    let t = tempfile::tempdir().unwrap();
    let spool = t.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    std::os::unix::fs::symlink(&spool, t.path().join("link")).unwrap();
    for data in [
        t.path().join("missing/../spool"),
        t.path().join("link"),
        t.path().join("link/deeper/.."),
    ] {
        let err = exports_in(Some(data.clone()), &spool).unwrap_err();
        assert!(
            err.contains("inside the spool"),
            "{}: {err}",
            data.display()
        );
    }
    let ok = exports_in(Some(t.path().join("data")), &spool).unwrap();
    assert_eq!(
        ok,
        std::fs::canonicalize(t.path())
            .unwrap()
            .join("data/exports")
    );
    assert!(
        !t.path().join("missing").exists(),
        "nothing created on the way"
    );
}

#[cfg(unix)]
#[test]
fn written_files_are_private_and_never_follow_a_planted_link() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let victim = t.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let file = t.path().join("out.md");
    // A link planted at the temporary name a writer used to pick is never written through.
    let planted = t.path().join(format!(".out.md.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    write_file(&file, |w| w.write_all(b"chat")).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "chat");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&file),
        0o600,
        "a new file holds chat content: user only"
    );
    // A file replaced keeps its own (here tighter) mode rather than a wider default.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
    write_file(&file, |w| w.write_all(b"again")).unwrap();
    assert_eq!(mode(&file), 0o400);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "again");
    let mut left: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    left.sort();
    let mut want = vec![planted, file, victim];
    want.sort();
    assert_eq!(left, want, "no temporary left behind");
}
