//! The benchmark generator's `--short` spool: the same seed gives the same bytes, the chats load
//! with no problem, and the spool is what the mode promises (short chats, one folder per day,
//! distinct visitor e-mails and phones, order numbers and plans on most chats).
//!
//! The generator's modules are compiled in here from `examples/gen_spool/` (it shares no code
//! with the crate, so this is the one place both meet).
#![allow(dead_code)]

mod support;

#[path = "../examples/gen_spool/chat.rs"]
mod chat;
#[path = "../examples/gen_spool/demo.rs"]
mod demo;
#[path = "../examples/gen_spool/emit.rs"]
mod emit;
#[path = "../examples/gen_spool/encode.rs"]
mod encode;
#[path = "../examples/gen_spool/extras.rs"]
mod extras;
#[path = "../examples/gen_spool/lang.rs"]
mod lang;
#[path = "../examples/gen_spool/long.rs"]
mod long;
#[path = "../examples/gen_spool/names.rs"]
mod names;
#[path = "../examples/gen_spool/out.rs"]
mod out;
#[path = "../examples/gen_spool/phrases.rs"]
mod phrases;
#[path = "../examples/gen_spool/render.rs"]
mod render;
#[path = "../examples/gen_spool/rng.rs"]
mod rng;
#[path = "../examples/gen_spool/short.rs"]
mod short;
#[path = "../examples/gen_spool/talk.rs"]
mod talk;
#[path = "../examples/gen_spool/topic_texts.rs"]
mod topic_texts;
#[path = "../examples/gen_spool/topics.rs"]
mod topics;
#[path = "../examples/gen_spool/variants.rs"]
mod variants;
#[path = "../examples/gen_spool/who.rs"]
mod who;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

const COUNT: u64 = 400;

/// Generate a `--short --layout dated` spool of [`COUNT`] chats into `dir`.
fn generate(dir: &Path, seed: u64) -> out::Manifest {
    let mut o = out::Out::new(dir, out::Layout::Dated).unwrap();
    let opts = emit::Opts {
        count: COUNT,
        seed,
        variants: false,
        hostile: false,
        broken: 0,
        events: 0,
        duplicates: 0,
        jsonl_every: 0,
        jsonl_lines: 3,
        gz_every: 0,
        unique_messages: false,
        short: true,
    };
    emit::bulk(&mut emit::Gen::new(&mut o, opts)).unwrap();
    o.m
}

/// Every file under `root`, by its path relative to `root`, with its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn the_short_spool_is_deterministic_and_loads_with_no_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let m = generate(&a, 7);
    generate(&b, 7);
    generate(&c, 8);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(fa.len() as u64, COUNT);
    assert!(fa == fb, "the same seed gave different bytes");
    assert!(fa != fc, "another seed gave the same spool");

    support::isolate();
    let store = chatspool::spool::load(&a, &|_, _| {}).unwrap();
    assert_eq!(store.len() as u64, m.chats);
    assert_eq!(m.chats, COUNT);
    assert!(store.problems().is_empty(), "{:?}", store.problems());
    assert!(store.skipped().is_empty());
    assert_eq!(store.duplicates(), 0);
}

#[test]
fn the_short_spool_is_short_chats_with_distinct_contacts_and_custom_data() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 7);
    let all = files(tmp.path());
    let (mut emails, mut phones, mut orders, mut plans) = (
        HashSet::new(),
        HashSet::new(),
        HashSet::new(),
        HashSet::new(),
    );
    let (mut n_email, mut n_phone, mut days) = (0, 0, HashSet::new());
    let mut bytes = 0;
    for (path, body) in &all {
        bytes += body.len();
        // One folder per day: YYYY/MM/DD/<id>.json, the day the chat started.
        assert_eq!(path.components().count(), 4, "{}", path.display());
        days.insert(path.parent().unwrap().to_path_buf());
        let v: Value = serde_json::from_slice(body).unwrap();
        let (vis, chat) = (&v["visitor"], &v["chat"]);
        let transcript = chat["chat_transcript"].as_str().unwrap();
        let messages = transcript.split('⊙').filter(|l| l.starts_with('[')).count();
        assert!((2..=6).contains(&messages), "{messages}: {transcript}");
        if let Some(e) = vis["email"].as_str() {
            n_email += 1;
            assert!(emails.insert(e.to_string()), "e-mail {e} twice");
            assert_eq!(chat["email"], vis["email"]);
        }
        if let Some(p) = vis["phone"].as_str() {
            n_phone += 1;
            assert!(phones.insert(p.to_string()), "phone {p} twice");
        }
        if let Some(o) = chat["custom_fields"][0]["value"].as_str() {
            assert_eq!(chat["custom_fields"][0]["name"], "Order number");
            orders.insert(o.to_string());
        }
        if let Some(p) = vis["custom_variables"][1]["value"].as_str() {
            assert_eq!(vis["custom_variables"][1]["name"], "plan");
            plans.insert(p.to_string());
        }
    }
    let n = all.len();
    assert!(
        n_email > n * 3 / 4 && n_phone > n / 2,
        "{n_email} {n_phone} of {n}"
    );
    assert!(orders.len() > n * 3 / 4, "{} order numbers", orders.len());
    assert!(plans.len() >= 10, "{plans:?}");
    assert!(days.len() > 5, "{} days", days.len());
    let avg = bytes / n;
    assert!((1_500..=2_100).contains(&avg), "{avg} bytes a file");
}
