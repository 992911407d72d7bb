use super::*;

fn r(text: &str) -> String {
    Redactor::default().apply(text).into_owned()
}

#[test]
fn emails_are_masked_whole() {
    assert_eq!(
        r("write to ana.b+x@mail.example.co.uk."),
        "write to [email]."
    );
    assert_eq!(r("<ops@shop.example>"), "<[email]>");
    assert_eq!(
        r("not@an address, @handle, a@b"),
        "not@an address, @handle, a@b"
    );
}

#[test]
fn card_numbers_are_caught_however_they_are_grouped() {
    for card in [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
        "5500 0000 0000 0004",
        "3782 822463 10005",
        "6011 0009 9013 9424",
    ] {
        assert_eq!(r(&format!("card {card} ok")), "card [card] ok", "{card}");
    }
    assert_eq!(
        r("two: 4111 1111 1111 1111 5500 0000 0000 0004."),
        "two: [card] [card]."
    );
}

#[test]
fn numbers_that_are_not_cards_survive() {
    for keep in [
        "order 4111111111111112 (fails Luhn)",
        "ORD-4111111111111111",
        "order #80890 and #100045678",
        "ts 1717149600000 and 1598954400000",
        "2024-05-31T10:00:05Z",
        "[10:00:05] at 2024-05-31 10:00",
        "ref 12345678901234567890123",
        "v1.2.3.4 and Opera 114.0.5282.102",
        "€1 234 567 and 31.05.2024",
        "between 10-12 and 3-4 days",
        "invoice 2024-0042 and ticket #12345678",
        "order 80890 placed, ref 1234567890",
    ] {
        assert_eq!(r(keep), keep);
    }
}

#[test]
fn phone_numbers_in_common_shapes() {
    for phone in [
        "+1 555 0193",
        "+15551230193",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "0171 555 0199",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "01 23 45 67 89",
        "555-0193",
        "555.0193",
        "07700 900123",
        "07700900123",
        "0049 30 901820",
        "+1 555-0193",
    ] {
        assert_eq!(
            r(&format!("call {phone}, thanks")),
            "call [phone], thanks",
            "{phone}"
        );
    }
}

#[test]
fn ip_addresses_v4_and_v6() {
    assert_eq!(r("from 73.158.17.199."), "from [ip].");
    assert_eq!(r("host 10.0.0.1:8080"), "host [ip]:8080");
    assert_eq!(
        r("v6 2001:db8::8a2e:370:7334 and fe80::1"),
        "v6 [ip] and [ip]"
    );
    assert_eq!(
        r("full 2001:0db8:0000:0000:0000:ff00:0042:8329"),
        "full [ip]"
    );
    assert_eq!(
        r("not 999.1.1.1 nor 10:00:05"),
        "not 999.1.1.1 nor 10:00:05"
    );
}

#[test]
fn config_patterns_add_to_the_built_in_kinds() {
    let re = regex::Regex::new(r"ACME-\d+").unwrap();
    let red = Redactor::new(vec![re]);
    assert_eq!(
        red.apply("ticket ACME-991 for a@b.example"),
        "ticket [redacted] for [email]"
    );
}

#[test]
fn overlapping_spans_merge_and_text_stays_utf8() {
    let spans = merge(vec![
        (5..10, Kind::Phone),
        (3..8, Kind::Card),
        (12..14, Kind::Ip),
    ]);
    assert_eq!(spans, vec![(3..10, Kind::Card), (12..14, Kind::Ip)]);
    assert_eq!(r("山田 ana@mail.example 🙂"), "山田 [email] 🙂");
    assert_eq!(Mask(None).text("a@b.example"), "a@b.example");
}

#[test]
fn luhn_check() {
    assert!(scan::luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
    assert!(!scan::luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
}

#[test]
fn a_chat_loses_every_address_and_number_whatever_field_holds_it() {
    use crate::model::{Agent, Chat, Entry, Field, SpeakerKind, Visitor};
    let field = |name: &str, value: &str| Field {
        id: None,
        name: Some(name.into()),
        value: Some(value.into()),
    };
    let chat = Chat {
        id: "4111111111111111".into(),
        visitor: Visitor {
            name: Some("73.158.17.199".into()),
            email: Some("bob@localhost".into()),
            phone: Some("5551230193".into()),
            ip: Some("10.1.2.3".into()),
            custom_fields: vec![
                field("Mobile number", "5551230193"),
                field("E-mail", "ana at mail dot example"),
                field("Zip", "90210"),
                field("Order", "ORD-4111111111111111"),
            ],
            custom_variables: vec![field("client IP", "2001:db8::1"), field("shipping", "2")],
            ..Visitor::default()
        },
        agents: vec![Agent {
            name: "Walid".into(),
            email: Some("walid@corp".into()),
            id: None,
        }],
        transcript: vec![Entry {
            kind: SpeakerKind::Visitor,
            speaker: Some("73.158.17.199".into()),
            time: Some("10:00:05".into()),
            at: None,
            text: "card 4111 1111 1111 1111, order 80890".into(),
        }],
        ..Chat::default()
    };
    let c = Redactor::default().chat(&chat);
    assert_eq!(c.id, chat.id, "ids are kept");
    assert_eq!(c.visitor.name.as_deref(), Some("[ip]"));
    assert_eq!(c.visitor.email.as_deref(), Some("[email]"));
    assert_eq!(c.visitor.phone.as_deref(), Some("[phone]"));
    assert_eq!(c.visitor.ip.as_deref(), Some("[ip]"));
    let values = |fs: &[Field]| -> Vec<String> {
        fs.iter()
            .map(|f| f.value.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        values(&c.visitor.custom_fields),
        ["[phone]", "[email]", "90210", "ORD-4111111111111111"]
    );
    assert_eq!(values(&c.visitor.custom_variables), ["[ip]", "2"]);
    assert_eq!(c.agents[0].name, "Walid");
    assert_eq!(c.agents[0].email.as_deref(), Some("[email]"));
    assert_eq!(c.transcript[0].speaker.as_deref(), Some("[ip]"));
    assert_eq!(c.transcript[0].text, "card [card], order 80890");
}

#[test]
fn a_number_announced_as_a_phone_is_one_whatever_its_shape() {
    for said in [
        "tel: 5551230193",
        "call me at 5551230193",
        "my number is 5551230193",
    ] {
        let masked = r(said);
        assert!(masked.ends_with("[phone]"), "{said} -> {masked}");
    }
    assert_eq!(r("ref 5551230193"), "ref 5551230193");
}

#[test]
fn labels_leading_zeros_and_accented_addresses_do_not_hide_anything() {
    assert_eq!(r("card:4111111111111111"), "card:[card]");
    assert_eq!(r("ip 192.168.001.001 here"), "ip [ip] here");
    assert_eq!(
        r("write ana@münchen.de or josé@correo.es"),
        "write [email] or [email]"
    );
    assert_eq!(
        r("at 10:30:45 and ORD-4111111111111111"),
        "at 10:30:45 and ORD-4111111111111111"
    );
}

proptest::proptest! {
    /// Any text, ASCII digits and separators mixed with wide and accented letters, is masked
    /// without a panic (spans always fall on character boundaries).
    #[test]
    fn any_text_is_masked_without_a_panic(s in "[0-9 .:@+()\\-a-zé山🙂]{0,60}") {
        let _ = r(&s);
    }
}

#[test]
fn cards_with_other_separators_spaces_and_digits_are_caught() {
    for card in [
        "4111.1111.1111.1111",
        "4111/1111/1111/1111",
        "4111_1111_1111_1111",
        "4111\u{00A0}1111\u{00A0}1111\u{00A0}1111",
        "4111\u{202F}1111\u{202F}1111\u{202F}1111",
        "4111\u{2009}1111\u{2009}1111\u{2009}1111",
        "４１１１ １１１１ １１１１ １１１１",
        "４１１１１１１１１１１１１１１１",
        "4111\u{200B}1111\u{200B}1111\u{200B}1111",
        "4111\u{2010}1111\u{2010}1111\u{2010}1111",
    ] {
        assert_eq!(r(&format!("card {card} ok")), "card [card] ok", "{card}");
    }
    assert_eq!(
        r("https://pay.example/?cc=4111%201111%201111%201111&x=1"),
        "https://pay.example/?cc=[card]&x=1"
    );
    assert_eq!(r("cc=4111%25201111%25201111%25201111"), "cc=[card]");
    assert_eq!(r("«4111111111111111»"), "«[card]»");
}

#[test]
fn disguised_and_spelled_out_emails_are_caught() {
    for email in [
        "bob＠example.com",
        "bob＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "bob(at)example.com",
        "bob (at) example (dot) com",
        "bob [at] example [dot] com",
        "bob{at}example.com",
        "bob AT example.com",
        "bob at example dot com",
        "bob @ example.com",
    ] {
        assert_eq!(r(&format!("mail {email} ok")), "mail [email] ok", "{email}");
    }
    assert_eq!(
        r("https://shop.example/land?email=bob%40example.com&utm=x"),
        "https://shop.example/land?email=[email]&utm=x"
    );
    assert_eq!(r("?e=bob%2540example.com"), "?e=[email]");
}

#[test]
fn plain_english_at_is_not_an_address() {
    for keep in [
        "look at example.com for details",
        "we are at home.See you",
        "I'm at work.ok",
        "meet me at 10:30 at the shop",
        "available at shop.example.com",
        "that dot is a dotted line at noon",
        "price at 4.99 each",
        "stuck at checkout.what now",
        "Stuck at checkout.What now",
    ] {
        assert_eq!(r(keep), keep);
    }
}

#[test]
fn credentials_and_tokens_in_urls_are_masked() {
    assert_eq!(
        r("see https://user:pass@host.example/p?token=SECRET123&page=2"),
        "see https://[secret]@host.example/p?token=[secret]&page=2"
    );
    for name in [
        "access_token",
        "api_key",
        "key",
        "password",
        "secret",
        "sig",
        "auth",
        "X-Amz-Signature",
        "client_secret",
    ] {
        assert_eq!(
            r(&format!("https://h.example/a?x=1&{name}=s3cr3tV4lue#top")),
            format!("https://h.example/a?x=1&{name}=[secret]#top"),
            "{name}"
        );
    }
    assert_eq!(
        r("https://h.example/cb#access_token=abc.def&state=1"),
        "https://h.example/cb#access_token=[secret]&state=1"
    );
    assert_eq!(
        r("https://h.example/?page=2&monkey=1&keyboard=us"),
        "https://h.example/?page=2&monkey=1&keyboard=us"
    );
}

#[test]
fn ibans_are_masked_when_their_check_digits_hold() {
    for iban in [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "gb82west12345698765432",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91\u{00A0}ABNA\u{00A0}0417\u{00A0}1643\u{00A0}00",
    ] {
        assert_eq!(r(&format!("iban {iban} ok")), "iban [iban] ok", "{iban}");
    }
    for keep in [
        "iban DE88 3704 0044 0532 0130 00 ok",
        "sku AB12 CDEF GHIJ KLMN 1234",
        "model XY12345678901234",
    ] {
        assert_eq!(r(keep), keep);
    }
}

#[test]
fn phones_after_abbreviations_other_languages_and_scripts() {
    for said in [
        "ph 5551230193",
        "ph. 5551230193",
        "Ph: 5551230193",
        "tel:5551230193",
        "mob 5551230193",
        "mob. 5551230193",
        "Telefon: 5551230193",
        "Téléphone : 5551230193",
        "Teléfono 5551230193",
        "Telefone: 5551230193",
        "電話: 5551230193",
        "電話番号：５５５１２３０１９３",
        "電話5551230193",
        "tel ٥٥٥١٢٣٠١٩٣",
        "tel ५५५१२३०१९३",
        "tel ５５５１２３０１９３",
        "call ٥٥٥-١٢٣-٤٥٦٧",
        "Tel. 030/12345678",
    ] {
        let masked = r(said);
        assert!(masked.ends_with("[phone]"), "{said} -> {masked}");
        assert!(!masked.contains("555"), "{said} -> {masked}");
    }
}

#[test]
fn fields_named_in_other_languages_are_masked_whole() {
    for name in [
        "Telefon",
        "Téléphone",
        "Teléfono",
        "Telefone",
        "電話番号",
        "Tel.",
        "Mob",
    ] {
        assert_eq!(named_kind(name), Some(Kind::Phone), "{name}");
    }
    assert_eq!(named_kind("Correo electrónico"), Some(Kind::Email));
    assert_eq!(named_kind("IBAN"), Some(Kind::Iban));
    for name in ["Order number", "Text", "Zip", "Telegram channel"] {
        assert_eq!(named_kind(name), None, "{name}");
    }
}

#[test]
fn ordinary_numbers_times_and_prices_stay() {
    for keep in [
        "order 4111111111111112 shipped 2024/05/31",
        "paid €1.299,00 on 31/05/2024 at 10:30",
        "price 12.99 / 24.99, order #80890",
        "path /orders/80890/items/2",
        "file report_2024_05_31.pdf",
        "version 114.0.5282.102 at 100% load",
        "１２時３０分に注文80890",
        "ratio 3/4 and 10_000 units",
        "ticket #2024_05_31_001, 24.99 / 12.99",
        "token count 5, key points",
    ] {
        assert_eq!(r(keep), keep);
    }
}
