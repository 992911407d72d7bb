//! `export --format parquet` from the outside: the files are read back with the parquet crate's
//! reader and compared with what `list --json` and `show --json` print for the same spool —
//! field by field, chat by chat — with the Hive folders checked against each chat's start, the
//! other layouts, redaction, incremental re-export and the refusal to write into the spool.

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

mod support;

use support::{chat, spool, write, T0};

/// chatspool with every directory of its own inside `home` (review data included) and a user
/// name for review records.
fn cs(home: &Path, args: &[&str], spool: &Path) -> Output {
    let mut c = support::command();
    c.arg(args[0]).arg(spool).args(&args[1..]);
    for (k, d) in [
        ("HOME", ""),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ] {
        c.env(k, home.join(d));
    }
    c.env("USER", "ann");
    c.output().unwrap()
}

fn ok(home: &Path, args: &[&str], spool: &Path) -> Output {
    let out = cs(home, args, spool);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json_of(home: &Path, args: &[&str], spool: &Path) -> Value {
    serde_json::from_slice(&ok(home, args, spool).stdout).unwrap()
}

/// Every `*.parquet` file under `dir`, sorted.
fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One cell as JSON: strings, integers, booleans, timestamps as milliseconds, lists as arrays.
fn cell(col: &dyn Array, i: usize) -> Value {
    if col.is_null(i) {
        return Value::Null;
    }
    match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(i).into(),
        DataType::Int64 => col.as_primitive::<Int64Type>().value(i).into(),
        DataType::Boolean => col.as_boolean().value(i).into(),
        DataType::Timestamp(_, _) => col
            .as_primitive::<TimestampMillisecondType>()
            .value(i)
            .into(),
        DataType::List(_) => {
            let items = col.as_list::<i32>().value(i);
            Value::Array((0..items.len()).map(|j| cell(&items, j)).collect())
        }
        other => panic!("unexpected column type {other:?}"),
    }
}

/// The rows of a table (every file under `dir/TABLE`), each with `_folder`: the partition
/// folder it was found in (`started=…`, or `` at the table's top).
fn rows(dir: &Path, table: &str) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    for f in parquet_files(&dir.join(table)) {
        let folder = f
            .parent()
            .unwrap()
            .strip_prefix(dir.join(table))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&f).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            let batch: RecordBatch = batch.unwrap();
            for i in 0..batch.num_rows() {
                let mut row = Map::new();
                for (field, col) in batch.schema().fields().iter().zip(batch.columns()) {
                    row.insert(field.name().clone(), cell(col.as_ref(), i));
                }
                row.insert("_folder".into(), folder.clone().into());
                out.push(row);
            }
        }
    }
    out
}

/// Milliseconds as `list --json` writes times (RFC 3339, whole seconds, `Z`).
fn rfc3339(ms: &Value) -> Value {
    match ms.as_i64() {
        Some(ms) => chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .into(),
        None => Value::Null,
    }
}

/// The test spool, with a chat that has no start time and one chat tagged and noted.
fn test_spool(home: &Path) -> tempfile::TempDir {
    let s = spool();
    let mut u = chat(
        "ffff6666-0000-0000-0000-000000000006",
        "Una",
        "Walid",
        T0,
        "3",
        "[10:00:05] Walid: hello⊙",
    );
    u["chat"].as_object_mut().unwrap().remove("start_time");
    write(s.path(), "undated/u.json", u.to_string().as_bytes());
    ok(home, &["tag", "aaaa1111", "coaching", "refund"], s.path());
    ok(home, &["note", "aaaa1111", "call back"], s.path());
    s
}

fn export(home: &Path, spool: &Path, out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["export", "--format", "parquet", "-o", out];
    args.extend_from_slice(extra);
    ok(home, &args, spool)
}

#[test]
fn the_chats_table_is_list_json_field_by_field_in_its_start_days_folder() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), out.path(), &[]);
    let list = json_of(home.path(), &["list", "--json", "--no-cache"], s.path());
    let list = list.as_array().unwrap();
    let rows = rows(out.path(), "chats");
    assert_eq!(rows.len(), list.len());
    assert!(list.len() >= 5, "{list:?}");
    let mut unknown = 0;
    for item in list {
        let id = item["id"].as_str().unwrap();
        let row = rows.iter().find(|r| r["id"] == id).unwrap();
        for (k, v) in item.as_object().unwrap() {
            match k.as_str() {
                "started_at" | "ended_at" => assert_eq!(&rfc3339(&row[k]), v, "{id} {k}"),
                "status" => {
                    assert_eq!(row["status_code"], v["code"], "{id} status code");
                    assert_eq!(row["status"], v["label"], "{id} status label");
                }
                _ => assert_eq!(row.get(k), Some(v), "{id} {k}"),
            }
        }
        let folder = match item["started_at"].as_str() {
            Some(t) => format!("started={}", &t[..10]),
            None => {
                unknown += 1;
                "started=unknown".into()
            }
        };
        assert_eq!(row["_folder"], folder, "{id}");
    }
    assert_eq!(unknown, 1, "the chat with no start time");
    // Fields the list does not carry, from the chat's file.
    let alice = rows.iter().find(|r| r["visitor"] == "Alice").unwrap();
    for k in ["browser", "os", "language", "country", "city"] {
        assert!(alice[k].is_string(), "{k}: {alice:?}");
    }
    assert_eq!(alice["tags"], json!(["coaching", "refund"]));
    assert_eq!(alice["notes"], 1);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("_chatspool.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["partition"], "day");
    assert!(manifest["partitions"]["started=unknown"]["files"].is_array());
}

#[test]
fn every_list_field_has_a_chats_column() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), out.path(), &[]);
    let list = json_of(home.path(), &["list", "--json"], s.path());
    let rows = rows(out.path(), "chats");
    for k in list[0].as_object().unwrap().keys() {
        let column = if k == "status" { "status_code" } else { k };
        assert!(
            rows[0].contains_key(column),
            "list --json has `{k}`: add its column to export::parquet::table::CHATS"
        );
    }
}

#[test]
fn the_messages_table_is_the_show_json_transcripts() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), out.path(), &["--partition", "month"]);
    let mut by_chat: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
    for r in rows(out.path(), "messages") {
        by_chat
            .entry(r["chat_id"].as_str().unwrap().to_string())
            .or_default()
            .push(r);
    }
    let list = json_of(home.path(), &["list", "--json"], s.path());
    let mut compared = 0;
    for item in list.as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let show = json_of(home.path(), &["show", id, "--json"], s.path());
        let transcript = show["transcript"].as_array().unwrap();
        let mut got = by_chat.remove(id).unwrap_or_default();
        got.sort_by_key(|r| r["seq"].as_i64());
        assert_eq!(got.len(), transcript.len(), "{id}");
        for (seq, (r, e)) in got.iter().zip(transcript).enumerate() {
            assert_eq!(r["seq"], seq, "{id}");
            assert_eq!(r["kind"], e["kind"], "{id} {seq}");
            assert_eq!(r["speaker"], e["speaker"], "{id} {seq}");
            assert_eq!(r["text"], e["text"], "{id} {seq}");
            assert_eq!(r["clock"], e["time"], "{id} {seq}");
            assert_eq!(rfc3339(&r["at"]), e["at"], "{id} {seq}");
            assert_eq!(
                r["reply_secs"],
                e.get("reply_secs").cloned().unwrap_or(Value::Null)
            );
            let folder = match item["started_at"].as_str() {
                Some(t) => format!("started={}", &t[..7]),
                None => "started=unknown".into(),
            };
            assert_eq!(r["_folder"], folder, "{id}");
            compared += 1;
        }
    }
    assert!(
        by_chat.is_empty(),
        "messages of no listed chat: {by_chat:?}"
    );
    assert!(compared >= 6, "{compared}");
}

#[test]
fn partition_none_writes_one_file_per_table_at_the_top() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), out.path(), &["--partition", "none"]);
    let files: Vec<PathBuf> = parquet_files(out.path())
        .into_iter()
        .map(|p| p.strip_prefix(out.path()).unwrap().to_path_buf())
        .collect();
    assert_eq!(
        files,
        [
            PathBuf::from("chats/part-00000.parquet"),
            PathBuf::from("messages/part-00000.parquet")
        ]
    );
    let list = json_of(home.path(), &["list", "--json"], s.path());
    assert_eq!(
        rows(out.path(), "chats").len(),
        list.as_array().unwrap().len()
    );
}

#[test]
fn a_query_selects_the_chats_exported() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(
        home.path(),
        s.path(),
        out.path(),
        &["--query", "agent:walid"],
    );
    let list = json_of(
        home.path(),
        &["list", "--json", "--query", "agent:walid"],
        s.path(),
    );
    let mut want: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let rows = rows(out.path(), "chats");
    let mut got: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
}

/// Every string in every table of an export.
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for table in ["chats", "messages"] {
        for r in rows(dir, table) {
            text.push_str(&Value::Object(r).to_string());
            text.push('\n');
        }
    }
    text
}

#[test]
fn a_redacted_export_leaks_none_of_the_redacted_values() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let mut c = chat(
        "eeee5555-0000-0000-0000-000000000005",
        "Eve",
        "Walid",
        T0 + 3_600_000,
        "2",
        "[11:00:09] Eve: my card is 4111 1111 1111 1111 and phone +1 555 0193⊙\
         [11:00:10] Eve: mail me: ana.lopez@mail.example, from 73.158.17.199⊙",
    );
    c["chat"]["comment"] = json!("reach me at eve.private@mail.example");
    write(s.path(), "pii.json", c.to_string().as_bytes());
    let plain = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), plain.path(), &[]);
    let secrets = [
        "eve@example.com",
        "alice@example.com",
        "ana.lopez@mail.example",
        "4111 1111 1111 1111",
        "+1 555 0193",
        "73.158.17.199",
    ];
    let text = all_text(plain.path());
    for v in secrets {
        assert!(text.contains(v), "the plain export holds {v}");
    }
    let redacted = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), redacted.path(), &["--redact"]);
    let text = all_text(redacted.path());
    for v in secrets {
        assert!(!text.contains(v), "{v} leaked:\n{text}");
    }
    assert!(text.contains("Walid"), "names of agents are kept");
    // Same chats, same shape: only values are masked.
    assert_eq!(
        rows(redacted.path(), "chats").len(),
        rows(plain.path(), "chats").len()
    );
    let m: Value =
        serde_json::from_slice(&std::fs::read(redacted.path().join("_chatspool.json")).unwrap())
            .unwrap();
    assert_eq!(m["redacted"], true);
}

/// Each file under `dir` with its modification time.
fn mtimes(dir: &Path) -> BTreeMap<PathBuf, std::time::SystemTime> {
    parquet_files(dir)
        .into_iter()
        .map(|p| {
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), t)
        })
        .collect()
}

#[test]
fn a_second_export_replaces_only_the_partitions_whose_chats_changed() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let out = tempfile::tempdir().unwrap();
    export(home.path(), s.path(), out.path(), &[]);
    let first = mtimes(out.path());
    assert!(first.len() >= 6, "{first:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = export(home.path(), s.path(), out.path(), &[]);
    assert_eq!(
        mtimes(out.path()),
        first,
        "nothing changed, nothing written"
    );
    let said = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(said.contains("0 partitions written"), "{said}");
    // Bob (2020-09-01, in the JSON Lines file) is tagged: his day is written again, no other.
    ok(home.path(), &["tag", "bbbb2222", "late"], s.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    export(home.path(), s.path(), out.path(), &[]);
    let third = mtimes(out.path());
    let changed: Vec<&PathBuf> = third
        .iter()
        .filter(|(p, t)| first.get(*p) != Some(t))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        changed,
        [
            &PathBuf::from("chats/started=2020-09-01/part-00000.parquet"),
            &PathBuf::from("messages/started=2020-09-01/part-00000.parquet")
        ]
    );
    let bob = rows(out.path(), "chats")
        .into_iter()
        .find(|r| r["visitor"] == "Bob")
        .unwrap();
    assert_eq!(bob["tags"], json!(["late"]));
    // A new chat on a new day adds a partition; removing its file removes the partition.
    let late = chat(
        "abab7777-0000-0000-0000-000000000007",
        "Lea",
        "Walid",
        T0 + 5 * 86_400_000,
        "5",
        "",
    );
    write(s.path(), "2020/09/06/l.json", late.to_string().as_bytes());
    export(home.path(), s.path(), out.path(), &[]);
    assert!(out
        .path()
        .join("chats/started=2020-09-06/part-00000.parquet")
        .is_file());
    std::fs::remove_file(s.path().join("2020/09/06/l.json")).unwrap();
    export(home.path(), s.path(), out.path(), &[]);
    assert!(!out
        .path()
        .join("chats/started=2020-09-06/part-00000.parquet")
        .exists());
    assert_eq!(mtimes(out.path()).len(), third.len());
    // No temporary file is left behind.
    let mut stack = vec![out.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "{name}");
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
}

#[test]
fn an_export_directory_inside_the_spool_is_refused_and_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let s = test_spool(home.path());
    let before = support::tree(s.path());
    for out in [
        s.path().join("out"),
        s.path()
            .join("x/../../")
            .join(s.path().file_name().unwrap())
            .join("y"),
    ] {
        let got = cs(
            home.path(),
            &["export", "--format", "parquet", "-o", out.to_str().unwrap()],
            s.path(),
        );
        assert_eq!(got.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&got.stderr);
        assert!(err.contains("inside the spool"), "{err}");
    }
    let missing = cs(home.path(), &["export", "--format", "parquet"], s.path());
    assert_eq!(missing.status.code(), Some(2));
    let partition = cs(home.path(), &["export", "--partition", "day"], s.path());
    assert_eq!(partition.status.code(), Some(2));
    assert_eq!(support::tree(s.path()), before, "the spool is untouched");
}

#[allow(dead_code)]
#[path = "remote/server.rs"]
mod server;

/// chatspool pointed at an S3 server, with no AWS settings of the developer's own.
fn cs_s3(home: &Path, env: &[(&str, String)], args: &[&str]) -> Output {
    let mut c = support::command();
    c.args(args);
    for k in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"));
    c.env("XDG_DATA_HOME", home.join("data"));
    c.output().unwrap()
}

#[test]
fn an_export_to_a_bucket_prefix_uploads_whole_files_then_the_manifest() {
    let home = tempfile::tempdir().unwrap();
    let s3 = server::Server::start(&["acme"]);
    let env = s3.env();
    for (i, name) in ["Ann", "Bob"].iter().enumerate() {
        let id = format!("{i:08}-0000-0000-0000-00000000000{i}");
        let body = chat(
            &id,
            name,
            "Walid",
            T0 + i as i64 * 86_400_000,
            "5",
            "[10:00:05] Walid: hi⊙",
        );
        s3.put(
            "acme",
            &format!("spool/{id}.json"),
            body.to_string().as_bytes(),
        );
    }
    // Inside the spool's own prefix: refused before anything is uploaded.
    let refused = cs_s3(
        home.path(),
        &env,
        &[
            "export",
            "s3://acme/spool",
            "--format",
            "parquet",
            "-o",
            "s3://acme/spool/out",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("inside the spool"));
    assert_eq!(s3.count(server::Kind::Put), 0);
    let args = [
        "export",
        "s3://acme/spool",
        "--format",
        "parquet",
        "-o",
        "s3://acme/exports",
    ];
    let first = cs_s3(home.path(), &env, &args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        s3.count(server::Kind::Put),
        5,
        "two partitions of two files, and the manifest"
    );
    // The objects are Parquet files a reader takes as they are.
    let local = tempfile::tempdir().unwrap();
    for rel in [
        "chats/started=2020-09-01/part-00000.parquet",
        "chats/started=2020-09-02/part-00000.parquet",
        "messages/started=2020-09-01/part-00000.parquet",
    ] {
        let bytes = std::fs::read(s3.path("acme", &format!("exports/{rel}"))).unwrap();
        write(local.path(), rel, &bytes);
    }
    let visitors: Vec<Value> = rows(local.path(), "chats")
        .into_iter()
        .map(|r| r["visitor"].clone())
        .collect();
    assert_eq!(visitors, [json!("Ann"), json!("Bob")]);
    assert_eq!(rows(local.path(), "messages").len(), 1);
    let manifest = std::fs::read(s3.path("acme", "exports/_chatspool.json")).unwrap();
    let manifest: Value = serde_json::from_slice(&manifest).unwrap();
    assert_eq!(manifest["partitions"].as_object().unwrap().len(), 2);
    // Nothing changed: only the manifest is uploaded again.
    s3.reset_counts();
    let again = cs_s3(home.path(), &env, &args);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(s3.count(server::Kind::Put), 1);
    assert_eq!(
        s3.count(server::Kind::Post) + s3.count(server::Kind::Delete),
        0
    );
    // Bob's chat is gone from the spool: his day's files are deleted from the export.
    s3.delete("acme", "spool/00000001-0000-0000-0000-000000000001.json");
    s3.reset_counts();
    let fewer = cs_s3(home.path(), &env, &args);
    assert!(
        fewer.status.success(),
        "{}",
        String::from_utf8_lossy(&fewer.stderr)
    );
    // S3 clients delete with a POST (`DeleteObjects`), one per file here.
    assert_eq!(s3.count(server::Kind::Post), 2);
    assert!(!s3
        .path(
            "acme",
            "exports/chats/started=2020-09-02/part-00000.parquet"
        )
        .exists());
}
