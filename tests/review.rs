//! Review data from the outside: the real binary records tags, notes and reviewed marks, under
//! temporary XDG directories, and never touches the spool.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;

mod support;

use support::spool;

const ALICE: &str = "aaaa1111-0000-0000-0000-000000000001";
const BOB: &str = "bbbb2222-0000-0000-0000-000000000002";

/// A temp home: XDG data and cache directories, and a user name.
struct Env {
    home: tempfile::TempDir,
    user: &'static str,
    review_dir: Option<PathBuf>,
}

impl Env {
    fn new() -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
            user: "ann",
            review_dir: None,
        }
    }

    fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// The binary over `spool` with this environment: temp XDG directories and a user name.
    fn std_cmd(&self, args: &[&str], spool: &Path) -> std::process::Command {
        let mut c = support::command();
        c.arg(args[0]).arg(spool).args(&args[1..]);
        c.env("XDG_DATA_HOME", self.data())
            .env("XDG_CACHE_HOME", self.home.path().join("cache"))
            .env("HOME", self.home.path())
            .env("USER", self.user)
            .env_remove("CHATSPOOL_REVIEW_DIR");
        if let Some(d) = &self.review_dir {
            c.env("CHATSPOOL_REVIEW_DIR", d);
        }
        c
    }

    fn cmd(&self, args: &[&str], spool: &Path) -> Command {
        Command::from_std(self.std_cmd(args, spool))
    }

    fn ok(&self, args: &[&str], spool: &Path) -> String {
        let out = self.cmd(args, spool).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str], spool: &Path) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.ok(&args, spool)).unwrap()
    }

    /// `check --json`, which exits 1 on this spool: it has broken files on purpose.
    fn check(&self, spool: &Path) -> Value {
        let out = self.cmd(&["check", "--json"], spool).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Started without waiting (for the concurrency tests); stderr kept for the failure message.
    fn spawn(&self, args: &[&str], spool: &Path) -> std::process::Child {
        let mut c = self.std_cmd(args, spool);
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        c.spawn().unwrap()
    }

    fn code(&self, args: &[&str], spool: &Path) -> i32 {
        self.cmd(args, spool)
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
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
fn tag_note_review_round_trip_through_list_show_and_queries() {
    let s = spool();
    let env = Env::new();
    let before = support::tree(s.path());
    assert!(env
        .ok(&["tag", ALICE, "coaching", "escalate", "great"], s.path())
        .contains("tagged"));
    env.ok(&["tag", ALICE, "great", "--remove"], s.path());
    env.ok(&["note", "aaaa", "Promised a refund by Friday"], s.path());
    env.ok(&["review", ALICE], s.path());
    env.ok(&["review", BOB], s.path());
    env.ok(&["review", BOB, "--undo"], s.path());
    env.ok(&["tag", "16c2cc3a", "vip"], s.path());

    let list = env.json(&["list"], s.path());
    let a = by_id(&list, ALICE);
    assert_eq!(a["tags"], json!(["coaching", "escalate"]));
    assert_eq!(a["notes"], 1);
    assert_eq!(a["reviewed"], true);
    let b = by_id(&list, BOB);
    assert_eq!(b["tags"], json!([]));
    assert_eq!(b["notes"], 0);
    assert_eq!(b["reviewed"], false);

    let show = env.json(&["show", ALICE], s.path());
    let review = &show["review"];
    assert_eq!(review["tags"], json!(["coaching", "escalate"]));
    assert_eq!(review["notes"][0]["text"], "Promised a refund by Friday");
    assert_eq!(review["notes"][0]["author"], "ann");
    let at = review["notes"][0]["at"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    assert_eq!(review["reviewed"]["author"], "ann");
    assert_eq!(
        env.json(&["show", BOB], s.path())["review"]["reviewed"],
        Value::Null
    );

    let text = env.ok(&["show", ALICE], s.path());
    assert!(text.contains("Tags         coaching, escalate"), "{text}");
    assert!(
        text.starts_with("Review\n"),
        "what the lead recorded comes first: {text}"
    );
    assert!(text.contains("Reviewed     ✓ ann, 20"), "{text}");
    assert!(
        text.contains("Note         Promised a refund by Friday — ann, 20"),
        "{text}"
    );
    let table = env.ok(&["list"], s.path());
    assert!(table.lines().next().unwrap().contains("REVIEW"));
    let row = table.lines().find(|l| l.contains("Alice")).unwrap();
    assert!(row.contains("✓ #coaching #escalate 1 note"), "{row}");

    let ids = |q: &str| -> Vec<String> {
        env.json(&["list", &format!("--query={q}")], s.path())
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("tag:COACH"), [ALICE]);
    assert_eq!(ids("tag:vip"), ["16c2cc3a-1b15-4b4f-9298-1cd04d6cec15"]);
    assert_eq!(ids("note:refund"), [ALICE]);
    assert_eq!(ids("reviewed:yes"), [ALICE]);
    assert_eq!(ids("reviewed:no").len(), 4);
    assert_eq!(ids("!reviewed:no"), [ALICE]);
    assert_eq!(ids("-tag:c").len(), 4);
    assert_eq!(ids("!note:refund reviewed:yes").len(), 0);
    let stats = env.json(&["stats", "--query", "tag:escalate"], s.path());
    assert_eq!(stats["chats"], 1);
    assert_eq!(
        env.code(&["list", "--query", "reviewed:maybe"], s.path()),
        2
    );

    // Stored as user data under XDG_DATA_HOME, per spool; nothing in the spool changed.
    let reviews = env.data().join("chatspool").join("reviews");
    let dirs: Vec<_> = std::fs::read_dir(&reviews).unwrap().flatten().collect();
    assert_eq!(dirs.len(), 1);
    let journals: Vec<_> = std::fs::read_dir(dirs[0].path())
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(journals.len(), 1);
    assert!(journals[0]
        .file_name()
        .to_string_lossy()
        .starts_with("ann@"));
    assert_eq!(
        support::tree(s.path()),
        before,
        "the spool is byte-identical"
    );
}

#[test]
fn ids_and_arguments_fail_like_show() {
    let s = spool();
    let env = Env::new();
    assert_eq!(env.code(&["tag", "nope", "x"], s.path()), 1);
    assert_eq!(env.code(&["note", "nope", "x"], s.path()), 1);
    assert_eq!(env.code(&["review", "nope"], s.path()), 1);
    // A prefix shared by two chats is ambiguous, as for show.
    assert_eq!(
        env.code(&["show", "c"], s.path()),
        env.code(&["review", "c"], s.path())
    );
    assert_eq!(env.code(&["tag", ALICE], s.path()), 2, "no tag given");
    assert_eq!(env.code(&["tag", ALICE, " "], s.path()), 2);
    assert_eq!(env.code(&["note", ALICE, ""], s.path()), 2);
    let missing = s.path().join("missing");
    assert_eq!(env.code(&["tag", "x", "y"], &missing), 2);
    // A review directory inside the spool is refused, and nothing is created there.
    let before = support::tree(s.path());
    let inside = s.path().join("reviews");
    let out = env
        .cmd(&["tag", ALICE, "x", "--review-dir"], s.path())
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the spool"));
    assert_eq!(support::tree(s.path()), before);
    // Nothing was recorded by any failed command.
    assert_eq!(
        env.json(&["show", ALICE], s.path())["review"]["tags"],
        json!([])
    );
}

#[test]
fn two_authors_share_one_review_directory() {
    let s = spool();
    let shared = tempfile::tempdir().unwrap();
    let mut ann = Env::new();
    ann.review_dir = Some(shared.path().to_path_buf());
    let mut bob = Env::new();
    bob.user = "bob";
    bob.review_dir = Some(shared.path().to_path_buf());
    ann.ok(&["note", ALICE, "from ann"], s.path());
    bob.ok(&["note", ALICE, "from bob"], s.path());
    bob.ok(&["tag", ALICE, "escalate"], s.path());
    // --review-dir names the same directory as the variable.
    let out = Env::new()
        .cmd(&["show", ALICE, "--json", "--review-dir"], s.path())
        .arg(shared.path())
        .output()
        .unwrap();
    let show: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = show["review"]["notes"].as_array().unwrap();
    let authors: Vec<&str> = notes
        .iter()
        .map(|n| n["author"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["ann", "bob"]);
    assert_eq!(show["review"]["tags"], json!(["escalate"]));
    let journals = std::fs::read_dir(shared.path()).unwrap().count();
    assert_eq!(journals, 2, "one journal per writer");
    // The user's own data directory was not used.
    assert!(!ann.data().exists() && !bob.data().exists());
}

#[test]
fn eighty_concurrent_tag_commands_keep_eighty_tags() {
    let s = spool();
    let env = Env::new();
    let children: Vec<_> = (0..80)
        .map(|i| env.spawn(&["tag", ALICE, &format!("t{i:02}")], s.path()))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tags = env.json(&["show", ALICE], s.path())["review"]["tags"].clone();
    let mut tags: Vec<String> = serde_json::from_value(tags).unwrap();
    tags.sort();
    let want: Vec<String> = (0..80).map(|i| format!("t{i:02}")).collect();
    assert_eq!(tags, want);
    let check = env.check(s.path());
    assert_eq!(check["reviews"]["entries"], 80);
}

#[test]
fn notes_acknowledged_before_kill_9_are_all_there() {
    let s = spool();
    let env = Env::new();
    let mut children: Vec<_> = (0..24)
        .map(|i| {
            (
                i,
                env.spawn(&["note", ALICE, &format!("note {i}")], s.path()),
            )
        })
        .collect();
    // Kill every third one at some point of its run (some will have finished already).
    for (n, (_, child)) in children.iter_mut().enumerate() {
        if n % 3 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(7 * n as u64));
            let _ = child.kill();
        }
    }
    let acknowledged: Vec<String> = children
        .into_iter()
        .filter_map(|(i, mut c)| c.wait().unwrap().success().then(|| format!("note {i}")))
        .collect();
    assert!(acknowledged.len() >= 16);
    let show = env.json(&["show", ALICE], s.path());
    let notes: Vec<&str> = show["review"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    for a in &acknowledged {
        assert!(
            notes.contains(&a.as_str()),
            "{a} was acknowledged: {notes:?}"
        );
    }
    let check = env.check(s.path());
    let journal_problems = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reason"].as_str().unwrap().starts_with("review journal"))
        .count();
    assert_eq!(journal_problems, 0);
}

#[test]
fn a_damaged_journal_is_reported_by_check_and_costs_only_the_damage() {
    let s = spool();
    let env = Env::new();
    env.ok(&["tag", ALICE, "one"], s.path());
    env.ok(&["tag", ALICE, "two"], s.path());
    env.ok(&["tag", ALICE, "three"], s.path());
    assert_eq!(env.check(s.path())["reviews"]["journals"], 1);
    let dir = env.data().join("chatspool").join("reviews");
    let dir = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let journal = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // Damage the second record, and leave a torn record at the end.
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1] = lines[1].replace("two", "twX");
    let torn = &lines[2][..lines[2].len() / 2].to_string();
    std::fs::write(&journal, format!("{}\n{torn}", lines.join("\n"))).unwrap();
    let tags = env.json(&["show", ALICE], s.path())["review"]["tags"].clone();
    assert_eq!(tags, json!(["one", "three"]));
    let check = env.check(s.path());
    let problem = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with(".journal"))
        .expect("journal problem");
    assert!(
        problem["reason"].as_str().unwrap().contains("line 2"),
        "{problem}"
    );
    let text = String::from_utf8(env.cmd(&["check"], s.path()).output().unwrap().stdout).unwrap();
    assert!(text.contains("line 2: checksum mismatch"), "{text}");
    // Writing after the torn record keeps everything readable.
    env.ok(&["tag", ALICE, "four"], s.path());
    let tags = env.json(&["show", ALICE], s.path())["review"]["tags"].clone();
    assert_eq!(tags, json!(["one", "three", "four"]));
}

#[test]
fn without_a_data_directory_reading_works_and_writing_says_why_not() {
    let s = spool();
    let env = Env::new();
    let bare = |args: &[&str]| {
        let mut c = env.cmd(args, s.path());
        c.env_remove("XDG_DATA_HOME").env("HOME", "relative/home");
        c.output().unwrap()
    };
    let out = bare(&["list", "--json"]);
    assert!(out.status.success());
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(by_id(&list, ALICE)["tags"], json!([]));
    let out = bare(&["tag", ALICE, "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--review-dir"));
    // A relative XDG_DATA_HOME is ignored, as the XDG spec says: HOME's .local/share is used.
    let mut c = env.cmd(&["tag", ALICE, "x"], s.path());
    c.env("XDG_DATA_HOME", "relative/data");
    assert!(c.output().unwrap().status.success());
    assert!(env
        .home
        .path()
        .join(".local/share/chatspool/reviews")
        .is_dir());
}

/// The name this writer's journal gets (`user@host.journal`): found by writing once elsewhere.
fn journal_name(env: &Env, spool: &Path) -> std::ffi::OsString {
    let probe = tempfile::tempdir().unwrap();
    let out = env
        .cmd(&["tag", ALICE, "probe", "--review-dir"], spool)
        .arg(probe.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let entry = std::fs::read_dir(probe.path()).unwrap().next().unwrap();
    entry.unwrap().file_name()
}

/// A journal line with a correct checksum over `json`, whatever it says.
fn line_of(json: &str) -> String {
    let mut crc = flate2::Crc::new();
    crc.update(json.as_bytes());
    format!("{:08x} {json}\n", crc.sum())
}

#[test]
fn a_link_planted_as_the_journal_is_refused_and_nothing_is_written() {
    let s = spool();
    let shared = tempfile::tempdir().unwrap();
    let mut env = Env::new();
    let name = journal_name(&env, s.path());
    env.review_dir = Some(shared.path().to_path_buf());
    // A spool file (that chat would stop parsing), a file elsewhere, and one not there yet.
    let spool_file = std::fs::read_dir(s.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let bashrc = other.path().join("bashrc");
    std::fs::write(&bashrc, "export A=1\n").unwrap();
    let missing = other.path().join("created");
    let before = support::tree(s.path());
    for target in [&spool_file, &bashrc, &missing] {
        let link = shared.path().join(&name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(target, &link).unwrap();
        for args in [
            &["tag", ALICE, "x"][..],
            &["note", ALICE, "text"],
            &["review", ALICE],
        ] {
            let out = env.cmd(args, s.path()).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.contains("symbolic link"), "{err}");
        }
    }
    assert_eq!(
        support::tree(s.path()),
        before,
        "the spool is byte-identical"
    );
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), "export A=1\n");
    assert!(!missing.exists());
}

#[test]
fn fifos_links_to_devices_and_huge_journals_cost_nothing_and_are_reported() {
    let s = spool();
    let shared = tempfile::tempdir().unwrap();
    let mut env = Env::new();
    env.review_dir = Some(shared.path().to_path_buf());
    env.ok(&["tag", ALICE, "kept"], s.path());
    let have_fifo = std::process::Command::new("mkfifo")
        .arg(shared.path().join("pipe.journal"))
        .status()
        .is_ok_and(|st| st.success());
    std::os::unix::fs::symlink("/dev/zero", shared.path().join("zero.journal")).unwrap();
    // 65 MiB, sparse: one record, then nothing but zero bytes.
    let huge = shared.path().join("huge.journal");
    let json = format!(
        r#"{{"chat":"{BOB}","op":"tag","v":"big","by":"bob","at":"2024-01-01T00:00:00Z"}}"#
    );
    std::fs::write(&huge, line_of(&json)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    for args in [&["list", "--json"][..], &["show", ALICE, "--json"]] {
        let out = env
            .cmd(args, s.path())
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?} finished: {out:?}");
    }
    assert_eq!(
        env.json(&["show", ALICE], s.path())["review"]["tags"],
        json!(["kept"])
    );
    assert_eq!(
        env.json(&["show", BOB], s.path())["review"]["tags"],
        json!(["big"]),
        "the start of a huge journal is read"
    );
    let out = env
        .cmd(&["check", "--json"], s.path())
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = |file: &str| {
        check["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"].as_str().unwrap().ends_with(file))
            .map(|p| p["reason"].as_str().unwrap().to_string())
    };
    assert!(reason("zero.journal")
        .unwrap()
        .contains("not a regular file"));
    assert!(reason("huge.journal")
        .unwrap()
        .contains("larger than 64 MiB"));
    if have_fifo {
        assert!(reason("pipe.journal")
            .unwrap()
            .contains("not a regular file"));
    }
}

#[test]
fn a_record_from_the_far_future_is_reported_and_never_outlasts_a_later_review() {
    let s = spool();
    let shared = tempfile::tempdir().unwrap();
    let mut env = Env::new();
    env.review_dir = Some(shared.path().to_path_buf());
    let planted: String = [
        format!(r#"{{"chat":"{ALICE}","op":"unreview","by":"bob","at":"9999-12-31T23:59:59Z"}}"#),
        format!(r#"{{"chat":"{ALICE}","op":"untag","v":"vip","by":"bob","at":"9999-12-31T23:59:59Z"}}"#),
        // Not RFC 3339 once in UTC (`+10000-01-01T…`): refused, never printed.
        format!(r#"{{"chat":"{ALICE}","op":"note","v":"late","by":"bob","at":"9999-12-31T23:59:59-01:00"}}"#),
    ]
    .iter()
    .map(|j| line_of(j))
    .collect();
    std::fs::write(shared.path().join("bob@elsewhere.journal"), planted).unwrap();
    assert!(env
        .ok(&["review", ALICE], s.path())
        .contains("marked reviewed"));
    env.ok(&["tag", ALICE, "vip"], s.path());
    let ids: Vec<String> = env
        .json(&["list", "--query=reviewed:yes tag:vip"], s.path())
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, [ALICE], "what ann just did took effect");
    let show = env.ok(&["show", ALICE, "--json"], s.path());
    assert!(!show.contains("+10000") && !show.contains("late"), "{show}");
    let check = env.check(s.path());
    let reasons: Vec<&str> = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["path"]
                .as_str()
                .unwrap()
                .ends_with("bob@elsewhere.journal")
        })
        .map(|p| p["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("line 1: stamped 9999-12-31T23:59:59Z, more than a day ahead"));
    assert!(
        reasons[2].contains("line 3: bad record time"),
        "{reasons:?}"
    );
    assert!(!check.to_string().contains("+10000"));
}

#[test]
fn tags_and_notes_of_invisible_characters_are_refused() {
    let s = spool();
    let env = Env::new();
    for tag in ["\u{200B}", "\u{FEFF}\u{2060}", "\u{3164}", "a\u{202E}b"] {
        assert_eq!(env.code(&["tag", ALICE, tag], s.path()), 2, "{tag:?}");
    }
    assert_eq!(env.code(&["note", ALICE, "\u{200B} \u{200D}"], s.path()), 2);
    assert_eq!(
        env.json(&["show", ALICE], s.path())["review"],
        json!({"tags": [], "notes": [], "reviewed": null, "scorecards": []})
    );
}

#[test]
fn a_user_name_with_control_characters_is_refused_as_author() {
    let s = spool();
    let env = Env::new();
    for user in ["ann\u{1b}]0;owned\u{7}", "ann\nbob"] {
        let out = env
            .cmd(&["tag", ALICE, "x"], s.path())
            .env("USER", user)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{user:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("$USER has control characters"), "{err}");
        // Reading does not need an author.
        let out = env
            .cmd(&["list"], s.path())
            .env("USER", user)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    assert_eq!(
        env.json(&["show", ALICE], s.path())["review"]["tags"],
        json!([])
    );
}

/// The bytes of every journal under the environment's data directory.
fn journal_bytes(env: &Env) -> u64 {
    let mut total = 0;
    let mut stack = vec![env.data()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "journal") {
                total += std::fs::metadata(&p).unwrap().len();
            }
        }
    }
    total
}

#[test]
fn repeating_a_mark_says_so_and_appends_nothing() {
    let s = spool();
    let env = Env::new();
    assert!(env
        .ok(&["review", ALICE], s.path())
        .contains("marked reviewed"));
    let size = journal_bytes(&env);
    let again = env.ok(&["review", ALICE], s.path());
    assert!(
        again.contains("already reviewed (by ann), nothing recorded"),
        "{again}"
    );
    assert_eq!(journal_bytes(&env), size);
    assert!(env
        .ok(&["review", ALICE, "--undo"], s.path())
        .contains("removed"));
    let size = journal_bytes(&env);
    let again = env.ok(&["review", ALICE, "--undo"], s.path());
    assert!(again.contains("was not reviewed"), "{again}");
    assert_eq!(journal_bytes(&env), size);
    // Tags: only those that change are recorded and named.
    env.ok(&["tag", ALICE, "coaching"], s.path());
    let size = journal_bytes(&env);
    assert!(env
        .ok(&["tag", ALICE, "coaching"], s.path())
        .contains("already tagged coaching"));
    assert_eq!(journal_bytes(&env), size);
    let both = env.ok(&["tag", ALICE, "coaching", "vip"], s.path());
    assert!(
        both.contains("tagged") && both.contains(": vip") && !both.contains("coaching"),
        "{both}"
    );
    assert!(env
        .ok(&["tag", BOB, "vip", "--remove"], s.path())
        .contains("was not tagged vip"));
}

const DAN: &str = "dddd4444-0000-0000-0000-000000000004";

#[test]
fn tag_and_review_by_query_act_on_every_selected_chat_and_count() {
    let s = spool();
    let env = Env::new();
    env.ok(&["tag", ALICE, "coaching"], s.path());
    let out = env.ok(
        &["tag", "--query", "agent:walid", "coaching", "vip"],
        s.path(),
    );
    assert_eq!(
        out,
        "tagged 2 chats with \"coaching\" (1 already had it)\ntagged 3 chats with \"vip\"\n"
    );
    let ids = |q: &str| -> Vec<String> {
        let mut ids: Vec<String> = env
            .json(&["list", &format!("--query={q}")], s.path())
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let walid = ids("agent:walid");
    assert_eq!(walid.len(), 3);
    assert!(walid.contains(&ALICE.to_string()) && walid.contains(&DAN.to_string()));
    assert_eq!(ids("tag:vip"), walid);
    assert_eq!(ids("tag:coaching"), walid);
    assert_eq!(
        env.ok(&["review", "--query", "tag:vip"], s.path()),
        "marked 3 chats reviewed\n"
    );
    assert_eq!(ids("reviewed:yes"), walid);
    // Nothing to change: said, and nothing appended.
    let size = journal_bytes(&env);
    assert_eq!(
        env.ok(&["review", "-q", "agent:walid"], s.path()),
        "marked 0 chats reviewed (3 already were)\n"
    );
    assert_eq!(journal_bytes(&env), size);
    assert_eq!(
        env.ok(&["review", "--query", "", "--undo"], s.path()),
        "reviewed mark removed from 3 chats (2 were not reviewed)\n"
    );
    assert_eq!(
        env.ok(&["tag", "--query", "", "--remove", "vip"], s.path()),
        "untagged 3 chats of \"vip\" (2 did not have it)\n"
    );
    assert!(ids("tag:vip").is_empty() && ids("reviewed:yes").is_empty());
    assert_eq!(
        env.ok(&["tag", "-q", "id:aaaa1111", "x", "y", "x"], s.path()),
        "tagged 1 chat with \"x\"\ntagged 1 chat with \"y\"\n",
        "a tag given twice is one tag"
    );
    let size = journal_bytes(&env);
    assert_eq!(
        env.ok(&["tag", "--query", "agent:nobody", "x"], s.path()),
        "tagged 0 chats with \"x\"\n"
    );
    assert_eq!(journal_bytes(&env), size);
}

#[test]
fn an_id_and_a_query_together_are_a_usage_error_and_write_nothing() {
    let s = spool();
    let env = Env::new();
    let err = |args: &[&str]| {
        let out = env.cmd(args, s.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    err(&["review", ALICE, "--query", "agent:walid"]);
    let tag = err(&["tag", "--query", "agent:walid", ALICE, "coaching"]);
    assert!(tag.contains("give an id or --query, not both"), "{tag}");
    err(&["tag", "--query", "rating:<<2", "coaching"]);
    err(&["tag", "--query", "agent:walid", " "]);
    err(&["tag", ALICE]);
    assert_eq!(journal_bytes(&env), 0);
}

#[test]
fn batches_acknowledged_before_kill_9_are_whole_and_nothing_is_torn() {
    let s = spool();
    let env = Env::new();
    let mut children: Vec<_> = (0..18)
        .map(|i| {
            (
                i,
                env.spawn(&["tag", "--query", "", &format!("b{i:02}")], s.path()),
            )
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
        .filter_map(|(i, mut c)| c.wait().unwrap().success().then(|| format!("b{i:02}")))
        .collect();
    assert!(acknowledged.len() >= 12);
    let list = env.json(&["list"], s.path());
    let chats = list.as_array().unwrap();
    let with = |tag: &str| {
        chats
            .iter()
            .filter(|c| c["tags"].as_array().unwrap().iter().any(|t| t == tag))
            .count()
    };
    for i in 0..18 {
        let tag = format!("b{i:02}");
        let n = with(&tag);
        if acknowledged.contains(&tag) {
            assert_eq!(n, chats.len(), "{tag} was acknowledged");
        } else {
            // One write per batch: a killed batch is all there or not at all.
            assert!(n == 0 || n == chats.len(), "{tag} on {n} chats");
        }
    }
    let check = env.check(s.path());
    let journal_problems = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reason"].as_str().unwrap().starts_with("review journal"))
        .count();
    assert_eq!(journal_problems, 0);
}
