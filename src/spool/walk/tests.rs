//! The parallel walk against a plain recursive one that uses the same [`policy`] (so only
//! the traversal differs), and the policy itself: links, loops, pseudo-filesystems, names.

use super::policy::{self, Item, Rules, LINK_NOT_FOLLOWED};
use super::*;
use crate::spool::Stamp;
use std::os::unix::fs::symlink;

/// `(rel, path, lines, gzip)` of each file, problems and skipped, as a sequential depth-first
/// walk finds them.
type Flat = (
    Vec<(String, PathBuf, bool, bool)>,
    Vec<PathReason>,
    Vec<PathReason>,
);

fn reference(root: &Path, rules: &Rules) -> Flat {
    type Seen = HashMap<DirId, String>;
    /// Depth first over real directories; links are collected for later.
    fn visit(
        dir: &Path,
        rel: &str,
        rules: &Rules,
        seen: &mut Seen,
        links: &mut Vec<(PathBuf, String, Option<DirId>)>,
        out: &mut Flat,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                out.1.push(PathReason {
                    path: rel.into(),
                    reason: format!("cannot read directory: {e}"),
                });
                return;
            }
        };
        let mut items: Vec<Item> = entries
            .flatten()
            .filter_map(|e| policy::judge(rules, &e))
            .collect();
        items.sort_by(|a, b| a.name().cmp(b.name()));
        for item in items {
            let r = join_rel(rel, item.name());
            let path = dir.join(names::decode(item.name()));
            match item {
                Item::File(_, kind, _) => out.0.push((r, path, kind.lines, kind.gzip)),
                Item::Skipped(_, reason) => out.2.push(PathReason { path: r, reason }),
                Item::Dir(_, id, true) => links.push((path, r, id)),
                Item::Dir(_, id, false) => {
                    if first_time(seen, &r, id, out) {
                        visit(&path, &r, rules, seen, links, out);
                    }
                }
            }
        }
    }
    fn first_time(seen: &mut Seen, rel: &str, id: Option<DirId>, out: &mut Flat) -> bool {
        let Some(id) = id else { return true };
        if let Some(first) = seen.get(&id) {
            let (problem, reason) = policy::revisited(rel, first);
            if problem {
                out.1.push(reason)
            } else {
                out.2.push(reason)
            }
            return false;
        }
        seen.insert(id, rel.to_string());
        true
    }
    let mut out = Flat::default();
    let mut seen = Seen::new();
    let meta = std::fs::metadata(root).unwrap();
    if let Some(id) = dir_id(root, &meta) {
        seen.insert(id, String::new());
    }
    let mut links = Vec::new();
    visit(root, "", rules, &mut seen, &mut links, &mut out);
    while !links.is_empty() {
        links.sort_by(|a, b| link_order(&a.1, &b.1));
        for (path, r, id) in std::mem::take(&mut links) {
            if first_time(&mut seen, &r, id, &mut out) {
                visit(&path, &r, rules, &mut seen, &mut links, &mut out);
            }
        }
    }
    out.0.sort();
    out.1.sort();
    out.2.sort();
    out
}

fn flat(w: Walked) -> Flat {
    let mut files: Vec<(String, PathBuf, bool, bool)> = w
        .files()
        .map(|(f, _)| (f.rel, f.path, f.kind.lines, f.kind.gzip))
        .collect();
    // Listed by directory, then name.
    assert!(files.windows(2).all(|p| cmp_rel(&p[0].0, &p[1].0).is_lt()));
    files.sort();
    let mut problems = w.problems;
    problems.sort();
    (files, problems, w.skipped)
}

fn same_as_reference(root: &Path, follow: bool) -> Flat {
    let rules = Rules::with_follow(follow);
    let ours = flat(walk_with(root, &rules));
    assert_eq!(ours, reference(root, &rules));
    ours
}

/// A spool, and a directory outside it that `linked` points to.
fn spool() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("k.json"), b"{}").unwrap();
    let d = dir.path();
    for rel in [
        "a.json",
        "a.json.gz",
        "a-b.json",
        "b.jsonl",
        "c.json.gz",
        "d.NDJSON",
        "e.txt",
        ".hidden.json",
        "f.json.tmp",
        "a/z.json",
        "a-b/y.json",
        "2020/09/01/g.json",
        "2020/09/01/.h.json",
        "2020/09/02/i.json",
        ".git/j.json",
    ] {
        let p = d.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"{}").unwrap();
    }
    for i in 0..300 {
        std::fs::write(d.join(format!("flat-{i:03}.json")), b"{}").unwrap();
    }
    symlink(d.join("a.json"), d.join("link.json")).unwrap();
    symlink(d.join("missing.json"), d.join("dangling.json")).unwrap();
    symlink(d, d.join("2020/loop")).unwrap();
    symlink(outside.path(), d.join("linked")).unwrap();
    std::fs::create_dir(d.join("empty")).unwrap();
    (dir, outside)
}

#[test]
fn finds_what_a_plain_walk_finds() {
    let (dir, _outside) = spool();
    let d = dir.path();
    for follow in [false, true] {
        same_as_reference(d, follow);
    }
    let w = walk_with(d, &Rules::with_follow(false));
    let root = w.dirs.iter().find(|x| x.rel.is_empty()).unwrap();
    let at = |name: &str| {
        (0..root.files.len())
            .find(|&i| root.name(i) == name)
            .unwrap()
    };
    assert!(matches!(
        root.files[at("dangling.json")].stat,
        Stat::Failed(_)
    ));
    assert!(matches!(
        root.files[at("link.json")].stat,
        Stat::Ok {
            stamp: Stamp { size: 2, .. },
            regular: true
        }
    ));
}

#[test]
fn links_to_directories_are_followed_only_when_asked() {
    let (dir, _outside) = spool();
    let d = dir.path();
    let (files, problems, skipped) = same_as_reference(d, false);
    let rels: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert!(rels.contains(&"a/z.json"));
    assert!(!rels.contains(&"linked/k.json"));
    assert!(problems.is_empty(), "{problems:?}");
    let names: Vec<(&str, &str)> = skipped
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("2020/loop", LINK_NOT_FOLLOWED),
            ("linked", LINK_NOT_FOLLOWED)
        ]
    );

    let (files, problems, skipped) = same_as_reference(d, true);
    assert!(files.iter().any(|f| f.0 == "linked/k.json"));
    assert!(skipped.is_empty());
    let loops: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(loops, ["2020/loop"]);
}

#[test]
fn link_loops_between_directories_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("x")).unwrap();
    std::fs::create_dir_all(d.join("y")).unwrap();
    std::fs::write(d.join("y/c.json"), b"{}").unwrap();
    symlink(d.join("y"), d.join("x/to-y")).unwrap();
    symlink(d.join("x"), d.join("y/to-x")).unwrap();
    symlink(d.join("x/self"), d.join("x/self")).unwrap();
    let w = walk_with(d, &Rules::with_follow(true));
    let rels: Vec<String> = w.files().map(|(f, _)| f.rel).collect();
    assert_eq!(rels, ["y/c.json"]);
    // The links between x and y only alias directories already walked (x/self is a file that
    // reading reports).
    let paths = |v: &[PathReason]| v.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    assert!(w.problems.is_empty(), "{:?}", w.problems);
    assert_eq!(paths(&w.skipped), ["x/to-y", "y/to-x"], "{:?}", w.skipped);
}

#[test]
fn an_alias_keeps_the_real_path_and_is_not_a_loop() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
    std::fs::write(d.join("sub/deeper/c.json"), b"{}").unwrap();
    // Shallower and smaller by name than the real directory: still not the path files get.
    symlink(d.join("sub/deeper"), d.join("again")).unwrap();
    symlink(d.join("sub"), d.join("sub/deeper/up")).unwrap();
    same_as_reference(d, true);
    let w = walk_with(d, &Rules::with_follow(true));
    let rels: Vec<String> = w.files().map(|(f, _)| f.rel).collect();
    assert_eq!(rels, ["sub/deeper/c.json"]);
    assert!(w.linked.is_empty(), "{:?}", w.linked);
    let reasons: Vec<(&str, &str)> = w
        .skipped
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(reasons, [("again", "directory already read as sub/deeper")]);
    let loops: Vec<(&str, &str)> = w
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        loops,
        [("sub/deeper/up", "directory link loop: leads back to sub")]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn pseudo_filesystems_are_never_entered() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.json"), b"{}").unwrap();
    symlink("/proc", d.join("proc")).unwrap();
    symlink("/sys", d.join("sys")).unwrap();
    let w = walk_with(d, &Rules::with_follow(true));
    assert_eq!(w.file_count(), 1);
    let reasons: Vec<(&str, &str)> = w
        .skipped
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert!(reasons.contains(&("proc", "proc pseudo-filesystem, not read")));
    assert!(reasons
        .iter()
        .any(|(p, r)| *p == "sys" && r.starts_with("sysfs")));
    // A spool pointed at one is not read either.
    let w = walk_with(Path::new("/proc/self"), &Rules::with_follow(true));
    assert_eq!(w.file_count(), 0);
    assert_eq!(w.skipped.len(), 1);
}

#[test]
fn names_that_are_not_utf8_lead_back_to_their_file() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sub = d.join(OsStr::from_bytes(b"d\xe9c"));
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join(OsStr::from_bytes(b"a\xff.json")), b"1").unwrap();
    std::fs::write(sub.join(OsStr::from_bytes(b"a\xfe.json")), b"22").unwrap();
    let w = walk_with(d, &Rules::with_follow(false));
    let found: Vec<(String, Vec<u8>)> = w
        .files()
        .map(|(f, _)| (f.rel.clone(), std::fs::read(&f.path).unwrap()))
        .collect();
    assert_eq!(found.len(), 2);
    assert_ne!(found[0].0, found[1].0);
    for (rel, bytes) in &found {
        assert_eq!(&std::fs::read(names::path_of(d, rel)).unwrap(), bytes);
        assert_eq!(names::display(rel).matches('\u{FFFD}').count(), 2);
    }
}

#[test]
fn rel_order_is_directory_then_name() {
    let mut v = vec!["a/z.json", "a.json", "a-b/y.json", "b.json", "a/b/c.json"];
    v.sort_by(|a, b| cmp_rel(a, b));
    assert_eq!(
        v,
        ["a.json", "b.json", "a/z.json", "a-b/y.json", "a/b/c.json"]
    );
}

#[test]
fn object_keys_follow_the_walks_name_rules() {
    let lines = |k: &str| policy::judge_key(k).map(|k| (k.lines, k.gzip));
    assert_eq!(lines("a.json"), Some((false, false)));
    assert_eq!(lines("2024/05/b.JSONL.gz"), Some((true, true)));
    assert_eq!(lines("x/y.ndjson"), Some((true, false)));
    for ignored in [
        ".a.json",
        "a/.b.json",
        ".tmp/b.json",
        "a//b.json",
        "/a.json",
        "a.json.tmp",
        "a.json.part",
        "a.json~",
        "a.txt",
        "dir/",
        "",
    ] {
        assert_eq!(policy::judge_key(ignored), None, "{ignored:?}");
    }
}
