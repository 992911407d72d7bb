//! What happened inside a chat, through the binary: `list --json` agrees with a plain
//! recomputation from `show --json`'s transcript (exported as JSON Lines), on generated chats;
//! the figures survive the index cache; service levels come from the config; the query fields,
//! the `reply` order, CSV and `stats` carry them.

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use support::{chat, private_env, sorted_ids, write, T0};

/// One transcript line: who speaks and how many seconds after the previous line.
#[derive(Debug, Clone)]
enum Line {
    Agent(usize, u32),
    Visitor(u32),
    Bot(u32),
    System,
}

const AGENTS: [&str; 3] = ["Walid", "PT: Jason", "Ann"];

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        3 => (0..AGENTS.len(), 0u32..400).prop_map(|(a, d)| Line::Agent(a, d)),
        4 => (0u32..400).prop_map(Line::Visitor),
        1 => (0u32..60).prop_map(Line::Bot),
        1 => Just(Line::System),
    ]
}

/// The vendor's transcript string for `lines`, starting at 10:00:00 on the chat's day (the clock
/// may run past midnight).
fn transcript(lines: &[Line]) -> String {
    let mut t: u32 = 10 * 3600;
    // A name with a colon is read as one name only once the transcript introduces it.
    let mut out = String::from("Agent PT: Jason has joined the chat.⊙");
    let stamp = |t: u32| {
        let t = t % 86_400;
        format!("[{:02}:{:02}:{:02}]", t / 3600, t / 60 % 60, t % 60)
    };
    for l in lines {
        match l {
            Line::Agent(a, d) => {
                t += d;
                out.push_str(&format!("{} {}: answer⊙", stamp(t), AGENTS[*a]));
            }
            Line::Visitor(d) => {
                t += d;
                out.push_str(&format!("{} Alice: question⊙", stamp(t)));
            }
            Line::Bot(d) => {
                t += d;
                out.push_str(&format!("{} Comm100 Bot: menu⊙", stamp(t)));
            }
            Line::System => out.push_str("Agent Walid has joined the chat.⊙"),
        }
    }
    out
}

/// The plain recomputation, from the transcript `show --json` gives: reply times of the visitor
/// turns after the first agent message, and who spoke last.
fn recompute(transcript: &[Value]) -> (Vec<i64>, Option<String>, usize) {
    let kind = |e: &Value| e["kind"].as_str().unwrap_or("").to_string();
    let at = |e: &Value| {
        e["at"]
            .as_str()
            .map(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp())
    };
    let first_agent = transcript.iter().position(|e| kind(e) == "agent");
    let (mut open, mut times, mut answered) = (Vec::new(), Vec::new(), 0);
    let mut in_run = false;
    for (i, e) in transcript.iter().enumerate() {
        match kind(e).as_str() {
            "system" => {}
            "visitor" => {
                if !in_run && first_agent.is_some_and(|f| i > f) {
                    open.push(i);
                }
                in_run = true;
            }
            k => {
                in_run = false;
                if k == "agent" {
                    for turn in open.drain(..) {
                        answered += 1;
                        if let (Some(a), Some(b)) = (at(&transcript[turn]), at(e)) {
                            times.push((b - a).max(0));
                        }
                    }
                }
            }
        }
    }
    let last = transcript.iter().rev().map(kind).find(|k| k != "system");
    (times, last, answered)
}

fn run(home: &Path, args: &[&str]) -> std::process::Output {
    let mut c = support::command();
    for (k, v) in private_env() {
        c.env(k, v);
    }
    c.env("XDG_CONFIG_HOME", home.join("config"));
    c.env("XDG_CACHE_HOME", home.join("cache"));
    c.args(args).output().expect("running chatspool")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn by_id(list: &Value) -> HashMap<String, Value> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn list_agrees_with_a_plain_recomputation_from_the_transcript(
        chats in proptest::collection::vec(proptest::collection::vec(line(), 0..14), 1..25)
    ) {
        let spool = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        for (i, lines) in chats.iter().enumerate() {
            let id = format!("c{i:04}");
            let body = chat(&id, "Alice", "Walid", T0 + i as i64 * 1000, "5", &transcript(lines));
            write(spool.path(), &format!("{id}.json"), body.to_string().as_bytes());
        }
        let root = spool.path().to_str().unwrap();
        let list = by_id(&json_of(&run(home.path(), &["list", root, "--json"])));
        let out = run(home.path(), &["export", root, "--format", "jsonl"]);
        prop_assert!(out.status.success());
        let mut seen = 0;
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let shown: Value = serde_json::from_str(line).unwrap();
            let id = shown["id"].as_str().unwrap();
            let listed = &list[id];
            let (times, last, answered) = recompute(shown["transcript"].as_array().unwrap());
            prop_assert_eq!(&listed["reply_count"], &json!(answered), "{}", id);
            prop_assert_eq!(&listed["reply_max_secs"], &json!(times.iter().max()), "{}", id);
            prop_assert_eq!(&listed["last_from"], &json!(last), "{}", id);
            for field in ["reply_count", "reply_p50_secs", "reply_max_secs", "unanswered_turns",
                          "last_from", "responders", "transfers", "bot", "sla", "sla_breaches"] {
                prop_assert_eq!(&listed[field], &shown[field], "{} {}", id, field);
            }
            seen += 1;
        }
        prop_assert_eq!(seen, chats.len());
    }
}

/// A spool of three chats: a slow second reply and a transfer; a bot that handed over; a bot
/// alone with the visitor having the last word.
fn three() -> tempfile::TempDir {
    let spool = tempfile::tempdir().unwrap();
    let slow = chat(
        "slow",
        "Alice",
        "Walid",
        T0,
        "5",
        "[10:00:20] Walid: Hello⊙[10:00:30] Alice: my order?⊙[10:04:40] Walid: found it⊙\
         [10:05:00] Alice: thanks⊙Agent PT: Jason has joined the chat.⊙\
         [10:05:10] PT: Jason: anything else?⊙",
    );
    let handoff = chat(
        "handoff",
        "Bob",
        "Ravi",
        T0 + 60_000,
        "4",
        "[10:01:00] Comm100 Bot: Hi, how can I help?⊙[10:01:05] Bob: a person please⊙\
         [10:01:30] Ravi: I am here⊙[10:01:40] Bob: my bill⊙[10:02:05] Ravi: fixed⊙",
    );
    let mut bot_only = chat(
        "botonly",
        "Carol",
        "",
        T0 + 120_000,
        "",
        "[10:02:00] Comm100 Bot: Hi⊙[10:02:05] Carol: never mind⊙",
    );
    bot_only["chat"]["operators"] = json!([]);
    for (id, c) in [("slow", slow), ("handoff", handoff), ("botonly", bot_only)] {
        write(
            spool.path(),
            &format!("{id}.json"),
            c.to_string().as_bytes(),
        );
    }
    spool
}

fn with_levels(home: &Path, sla: &str) {
    let dir = home.join("config/chatspool");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), format!("[sla]\n{sla}\n")).unwrap();
}

#[test]
fn the_figures_are_the_same_from_the_files_and_from_the_cache() {
    let spool = three();
    let home = tempfile::tempdir().unwrap();
    let root = spool.path().to_str().unwrap();
    let fresh = json_of(&run(home.path(), &["list", root, "--json", "--no-cache"]));
    let first = json_of(&run(home.path(), &["list", root, "--json"]));
    let cached = json_of(&run(home.path(), &["list", root, "--json"]));
    assert_eq!(fresh, first);
    assert_eq!(fresh, cached);
    let c = by_id(&cached);
    assert_eq!(c["slow"]["reply_count"], 2);
    assert_eq!(c["slow"]["reply_max_secs"], 250);
    assert_eq!(c["slow"]["responders"], json!(["Walid", "PT: Jason"]));
    assert_eq!(c["slow"]["transfers"], 1);
    assert_eq!(c["handoff"]["bot"], "handoff");
    assert_eq!(c["handoff"]["responders"], json!(["Comm100 Bot", "Ravi"]));
    assert_eq!(c["botonly"]["bot"], "only");
    assert_eq!(c["botonly"]["last_from"], "visitor");
    assert_eq!(c["botonly"]["reply_max_secs"], Value::Null);
}

#[test]
fn service_levels_come_from_the_config_and_reach_list_show_queries_and_stats() {
    let spool = three();
    let home = tempfile::tempdir().unwrap();
    let root = spool.path().to_str().unwrap();
    // No levels: no verdict, and an sla: query is refused with the reason.
    let c = by_id(&json_of(&run(home.path(), &["list", root, "--json"])));
    assert_eq!(c["slow"]["sla"], Value::Null);
    let refused = run(home.path(), &["list", root, "-q", "sla:breached"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[sla]"));

    with_levels(home.path(), "first_response = \"1m\"\nreply = \"2m\"");
    let c = by_id(&json_of(&run(home.path(), &["list", root, "--json"])));
    assert_eq!(c["slow"]["sla"], "breached");
    assert_eq!(
        c["slow"]["sla_breaches"], 1,
        "the 250 s reply; the 20 s first response met"
    );
    assert_eq!(c["handoff"]["sla"], "met");
    assert_eq!(c["botonly"]["sla"], Value::Null, "nothing measurable");
    let shown = json_of(&run(home.path(), &["show", root, "slow", "--json"]));
    assert_eq!(shown["sla"], "breached");
    let replies: Vec<&Value> = shown["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.get("reply_secs"))
        .collect();
    assert_eq!(replies, [&json!(250), &json!(10)]);
    assert_eq!(c["handoff"]["reply_max_secs"], 25);

    let ids = |q: &str| {
        sorted_ids(&json_of(&run(
            home.path(),
            &["list", root, "--json", "-q", q],
        )))
    };
    assert_eq!(ids("sla:breached"), ["slow"]);
    assert_eq!(ids("sla:met"), ["handoff"]);
    assert_eq!(ids("reply:>2m"), ["slow"]);
    assert_eq!(ids("transfers:>0"), ["slow"]);
    assert_eq!(ids("last:visitor"), ["botonly"]);
    assert_eq!(ids("bot:only"), ["botonly"]);
    assert_eq!(ids("bot:handoff"), ["handoff"]);
    assert_eq!(ids("!bot:none"), ["botonly", "handoff"]);
    assert_eq!(ids("unanswered:>0"), Vec::<String>::new());

    let sorted = json_of(&run(
        home.path(),
        &["list", root, "--json", "--sort", "reply"],
    ));
    let order: Vec<&str> = sorted
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["slow", "handoff", "botonly"],
        "longest reply first, none last"
    );

    let stats = json_of(&run(home.path(), &["stats", root, "--json"]));
    assert_eq!(stats["transferred"], 1);
    assert_eq!(stats["bot_only"], 1);
    assert_eq!(stats["bot_handoff"], 1);
    assert_eq!(stats["containment"], 0.5);
    assert_eq!(stats["ended_on_visitor"], 1);
    assert_eq!(stats["sla_met"], 1);
    assert_eq!(stats["sla_breached"], 1);
    assert_eq!(stats["sla_rate"], 0.5);
    assert_eq!(stats["reply_p90_secs"], 250);
    let agent = |name: &str| {
        stats["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .cloned()
            .unwrap()
    };
    // Walid sent the slow reply; Ravi's one reply took 25 s.
    assert_eq!(agent("Walid")["reply_p50_secs"], 250);
    assert_eq!(agent("Ravi")["reply_p50_secs"], 25);
}

#[test]
fn csv_carries_the_figures_and_a_bad_level_is_a_config_error() {
    let spool = three();
    let home = tempfile::tempdir().unwrap();
    let root = spool.path().to_str().unwrap();
    let out = run(home.path(), &["export", root, "--format", "csv"]);
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let slow = rows.iter().find(|r| &r[0] == "slow").unwrap();
    assert_eq!(&slow[col("reply_max_secs")], "250");
    assert_eq!(&slow[col("responders")], "Walid; PT: Jason");
    assert_eq!(&slow[col("bot")], "none");
    assert_eq!(&slow[col("sla")], "");

    with_levels(home.path(), "reply = \"soon\"");
    let bad = run(home.path(), &["list", root]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains(":2:") && err.contains("sla.reply"), "{err}");
}
