//! The manual's links: every relative link in README.md, assets/README.md and docs/*.md must
//! name a file inside the repository (and, with `#anchor`, a heading of it), because readers
//! only ever have the repository — never the team's private notes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown files users read.
fn manuals() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("assets/README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ holds no Markdown");
    files.extend(docs);
    files
}

/// Text outside fenced code blocks, with inline code spans blanked (a link inside backticks is
/// an example, not a link).
fn prose_lines(md: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut kept = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                kept.push_str(part);
            }
        }
        out.push(kept);
    }
    out
}

/// Link targets: inline `[text](target)` and reference definitions `[label]: target`.
fn links(md: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in prose_lines(md) {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("");
            found.push(target.trim_matches(['<', '>']).to_string());
            rest = &after[end..];
        }
        let t = line.trim_start();
        if let (true, Some(close)) = (t.starts_with('['), t.find("]:")) {
            if let Some(target) = t[close + 2..].split_whitespace().next() {
                found.push(target.to_string());
            }
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes; repeats get
/// `-1`, `-2`, ….
fn anchors(md: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for line in prose_lines_keep_code(md) {
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        let title = title.trim_start_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut unique = slug.clone();
        let mut n = 0;
        while !seen.insert(unique.clone()) {
            n += 1;
            unique = format!("{slug}-{n}");
        }
    }
    seen
}

/// Lines outside fenced code blocks, inline code kept (headings keep their code text).
fn prose_lines_keep_code(md: &str) -> Vec<&str> {
    let mut fenced = false;
    md.lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// Every broken relative link of `file` (whose text is `md`), as `target: why`.
fn broken_links(file: &Path, md: &str) -> Vec<String> {
    let repo = root().canonicalize().unwrap();
    let mut bad = Vec::new();
    for target in links(md) {
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target.as_str(), None),
        };
        let resolved = if path.is_empty() {
            file.to_path_buf()
        } else {
            file.parent().unwrap().join(path)
        };
        let Ok(real) = resolved.canonicalize() else {
            bad.push(format!("{target}: no such file"));
            continue;
        };
        if !real.starts_with(&repo) {
            bad.push(format!("{target}: outside the repository"));
            continue;
        }
        if let Some(anchor) = anchor.filter(|_| real.extension().is_some_and(|x| x == "md")) {
            let text = if path.is_empty() {
                md.to_string()
            } else {
                std::fs::read_to_string(&real).unwrap()
            };
            if !anchors(&text).contains(anchor) {
                bad.push(format!("{target}: no heading #{anchor}"));
            }
        }
    }
    bad
}

#[test]
fn every_relative_link_in_the_manuals_resolves() {
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in manuals() {
        let md = std::fs::read_to_string(&file).unwrap();
        checked += links(&md).len();
        for why in broken_links(&file, &md) {
            bad.push(format!("{}: {why}", file.display()));
        }
    }
    assert!(
        checked >= 10,
        "only {checked} links found: is the scan broken?"
    );
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
}

#[test]
fn the_manuals_cite_nothing_outside_the_repository() {
    for file in manuals() {
        let md = std::fs::read_to_string(&file).unwrap();
        for needle in ["../shared", "/work/"] {
            assert!(!md.contains(needle), "{} mentions {needle}", file.display());
        }
    }
}

#[test]
fn the_checker_catches_missing_files_and_anchors() {
    let readme = root().join("README.md");
    let md = "\
[ok](docs/FORMAT.md) [gone](docs/NOPE.md) [here](#query-language) [nowhere](#no-such-heading)
[deep](docs/FORMAT.md#dates) [shallow](docs/FORMAT.md#no-such) `[code](not/a/link.md)`
```
[fenced](not/a/link.md)
```
[ref]: ../
## Query language
";
    let bad = broken_links(&readme, md);
    assert_eq!(
        bad,
        [
            "docs/NOPE.md: no such file",
            "#no-such-heading: no heading #no-such-heading",
            "docs/FORMAT.md#no-such: no heading #no-such",
            "../: outside the repository",
        ],
    );
}

#[test]
fn anchors_follow_githubs_rules() {
    let got = anchors("# chatspool\n## `list --json`\n## Keys\n### Keys\n## Live watching\n");
    for want in [
        "chatspool",
        "list---json",
        "keys",
        "keys-1",
        "live-watching",
    ] {
        assert!(got.contains(want), "{want} not in {got:?}");
    }
}

/// A merge that left its conflict markers in the manual (it happened once) fails here, for the
/// manuals and for every source and test file.
#[test]
fn no_conflict_markers_anywhere() {
    let mut files = manuals();
    let mut dirs = vec![
        root().join("src"),
        root().join("tests"),
        root().join("benches"),
    ];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "rs" || x == "snap" || x == "md")
            {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 20, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let marker =
                ["<<<<<<< ", ">>>>>>> "].iter().any(|m| line.starts_with(m)) || line == "=======";
            assert!(
                !marker,
                "{}:{}: conflict marker {line:?}",
                f.display(),
                n + 1
            );
        }
    }
}

/// The query fields are one table in the code; the manual's table and the module's own doc
/// table must name every one of them (aliases included), so a new field cannot go undocumented.
#[test]
fn every_query_field_is_documented() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let query = readme
        .split("## Query language")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Query language section");
    let module = std::fs::read_to_string(root().join("src/query.rs")).unwrap();
    let missing: Vec<String> = chatspool::query::field_names()
        .flat_map(|f| {
            let term = format!("`{f}:");
            let spelled = |text: &str| text.contains(&term) || text.contains(&format!("`!{f}:"));
            let mut out = Vec::new();
            if !spelled(query) {
                out.push(format!("README: {f}:"));
            }
            if !spelled(&module) && !module.contains(&format!("(`{f}:`)")) {
                out.push(format!("src/query.rs: {f}:"));
            }
            out
        })
        .collect();
    assert!(missing.is_empty(), "undocumented query fields: {missing:?}");
}
