use super::*;

fn err(text: &str) -> (Option<usize>, String) {
    Config::parse(text).expect_err(text)
}

#[test]
fn an_empty_file_and_the_printed_default_are_the_defaults() {
    for text in ["", &default_text()] {
        let c = Config::parse(text).unwrap();
        assert!(c.spool.is_none() && c.sort.is_none() && c.theme.is_none() && c.tz.is_none());
        assert!(c.columns.is_none() && c.keys.is_empty() && c.redact.is_empty());
        assert!(c.views.is_empty());
    }
}

#[test]
fn the_printed_default_works_once_uncommented() {
    let text: String = default_text()
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|r| r.contains(" = ") || r.starts_with('['))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let c = Config::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(c.sort, Some(SortKey::Newest));
    assert_eq!(c.tz, Some(Zone::Utc));
    assert_eq!(c.columns.as_deref(), Some(&Column::DEFAULT[..]));
    assert_eq!(c.keys.len(), 2);
    assert_eq!(c.redact.len(), 2);
    assert!(c.redact[0].is_match("card 4111 1111 1111 1111 ok"));
    let sla = c.sla.expect("the [sla] example");
    assert_eq!((sla.first_response, sla.reply), (Some(60), Some(120)));
    assert!(sla.hours.is_some());
    assert_eq!(c.views.len(), 1);
    assert_eq!(c.views[0].sort, Some(SortKey::Rating));
}

#[test]
fn every_key_is_read() {
    let c = Config::parse(
        r#"
spool = "/srv/spool"
sort = "wait"
theme = "light"
tz = "Europe/Berlin"
columns = ["visitor", "RATING", "dur"]
redact = ['\d{16}']

[keys]
quit = "x"
page_down = ["ctrl-f", "pgdn"]
"#,
    )
    .unwrap();
    assert_eq!(c.spool, Some(PathBuf::from("/srv/spool")));
    assert_eq!(c.sort, Some(SortKey::Wait));
    assert_eq!(c.theme, Some(ThemeName::Light));
    assert_eq!(c.tz, Some("Europe/Berlin".parse().unwrap()));
    assert_eq!(
        c.columns,
        Some(vec![Column::Visitor, Column::Rating, Column::Duration])
    );
    assert_eq!(c.keys[0].0, Action::Quit);
    assert_eq!(c.keys[1].0, Action::PageDown);
    assert_eq!(c.keys[1].1.len(), 2);
    assert!(c.redact[0].is_match("1234567812345678"));
}

#[test]
fn unknown_keys_are_errors_with_their_line() {
    let (line, msg) = err("sort = \"wait\"\ncolour = \"red\"\n");
    assert_eq!(line, Some(2));
    assert!(msg.contains("colour"), "{msg}");
    let (line, msg) = err("[keys]\nquit = \"x\"\nlaunch = \"l\"\n");
    assert_eq!(line, Some(3));
    assert!(
        msg.contains("keys.launch") && msg.contains("unknown action"),
        "{msg}"
    );
    let (line, msg) = err("[colors]\nbg = 1\n");
    assert_eq!(line, Some(1));
    assert!(msg.contains("colors"), "{msg}");
}

#[test]
fn bad_values_name_the_key_and_line() {
    for (text, line, key, what) in [
        ("\n\nsort = \"fastest\"\n", 3, "sort", "fastest"),
        ("sort = 3\n", 1, "sort", "string"),
        ("theme = \"neon\"\n", 1, "theme", "neon"),
        ("tz = \"Mars/Olympus\"\n", 1, "tz", "Mars/Olympus"),
        ("tz = \"+25:00\"\n", 1, "tz", "+25:00"),
        (
            "columns = [\"visitor\",\n  \"colour\"]\n",
            2,
            "columns",
            "colour",
        ),
        ("columns = []\n", 1, "columns", "no column"),
        ("columns = [\"id\", \"id\"]\n", 1, "columns", "twice"),
        ("redact = ['(unclosed']\n", 1, "redact", "(unclosed"),
        ("redact = 'x'\n", 1, "redact", "sequence"),
        ("[keys]\nquit = \"hyper-q\"\n", 2, "keys.quit", "hyper-q"),
        ("[keys]\nquit = 7\n", 2, "keys.quit", "key name"),
        ("[keys]\nquit = []\n", 2, "keys.quit", "no key"),
        ("[keys]\nsearch = \"j\"\n", 2, "keys.search", "down"),
        ("spool = \"\"\n", 1, "spool", "empty"),
        (
            "sort = \"wait\"\nsort = \"oldest\"\n",
            2,
            "sort",
            "duplicate",
        ),
    ] {
        let (l, msg) = err(text);
        assert_eq!(l, Some(line), "{text}: {msg}");
        assert!(msg.contains(key) && msg.contains(what), "{text}: {msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
    }
}

#[test]
fn a_missing_file_is_the_defaults_and_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    assert!(Config::load_from(&p).unwrap().sort.is_none());
    std::fs::write(&p, "sort = \"wait\"\ntheme = 1\n").unwrap();
    let e = Config::load_from(&p).unwrap_err();
    assert_eq!(e.line, Some(2));
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:2: theme", p.display())),
        "{shown}"
    );
    std::fs::write(&p, b"sort = \"\xff\"\n").unwrap();
    assert!(Config::load_from(&p).unwrap_err().message.contains("UTF-8"));
}

#[test]
fn the_sla_table_is_read() {
    let c = Config::parse(
        "[sla]\nfirst_response = \"1m\"\nreply = \"1h30m\"\nhours = \"Mon-Fri 09:00-18:00, Sat 10:00-14:00\"\ntz = \"Europe/Berlin\"\n",
    )
    .unwrap();
    let sla = c.sla.unwrap();
    assert_eq!((sla.first_response, sla.reply), (Some(60), Some(5400)));
    assert_eq!(sla.hours.as_ref().unwrap().tz(), chrono_tz::Europe::Berlin);
    let c = Config::parse("[sla]\nreply = \"90s\"\n").unwrap();
    let sla = c.sla.unwrap();
    assert_eq!(
        (sla.first_response, sla.reply, sla.hours.as_ref()),
        (None, Some(90), None)
    );
    assert!(
        Config::parse("[sla]\n").unwrap().sla.is_none(),
        "no level set"
    );
    assert!(Config::parse("").unwrap().sla.is_none());
}

#[test]
fn bad_sla_values_name_the_key_and_line() {
    for (text, line, key, what) in [
        (
            "[sla]\nfirst_response = \"soon\"\n",
            2,
            "sla.first_response",
            "soon",
        ),
        (
            "[sla]\n\nreply = \"2 fortnights\"\n",
            3,
            "sla.reply",
            "fortnights",
        ),
        ("[sla]\nreply = \"400d\"\n", 2, "sla.reply", "year"),
        ("[sla]\nreply = 120\n", 2, "sla.reply", "string"),
        (
            "[sla]\nreply = \"2m\"\nhours = \"Mon-Fri 18:00-09:00\"\ntz = \"UTC\"\n",
            3,
            "sla.hours",
            "before it starts",
        ),
        (
            "[sla]\nreply = \"2m\"\nhours = \"Mon-Fri 09:00-18:00\"\n",
            3,
            "sla.hours",
            "needs tz",
        ),
        (
            "[sla]\nreply = \"2m\"\ntz = \"Mars/Olympus\"\n",
            3,
            "sla.tz",
            "Mars/Olympus",
        ),
        (
            "[sla]\nreply = \"2m\"\ntz = \"UTC\"\n",
            3,
            "sla.tz",
            "no hours",
        ),
        (
            "[sla]\nreply = \"2m\"\ngrace = \"1m\"\n",
            3,
            "grace",
            "unknown field",
        ),
    ] {
        let (l, msg) = err(text);
        assert_eq!(l, Some(line), "{text}: {msg}");
        assert!(msg.contains(key) && msg.contains(what), "{text}: {msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
    }
    let (l, msg) = err("[sla]\nhours = \"Mon-Fri 09:00-18:00\"\ntz = \"UTC\"\n");
    assert!(l.is_some() && msg.contains("no level"), "{l:?} {msg}");
}
