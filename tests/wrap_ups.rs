//! `chat_wrapped_up` events from the outside: the binary over temp spools holding chats and the
//! wrap-ups that came after them (both spellings, GUID and integer ids, JSON Lines mixing chats
//! and wrap-ups, a retried event, a wrap-up whose chat is not there), with the index cache in a
//! temp directory.

mod support;

use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, SystemTime};
use support::{cached_bin as bin, chat, run_cached, wrap_up_event, write, T0};

const A: &str = "aaaa1111-0000-0000-0000-000000000001";
const C: &str = "cccc3333-0000-0000-0000-000000000003";
const D: &str = "dddd4444-0000-0000-0000-000000000004";
const E: &str = "eeee5555-0000-0000-0000-000000000005";
const F: &str = "ffff6666-0000-0000-0000-000000000006";

/// `chatspool ARGS[0] SPOOL ARGS[1..] --json`, which must exit with `code`.
fn json_out(xdg: &Path, spool: &Path, args: &[&str], code: i32) -> Value {
    let args: Vec<&str> = args.iter().copied().chain(["--json"]).collect();
    serde_json::from_slice(&run_cached(xdg, spool, &args, code)).unwrap()
}

fn put(dir: &Path, rel: &str, v: &Value) {
    write(
        dir,
        rel,
        serde_json::to_string_pretty(v).unwrap().as_bytes(),
    );
}

/// Chats A (GUID), B (integer 1098), C (in a JSON Lines file with its own wrap-up), E (none) and
/// F (its own wrap-up filled in, newer than the event about it); wrap-ups for A (and a retry of
/// it), B (misspelt event, id as a string), C, F (an older one and an empty one) and D (a chat
/// not in the spool).
fn spool(dir: &Path) {
    let start = |i: i64| T0 + i * 3_600_000;
    put(
        dir,
        "2020/09/01/a.json",
        &chat(A, "Alice", "Walid", start(0), "5", ""),
    );
    let refund = wrap_up_event(
        "chat_wrapped_up",
        json!(A),
        "Billing: Refund",
        "Refund approved for order 80890",
        start(0) + 600_000,
    );
    put(dir, "wrapups/a.json", &refund);
    put(dir, "wrapups/a-retry.json", &refund);
    let mut b = chat("1098", "Bob", "PT: Jason", start(1), "2", "");
    b["chat"]["id"] = json!(1098);
    b["visitor"]["chat_id"] = json!(1098);
    put(dir, "2020/09/01/b.json", &b);
    let quote = wrap_up_event(
        "chat_wraped_up",
        json!("1098"),
        "Sales: Quote",
        "",
        start(1) + 90_000,
    );
    put(dir, "wrapups/b.json", &quote);
    let lines = [
        chat(C, "Carol", "Walid", start(2), "4", ""),
        json!({"event": "chat_started", "visitor": {"chat_id": C}}),
        wrap_up_event(
            "chat_wrapped_up",
            json!(C),
            "Support: Login",
            "Password reset",
            start(2) + 1,
        ),
        wrap_up_event("chat_wrapped_up", json!(D), "Billing: Refund", "", start(3)),
    ];
    let jsonl: Vec<String> = lines.iter().map(Value::to_string).collect();
    write(dir, "mixed.jsonl", (jsonl.join("\n") + "\n").as_bytes());
    put(
        dir,
        "2020/09/01/e.json",
        &chat(E, "Emma", "Walid", start(4), "5", ""),
    );
    let mut f = chat(F, "Frank", "Henry - Comm100", start(5), "3", "");
    f["chat"]["wrap_up"] = json!({
        "category": "Support: Bug report",
        "comment": "Filed as BUG-7",
        "fields": [],
        "time": format!("/Date({})/", start(5) + 3_600_000),
    });
    put(dir, "2020/09/01/f.json", &f);
    let older = wrap_up_event(
        "chat_wrapped_up",
        json!(F),
        "Billing: Invoice",
        "",
        start(5) + 60_000,
    );
    put(dir, "wrapups/f-older.json", &older);
    let mut empty = wrap_up_event("chat_wrapped_up", json!(F), "", "", start(6));
    empty["wrapup"]["fields"] = json!([]);
    put(dir, "wrapups/f-empty.json", &empty);
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no chat {id} in {list}"))
}

fn ids(list: &Value) -> Vec<&str> {
    let mut v: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn wrap_ups_are_merged_counted_and_never_chats() {
    let (dir, xdg) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (d, x) = (dir.path(), xdg.path());
    spool(d);
    let check = json_out(x, d, &["check"], 0);
    assert_eq!(check["chats"], 5, "{check}");
    assert_eq!(check["wrap_ups"], json!({"attached": 5, "waiting": 1}));
    let skipped: Vec<&str> = check["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["mixed.jsonl"], "only the chat_started line");
    assert_eq!(check["skipped"][0]["reason"], "event \"chat_started\"");
    assert_eq!(check["problems"], json!([]));

    let list = json_out(x, d, &["list"], 0);
    let wrap = |id: &str| by_id(&list, id)["wrap_up"].clone();
    assert_eq!(wrap(A), "Billing: Refund");
    assert_eq!(wrap("1098"), "Sales: Quote", "integer id met by \"1098\"");
    assert_eq!(wrap(C), "Support: Login");
    assert_eq!(
        wrap(E),
        Value::Null,
        "the vendor sample's empty wrap-up is none"
    );
    assert_eq!(wrap(F), "Support: Bug report", "the chat's own is newer");
    assert!(!ids(&list).contains(&D), "a waiting wrap-up is not a chat");

    let show = json_out(x, d, &["show", A], 0);
    assert_eq!(
        show["wrap_up"],
        json!({
            "category": "Billing: Refund",
            "comment": "Refund approved for order 80890",
            "fields": [{"id": "12", "name": "Order number", "value": "80890"}],
            "time": "2020-09-01T10:10:00Z",
        })
    );
    let show = json_out(x, d, &["show", F], 0);
    assert_eq!(show["wrap_up"]["category"], "Support: Bug report");
    assert_eq!(
        show["wrap_up"]["time"], "2020-09-01T16:00:00Z",
        "its own time"
    );
    let show = json_out(x, d, &["show", "1098"], 0);
    assert_eq!(show["wrap_up"]["category"], "Sales: Quote");
    assert_eq!(show["wrap_up"]["comment"], Value::Null);
    let plain = bin(x).arg("show").arg(d).arg(A).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.contains("Billing: Refund") && plain.contains("Order number"),
        "{plain}"
    );
}

#[test]
fn the_query_language_and_stats_see_the_merged_wrap_up() {
    let (dir, xdg) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (d, x) = (dir.path(), xdg.path());
    spool(d);
    let q = |query: &str| {
        let list = json_out(x, d, &["list", &format!("--query={query}")], 0);
        ids(&list)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(q("wrapup:refund"), [A]);
    assert_eq!(q("wrap_up:BILLING"), [A]);
    assert_eq!(
        q("wrapup:\"order 80890\""),
        [A],
        "the comment is searched too"
    );
    assert_eq!(q("wrapup:password"), [C]);
    assert_eq!(q("wrapup:none"), [E]);
    assert_eq!(q("!wrapup:none").len(), 4);
    assert_eq!(q("!wrapup:billing"), ["1098", C, E, F]);
    assert_eq!(q("-wrapup:support wrapup:a"), ["1098", A]);
    assert_eq!(
        q("wrapup:invoice"),
        Vec::<String>::new(),
        "replaced by a newer one"
    );

    let stats = json_out(x, d, &["stats"], 0);
    let groups: Vec<(&str, u64)> = stats["wrap_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap(), g["chats"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        groups,
        [
            ("(none)", 1),
            ("Billing: Refund", 1),
            ("Sales: Quote", 1),
            ("Support: Bug report", 1),
            ("Support: Login", 1)
        ]
    );
    assert_eq!(stats["wrap_ups"][1]["avg_rating"], 5.0);
    let stats = json_out(x, d, &["stats", "--query", "wrapup:support"], 0);
    assert_eq!(stats["chats"], 2);
    let plain = bin(x).arg("stats").arg(d).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.contains("WRAP-UP") && plain.contains("Support: Bug report"),
        "{plain}"
    );
    let bad = bin(x)
        .arg("list")
        .arg(d)
        .args(["--query", "wrapup:"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn deleting_an_event_file_takes_its_wrap_up_away() {
    let (dir, xdg) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (d, x) = (dir.path(), xdg.path());
    spool(d);
    let wrap_of_a = || by_id(&json_out(x, d, &["list"], 0), A)["wrap_up"].clone();
    std::fs::remove_file(d.join("wrapups/a.json")).unwrap();
    assert_eq!(wrap_of_a(), "Billing: Refund", "the retry's copy stays");
    std::fs::remove_file(d.join("wrapups/a-retry.json")).unwrap();
    assert_eq!(wrap_of_a(), Value::Null);
    std::fs::remove_file(d.join("2020/09/01/f.json")).unwrap();
    let check = json_out(x, d, &["check"], 0);
    assert_eq!(check["wrap_ups"], json!({"attached": 2, "waiting": 3}));
}

/// Every file of the spool last modified a day ago: the cache trusts only settled files.
fn settle(dir: &Path) {
    let day_ago = SystemTime::now() - Duration::from_secs(86_400);
    for e in walkdir(dir) {
        std::fs::File::options()
            .write(true)
            .open(&e)
            .unwrap()
            .set_modified(day_ago)
            .unwrap();
    }
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_index_cache_keeps_wrap_ups() {
    let (dir, xdg) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (d, x) = (dir.path(), xdg.path());
    spool(d);
    for i in 0..70 {
        let id = format!("f{i:07}-0000-0000-0000-000000000000");
        put(
            d,
            &format!("filler/{i}.json"),
            &chat(&id, "Filler", "Walid", T0 - 86_400_000, "-1", ""),
        );
    }
    settle(d);
    let first = json_out(x, d, &["check"], 0);
    assert_eq!(first["cache"]["hit"], false);
    let list = json_out(x, d, &["list"], 0);
    let again = json_out(x, d, &["check"], 0);
    assert_eq!(again["cache"]["hit"], true, "{again}");
    assert_eq!(again["cache"]["parsed"], 0);
    assert_eq!(again["wrap_ups"], json!({"attached": 5, "waiting": 1}));
    assert_eq!(json_out(x, d, &["list"], 0), list);
    let show = json_out(x, d, &["show", A], 0);
    assert_eq!(show["wrap_up"]["fields"][0]["value"], "80890");
    // The waiting wrap-up, restored from the cache, meets its chat when it arrives.
    put(d, "late/d.json", &chat(D, "Dora", "Walid", T0, "1", ""));
    let list = json_out(x, d, &["list"], 0);
    assert_eq!(by_id(&list, D)["wrap_up"], "Billing: Refund");
}

#[test]
fn hostile_wrap_up_text_never_reaches_the_terminal_raw() {
    let (dir, xdg) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (d, x) = (dir.path(), xdg.path());
    put(d, "a.json", &chat(A, "Alice", "Walid", T0, "5", ""));
    let evil = wrap_up_event(
        "chat_wrapped_up",
        json!(A),
        "Billing\u{1b}]0;pwned\u{7}: Refund",
        "\u{1b}[2Jgone\u{202e}",
        T0 + 600_000,
    );
    put(d, "w.json", &evil);
    for args in [vec!["show", A], vec!["stats"], vec!["check"]] {
        let out = run_cached(x, d, &args, 0);
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text}"
        );
        if args[0] == "show" {
            assert!(text.contains("Refund"), "{text}");
        }
    }
    // JSON keeps the real text, escaped.
    let list = json_out(x, d, &["list"], 0);
    assert_eq!(list[0]["wrap_up"], "Billing\u{1b}]0;pwned\u{7}: Refund");
}
