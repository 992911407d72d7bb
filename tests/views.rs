//! Saved views from the outside: `--view NAME` on `list`, `stats`, `export` and the viewer (its
//! list form without a terminal), from the config file and a team's `views.toml`, under
//! temporary XDG directories.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;

use support::spool;

const ALICE: &str = "aaaa1111-0000-0000-0000-000000000001";

/// A temp home with a config file, and a review directory for the team's views.
struct Env {
    home: tempfile::TempDir,
}

impl Env {
    fn new(config: &str) -> Env {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("config/chatspool");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config).unwrap();
        std::fs::create_dir_all(home.path().join("reviews")).unwrap();
        Env { home }
    }

    fn reviews(&self) -> PathBuf {
        self.home.path().join("reviews")
    }

    fn run(&self, args: &[&str], spool: &Path) -> std::process::Output {
        let mut c = support::command();
        if args[0].starts_with('-') {
            // The viewer: `chatspool SPOOL OPTIONS`.
            c.arg(spool).args(args);
        } else {
            c.arg(args[0]).arg(spool).args(&args[1..]);
        }
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("XDG_CACHE_HOME", self.home.path().join("cache"))
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("CHATSPOOL_REVIEW_DIR", self.reviews());
        c.output().unwrap()
    }

    fn ids(&self, args: &[&str], spool: &Path) -> Vec<String> {
        let mut args = args.to_vec();
        args.push("--json");
        let out = self.run(&args, spool);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    }
}

const CONFIG: &str = r#"
[views.walid]
query = "agent:walid"
sort = "oldest"

[views.good]
query = "rating:>=4"
"#;

#[test]
fn a_view_gives_list_stats_and_export_its_query_and_order_and_flags_win() {
    let s = spool();
    let env = Env::new(CONFIG);
    let walid = env.ids(&["list", "--view", "walid"], s.path());
    let mut by_hand = env.ids(
        &["list", "--query", "agent:walid", "--sort", "oldest"],
        s.path(),
    );
    assert_eq!(walid, by_hand);
    assert_eq!(walid.len(), 3);
    // Explicit flags win over the view's: --sort here, --query there.
    let newest = env.ids(&["list", "--view", "walid", "--sort", "newest"], s.path());
    by_hand.reverse();
    assert_eq!(newest, by_hand);
    assert_eq!(
        env.ids(
            &["list", "--view", "walid", "--query", "rating:>=4"],
            s.path()
        ),
        env.ids(
            &["list", "--query", "rating:>=4", "--sort", "oldest"],
            s.path()
        )
    );
    let out = env.run(&["stats", "--view", "walid", "--json"], s.path());
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["chats"], 3);
    let out = env.run(&["export", "--view", "walid", "--format", "csv"], s.path());
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains(ALICE) && !csv.contains("bbbb2222"), "{csv}");
    // The viewer without a terminal prints its list: the view applies there too.
    let out = env.run(&["--view", "good"], s.path());
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Alice") && !table.contains("Bob"), "{table}");
}

#[test]
fn an_unknown_view_is_a_usage_error_with_did_you_mean() {
    let s = spool();
    let env = Env::new(CONFIG);
    for args in [
        &["list", "--view", "wlid"][..],
        &["stats", "--view", "wlid"],
        &["export", "--view", "wlid"],
        &["--view", "wlid"],
    ] {
        let out = env.run(args, s.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("no view 'wlid' (did you mean 'walid'?)"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_bad_view_in_the_config_names_key_and_line() {
    let s = spool();
    let env = Env::new("[views.x]\nquery = \"agent:walid\"\nsort = \"fastest\"\n");
    let out = env.run(&["list"], s.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(":3: views.x.sort"), "{err}");
}

#[test]
fn a_team_views_file_is_shared_and_a_damaged_one_is_skipped_with_a_warning() {
    let s = spool();
    let env = Env::new(CONFIG);
    let team = env.reviews().join("views.toml");
    std::fs::write(
        &team,
        "[views.team]\nquery = \"id:aaaa1111\"\n\n[views.walid]\nquery = \"agent:nobody\"\n",
    )
    .unwrap();
    let ids = env.ids(&["list", "--view", "team"], s.path());
    assert_eq!(ids, [ALICE]);
    assert_eq!(
        env.ids(&["list", "--view", "walid"], s.path()).len(),
        3,
        "the user's own view wins a clash"
    );
    // Damaged: one warning, the file's views skipped, the config's still there.
    std::fs::write(&team, "[views.team]\nsort = 42\n").unwrap();
    let out = env.run(&["list", "--view", "walid", "--json"], s.path());
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("views.toml") && err.contains("skipped"),
        "{err}"
    );
    let out = env.run(&["list", "--view", "team"], s.path());
    assert_eq!(out.status.code(), Some(2));
    // A link planted as the file is not followed.
    std::fs::remove_file(&team).unwrap();
    let elsewhere = env.home.path().join("elsewhere.toml");
    std::fs::write(&elsewhere, "[views.team]\nquery = \"x\"\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&elsewhere, &team).unwrap();
        let out = env.run(&["list", "--view", "team"], s.path());
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("symbolic link"), "{err}");
    }
}
