//! Every place chatspool writes, named by a route into the spool that text comparison misses:
//! `missing/../spool` (the missing directory would be created, then `..` lands in the spool)
//! and a symlinked directory. Each write is refused or skipped, and the spool stays
//! byte-identical.

mod support;

use std::path::{Path, PathBuf};
use support::bin;

/// More files than the index cache's minimum, so a cache would be written.
const FILES: usize = 80;

struct Place {
    _dir: tempfile::TempDir,
    top: PathBuf,
    spool: PathBuf,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        let spool = top.join("spool");
        for i in 0..FILES {
            let id = format!("{i:08}-0000-0000-0000-000000000000");
            let c = support::chat(&id, &format!("V{i}"), "Walid", support::T0, "5", "");
            support::write(
                &spool,
                &format!("d{}/c{i}.json", i % 7),
                c.to_string().as_bytes(),
            );
        }
        std::os::unix::fs::symlink(&spool, top.join("link")).unwrap();
        Place {
            _dir: dir,
            top,
            spool,
        }
    }

    /// The two routes into the spool for `rel` inside it.
    fn routes(&self, rel: &str) -> [PathBuf; 2] {
        [
            self.top.join("missing/..").join("spool").join(rel),
            self.top.join("link").join(rel),
        ]
    }

    fn tree(&self) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        support::tree(&self.spool)
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused(out: &std::process::Output, what: &str) {
    assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(out));
    assert!(
        stderr(out).contains("inside the spool"),
        "{what}: {}",
        stderr(out)
    );
}

#[test]
fn the_cache_and_text_store_are_never_written_through_a_route_into_the_spool() {
    let p = Place::new();
    let before = p.tree();
    for route in p.routes("") {
        for args in [
            &["list", "--json"][..],
            &["list", "--query", "text:hello"][..],
        ] {
            let out = bin()
                .env("XDG_CACHE_HOME", &route)
                .arg(args[0])
                .arg(&p.spool)
                .args(&args[1..])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        assert_eq!(p.tree(), before, "{}", route.display());
    }
    assert!(!p.top.join("missing").exists());
}

#[test]
fn review_data_is_never_written_through_a_route_into_the_spool() {
    let p = Place::new();
    let before = p.tree();
    let id = "00000001";
    for route in p.routes("reviews") {
        let out = bin()
            .arg("tag")
            .arg(&p.spool)
            .arg(id)
            .arg("x")
            .arg("--review-dir")
            .arg(&route)
            .output()
            .unwrap();
        refused(&out, "--review-dir");
    }
    for route in p.routes("") {
        let out = bin()
            .env("XDG_DATA_HOME", &route)
            .arg("review")
            .arg(&p.spool)
            .arg(id)
            .output()
            .unwrap();
        refused(&out, "XDG_DATA_HOME");
    }
    assert_eq!(p.tree(), before);
    assert!(!p.top.join("missing").exists());
}

#[test]
fn exports_are_never_written_through_a_route_into_the_spool() {
    let p = Place::new();
    let before = p.tree();
    for route in p.routes("d1/export.md") {
        let out = bin()
            .arg("export")
            .arg(&p.spool)
            .arg("-o")
            .arg(&route)
            .output()
            .unwrap();
        refused(&out, "export -o");
    }
    assert_eq!(p.tree(), before);
}

#[test]
fn logs_are_never_written_through_a_route_into_the_spool() {
    let p = Place::new();
    let before = p.tree();
    for route in p.routes("d1/chatspool.log") {
        let out = bin()
            .arg("check")
            .arg(&p.spool)
            .arg("--log")
            .arg(&route)
            .output()
            .unwrap();
        refused(&out, "--log");
    }
    // The viewer's default log, under XDG_STATE_HOME (the viewer's command line prints the
    // list when stdout is not a terminal, and logs where the viewer would).
    for route in p.routes("") {
        let out = bin()
            .env("CHATSPOOL_LOG", "info")
            .env("XDG_STATE_HOME", &route)
            .arg(&p.spool)
            .output()
            .unwrap();
        refused(&out, "XDG_STATE_HOME");
    }
    assert_eq!(p.tree(), before);
    assert!(!p.top.join("missing").exists());
}

#[test]
fn writes_outside_the_spool_still_work_by_any_route() {
    let p = Place::new();
    let out_dir = p.top.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let file = p.top.join("missing/../out/export.md");
    let out = bin()
        .arg("export")
        .arg(&p.spool)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(Path::new(&out_dir.join("export.md")).is_file());
}

#[test]
fn a_log_through_a_link_to_nothing_yet_or_beside_a_spool_from_the_environment_is_refused() {
    let p = Place::new();
    let before = p.tree();
    let dangling = p.top.join("l.log");
    std::os::unix::fs::symlink(p.spool.join("new.log"), &dangling).unwrap();
    let out = bin()
        .arg("check")
        .arg(&p.spool)
        .arg("--log")
        .arg(&dangling)
        .output()
        .unwrap();
    refused(&out, "--log through a dangling link");
    // A command without a spool argument, run beside one named by CHATSPOOL_SPOOL.
    let out = bin()
        .env("CHATSPOOL_SPOOL", &p.spool)
        .arg("man")
        .arg("--log")
        .arg(p.spool.join("x.log"))
        .output()
        .unwrap();
    refused(&out, "man --log beside CHATSPOOL_SPOOL");
    assert_eq!(p.tree(), before);
    assert!(!p.spool.join("new.log").exists());
}
