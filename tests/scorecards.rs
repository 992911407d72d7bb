//! Scorecards, calibration and samples from the outside: the real binary scores chats against a
//! rubric kept in a temporary review directory, and every view reads the scores back.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;

mod support;

const ALICE: &str = "aaaa1111-0000-0000-0000-000000000001";
const BOB: &str = "bbbb2222-0000-0000-0000-000000000002";

use support::RUBRIC;

/// Temp XDG directories, a shared review directory holding `rubrics/qa.toml`.
struct Env {
    home: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            home: tempfile::tempdir().unwrap(),
        };
        support::write(&env.reviews(), "rubrics/qa.toml", RUBRIC.as_bytes());
        env
    }

    fn reviews(&self) -> PathBuf {
        self.home.path().join("reviews")
    }

    fn cmd(&self, user: &str, args: &[&str], spool: &Path) -> std::process::Command {
        let mut c = support::command();
        c.arg(args[0]).arg(spool).args(&args[1..]);
        c.env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("XDG_CACHE_HOME", self.home.path().join("cache"))
            .env("HOME", self.home.path())
            .env("USER", user)
            .env("CHATSPOOL_REVIEW_DIR", self.reviews());
        c
    }

    fn run(&self, user: &str, args: &[&str], spool: &Path) -> (i32, String, String) {
        let out = self.cmd(user, args, spool).output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, user: &str, args: &[&str], spool: &Path) -> String {
        let (code, out, err) = self.run(user, args, spool);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    }

    fn json(&self, args: &[&str], spool: &Path) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.ok("ann", &args, spool)).unwrap()
    }

    /// Every journal's bytes, to see that nothing was written.
    fn journals(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(self.reviews()).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "journal") {
                out.extend(std::fs::read(e.path()).unwrap());
            }
        }
        out
    }
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn a_scorecard_is_recorded_and_every_view_reads_it() {
    let s = support::spool();
    let env = Env::new();
    let line = env.ok(
        "ann",
        &[
            "score",
            ALICE,
            "--rubric",
            "qa",
            "--set",
            "greeting=2",
            "--set",
            "no-card-number=pass",
            "--set",
            "empathy=1",
            "--comment",
            "warm",
        ],
        s.path(),
    );
    assert!(line.contains("75.0"), "{line}");
    assert_eq!(line.lines().count(), 1);
    let got = env.json(&["score", ALICE], s.path());
    assert_eq!(got["id"], ALICE);
    assert_eq!(got["score"], 75.0);
    let card = &got["scorecards"][0];
    assert_eq!(card["by"], "ann");
    assert_eq!(card["rubric"], "qa");
    assert_eq!(card["score"], 75.0);
    assert_eq!(card["comment"], "warm");
    assert_eq!(
        card["items"],
        json!({"greeting": 2, "no-card-number": "pass", "empathy": 1})
    );
    // A second reviewer; then the first re-scores, replacing only their own.
    env.ok(
        "bob",
        &[
            "score",
            ALICE,
            "--rubric",
            "qa",
            "--set",
            "greeting=1",
            "--na",
            "empathy",
        ],
        s.path(),
    );
    env.ok(
        "ann",
        &[
            "score",
            ALICE,
            "--rubric",
            "qa",
            "--set",
            "greeting=2",
            "--set",
            "empathy=2",
        ],
        s.path(),
    );
    let got = env.json(&["score", ALICE], s.path());
    assert_eq!(got["scorecards"].as_array().unwrap().len(), 2);
    // ann 100, bob 50.
    assert_eq!(got["score"], 75.0);
    // An auto-fail makes bob's 0.
    env.ok(
        "bob",
        &[
            "score",
            BOB,
            "--rubric",
            "qa",
            "--set",
            "greeting=2",
            "--set",
            "no-card-number=fail",
        ],
        s.path(),
    );
    let list = env.json(&["list"], s.path());
    assert_eq!(by_id(&list, ALICE)["score"], 75.0);
    assert_eq!(by_id(&list, BOB)["score"], 0.0);
    assert!(by_id(&list, "cccc3333-0000-0000-0000-000000000003")["score"].is_null());
    let show = env.json(&["show", ALICE], s.path());
    assert_eq!(show["review"]["scorecards"].as_array().unwrap().len(), 2);
    let ids = |q: &str| -> Vec<String> {
        let list = env.json(&["list", "--query", q], s.path());
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap()[..4].to_string())
            .collect()
    };
    assert_eq!(ids("score:<80"), ["bbbb", "aaaa"]);
    assert_eq!(ids("score:>=75"), ["aaaa"]);
    assert_eq!(ids("score:75.0"), ["aaaa"]);
    let unscored = ids("scored:no");
    assert!(unscored.contains(&"cccc".to_string()), "{unscored:?}");
    assert!(!unscored.contains(&"aaaa".to_string()), "{unscored:?}");
    assert_eq!(ids("scored:yes !score:0"), ["aaaa"]);
    let sorted = env.json(&["list", "--sort", "score"], s.path());
    let order: Vec<&str> = sorted
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"].as_str().unwrap()[..4])
        .collect();
    assert_eq!(order[..2], ["aaaa", "bbbb"]);
    let stats = env.json(&["stats"], s.path());
    assert_eq!(stats["scored"], 2);
    assert_eq!(stats["avg_score"], 37.5);
    let walid = stats["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Walid")
        .unwrap();
    assert_eq!(walid["scored"], 1);
    assert_eq!(walid["avg_score"], 75.0);
    let csv = env.ok("ann", &["export", "--format", "csv"], s.path());
    let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == "score").unwrap();
    let alice = csv.lines().find(|l| l.starts_with(ALICE)).unwrap();
    assert_eq!(alice.split(',').nth(col), Some("75.0"), "{alice}");
    let md = env.ok(
        "ann",
        &["export", "--format", "md", "--query", "id:aaaa"],
        s.path(),
    );
    assert!(md.contains("Scorecards"), "{md}");
    assert!(md.contains("greeting 2/2"), "{md}");
}

#[test]
fn a_bad_value_or_criterion_is_exit_2_and_writes_nothing() {
    let s = support::spool();
    let env = Env::new();
    env.ok(
        "ann",
        &["score", ALICE, "--rubric", "qa", "--set", "greeting=1"],
        s.path(),
    );
    let before = env.journals();
    for args in [
        &["score", ALICE, "--rubric", "qa", "--set", "greeting=3"][..],
        &["score", ALICE, "--rubric", "qa", "--set", "greeting=-1"],
        &["score", ALICE, "--rubric", "qa", "--set", "nope=1"],
        &["score", ALICE, "--rubric", "qa", "--na", "nope"],
        &[
            "score",
            ALICE,
            "--rubric",
            "qa",
            "--set",
            "no-card-number=2",
        ],
        &["score", ALICE, "--rubric", "qa", "--set", "greeting"],
        &["score", ALICE, "--rubric", "missing"],
        &["score", ALICE, "--set", "greeting=1"],
    ] {
        let (code, _, err) = env.run("ann", args, s.path());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(env.journals(), before);
}

#[test]
fn a_bad_rubric_is_one_error_naming_file_line_and_key() {
    let s = support::spool();
    let env = Env::new();
    support::write(
        &env.reviews(),
        "rubrics/bad.toml",
        b"title = \"x\"\n[[criterion]]\nid = \"a\"\nlabel = \"A\"\npoints = 0\n",
    );
    let (code, _, err) = env.run(
        "ann",
        &["score", ALICE, "--rubric", "bad", "--set", "a=0"],
        s.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("bad.toml:5"), "{err}");
    assert!(err.contains("criterion.points"), "{err}");
    // A rubric kept elsewhere, by path.
    let file = env.home.path().join("other.toml");
    std::fs::write(&file, RUBRIC).unwrap();
    let out = env.ok(
        "ann",
        &[
            "score",
            ALICE,
            "--rubric",
            file.to_str().unwrap(),
            "--set",
            "greeting=2",
        ],
        s.path(),
    );
    assert!(out.contains("100.0"), "{out}");
}

#[test]
fn calibration_compares_reviewers() {
    let s = support::spool();
    let env = Env::new();
    let score = |user: &str, id: &str, g: &str, e: &str| {
        env.ok(
            user,
            &[
                "score",
                id,
                "--rubric",
                "qa",
                "--set",
                &format!("greeting={g}"),
                "--set",
                &format!("empathy={e}"),
            ],
            s.path(),
        );
    };
    score("ann", ALICE, "2", "2");
    score("bob", ALICE, "2", "0");
    score("ann", BOB, "1", "1");
    score("bob", BOB, "1", "1");
    let cal = env.json(&["calibrate"], s.path());
    assert_eq!(cal["chats"], 2);
    assert_eq!(
        cal["criteria"],
        json!([
            {"id": "empathy", "agreement": 0.5},
            {"id": "greeting", "agreement": 1.0},
            {"id": "no-card-number", "agreement": 1.0},
        ])
    );
    assert_eq!(cal["spread_mean"], 25.0);
    assert_eq!(
        cal["reviewers"],
        json!([
            {"by": "ann", "chats": 2, "mean_offset": 12.5},
            {"by": "bob", "chats": 2, "mean_offset": -12.5},
        ])
    );
    let cal = env.json(&["calibrate", "--query", "id:bbbb"], s.path());
    assert_eq!(cal["chats"], 1);
    assert_eq!(cal["spread_mean"], 0.0);
}

/// A spool of 30 chats: agents ann (12), bob (10), cy (5), and 3 shared by ann and bob.
fn big_spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        let agent = match i {
            0..12 => "ann",
            12..22 => "bob",
            22..27 => "cy",
            _ => "ann",
        };
        let id = format!("{i:08x}-0000-0000-0000-000000000000");
        let mut c = support::chat(&id, "V", agent, support::T0 + i * 60_000, "5", "");
        if i >= 27 {
            c["chat"]["operators"] = json!([
                {"display_name": "ann", "email": "a@x", "id": 1},
                {"display_name": "bob", "email": "b@x", "id": 2}
            ]);
        }
        support::write(dir.path(), &format!("c{i}.json"), c.to_string().as_bytes());
    }
    dir
}

#[test]
fn samples_are_reproducible_fair_and_selectable() {
    let s = big_spool();
    let env = Env::new();
    let a = env.json(&["sample", "--per-agent", "4", "--seed", "42"], s.path());
    let b = env.json(&["sample", "--per-agent", "4", "--seed", "42"], s.path());
    assert_eq!(a, b);
    assert_eq!(a["seed"], 42);
    assert!(a["name"].is_null());
    let ids: Vec<&str> = a["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 12, "{ids:?}");
    let mut distinct = ids.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "sorted and never twice");
    let other = env.json(&["sample", "--per-agent", "4", "--seed", "43"], s.path());
    assert_ne!(other["ids"], a["ids"]);
    // The query narrows the candidates: 5 chats of cy, all taken when fewer than asked.
    let cy = env.json(
        &[
            "sample",
            "--per-agent",
            "9",
            "--seed",
            "1",
            "--query",
            "agent:cy",
        ],
        s.path(),
    );
    assert_eq!(cy["ids"].as_array().unwrap().len(), 5);
    // Named: recorded, then selected by sample:NAME everywhere.
    let named = env.json(
        &[
            "sample",
            "--per-agent",
            "2",
            "--seed",
            "7",
            "--name",
            "week-49",
        ],
        s.path(),
    );
    assert_eq!(named["name"], "week-49");
    let list = env.json(&["list", "--query", "sample:week-49"], s.path());
    let mut listed: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    listed.sort();
    let want: Vec<&str> = named["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed, want);
    let stats = env.json(&["stats", "--query", "sample:week-49"], s.path());
    assert_eq!(stats["chats"], 6);
    // Recording the name again replaces its chats.
    let again = env.json(
        &[
            "sample",
            "--per-agent",
            "1",
            "--seed",
            "7",
            "--name",
            "week-49",
        ],
        s.path(),
    );
    let list = env.json(&["list", "--query", "sample:week-49"], s.path());
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(again["ids"].as_array().unwrap().len(), 3);
    let (code, _, _) = env.run(
        "ann",
        &["sample", "--per-agent", "1", "--name", "../x"],
        s.path(),
    );
    assert_eq!(code, 2);
}

#[test]
fn scorecards_acknowledged_before_kill_9_are_all_there() {
    let s = support::spool();
    let env = Env::new();
    let users: Vec<String> = (0..18).map(|i| format!("u{i}")).collect();
    let mut children: Vec<_> = users
        .iter()
        .map(|u| {
            let mut c = env.cmd(
                u,
                &["score", ALICE, "--rubric", "qa", "--set", "greeting=2"],
                s.path(),
            );
            c.stdout(Stdio::null()).stderr(Stdio::null());
            (u.clone(), c.spawn().unwrap())
        })
        .collect();
    for (n, (_, child)) in children.iter_mut().enumerate() {
        if n % 3 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(7 * n as u64));
            let _ = child.kill();
        }
    }
    let acknowledged: Vec<String> = children
        .into_iter()
        .filter_map(|(u, mut c)| c.wait().unwrap().success().then_some(u))
        .collect();
    assert!(acknowledged.len() >= 12);
    let got = env.json(&["score", ALICE], s.path());
    let by: Vec<&str> = got["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["by"].as_str().unwrap())
        .collect();
    for u in &acknowledged {
        assert!(by.contains(&u.as_str()), "{u} was acknowledged: {by:?}");
    }
}

#[test]
fn a_huge_or_hostile_rubric_is_one_error_and_the_viewer_keeps_the_good_ones() {
    let s = support::spool();
    let env = Env::new();
    let mut huge = RUBRIC.to_string();
    huge.push_str(&format!("# {}\n", "x".repeat(300 << 10)));
    support::write(&env.reviews(), "rubrics/huge.toml", huge.as_bytes());
    support::write(
        &env.reviews(),
        "rubrics/binary.toml",
        &[0xff, 0xfe, 0x00, 0x41],
    );
    support::write(
        &env.reviews(),
        "rubrics/escape.toml",
        br#"title = "\u001b]0;pwned\u0007"
[[criterion]]
id = "a"
label = "A"
"#,
    );
    for (name, why) in [
        ("huge", "larger than 256 KiB"),
        ("binary", "not UTF-8"),
        ("escape", "title: has control characters"),
    ] {
        let (code, _, err) = env.run("ann", &["score", ALICE, "--rubric", name], s.path());
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(why), "{name}: {err}");
        assert!(!err.contains('\u{1b}'), "{name}: {err:?}");
    }
    let (rubrics, problems) = chatspool::review::rubric::load_all(&env.reviews());
    let names: Vec<&str> = rubrics.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["qa"]);
    assert_eq!(problems.len(), 3, "{problems:?}");
}
