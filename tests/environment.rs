//! Where chatspool keeps its state, from the outside: the XDG rules for the cache directory
//! (relative values ignored, no usable home means no cache, said once) and the cache's
//! temporary files (a dead writer's are removed by the next write; two live writers are both
//! right).

use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;

use support::{chat, write, T0};

/// More files than the smallest spool that is cached.
fn spool() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..80 {
        let c = chat(&format!("c-{i:03}"), "Vi", "Walid", T0 + i * 1000, "5", "");
        write(
            dir.path(),
            &format!("{i:03}.json"),
            c.to_string().as_bytes(),
        );
    }
    dir
}

/// Everything under `dir`, relative.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn list(spool: &Path, env: &[(&str, &Path)], cwd: &Path) -> (Vec<u8>, String) {
    // The private home of support::bin(), less the two variables under test.
    let mut c = support::bin();
    c.env_remove("XDG_CACHE_HOME").env_remove("HOME");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .current_dir(cwd)
        .args(["list", "--json"])
        .arg(spool)
        .output()
        .unwrap();
    assert!(out.status.success());
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

const NOTE: &str = "no cache directory";

#[test]
fn relative_xdg_cache_home_is_ignored_and_a_missing_home_is_never_created() {
    let s = spool();
    let scratch = tempfile::tempdir().unwrap();
    let work = scratch.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let missing_home = scratch.path().join("nonexistent");
    for xdg in ["", "rel-cache"] {
        let (out, err) = list(
            s.path(),
            &[("XDG_CACHE_HOME", Path::new(xdg)), ("HOME", &missing_home)],
            &work,
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 80, "runs without the cache");
        assert_eq!(err.matches(NOTE).count(), 1, "said once: {err}");
        assert!(tree(&work).is_empty(), "{xdg:?}: {:?}", tree(&work));
        assert!(
            !missing_home.exists(),
            "{xdg:?}: the missing home was created"
        );
    }
    // No HOME at all: the same.
    let (_, err) = list(s.path(), &[], &work);
    assert_eq!(err.matches(NOTE).count(), 1, "{err}");
    assert!(tree(&work).is_empty());
}

#[test]
fn with_a_relative_xdg_cache_home_the_cache_goes_under_home() {
    let s = spool();
    let scratch = tempfile::tempdir().unwrap();
    let (work, home) = (scratch.path().join("work"), scratch.path().join("home"));
    std::fs::create_dir(&work).unwrap();
    std::fs::create_dir(&home).unwrap();
    let (_, err) = list(
        s.path(),
        &[("XDG_CACHE_HOME", Path::new("rel")), ("HOME", &home)],
        &work,
    );
    assert!(!err.contains(NOTE), "{err}");
    assert!(tree(&work).is_empty());
    let cached: Vec<PathBuf> = tree(&home.join(".cache/chatspool"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        .collect();
    assert_eq!(cached.len(), 1, "{:?}", tree(&home));
}

#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_dead_writers_go_with_the_next_write() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    let dir = xdg.path().join("chatspool");
    std::fs::create_dir_all(&dir).unwrap();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let mut running = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let stale = dir.join(format!(".00000000deadbeef.idx.{dead}.tmp"));
    let busy = dir.join(format!(".00000000deadbeef.idx.{}.tmp", running.id()));
    std::fs::write(&stale, vec![0u8; 1 << 20]).unwrap();
    std::fs::write(&busy, b"being written").unwrap();
    list(s.path(), &[("XDG_CACHE_HOME", xdg.path())], xdg.path());
    assert!(!stale.exists(), "a dead writer's temporary file stays");
    assert!(busy.exists(), "a live writer's temporary file was removed");
    let _ = running.kill();
    let _ = running.wait();
}

#[test]
fn two_writers_at_once_are_both_right() {
    let s = spool();
    let scratch = tempfile::tempdir().unwrap();
    let (want, _) = list(s.path(), &[], scratch.path());
    for _ in 0..3 {
        let xdg = tempfile::tempdir().unwrap();
        let spawn = || {
            support::command()
                .env("XDG_CACHE_HOME", xdg.path())
                .args(["list", "--json"])
                .arg(s.path())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success());
            assert_eq!(out.stdout, want);
        }
        // The cache they left answers the same.
        let (again, _) = list(s.path(), &[("XDG_CACHE_HOME", xdg.path())], xdg.path());
        assert_eq!(again, want);
        let temps: Vec<PathBuf> = tree(&xdg.path().join("chatspool"))
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(temps.is_empty(), "{temps:?}");
    }
}
