//! Conventions terminal users expect, from the outside: `--version` everywhere, completions,
//! the man page, the config file, `--log`, `doctor`, and a word on stderr for an empty spool.

mod support;

use std::path::Path;
use support::{bin, home, spool};

fn stdout(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The binary reading its config from `dir`.
fn configured(dir: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.env("XDG_CONFIG_HOME", dir);
    c
}

/// A private config directory holding `text` as config.toml.
fn config_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("chatspool")).unwrap();
    std::fs::write(dir.path().join("chatspool/config.toml"), text).unwrap();
    dir
}

#[test]
fn version_is_accepted_by_every_command() {
    for sub in [
        "list",
        "show",
        "stats",
        "check",
        "watch",
        "doctor",
        "completions",
        "man",
        "config",
    ] {
        let out = stdout(&[sub, "--version"]);
        assert!(out.contains(env!("CARGO_PKG_VERSION")), "{sub}: {out}");
    }
    assert!(stdout(&["--version"]).starts_with("chatspool "));
}

#[test]
fn an_empty_spool_says_so_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().arg("list").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("no chats in {}", dir.path().display())),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    // A spool with chats says nothing.
    let s = spool();
    let out = bin().arg("list").arg(s.path()).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = stdout(&["completions", shell]);
        for word in ["doctor", "completions", "no-cache", "log"] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    let bad = bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let out = stdout(&["man"]);
    assert!(
        out.contains(".TH chatspool 1"),
        "{}",
        &out[..200.min(out.len())]
    );
    for cmd in ["list", "show", "stats", "check", "watch", "doctor"] {
        assert!(out.contains(cmd), "{cmd}");
    }
}

#[test]
fn config_path_and_print_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = configured(dir.path())
        .args(["config", "--path"])
        .output()
        .unwrap();
    let path = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        Path::new(path.trim()),
        dir.path().join("chatspool/config.toml")
    );
    let default = stdout(&["config", "--print-default"]);
    for key in [
        "spool", "sort", "theme", "tz", "columns", "[keys]", "redact",
    ] {
        assert!(default.contains(key), "{key}");
    }
    // The printed default is a valid config file.
    let cfg = config_dir(&default);
    let s = spool();
    let out = configured(cfg.path())
        .arg("list")
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Neither flag is a usage error.
    assert_eq!(bin().arg("config").output().unwrap().status.code(), Some(2));
}

#[test]
fn config_sets_spool_sort_and_columns_and_flags_override_it() {
    let s = spool();
    let cfg = config_dir(&format!(
        "spool = {:?}\nsort = \"oldest\"\ncolumns = [\"visitor\", \"rating\"]\n",
        s.path()
    ));
    let run = |args: &[&str]| {
        let out = configured(cfg.path()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&["list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["VISITOR", "RATING"]
    );
    assert!(lines[1].starts_with("testName"), "oldest first: {table}");
    let newest = run(&["list", "--sort", "newest"]);
    assert!(
        newest.lines().nth(1).unwrap().starts_with("Carol"),
        "{newest}"
    );
    // The spool argument wins over the config's.
    let other = tempfile::tempdir().unwrap();
    let out = configured(cfg.path())
        .arg("list")
        .arg(other.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no chats in"));
    // And `show ID` alone finds the config's spool.
    assert!(run(&["show", "aaaa1111"]).contains("Alice"));
}

#[test]
fn a_bad_config_is_a_usage_error_naming_key_and_line() {
    let s = spool();
    for (text, want) in [
        (
            "sort = \"wait\"\ncolour = \"red\"\n",
            ":2: unknown field `colour`",
        ),
        ("\ntz = \"Mars/Base\"\n", ":2: tz: unknown time zone"),
        (
            "columns = [\"visitor\", \"mood\"]\n",
            ":1: columns: unknown column \"mood\"",
        ),
        (
            "[keys]\nsearch = \"j\"\n",
            ":2: keys.search: j is already bound to down",
        ),
        ("redact = ['(']\n", ":1: redact: bad pattern"),
    ] {
        let cfg = config_dir(text);
        let out = configured(cfg.path())
            .arg("list")
            .arg(s.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.starts_with("chatspool: ") && err.contains(want),
            "{text}: {err}"
        );
        // `config` and `doctor` still run, to help fix it; doctor fails on it.
        let path = configured(cfg.path())
            .args(["config", "--path"])
            .output()
            .unwrap();
        assert!(path.status.success());
        let doc = configured(cfg.path())
            .arg("doctor")
            .arg(s.path())
            .output()
            .unwrap();
        assert_eq!(doc.status.code(), Some(1));
        let report = String::from_utf8(doc.stdout).unwrap();
        assert!(
            report
                .lines()
                .any(|l| l.starts_with("FAIL  config") && l.contains(want)),
            "{report}"
        );
    }
}

#[test]
fn log_file_gets_cache_and_load_details_and_stdout_stays_clean() {
    let s = spool();
    let logdir = tempfile::tempdir().unwrap();
    let log = logdir.path().join("chatspool.log");
    let plain = bin().arg("list").arg(s.path()).output().unwrap();
    let out = bin()
        .args(["list", "--log"])
        .arg(&log)
        .arg(s.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, plain.stdout, "logging never changes the output");
    assert!(out.stderr.is_empty());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("spool loaded") && text.contains("parsed="),
        "{text}"
    );
    assert!(text.contains("files with problems"), "{text}");
    assert!(
        !text.contains("problem path"),
        "per-file problems only at debug: {text}"
    );
    // CHATSPOOL_LOG raises the level; appended, not overwritten.
    let out = bin()
        .env("CHATSPOOL_LOG", "debug")
        .args(["check", "--log"])
        .arg(&log)
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let more = std::fs::read_to_string(&log).unwrap();
    assert!(more.starts_with(&text));
    assert!(more.contains("broken/truncated.json"), "{more}");
    // Without --log, CHATSPOOL_LOG goes to stderr for a one-shot command.
    let out = bin()
        .env("CHATSPOOL_LOG", "info")
        .arg("list")
        .arg(s.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("spool loaded"));
    assert_eq!(out.stdout, plain.stdout);
}

#[test]
fn log_mistakes_are_usage_errors() {
    let s = spool();
    let out = bin()
        .env("CHATSPOOL_LOG", "loud[")
        .arg("list")
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CHATSPOOL_LOG"));
    let out = bin()
        .args(["list", "--log", "/nonexistent/dir/x.log"])
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Never inside the spool.
    let inside = s.path().join("chatspool.log");
    let out = bin()
        .args(["list", "--log"])
        .arg(&inside)
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
}

/// Every check `doctor` runs, by the name it prints.
const DOCTOR_CHECKS: [&str; 6] = [
    "config",
    "spool",
    "filesystem",
    "inotify",
    "cache",
    "terminal",
];

#[test]
fn doctor_reports_each_check_and_fails_on_a_missing_spool() {
    let s = spool();
    let out = bin().arg("doctor").arg(s.path()).output().unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    for name in DOCTOR_CHECKS {
        assert!(
            report
                .lines()
                .any(|l| l.get(6..).is_some_and(|r| r.starts_with(name))),
            "{name}: {report}"
        );
    }
    assert!(
        report
            .lines()
            .all(|l| ["OK  ", "WARN", "FAIL"].contains(&&l[..4])),
        "{report}"
    );
    assert!(report.contains("5 chats in"), "{report}");
    assert!(report.contains("3 problems"), "{report}");
    assert_eq!(out.status.code(), Some(0), "warnings alone pass: {report}");
    let out = bin()
        .args(["doctor", "/nonexistent/spool"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL  spool"));
}

#[test]
fn the_private_home_holds_what_chatspool_writes() {
    // support::bin() points every directory into the per-process home.
    let out = stdout(&["config", "--path"]);
    assert!(Path::new(out.trim()).starts_with(home()), "{out}");
}

#[test]
fn doctor_json_gives_the_same_checks_for_scripts() {
    let s = spool();
    let out = bin()
        .args(["doctor", "--json"])
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    let names: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    for name in DOCTOR_CHECKS {
        assert!(names.contains(&name), "{name}: {v}");
    }
    for c in checks {
        assert!(
            ["ok", "warn", "fail"].contains(&c["status"].as_str().unwrap()),
            "{c}"
        );
        assert!(!c["message"].as_str().unwrap().is_empty(), "{c}");
    }
    let spool_check = checks.iter().find(|c| c["check"] == "spool").unwrap();
    assert_eq!(spool_check["status"], "warn", "3 problems: {spool_check}");
    assert_eq!(v["failed"], false);
    let out = bin()
        .args(["doctor", "--json", "/nonexistent/spool"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed"], true);
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["check"] == "spool" && c["status"] == "fail"));
}
