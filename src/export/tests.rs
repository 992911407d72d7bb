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
            ..Default::default()
        }),
    }
}

fn render(format: Format, e: &Exported, r: Option<&Redactor>) -> String {
    let mut out = Vec::new();
    let opts = Options {
        mask: Mask(r),
        zone: Zone::Utc,
        reviews: None,
        levels: None,
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

/// What must not survive of a masked value: its digits (searched among the output's digits,
/// whatever separated them) or a piece of its text.
#[derive(Debug)]
enum Needle {
    Digits(String),
    Text(String),
}

/// `d` with its Luhn check digit appended.
fn with_luhn(d: &[u8]) -> Vec<u8> {
    let check = (0..10u8)
        .find(|&c| {
            let mut all = d.to_vec();
            all.push(c);
            crate::redact::luhn(&all)
        })
        .unwrap_or(0);
    let mut all = d.to_vec();
    all.push(check);
    all
}

/// Digits in another script: ASCII, full-width, Arabic-Indic or Devanagari.
fn script(d: &[u8], zero: u32) -> String {
    d.iter()
        .map(|&x| char::from_u32(zero + u32::from(x)).unwrap_or('?'))
        .collect()
}

fn groups(s: &[char], sep: &str) -> String {
    s.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(sep)
}

/// A generated card, e-mail, phone, IBAN or token in one of its disguises, and its needles.
fn disguised(
    kind: usize,
    how: usize,
    d: &[u8],
    word: &str,
    dom: &str,
    tok: &str,
) -> (String, Vec<Needle>) {
    const SEPS: &[&str] = &[
        "", " ", "-", ".", "/", "_", "\u{A0}", "\u{202F}", "\u{2009}", "%20",
    ];
    match kind {
        0 => {
            let mut first = vec![4 + d[0] % 2];
            first.extend_from_slice(&d[1..15]);
            let card = with_luhn(&first);
            let plain = script(&card, 0x30);
            let zero = [0x30, 0xFF10][how % 2];
            let chars: Vec<char> = script(&card, zero).chars().collect();
            let sep = SEPS[how / 2 % SEPS.len()];
            let shown = match sep {
                "%20" => format!("https://pay.example/?cc={}&x=1", groups(&chars, sep)),
                _ => format!("my card is {} thanks", groups(&chars, sep)),
            };
            (shown, vec![Needle::Digits(plain)])
        }
        1 => {
            let at = [
                "@", "＠", "(at)", " [at] ", " at ", " (at) ", "%40", "%2540",
            ][how % 8];
            let dot = [".", " (dot) ", "．"][how / 8 % 3];
            let shown = match at {
                "%40" | "%2540" => format!("https://shop.example/?email={word}{at}{dom}.com&utm=x"),
                _ => format!("write to {word}{at}{dom}{dot}com please"),
            };
            (
                shown,
                vec![Needle::Text(word.into()), Needle::Text(dom.into())],
            )
        }
        2 => {
            let mut phone = vec![2 + d[0] % 8];
            phone.extend_from_slice(&d[1..10]);
            let plain = script(&phone, 0x30);
            let cue = [
                "ph",
                "ph.",
                "tel:",
                "mob",
                "Telefon:",
                "Téléphone :",
                "Teléfono",
                "Telefone",
                "電話:",
                "tel",
                "Tel.",
                "call",
            ][how % 12];
            let zero = [0x30, 0xFF10, 0x0660, 0x0966][how / 12 % 4];
            (
                format!("{cue} {} thanks", script(&phone, zero)),
                vec![Needle::Digits(plain)],
            )
        }
        3 => {
            let country = ["DE", "GB", "FR", "NL", "ES"][how % 5];
            let bban = script(&d[..18], 0x30);
            let rearranged = format!("{bban}{country}00");
            let numeric: String = rearranged
                .bytes()
                .map(|c| match c {
                    b'A'..=b'Z' => (u32::from(c - b'A') + 10).to_string(),
                    c => char::from(c).to_string(),
                })
                .collect();
            let rem = numeric
                .bytes()
                .fold(0u32, |r, c| (r * 10 + u32::from(c - b'0')) % 97);
            let iban: Vec<char> = format!("{country}{:02}{bban}", 98 - rem).chars().collect();
            let shown = groups(&iban, ["", " ", "\u{A0}"][how / 5 % 3]);
            let shown = if how % 2 == 1 {
                shown.to_lowercase()
            } else {
                shown
            };
            (format!("my IBAN: {shown}."), vec![Needle::Digits(bban)])
        }
        _ => {
            let param = [
                "token",
                "access_token",
                "api_key",
                "key",
                "password",
                "secret",
                "sig",
                "auth",
            ];
            let shown = match how % 10 {
                8 => format!("https://user:{tok}@host.example/p"),
                9 => format!("https://h.example/cb?a=1#access_token={tok}&state=x"),
                n => format!("https://h.example/p?page=2&{}={tok}&x=1", param[n]),
            };
            (shown, vec![Needle::Text(tok.into())])
        }
    }
}

/// A chat holding `value` in the visitor's name, a message, the landing page, a custom field
/// and the rating comment.
fn holding(value: &str) -> Exported {
    let mut e = exported(value, &format!("hi, {value}"));
    if let Ok(chat) = &e.chat {
        let mut chat = (**chat).clone();
        chat.visitor.landing_page = Some(value.into());
        chat.visitor.custom_fields = vec![crate::model::Field {
            id: None,
            name: Some("Note".into()),
            value: Some(value.into()),
        }];
        chat.rating_comment = Some(value.into());
        e.chat = Ok(Arc::new(chat));
    }
    e
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// A card, e-mail, phone number, IBAN or URL token, in any of its disguises, never survives
    /// redaction in any format — not even once folded back to plain ASCII.
    #[test]
    fn a_masked_value_never_survives_in_any_format(
        kind in 0usize..5,
        how in 0usize..48,
        d in proptest::collection::vec(0u8..10, 18),
        word in "[a-z]{6,10}",
        dom in "[a-z]{5,9}",
        tok in "[A-Za-z0-9]{16,24}",
    ) {
        let (shown, needles) = disguised(kind, how, &d, &word, &dom, &tok);
        let e = holding(&shown);
        let red = Redactor::default();
        // The needles are there to find without redaction, so their absence below means something.
        let plain = crate::redact::folded(&render(Format::Json, &e, None)).to_lowercase();
        let plain_digits: String = plain.chars().filter(char::is_ascii_digit).collect();
        for n in &needles {
            let there = match n {
                Needle::Digits(x) => plain_digits.contains(x.as_str()),
                Needle::Text(x) => plain.contains(&x.to_lowercase()),
            };
            proptest::prop_assert!(there, "{shown:?}: no {n:?} in {plain}");
        }
        for f in [Format::Md, Format::Txt, Format::Html, Format::Csv, Format::Json, Format::Jsonl] {
            let out = render(f, &e, Some(&red));
            let folded = crate::redact::folded(&out).to_lowercase();
            let digits: String = folded.chars().filter(char::is_ascii_digit).collect();
            for n in &needles {
                let survived = match n {
                    Needle::Digits(x) => digits.contains(x.as_str()),
                    Needle::Text(x) => folded.contains(&x.to_lowercase()),
                };
                proptest::prop_assert!(!survived, "{f:?}: {shown:?} left {n:?} in {out}");
            }
        }
    }
}
