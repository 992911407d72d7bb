//! `chatspool export` from the outside: every format on a spool with hostile names and personal
//! data, read back the way its consumers would (a CSV reader, a JSON parser), with and without
//! `--redact`; the spool is byte-identical afterwards.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod support;

use support::{cached_bin, chat, run_cached, spool, write, T0};

fn export(spool: &Path, args: &[&str]) -> String {
    let xdg = tempfile::tempdir().unwrap();
    let all: Vec<&str> = ["export"].iter().chain(args).copied().collect();
    String::from_utf8(run_cached(xdg.path(), spool, &all, 0)).unwrap()
}

fn list_ids(spool: &Path, query: &str) -> Vec<String> {
    let xdg = tempfile::tempdir().unwrap();
    let out = run_cached(xdg.path(), spool, &["list", "--json", "--query", query], 0);
    let v: Value = serde_json::from_slice(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every file of a directory and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

const HOSTILE: &str = "<script>alert(\"x\")</script> O'Neil, \"Jr\" & =cmd|'/c calc'!A1";

/// The standard spool plus a chat full of personal data and a hostile visitor name.
fn pii_spool() -> tempfile::TempDir {
    let s = spool();
    let mut c = chat(
        "eeee5555-0000-0000-0000-000000000005",
        HOSTILE,
        "Walid",
        T0 + 3_600_000,
        "2",
        "[11:00:05] Walid: Order 80890 placed 2024-05-31 10:00:05, ref 1717149600000.⊙\
         [11:00:09] X: my card is 4111 1111 1111 1111 and phone +1 555 0193⊙\
         [11:00:10] X: mail me: ana.lopez@mail.example, from 73.158.17.199⊙",
    );
    c["visitor"]["email"] = json!("ana.lopez@mail.example");
    c["visitor"]["phone"] = json!("5551230193");
    c["visitor"]["ip"] = json!("73.158.17.199");
    write(s.path(), "pii.json", c.to_string().as_bytes());
    s
}

const LEAKS: &[&str] = &[
    "4111 1111 1111 1111",
    "555 0193",
    "5551230193",
    "ana.lopez@mail.example",
    "73.158.17.199",
];

#[test]
fn markdown_has_a_header_and_the_attributed_transcript_per_chat_in_list_order() {
    let s = spool();
    let md = export(s.path(), &["--format", "md", "--query", "agent:walid"]);
    let ids = list_ids(s.path(), "agent:walid");
    assert_eq!(ids.len(), 3);
    let at: Vec<usize> = ids.iter().map(|id| md.find(id.as_str()).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "list order: {at:?}");
    // Every chat's heading follows the line that says what the export is.
    assert_eq!(md.matches("\n## ").count(), 3);
    assert!(md.starts_with("# chatspool export\n\n3 chats · query agent:walid · order newest · times UTC · not redacted · exported "), "{md}");
    for want in [
        "- Agents: Walid",
        "- Rating: 5/5 Excellent",
        "**Transcript**",
        // A system line without a time is emphasis, never a `* ` list item.
        "\n*Agent Walid has joined the chat.*\n",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    assert!(
        md.contains("**10:00:05 Walid** (agent): Hello Alice"),
        "{md}"
    );
}

#[test]
fn text_export_is_plain_and_sanitised() {
    let s = spool();
    let txt = export(s.path(), &["--format", "txt"]);
    assert!(
        !txt.contains('\u{1b}'),
        "no escape sequence reaches a terminal"
    );
    assert!(txt.contains("Dan ␛]0;pwned␇"));
    assert!(txt.contains("Transcript (times UTC)\n"), "{txt}");
    assert!(
        txt.contains("10:00:09  visitor  Alice: I want a refund"),
        "{txt}"
    );
}

/// A CSV export read back with a CSV reader: each row as column name → cell.
fn csv_rows(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            head.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (head, rows)
}

#[test]
fn csv_reads_back_with_a_csv_reader() {
    let s = pii_spool();
    let text = export(s.path(), &["--format", "csv"]);
    let (head, rows) = csv_rows(&text);
    for col in ["id", "visitor", "agents", "tags", "notes", "reviewed"] {
        assert!(head.iter().any(|h| h == col), "{col} in {head:?}");
    }
    let got: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(got, list_ids(s.path(), ""));
    let hostile = rows.iter().find(|r| r["id"].starts_with("eeee")).unwrap();
    assert_eq!(hostile["visitor"], HOSTILE, "quotes, commas survive");
    assert_eq!(hostile["reviewed"], "false");
    assert_eq!(hostile["notes"], "0");
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_guarded() {
    let s = spool();
    let c = chat("ffff6666", "=HYPERLINK(\"http://x\")", "Walid", T0, "5", "");
    write(s.path(), "f.json", c.to_string().as_bytes());
    let (_, rows) = csv_rows(&export(s.path(), &["--format", "csv"]));
    let row = rows.iter().find(|r| r["id"] == "ffff6666").unwrap();
    assert_eq!(row["visitor"], "'=HYPERLINK(\"http://x\")");
}

#[test]
fn html_is_one_self_contained_file_with_every_piece_escaped() {
    let s = pii_spool();
    let html = export(s.path(), &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(!html.contains("<script>"), "a name is never markup");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Neil"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external resource"
    );
    assert!(html.contains("default-src 'none'"));
    assert_eq!(
        html.matches("<article>").count(),
        list_ids(s.path(), "").len()
    );
}

#[test]
fn json_is_the_show_json_objects() {
    let s = spool();
    let all: Value = serde_json::from_str(&export(s.path(), &["--format", "json"])).unwrap();
    let all = all.as_array().unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, list_ids(s.path(), ""));
    let xdg = tempfile::tempdir().unwrap();
    let out = run_cached(xdg.path(), s.path(), &["show", "aaaa1111", "--json"], 0);
    let show: Value = serde_json::from_slice(&out).unwrap();
    let mine = all.iter().find(|c| c["id"] == show["id"]).unwrap();
    assert_eq!(mine, &show);
}

#[test]
fn redact_leaks_nothing_in_any_format_and_keeps_ids_and_times() {
    let s = pii_spool();
    for format in ["md", "txt", "html", "csv", "json"] {
        let out = export(s.path(), &["--format", format, "--redact"]);
        for leak in LEAKS {
            assert!(!out.contains(leak), "{format} leaks {leak}");
        }
        if format != "csv" {
            for keep in ["80890", "2024-05-31 10:00:05", "1717149600000"] {
                assert!(out.contains(keep), "{format} lost {keep}");
            }
            // Markdown escapes the brackets (`\[card\]`), which renders as `[card]`.
            let shown = out.replace('\\', "");
            assert!(
                shown.contains("[card]") && shown.contains("[email]"),
                "{format}"
            );
        }
    }
    let plain = export(s.path(), &["--format", "md"]);
    assert!(
        plain.contains("ana.lopez@mail.example"),
        "only --redact masks"
    );
}

#[test]
fn output_file_is_written_whole_and_never_inside_the_spool() {
    let s = pii_spool();
    let before = snapshot(s.path());
    let xdg = tempfile::tempdir().unwrap();
    let dest = xdg.path().join("out.html");
    cached_bin(xdg.path())
        .arg("export")
        .arg(s.path())
        .args(["--format", "html", "-o"])
        .arg(&dest)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&dest)
        .unwrap()
        .ends_with("</html>\n"));
    let inside = s.path().join("2020").join("export.md");
    let out = cached_bin(xdg.path())
        .arg("export")
        .arg(s.path())
        .arg("-o")
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the spool"));
    assert_eq!(snapshot(s.path()), before, "the spool is byte-identical");
}

#[test]
fn a_bad_query_or_format_is_a_usage_error() {
    let s = spool();
    let xdg = tempfile::tempdir().unwrap();
    for args in [
        ["export", "--query", "agnet:x"],
        ["export", "--format", "pdf"],
    ] {
        run_cached(xdg.path(), s.path(), &args, 2);
    }
}

/// `chatspool ARGS[0] SPOOL ARGS[1..]` with a private cache and `--review-dir REVIEWS`, as `ann`.
fn reviewed(xdg: &Path, reviews: &Path, spool: &Path, args: &[&str]) -> String {
    let out = cached_bin(xdg)
        .env("USER", "ann")
        .env("CHATSPOOL_REVIEW_DIR", reviews)
        .arg(args[0])
        .arg(spool)
        .args(&args[1..])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn exports_carry_the_review_data_and_redaction_masks_the_notes() {
    let s = pii_spool();
    let before = snapshot(s.path());
    let xdg = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| reviewed(xdg.path(), reviews.path(), s.path(), args);
    let alice = "aaaa1111-0000-0000-0000-000000000001";
    run(&["tag", alice, "=SUM(A1)", "coaching"]);
    run(&[
        "note",
        alice,
        "call back on +1 555 0193 or ana.lopez@mail.example",
    ]);
    run(&["review", alice]);
    let md = run(&["export", "--format", "md", "--query", "tag:coach"]);
    assert_eq!(md.matches("\n## ").count(), 1, "the query sees the tags");
    for want in [
        "- Tags: =SUM(A1), coaching",
        "— ann, ",
        "- Reviewed: ✓ ann, ",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    assert!(md.contains("ana.lopez@mail.example"), "{md}");
    for format in ["md", "txt", "html", "json"] {
        let out = run(&[
            "export",
            "--format",
            format,
            "--redact",
            "-q",
            "reviewed:yes",
        ]);
        assert!(
            !out.contains("555 0193") && !out.contains("ana.lopez"),
            "{format}: {out}"
        );
        assert!(out.contains("coaching"), "{format}: tags are kept");
    }
    let json: Value = serde_json::from_str(&run(&["export", "--format", "json"])).unwrap();
    let mine = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == alice)
        .unwrap();
    assert_eq!(mine["review"]["tags"], json!(["=SUM(A1)", "coaching"]));
    assert_eq!(mine["review"]["notes"][0]["author"], "ann");
    assert_eq!(mine["review"]["reviewed"]["author"], "ann");
    let (head, rows) = csv_rows(&run(&["export", "--format", "csv"]));
    assert!(head.iter().any(|h| h == "wrap_up"), "{head:?}");
    let row = rows.iter().find(|r| r["id"] == alice).unwrap();
    assert_eq!(
        row["tags"], "'=SUM(A1); coaching",
        "a formula-looking cell is guarded"
    );
    assert_eq!(
        (row["notes"].as_str(), row["reviewed"].as_str()),
        ("1", "true")
    );
    let other = rows.iter().find(|r| r["id"] != alice).unwrap();
    assert_eq!(
        (other["tags"].as_str(), other["reviewed"].as_str()),
        ("", "false")
    );
    assert_eq!(snapshot(s.path()), before, "the spool is byte-identical");
}

#[test]
fn documents_start_with_what_they_hold_and_how_they_were_chosen() {
    let s = spool();
    let txt = export(
        s.path(),
        &[
            "--format",
            "txt",
            "--redact",
            "--sort",
            "wait",
            "--tz",
            "Europe/Paris",
        ],
    );
    let first = txt.lines().next().unwrap();
    assert!(first.starts_with("chatspool export: "), "{first}");
    for want in [
        "chats · all chats",
        "order wait",
        "times Europe/Paris",
        " redacted",
        "exported 20",
    ] {
        assert!(first.contains(want), "{want}: {first}");
    }
    assert!(!first.contains("not redacted"));
    // A hostile query is data: escaped in HTML, sanitised in text.
    let html = export(
        s.path(),
        &["--format", "html", "--query", "\"<b>\u{1b}]0;x\""],
    );
    assert!(
        html.contains("<p class=\"about\">0 chats · query &quot;&lt;b&gt;␛]0;x&quot;"),
        "{html}"
    );
    assert!(!html.contains('\u{1b}'));
    // Data formats stay pure data.
    let csv = export(s.path(), &["--format", "csv"]);
    assert!(!csv.contains("chatspool export"));
}

#[test]
fn jsonl_is_one_show_object_per_line_transcript_included() {
    let s = spool();
    let out = export(s.path(), &["--format", "jsonl", "--query", "agent:walid"]);
    let ids = list_ids(s.path(), "agent:walid");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), ids.len(), "{out}");
    let xdg = tempfile::tempdir().unwrap();
    for (line, id) in lines.iter().zip(&ids) {
        let got: Value = serde_json::from_str(line).unwrap();
        let show: Value = serde_json::from_slice(&run_cached(
            xdg.path(),
            s.path(),
            &["show", id, "--json"],
            0,
        ))
        .unwrap();
        assert_eq!(got, show, "the line is the chat's show --json object");
        assert!(got["transcript"].is_array());
    }
    let redacted = export(s.path(), &["--format", "jsonl", "--redact"]);
    for line in redacted.lines() {
        serde_json::from_str::<Value>(line).unwrap();
    }
    assert!(!redacted.contains("alice@example.com"));
}
