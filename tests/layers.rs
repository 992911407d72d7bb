//! The layers stay one-way: every `crate::` path in the library's sources points down the order
//! below, never up or sideways, and no two sibling files of a module use each other. Read from
//! the sources with plain string matching, so a new upward import fails here the day it is
//! written (comments and string literals are left out; `super::` paths that climb to the crate
//! root are rare enough that the sibling check covers the cycles they could make).
//!
//! The order, bottom first:
//! - helpers with no policy: `sanitize`, then `fold`, `dirs`, `paths`, `memory`, `signals`,
//!   `work`, `format`, then `log` and the domain types in `model`;
//! - `query` (parse and match; pure), then `spool` (walk, read, cache, text store, watch);
//! - the work over loaded chats: `review`, `details`, `redact`, the shared view shapes in `view`,
//!   `search`, `stats`, `export`;
//! - `remote` (object storage, a source the spool layer is handed) and `sources`;
//! - the faces: `tui`, `config`, `cli`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module with its rank: an import must point to a strictly lower rank.
const ORDER: &[(&str, u8)] = &[
    ("sanitize", 0),
    ("fold", 1),
    ("dirs", 1),
    ("paths", 1),
    ("memory", 1),
    ("signals", 1),
    ("work", 1),
    ("format", 1),
    ("spans", 1),
    ("log", 2),
    ("model", 2),
    ("query", 3),
    ("spool", 4),
    ("review", 5),
    ("details", 6),
    ("views", 6),
    ("redact", 7),
    ("view", 8),
    ("search", 9),
    ("stats", 9),
    ("export", 10),
    ("remote", 11),
    ("sources", 12),
    ("tui", 13),
    ("config", 14),
    ("cli", 15),
];

fn rank(module: &str) -> Option<u8> {
    ORDER.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    out.sort();
    out
}

/// The file's path under `src/`, as components (`["cli", "list.rs"]`).
fn under_src(p: &Path) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    p.strip_prefix(&src)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// A file holding only tests (`tests.rs`, `tests_*.rs`, or under a `tests/` folder).
fn is_test_file(parts: &[String]) -> bool {
    parts.iter().any(|p| p == "tests")
        || parts
            .last()
            .is_some_and(|f| f == "tests.rs" || f.starts_with("tests_"))
}

/// The top-level module a file belongs to (`src/cli/list.rs` and `src/cli.rs`: `cli`).
fn top_of(parts: &[String]) -> String {
    parts[0].trim_end_matches(".rs").to_string()
}

/// The code of a file without comments and string literals (so `s3://x` and prose naming a
/// module are not imports).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut escaped = false;
        let mut prev = ' ';
        for c in line.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
                continue;
            }
            if c == '/' && prev == '/' {
                out.pop();
                break;
            }
            if c == '"' {
                in_str = true;
                prev = c;
                continue;
            }
            out.push(c);
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Every top-level module named by a `crate::` path in `code` (also inside `crate::{a, b::c}`).
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        rest = after;
    }
    out
}

#[test]
fn every_crate_import_points_down_the_layers() {
    let mut upward = Vec::new();
    let mut unknown = BTreeSet::new();
    for (path, text) in sources() {
        let parts = under_src(&path);
        if parts.len() == 1 && matches!(parts[0].as_str(), "lib.rs" | "main.rs") {
            continue;
        }
        // Test-only files may check a layer against one above it (a differential test).
        if is_test_file(&parts) {
            continue;
        }
        let from = top_of(&parts);
        let Some(from_rank) = rank(&from) else {
            unknown.insert(from);
            continue;
        };
        for to in crate_refs(&code_only(&text)) {
            if to == from {
                continue;
            }
            match rank(&to) {
                Some(r) if r < from_rank => {}
                Some(_) => upward.push(format!("src/{}: crate::{to}", parts.join("/"))),
                None => {
                    unknown.insert(to);
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from ORDER in tests/layers.rs (place them in the layers): {unknown:?}"
    );
    assert!(
        upward.is_empty(),
        "imports that point up or sideways in the layers (move the shared piece down, or hand it in from above):\n{}",
        upward.join("\n")
    );
}

/// Within one module, its parts (`src/spool/cache.rs` with `src/spool/cache/`, and
/// `src/spool/texts.rs` with `src/spool/texts/`) may use one another one way only: a part's
/// files count as that part at every level above them.
#[test]
fn sibling_parts_never_use_each_other_both_ways() {
    let all = sources();
    // Directory -> the parts in it (file stems and subdirectories).
    let mut parts_in: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for (path, _) in &all {
        let parts = under_src(path);
        for depth in 0..parts.len() {
            parts_in
                .entry(parts[..depth].to_vec())
                .or_default()
                .insert(parts[depth].trim_end_matches(".rs").to_string());
        }
    }
    // Directory -> part -> the sibling parts it names.
    let mut graph: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (path, text) in &all {
        let parts = under_src(path);
        let code = code_only(text);
        for depth in 1..parts.len() {
            let dir = &parts[..depth];
            let me = parts[depth].trim_end_matches(".rs").to_string();
            let long = format!("crate::{}::", dir.join("::"));
            for sib in parts_in[dir].iter().filter(|s| **s != me) {
                let full = format!("{long}{sib}::");
                let mut used = code.contains(&full) || code.contains(&format!("{long}{{{sib}"));
                // `super::` from a part's own root file names its siblings.
                if depth == parts.len() - 1 {
                    used |= code.contains(&format!("super::{sib}::"))
                        || code.contains(&format!("super::{{{sib}"));
                }
                if used {
                    graph
                        .entry(dir.to_vec())
                        .or_default()
                        .entry(me.clone())
                        .or_default()
                        .insert(sib.clone());
                }
            }
        }
    }
    let mut both_ways = Vec::new();
    for (dir, edges) in &graph {
        for (a, tos) in edges {
            for b in tos {
                if a < b && edges.get(b).is_some_and(|t| t.contains(a)) {
                    both_ways.push(format!("src/{}: {a} <-> {b}", dir.join("/")));
                }
            }
        }
    }
    assert!(
        both_ways.is_empty(),
        "parts of a module that use each other (move the shared piece to one of them or below both):\n{}",
        both_ways.join("\n")
    );
}

/// The checks can fail: an upward import and a pair of siblings are found in made-up code.
#[test]
fn the_checks_see_what_they_look_for() {
    let code = code_only(
        "use crate::{cli::x, model};\n// crate::tui in a comment\nlet s = \"crate::remote\";\nuse crate::spool::y;",
    );
    let refs = crate_refs(&code);
    assert!(refs.contains("cli") && refs.contains("model") && refs.contains("spool"));
    assert!(
        !refs.contains("tui") && !refs.contains("remote"),
        "{refs:?}"
    );
    assert!(rank("cli") > rank("model"));
}
