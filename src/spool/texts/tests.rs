//! The text store against a plain scan of the parsed transcripts: random spools (single bodies,
//! JSON Lines, gzip, names that are not UTF-8), random queries (`text:`, `!text:`, pieces of
//! transcripts across entry boundaries, accents and case), before and after files change,
//! vanish and arrive; and a store damaged in every way is refused, never half believed.

use super::*;
use crate::query::Query;
use crate::search;
use crate::work::Control;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const VENDOR: &str = include_str!("../../../tests/fixtures/variants/vendor-sample.json");

/// Pieces transcripts are made of: case, accents, ligatures, the Kelvin sign, a dotted capital I,
/// invisible format characters (which search ignores).
const WORDS: &[&str] = &[
    "refund",
    "Refund",
    "REFUND",
    "order 928088",
    "Straße",
    "STRASSE",
    "résumé",
    "RÉSUMÉ",
    "İstanbul",
    "\u{212A}elvin",
    "kelvin",
    "ﬁle",
    "cancel my subscription",
    "ΣΊΣΥΦΟΣ",
    "σίσυφος",
    "thanks!",
    "a",
    "b",
    "😀",
    "tab\there",
    "re\u{200B}fund",
    "\u{FEFF}zero\u{200D}width",
];

fn transcript(words: &[usize], split: usize) -> String {
    let mut t = String::new();
    for (i, w) in words.iter().enumerate() {
        let speaker = if i % 2 == 0 { "Walid" } else { "Alice" };
        if i > 0 && i % split.max(1) == 0 {
            t.push('\u{2299}');
            t.push_str(&format!("[10:00:{:02}] {speaker}: ", i % 60));
        } else if i == 0 {
            t.push_str(&format!("[10:00:00] {speaker}: "));
        } else {
            t.push(' ');
        }
        t.push_str(WORDS[*w % WORDS.len()]);
    }
    t
}

fn body(id: &str, transcript: &str) -> Value {
    let mut v: Value = serde_json::from_str(VENDOR).unwrap();
    v["chat"]["id"] = json!(id);
    v["visitor"]["chat_id"] = json!(id);
    v["visitor"]["name"] = json!("Alice");
    v["chat"]["operators"] = json!([{"display_name": "Walid", "email": "a@x", "id": 1}]);
    v["chat"]["chat_transcript"] = json!(transcript);
    v
}

/// One spool file: a name and the transcripts of its chats.
#[derive(Debug, Clone)]
struct Spec {
    name: Vec<u8>,
    chats: Vec<(Vec<usize>, usize)>,
}

fn name_of(i: usize, kind: usize) -> Vec<u8> {
    match kind % 5 {
        0 => format!("d{}/c{i}.json", i % 3).into_bytes(),
        1 => format!("c{i}.jsonl").into_bytes(),
        2 => format!("c{i}.json.gz").into_bytes(),
        3 => format!("c{i}.jsonl.gz").into_bytes(),
        _ => [b"caf\xe9-".as_slice(), format!("{i}.json").as_bytes()].concat(),
    }
}

fn file_bytes(spec: &Spec, gen: usize) -> Vec<u8> {
    let lines = String::from_utf8_lossy(&spec.name).contains(".jsonl");
    let stem = String::from_utf8_lossy(&spec.name).replace(['/', '\u{fffd}'], "_");
    let bodies: Vec<String> = spec
        .chats
        .iter()
        .enumerate()
        .take(if lines { usize::MAX } else { 1 })
        .map(|(k, (words, split))| body(&format!("{stem}-{k}"), &transcript(words, *split)))
        .map(|v| v.to_string())
        .collect();
    let mut raw = bodies.join("\n").into_bytes();
    raw.extend(std::iter::repeat_n(b' ', gen));
    if spec.name.ends_with(b".gz") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        gz.finish().unwrap()
    } else {
        raw
    }
}

fn path(root: &Path, name: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    root.join(std::ffi::OsStr::from_bytes(name))
}

/// Write `spec` (modified a day ago, so later loads may trust it).
fn put(root: &Path, spec: &Spec, gen: usize) {
    let p = path(root, &spec.name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, file_bytes(spec, gen)).unwrap();
    settle(&p);
}

/// Date the file at `p` a day back, so a later load may trust what it read of it.
fn settle(p: &Path) {
    let day_ago = SystemTime::now() - Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(day_ago)
        .unwrap();
}

/// Load the spool without the cache, then give it a text store at `at` made from `old` (the
/// previous store at that path, if any) the way a cached load does.
fn load(root: &Path, at: &Path, reuse: bool) -> Store {
    let mut store = crate::spool::load_with(
        root,
        crate::spool::Reading {
            cache: false,
            ..Default::default()
        },
        &|_, _| {},
    )
    .unwrap();
    let (r, b) = (root.to_string_lossy().into_owned(), "test build");
    let old = reuse.then(|| Texts::open(at, &r, b)).flatten();
    let refresh = Refresh::start(at.to_path_buf(), &r, b, old, &store, false);
    let texts = refresh.finish(&store, root, &|_| true, &|_, _| {});
    store.texts = texts.map(Arc::new);
    store
}

/// Every row of the store is answered from its text store (none falls back to reading).
fn all_stored(store: &Store) -> bool {
    let chats = store.chats();
    let texts = store.texts.as_ref().expect("a text store");
    texts.ids_for(&chats, store).iter().all(|&k| k != NO_TEXT)
}

fn answers(store: &Store, root: &Path, q: &str) -> (Vec<String>, Vec<String>) {
    let query = Query::parse(q, chrono::Utc::now()).unwrap();
    let chats = store.chats();
    let ids = |order: Vec<usize>| order.iter().map(|&i| chats[i].id.to_string()).collect();
    let stored = search::run_store(store, &chats, &query, None, root, None);
    let scanned = search::run(&chats, &query, None, root);
    (ids(stored), ids(scanned))
}

fn specs() -> impl Strategy<Value = Vec<Spec>> {
    let chat = (proptest::collection::vec(0..WORDS.len(), 0..7), 1..4usize);
    proptest::collection::vec((proptest::collection::vec(chat, 1..4), 0..5usize), 1..14).prop_map(
        |files| {
            files
                .into_iter()
                .enumerate()
                .map(|(i, (chats, kind))| Spec {
                    name: name_of(i, kind),
                    chats,
                })
                .collect()
        },
    )
}

/// A query from the words, pieces of them across entry boundaries, or odd case.
fn queries() -> impl Strategy<Value = Vec<String>> {
    let one = prop_oneof![
        (0..WORDS.len()).prop_map(|w| format!("text:\"{}\"", WORDS[w])),
        (0..WORDS.len()).prop_map(|w| format!("!text:\"{}\"", WORDS[w])),
        (0..WORDS.len(), 0..WORDS.len()).prop_map(|(a, b)| format!(
            "text:\"{} {}\"",
            WORDS[a].to_uppercase(),
            WORDS[b]
        )),
        // Two words with no space: only across an entry boundary.
        (0..WORDS.len(), 0..WORDS.len())
            .prop_map(|(a, b)| format!("text:\"{}{}\"", WORDS[a], WORDS[b])),
        Just("text:\"d⊙[10\"".to_string()),
        Just("text:\": \"".to_string()),
        Just("text:\"walid\"".to_string()),
        Just("text:zerowidth".to_string()),
        Just("text:fund text:or !text:zz".to_string()),
        Just("alice text:a".to_string()),
    ];
    proptest::collection::vec(one, 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_store_answers_as_the_scan_does(
        files in specs(),
        changed in proptest::collection::vec(any::<bool>(), 14),
        gone in proptest::collection::vec(any::<bool>(), 14),
        extra in specs(),
        qs in queries(),
    ) {
        let spool = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let (root, at) = (spool.path(), cache.path().join("s.text"));
        for f in &files {
            put(root, f, 0);
        }
        let store = load(root, &at, true);
        prop_assert!(all_stored(&store));
        for q in &qs {
            let (stored, scanned) = answers(&store, root, q);
            prop_assert_eq!(stored, scanned, "{}", q);
        }
        // Change, remove and add files after the store was written, then load again.
        for (i, f) in files.iter().enumerate() {
            if gone[i % gone.len()] && i % 2 == 0 {
                std::fs::remove_file(path(root, &f.name)).unwrap();
            } else if changed[i % changed.len()] {
                let mut f = f.clone();
                f.chats.iter_mut().for_each(|(w, _)| w.reverse());
                f.chats.push((vec![0, 4, 8], 1));
                put(root, &f, 1);
            }
        }
        for (i, f) in extra.iter().enumerate() {
            let mut f = f.clone();
            f.name = [b"new/".as_slice(), &name_of(100 + i, i)].concat();
            put(root, &f, 0);
        }
        let store = load(root, &at, true);
        prop_assert!(all_stored(&store));
        for q in &qs {
            let (stored, scanned) = answers(&store, root, q);
            prop_assert_eq!(stored, scanned, "after changes: {}", q);
        }
    }
}

/// A spool of `n` single-chat files, half of them mentioning a refund.
fn simple(root: &Path, n: usize) {
    for i in 0..n {
        let words = if i % 2 == 0 {
            vec![0, 16]
        } else {
            vec![16, 17]
        };
        let spec = Spec {
            name: format!("c{i}.json").into_bytes(),
            chats: vec![(words, 1)],
        };
        put(root, &spec, 0);
    }
}

#[test]
fn a_damaged_store_is_refused_and_rebuilt() {
    let spool = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (root, at) = (spool.path(), cache.path().join("s.text"));
    simple(root, 40);
    let good = load(root, &at, true);
    assert_eq!(good.texts.as_ref().unwrap().chats(), 40);
    let r = root.to_string_lossy().into_owned();
    let bytes = std::fs::read(&at).unwrap();
    // Truncated anywhere, or another spool or build: not opened.
    for cut in [0, 8, 20, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&at, &bytes[..cut]).unwrap();
        assert!(Texts::open(&at, &r, "test build").is_none(), "cut at {cut}");
    }
    std::fs::write(&at, &bytes).unwrap();
    assert!(Texts::open(&at, &r, "test build").is_some());
    assert!(Texts::open(&at, &r, "another build").is_none());
    assert!(Texts::open(&at, "/elsewhere", "test build").is_none());
    // A flipped byte in the table: not opened. In the text: opened, but never believed.
    let (texts, _) = Texts::open(&at, &r, "test build").unwrap();
    let table_at = texts.header.table_at() as usize;
    let mut bad = bytes.clone();
    bad[table_at + 3] ^= 0x20;
    std::fs::write(&at, &bad).unwrap();
    assert!(Texts::open(&at, &r, "test build").is_none());
    let mut bad = bytes.clone();
    let text_at = texts.header.region_at as usize + 2;
    bad[text_at] ^= 0x20;
    std::fs::write(&at, &bad).unwrap();
    let (texts, _) = Texts::open(&at, &r, "test build").unwrap();
    assert_eq!(
        texts.find("refund", Control::default()),
        Err(Stopped::Corrupt)
    );
    let mut store = crate::spool::load_with(
        root,
        crate::spool::Reading {
            cache: false,
            ..Default::default()
        },
        &|_, _| {},
    )
    .unwrap();
    store.texts = Some(Arc::new(texts));
    for q in ["text:refund", "!text:refund", "text:b"] {
        let (stored, scanned) = answers(&store, root, q);
        assert_eq!(stored, scanned, "{q}");
        assert!(!scanned.is_empty());
    }
    // The next load copies nothing from the damaged block and rebuilds it.
    let again = load(root, &at, true);
    let texts = again.texts.as_ref().unwrap();
    assert_eq!(
        texts.find("refund", Control::default()).unwrap().count(),
        20
    );
}

#[test]
fn a_cancelled_search_stops() {
    let spool = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (root, at) = (spool.path(), cache.path().join("s.text"));
    simple(root, 10);
    let store = load(root, &at, true);
    let texts = store.texts.as_ref().unwrap();
    assert_eq!(texts.find("refund", stopped()), Err(Stopped::Cancelled));
    assert_eq!(texts.find("refund", Control::default()).unwrap().count(), 5);
    let among: Vec<u32> = (0..10).collect();
    assert_eq!(
        texts
            .find_among("refund", &among, Control::default())
            .unwrap()
            .count(),
        5
    );
    assert_eq!(
        texts
            .find_among("refund", &among[..3], Control::default())
            .unwrap()
            .count(),
        texts_in(texts, &among[..3])
    );
}

/// A control that says the search is no longer wanted.
fn stopped() -> Control<'static> {
    static YES: fn() -> bool = || true;
    Control {
        cancelled: Some(&YES),
        tally: None,
    }
}

fn texts_in(texts: &Texts, among: &[u32]) -> usize {
    let all = texts.find("refund", Control::default()).unwrap();
    among.iter().filter(|&&k| all.get(k)).count()
}

/// A transcript search counts the chats it checked (through the store or by reading the
/// files) up to 100%, and one no longer wanted stops on either path.
#[test]
fn a_search_counts_its_progress_and_stops_when_cancelled() {
    use crate::search::{run_texts, Cancelled, TextSource, With};
    use crate::work::Tally;
    let spool = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (root, at) = (spool.path(), cache.path().join("s.text"));
    simple(root, 30);
    let store = load(root, &at, true);
    let chats = store.chats();
    let texts = store.texts.as_deref().unwrap();
    let ids = texts.ids_for(&chats, &store);
    let query = Query::parse("text:refund !text:zz", chrono::Utc::now()).unwrap();
    for stored in [true, false] {
        let tally = Tally::default();
        let with = |ctl| With {
            texts: stored.then_some(TextSource { texts, ids: &ids }),
            ctl,
            ..With::default()
        };
        let counted = Control {
            cancelled: None,
            tally: Some(&tally),
        };
        let found = run_texts(None, &chats, &query, None, root, None, with(counted)).unwrap();
        assert_eq!(found.by_row.len(), 15, "stored: {stored}");
        assert_eq!(tally.percent(), Some(100), "stored: {stored}");
        let stop = run_texts(None, &chats, &query, None, root, None, with(stopped()));
        assert_eq!(
            stop.map(|f| f.by_row.len()),
            Err(Cancelled),
            "stored: {stored}"
        );
    }
}

/// A chat whose transcript opens with the bot's greeting and then says something of its own.
fn greeted(root: &Path, i: usize, own: &str) {
    let t = format!(
        "[10:00:00] Walid: Thanks for contacting Acme, how can I help?\u{2299}[10:00:05] Alice: {own}"
    );
    let p = root.join(format!("g{i}.json"));
    std::fs::write(&p, body(&format!("g{i}"), &t).to_string()).unwrap();
    settle(&p);
}

/// How often `needle` occurs in the bytes of the store file.
fn occurrences(at: &Path, needle: &str) -> usize {
    let bytes = std::fs::read(at).unwrap();
    memchr::memmem::find_iter(&bytes, needle.as_bytes()).count()
}

/// An entry many chats share is stored once (plus its first sighting), found through every chat
/// that says it, and stays shared when later loads copy, add and change chats.
#[test]
fn recurring_entries_are_stored_once_and_found_in_every_chat() {
    let spool = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (root, at) = (spool.path(), cache.path().join("s.text"));
    for i in 0..30 {
        greeted(root, i, &format!("my order {i:05} never came"));
    }
    let store = load(root, &at, true);
    assert!(all_stored(&store));
    let greeting = "thanks for contacting acme, how can i help?";
    assert_eq!(occurrences(&at, greeting), 2);
    let queries = [
        "text:acme",
        "text:\"HOW CAN\"",
        "!text:acme",
        "text:\"order 00017\"",
        "text:\"never came\"",
        "text:acme text:00003",
        "text:\"help?my\"",
    ];
    let check = |store: &Store, when: &str| {
        for q in queries {
            let (stored, scanned) = answers(store, root, q);
            assert_eq!(stored, scanned, "{when}: {q}");
        }
    };
    check(&store, "first load");
    assert_eq!(answers(&store, root, "text:acme").0.len(), 30);
    // Some chats change (one no longer greets), more arrive; the store is written again.
    for i in 0..5 {
        greeted(root, i, &format!("my order {i:05} came broken"));
    }
    let t = "[10:00:00] Alice: where is Acme?".to_string();
    std::fs::write(root.join("g7.json"), body("g7", &t).to_string()).unwrap();
    for i in 30..45 {
        greeted(root, i, &format!("my order {i:05} never came"));
    }
    let store = load(root, &at, true);
    assert!(all_stored(&store));
    assert!(occurrences(&at, greeting) <= 2);
    check(&store, "after changes");
    assert_eq!(answers(&store, root, "text:\"how can i\"").0.len(), 44);
    // A flipped byte in the shared section: the store is not opened.
    let (texts, _) = Texts::open(&at, &root.to_string_lossy(), "test build").unwrap();
    let mut bad = std::fs::read(&at).unwrap();
    bad[texts.header.shared_at() as usize + 3] ^= 0x20;
    std::fs::write(&at, &bad).unwrap();
    assert!(Texts::open(&at, &root.to_string_lossy(), "test build").is_none());
}

/// A JSON Lines file of many chats: each row finds its own text (by its line), before and after
/// lines are added to the file.
#[test]
fn many_chats_of_one_file_each_find_their_own_text() {
    let spool = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (root, at) = (spool.path(), cache.path().join("s.text"));
    let spec = |n: usize| Spec {
        name: b"many.jsonl".to_vec(),
        chats: (0..n).map(|i| (vec![i % WORDS.len(), 12], 1)).collect(),
    };
    for n in [30, 45] {
        put(root, &spec(n), 0);
        let store = load(root, &at, true);
        assert!(all_stored(&store));
        for w in WORDS {
            let q = format!("text:\"{w}\"");
            let (stored, scanned) = answers(&store, root, &q);
            assert_eq!(stored, scanned, "{n} chats: {q}");
        }
    }
}

/// Canned starts that agents finish differently each time.
const HEADS: &[&str] = &[
    "Your order number is",
    "Thanks for waiting, I checked the Straße",
    "I have opened ticket number",
    "RÉSUMÉ received, we will call you at",
];

/// Entries that share a head and end differently: the store keeps the head once and the rest
/// inline, and a needle that starts in the head and ends in the rest is still found (and only
/// where it is).
fn headed_chats() -> impl Strategy<Value = Vec<Vec<(usize, String)>>> {
    let entry = (0..HEADS.len(), "[a-zé0-9]{1,6}( [a-z]{1,3})?");
    proptest::collection::vec(proptest::collection::vec(entry, 1..4), 2..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn heads_and_their_seams_answer_as_the_scan_does(
        chats in headed_chats(),
        picks in proptest::collection::vec((any::<usize>(), 0..12usize, 1..10usize), 1..8),
    ) {
        let spool = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let (root, at) = (spool.path(), cache.path().join("s.text"));
        let mut entries = Vec::new();
        for (i, chat) in chats.iter().enumerate() {
            let t: Vec<String> = chat
                .iter()
                .enumerate()
                .map(|(k, (h, tail))| {
                    let e = format!("{} {tail}", HEADS[*h]);
                    entries.push((HEADS[*h].chars().count() + 1, e.clone()));
                    format!("[10:00:{k:02}] Walid: {e}")
                })
                .collect();
            let p = root.join(format!("h{i}.json"));
            std::fs::write(&p, body(&format!("h{i}"), &t.join("\u{2299}")).to_string()).unwrap();
            settle(&p);
        }
        let store = load(root, &at, true);
        prop_assert!(all_stored(&store));
        // Two different entries with the same start (up to the last space): it is shared.
        let mut ends: HashMap<&str, std::collections::HashSet<&str>> = HashMap::new();
        for (_, e) in &entries {
            let cut = e.rfind(' ').unwrap() + 1;
            ends.entry(&e[..cut]).or_default().insert(&e[cut..]);
        }
        let file = std::fs::read(&at).unwrap();
        let texts = store.texts.as_ref().unwrap();
        let region_at = texts.header.region_at as usize;
        let region = &file[region_at..region_at + *texts.starts.last().unwrap() as usize];
        let shared_start = ends.values().any(|tails| tails.len() > 1);
        prop_assert_eq!(memchr::memchr(shared::HEAD, region).is_some(), shared_start);
        // Needles across the seam: from up to 12 characters before the head's end to 1..10
        // characters into the rest, in either case.
        for (which, back, ahead) in &picks {
            let (head, e) = &entries[which % entries.len()];
            let chars: Vec<char> = e.chars().collect();
            let from = head.saturating_sub(*back);
            let to = (head + ahead).min(chars.len());
            let needle: String = chars[from..to].iter().collect();
            // Among given chats (a narrowing keystroke), the answer is the same.
            let query = Query::parse(&format!("text:\"{needle}\""), chrono::Utc::now()).unwrap();
            let (folded, _) = query.text_terms().next().unwrap();
            let texts = store.texts.as_ref().unwrap();
            let among: Vec<u32> = (0..texts.chats() as u32).collect();
            prop_assert_eq!(
                texts.find_among(folded, &among, Control::default()).unwrap(),
                texts.find(folded, Control::default()).unwrap()
            );
            for q in [
                format!("text:\"{}\"", needle.replace('"', "")),
                format!("!text:\"{}\"", needle.to_uppercase().replace('"', "")),
            ] {
                let (stored, scanned) = answers(&store, root, &q);
                prop_assert_eq!(stored, scanned, "{}", q);
            }
        }
    }
}
