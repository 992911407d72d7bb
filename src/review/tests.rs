//! The journal under damage and concurrency: truncation at every byte, random interleavings of
//! writers, torn and damaged records.

use super::journal::{parse, Journal, JournalSet};
use super::*;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

fn at(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(1_700_000_000_000 + ms).unwrap()
}

fn rec(chat: &str, op: Op, value: &str, author: &str, ms: i64) -> Record {
    Record::new(chat, op, value, author, at(ms))
}

fn set_of(journals: &[(&str, Vec<u8>)]) -> JournalSet {
    let mut set = JournalSet::default();
    for (name, bytes) in journals {
        let (records, problems) = parse(bytes);
        let problems = problems
            .into_iter()
            .map(|reason| Problem {
                path: (*name).to_string(),
                reason,
            })
            .collect();
        set.journals.insert(
            (*name).to_string(),
            Journal {
                records,
                problems,
                ..Journal::default()
            },
        );
    }
    set
}

fn bytes_of(records: &[Record]) -> Vec<u8> {
    records.iter().flat_map(Record::encode).collect()
}

#[test]
fn records_round_trip_whatever_their_text() {
    for text in [
        "",
        "plain",
        "a \"quoted\"\nline\t⊙ 漢字 \u{1b}[31m",
        "\u{0}",
    ] {
        let r = rec("3fa8-ü", Op::Note, text, "zoë", 123);
        let line = r.encode();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(Record::decode(&line[..line.len() - 1]).unwrap(), r);
    }
}

#[test]
fn truncation_at_every_byte_keeps_every_complete_record_and_reports_nothing() {
    let records: Vec<Record> = (0..6)
        .map(|i| rec("c1", Op::Tag, &format!("tag{i}"), "ann", i))
        .collect();
    let bytes = bytes_of(&records);
    let ends: Vec<usize> = records.iter().map(|r| r.encode().len()).collect();
    for cut in 0..=bytes.len() {
        let (got, problems) = parse(&bytes[..cut]);
        let mut complete = 0;
        let mut sum = 0;
        for len in &ends {
            sum += len;
            if sum <= cut {
                complete += 1;
            }
        }
        assert_eq!(got, records[..complete], "cut at {cut}");
        assert!(problems.is_empty(), "cut at {cut}: {problems:?}");
    }
}

/// A batch (one tag on many chats, as `tag --query` writes it) cut at every byte after a
/// record already there: whole records only, the earlier one kept, nothing reported; and an
/// append after the cut batch loses neither side.
#[test]
fn a_batch_truncated_at_every_byte_leaves_whole_records_only() {
    let dir = tempfile::tempdir().unwrap();
    let first = rec("c0", Op::Tag, "before", "ann", 0);
    append(dir.path(), "ann@h", std::slice::from_ref(&first)).unwrap();
    let path = dir.path().join("ann@h.journal");
    let kept = std::fs::read(&path).unwrap();
    let batch: Vec<Record> = (1..=12)
        .map(|i| rec(&format!("c{i}"), Op::Tag, "coaching", "ann", 5))
        .collect();
    append(dir.path(), "ann@h", &batch).unwrap();
    let full = std::fs::read(&path).unwrap();
    assert_eq!(
        full.len(),
        kept.len() + bytes_of(&batch).len(),
        "one append"
    );
    let tagged = |dir: &std::path::Path| {
        let reviews = merge(&read_dir(dir));
        let n = (1..=12)
            .filter(|i| {
                reviews
                    .get(&format!("c{i}"))
                    .is_some_and(|r| r.tags == ["coaching"])
            })
            .count();
        (
            reviews.get("c0").map(|r| r.tags.clone()),
            n,
            reviews.problems,
        )
    };
    let mut ends = Vec::new();
    let mut end = kept.len();
    for r in &batch {
        end += r.encode().len();
        ends.push(end);
    }
    for cut in kept.len()..=full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let (before, n, problems) = tagged(dir.path());
        assert_eq!(before, Some(vec!["before".to_string()]), "cut at {cut}");
        assert_eq!(
            n,
            ends.iter().filter(|&&e| e <= cut).count(),
            "cut at {cut}"
        );
        assert!(problems.is_empty(), "cut at {cut}: {problems:?}");
    }
    // Torn mid-batch, then the same batch again: every chat tagged once.
    std::fs::write(&path, &full[..ends[5] + 7]).unwrap();
    append(dir.path(), "ann@h", &batch).unwrap();
    let (_, n, problems) = tagged(dir.path());
    assert_eq!(n, 12);
    assert_eq!(problems.len(), 1, "only the torn record, now mid-file");
}

#[test]
fn a_damaged_record_costs_only_itself_and_is_reported() {
    let records: Vec<Record> = (0..5)
        .map(|i| rec("c1", Op::Note, &format!("note {i}"), "ann", i))
        .collect();
    let mut bytes = bytes_of(&records);
    let second = records[0].encode().len() + 15;
    bytes[second] ^= 0x20;
    let (got, problems) = parse(&bytes);
    assert_eq!(got.len(), 4);
    assert!(!got.contains(&records[1]));
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("line 2:"), "{problems:?}");
    // Garbage lines, binary and empty ones, in between.
    let mut noisy = b"\xff\xfe garbage\n\n".to_vec();
    noisy.extend(bytes_of(&records));
    let (got, problems) = parse(&noisy);
    assert_eq!(got, records);
    assert_eq!(problems.len(), 1);
}

#[test]
fn appending_after_a_torn_record_loses_neither_side() {
    let dir = tempfile::tempdir().unwrap();
    let first = rec("c1", Op::Tag, "before", "ann", 1);
    append(dir.path(), "ann@h", std::slice::from_ref(&first)).unwrap();
    let path = dir.path().join("ann@h.journal");
    // A crash mid-write: half a record, no newline.
    let torn = rec("c1", Op::Tag, "torn", "ann", 2).encode();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(&torn[..torn.len() / 2]);
    std::fs::write(&path, &bytes).unwrap();
    let reviews = merge(&read_dir(dir.path()));
    assert_eq!(reviews.get("c1").unwrap().tags, ["before"]);
    assert!(
        reviews.problems.is_empty(),
        "a torn last record is no problem"
    );
    let after = rec("c1", Op::Tag, "after", "ann", 3);
    append(dir.path(), "ann@h", std::slice::from_ref(&after)).unwrap();
    let reviews = merge(&read_dir(dir.path()));
    assert_eq!(reviews.get("c1").unwrap().tags, ["before", "after"]);
    assert_eq!(reviews.problems.len(), 1, "the torn record is now mid-file");
}

#[test]
fn undo_and_removal_follow_time_across_writers() {
    let ann = bytes_of(&[
        rec("c1", Op::Tag, "coaching", "ann", 1),
        rec("c1", Op::Review, "", "ann", 2),
        rec("c1", Op::Untag, "great", "ann", 5),
    ]);
    let bob = bytes_of(&[
        rec("c1", Op::Tag, "great", "bob", 3),
        rec("c1", Op::Unreview, "", "bob", 4),
        rec("c1", Op::Note, "call back", "bob", 6),
        rec("c2", Op::Review, "", "bob", 7),
    ]);
    let reviews = merge(&set_of(&[("ann@h.journal", ann), ("bob@h.journal", bob)]));
    let c1 = reviews.get("c1").unwrap();
    assert_eq!(c1.tags, ["coaching"]);
    assert_eq!(c1.reviewed, None);
    assert_eq!(c1.notes.len(), 1);
    assert_eq!(c1.notes[0].author, "bob");
    assert_eq!(
        reviews.get("c2").unwrap().reviewed.as_ref().unwrap().author,
        "bob"
    );
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews.entries, 7);
}

/// A record's value for `op`: a scorecard (its points from `v`) for a score, a name otherwise.
fn value_for(op: Op, v: u8) -> String {
    match op {
        Op::Score => card::encode(&card::Card {
            rubric: "qa".into(),
            items: [
                ("a".to_string(), Some(Value::Points(u32::from(v)))),
                ("b".to_string(), None),
            ]
            .into_iter()
            .collect(),
            max: [("a".to_string(), 3), ("b".to_string(), 1)]
                .into_iter()
                .collect(),
            comment: (v % 2 == 0).then(|| format!("c{v}")),
        }),
        _ => format!("v{v}"),
    }
}

#[test]
fn scorecards_and_samples_survive_truncation_at_every_byte() {
    let records: Vec<Record> = (0..6u8)
        .map(|i| {
            let op = [Op::Score, Op::Sample, Op::Unsample][usize::from(i % 3)];
            rec(
                "c1",
                op,
                &value_for(op, i % 4),
                ["ann", "bob"][usize::from(i % 2)],
                i64::from(i),
            )
        })
        .collect();
    let bytes = bytes_of(&records);
    let mut ends = Vec::new();
    let mut sum = 0;
    for r in &records {
        sum += r.encode().len();
        ends.push(sum);
    }
    for cut in 0..=bytes.len() {
        let (got, problems) = parse(&bytes[..cut]);
        let complete = ends.iter().filter(|&&e| e <= cut).count();
        assert_eq!(got, records[..complete], "cut at {cut}");
        assert!(problems.is_empty(), "cut at {cut}: {problems:?}");
    }
}

#[test]
fn rescoring_replaces_only_the_reviewers_own_scorecard() {
    let card = |v| value_for(Op::Score, v);
    let reviews = Reviews::from_records(vec![
        rec("c", Op::Score, &card(1), "ann", 1),
        rec("c", Op::Score, &card(3), "bob", 2),
        rec("c", Op::Score, &card(2), "ann", 3),
        rec("c", Op::Sample, "week1", "ann", 4),
        rec("c", Op::Sample, "week2", "ann", 5),
        rec("c", Op::Unsample, "week1", "ann", 6),
    ]);
    let r = reviews.get("c").unwrap();
    let by: Vec<(&str, Option<i64>)> = r
        .scorecards
        .iter()
        .map(|c| (c.author.as_str(), c.score()))
        .collect();
    assert_eq!(by, [("bob", Some(1000)), ("ann", Some(667))]);
    assert_eq!(r.score(), Some(834));
    assert_eq!(r.samples, ["week2"]);
}

#[test]
fn a_scorecard_that_does_not_read_costs_only_its_record() {
    let good = rec("c", Op::Score, &value_for(Op::Score, 1), "ann", 1);
    let bad = rec(
        "c",
        Op::Score,
        r#"{"rubric":"qa","items":{"a":9},"max":{"a":3}}"#,
        "bob",
        2,
    );
    let mut bytes = bad.encode();
    bytes.extend(good.encode());
    let (got, problems) = parse(&bytes);
    assert_eq!(got, [good]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("bad scorecard"), "{problems:?}");
}

/// What the merge must compute: the records applied one after another, in the order they
/// happened (the merge has to find that order from times, journals and positions).
fn model(records: &[&Record]) -> HashMap<String, ChatReview> {
    let mut out: HashMap<String, ChatReview> = HashMap::new();
    for r in records {
        let review = out.entry(r.chat.clone()).or_default();
        super::merge::apply(review, r);
    }
    out.retain(|_, r| !r.is_empty());
    out
}

fn op() -> impl Strategy<Value = (usize, Op, u8)> {
    (
        0..2usize,
        prop_oneof![
            Just(Op::Tag),
            Just(Op::Untag),
            Just(Op::Note),
            Just(Op::Review),
            Just(Op::Unreview),
            Just(Op::Score),
            Just(Op::Sample),
            Just(Op::Unsample)
        ],
        0..4u8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Writers take turns in a random order (each record one millisecond after the previous,
    /// whoever wrote it): the merge equals applying the records in the order they happened, and
    /// each journal may be cut at any byte without costing more than its torn last record.
    #[test]
    fn random_interleavings_merge_to_the_order_of_events(
        steps in prop::collection::vec((0..3usize, op()), 1..40),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 3),
    ) {
        let authors = ["ann", "bob", "cho"];
        let mut per_writer: Vec<Vec<Record>> = vec![Vec::new(); 3];
        let mut order: Vec<(usize, usize)> = Vec::new();
        for (ms, (w, (chat, op, v))) in steps.iter().enumerate() {
            let r = rec(&format!("chat{chat}"), *op, &value_for(*op, *v), authors[*w], ms as i64);
            order.push((*w, per_writer[*w].len()));
            per_writer[*w].push(r);
        }
        // Whole journals.
        let whole: Vec<(String, Vec<u8>)> = per_writer
            .iter()
            .enumerate()
            .map(|(w, rs)| (format!("{}@h.journal", authors[w]), bytes_of(rs)))
            .collect();
        let named: Vec<(&str, Vec<u8>)> = whole.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let reviews = merge(&set_of(&named));
        let events: Vec<&Record> = order.iter().map(|&(w, i)| &per_writer[w][i]).collect();
        let expected = model(&events);
        prop_assert_eq!(reviews.len(), expected.len());
        for (chat, want) in &expected {
            prop_assert_eq!(reviews.get(chat), Some(want));
        }
        prop_assert!(reviews.problems.is_empty());
        // Each journal cut at a random byte: exactly the records wholly before the cut survive.
        let mut kept: Vec<usize> = Vec::new();
        let mut cut_named = Vec::new();
        for (w, (name, bytes)) in whole.iter().enumerate() {
            let cut = cuts[w].index(bytes.len() + 1);
            let mut len = 0;
            let n = per_writer[w]
                .iter()
                .take_while(|r| { len += r.encode().len(); len <= cut })
                .count();
            kept.push(n);
            cut_named.push((name.as_str(), bytes[..cut].to_vec()));
        }
        let reviews = merge(&set_of(&cut_named));
        let survivors: Vec<&Record> = order
            .iter()
            .filter(|&&(w, i)| i < kept[w])
            .map(|&(w, i)| &per_writer[w][i])
            .collect();
        let expected = model(&survivors);
        prop_assert_eq!(reviews.len(), expected.len());
        for (chat, want) in &expected {
            prop_assert_eq!(reviews.get(chat), Some(want));
        }
        prop_assert!(reviews.problems.is_empty());
    }

    /// Records with the same timestamp: the result does not depend on which journal the reader
    /// finds first, and nothing added is lost.
    #[test]
    fn equal_times_merge_the_same_way_and_keep_every_tag_and_note(
        tags in prop::collection::vec((0..4usize, 0..20u8), 1..30),
    ) {
        let mut per_writer: Vec<Vec<Record>> = vec![Vec::new(); 4];
        for (w, t) in &tags {
            per_writer[*w].push(rec("c", Op::Tag, &format!("t{t}"), "x", 0));
            per_writer[*w].push(rec("c", Op::Note, &format!("n{t}"), "x", 0));
        }
        let named: Vec<(String, Vec<u8>)> = per_writer
            .iter()
            .enumerate()
            .map(|(w, rs)| (format!("w{w}.journal"), bytes_of(rs)))
            .collect();
        let forward: Vec<(&str, Vec<u8>)> = named.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let backward: Vec<(&str, Vec<u8>)> = forward.iter().rev().cloned().collect();
        let a = merge(&set_of(&forward));
        let b = merge(&set_of(&backward));
        prop_assert_eq!(a.get("c"), b.get("c"));
        let review = a.get("c").unwrap();
        let mut distinct: Vec<String> = tags.iter().map(|(_, t)| format!("t{t}")).collect();
        distinct.sort();
        distinct.dedup();
        let mut got = review.tags.clone();
        got.sort();
        prop_assert_eq!(got, distinct);
        prop_assert_eq!(review.notes.len(), tags.len());
    }
}

/// A journal line with a correct checksum over `json`, whatever it says.
fn line_of(json: &str) -> Vec<u8> {
    let mut line = format!("{:08x} {json}", super::record::crc(json.as_bytes())).into_bytes();
    line.push(b'\n');
    line
}

#[test]
fn a_merge_position_other_than_the_time_round_trips() {
    let r = rec("c1", Op::Review, "", "ann", 5).after(at(9_000).timestamp_millis());
    assert_eq!(r.order, at(9_000).timestamp_millis() + 1);
    let line = r.encode();
    assert!(String::from_utf8_lossy(&line).contains("\"ord\":"));
    assert_eq!(Record::decode(&line[..line.len() - 1]).unwrap(), r);
    // Ordinary records carry no `ord`: the time is the position.
    let plain = rec("c1", Op::Review, "", "ann", 5);
    assert!(!String::from_utf8_lossy(&plain.encode()).contains("ord"));
    // Never past the last readable position, so a record of ours always reads back.
    let late = rec("c", Op::Tag, "", "a", 0).after(i64::MAX);
    assert_eq!(late.order, 253_402_300_799_999);
    let line = late.encode();
    assert_eq!(Record::decode(&line[..line.len() - 1]).unwrap(), late);
}

#[test]
fn a_forged_merge_position_is_refused_at_read() {
    for ord in [i64::MAX, i64::MIN, 253_402_300_800_000] {
        let json = format!(
            r#"{{"chat":"c1","op":"unreview","v":"","by":"z","at":"2024-01-01T00:00:00Z","ord":{ord}}}"#
        );
        let line = line_of(&json);
        let why = Record::decode(&line[..line.len() - 1]).unwrap_err();
        assert!(why.contains("bad record order"), "{ord}: {why}");
    }
}

#[test]
fn millions_of_damaged_lines_cost_a_count_not_a_problem_each() {
    let junk = "a\n".repeat(500_000);
    let good = rec("c1", Op::Tag, "x", "ann", 5).encode();
    let mut bytes = junk.into_bytes();
    bytes.extend_from_slice(&good);
    let (records, problems) = parse(&bytes);
    assert_eq!(
        records.len(),
        1,
        "a good record after the junk still counts"
    );
    assert!(problems.len() <= 21, "{}", problems.len());
    let last = problems.last().unwrap();
    assert!(last.contains("more damaged lines"), "{last}");
}

#[test]
fn times_past_year_9999_or_before_year_0_are_refused_at_read() {
    for time in ["9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+01:00"] {
        let json = format!(r#"{{"chat":"c1","op":"tag","v":"x","by":"ann","at":"{time}"}}"#);
        let line = line_of(&json);
        let why = Record::decode(&line[..line.len() - 1]).unwrap_err();
        assert!(why.contains("outside years 0000 to 9999"), "{why}");
    }
    let json = r#"{"chat":"c1","op":"tag","v":"x","by":"ann","at":"9999-12-31T23:59:59+00:00"}"#;
    let line = line_of(json);
    assert!(Record::decode(&line[..line.len() - 1]).is_ok());
}

#[test]
fn records_stamped_more_than_a_day_ahead_are_reported_and_still_applied() {
    let now = at(0);
    let records = [
        rec("c1", Op::Tag, "soon", "bob", 23 * 3_600_000),
        rec("c1", Op::Tag, "later", "bob", 25 * 3_600_000),
    ];
    let (got, problems) = super::journal::parse_from(&bytes_of(&records)[..], now);
    assert_eq!(got, records);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("line 2: stamped") && problems[0].contains("a day ahead"),
        "{problems:?}"
    );
}

#[test]
fn a_record_just_written_takes_effect_after_one_stamped_in_the_far_future() {
    let dir = tempfile::tempdir().unwrap();
    let future = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
    let planted: Vec<u8> = [
        Record::new("c1", Op::Unreview, "", "bob", future),
        Record::new("c1", Op::Untag, "vip", "bob", future),
    ]
    .iter()
    .flat_map(Record::encode)
    .collect();
    std::fs::write(dir.path().join("bob@h.journal"), planted).unwrap();
    // Journals keep milliseconds.
    let now = Utc
        .timestamp_millis_opt(Utc::now().timestamp_millis())
        .unwrap();
    append(
        dir.path(),
        "ann@h",
        &[
            Record::new("c1", Op::Review, "", "ann", now),
            Record::new("c1", Op::Tag, "vip", "ann", now),
        ],
    )
    .unwrap();
    let reviews = merge(&read_dir(dir.path()));
    let c1 = reviews.get("c1").expect("ann's records took effect");
    assert_eq!(c1.tags, ["vip"]);
    // The mark says when ann acted, not the forged time.
    assert_eq!(c1.reviewed.as_ref().unwrap().at, now);
    assert_eq!(reviews.problems.len(), 2, "{:?}", reviews.problems);
    // And ann's next action orders after her own: an undo still undoes.
    append(
        dir.path(),
        "ann@h",
        &[Record::new("c1", Op::Unreview, "", "ann", now)],
    )
    .unwrap();
    assert!(!merge(&read_dir(dir.path())).is_reviewed("c1"));
}

#[cfg(unix)]
mod hostile {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn tag(dir: &std::path::Path) -> std::io::Result<()> {
        append(dir, "ann@h", &[rec("c1", Op::Tag, "x", "ann", 1)])
    }

    #[test]
    fn a_journal_that_is_a_link_or_not_a_file_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("bashrc");
        std::fs::write(&target, "unchanged\n").unwrap();
        let journal = dir.path().join("ann@h.journal");
        // A link to a file, a dangling link (not created either), a hard link.
        symlink(&target, &journal).unwrap();
        let e = tag(dir.path()).unwrap_err();
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
        std::fs::remove_file(&journal).unwrap();
        let missing = elsewhere.path().join("new");
        symlink(&missing, &journal).unwrap();
        assert!(tag(dir.path()).is_err());
        assert!(!missing.exists());
        std::fs::remove_file(&journal).unwrap();
        std::fs::hard_link(&target, &journal).unwrap();
        let e = tag(dir.path()).unwrap_err();
        assert!(e.to_string().contains("hard link"), "{e}");
        std::fs::remove_file(&journal).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "unchanged\n");
        // A directory and a FIFO under the journal's name.
        std::fs::create_dir(&journal).unwrap();
        assert!(tag(dir.path()).is_err());
        std::fs::remove_dir(&journal).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&journal).status();
        if made.is_ok_and(|s| s.success()) {
            let e = tag(dir.path()).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[test]
    fn a_review_directory_created_here_is_private() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("a").join("reviews");
        tag(&dir).unwrap();
        for d in [base.path().join("a"), dir] {
            let mode = std::fs::metadata(&d).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{}", d.display());
        }
    }

    #[test]
    fn reading_skips_links_fifos_and_devices_and_reports_them() {
        let dir = tempfile::tempdir().unwrap();
        tag(dir.path()).unwrap();
        symlink("/dev/zero", dir.path().join("zero.journal")).unwrap();
        symlink(
            dir.path().join("ann@h.journal"),
            dir.path().join("copy.journal"),
        )
        .unwrap();
        let fifo = dir.path().join("fifo.journal");
        let have_fifo = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let reviews = merge(&read_dir(dir.path()));
        assert_eq!(reviews.get("c1").unwrap().tags, ["x"]);
        assert_eq!(reviews.entries, 1, "the linked copy is not read");
        let problems: Vec<&str> = reviews.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(problems.len(), 2 + usize::from(have_fifo), "{problems:?}");
        assert!(reviews
            .problems
            .iter()
            .all(|p| p.reason.contains("not a regular file")));
    }
}

#[test]
fn tags_and_notes_need_a_visible_character() {
    for bad in [
        "",
        " ",
        "\u{200B}",
        "\u{FEFF}\u{2060}",
        "\u{3164}",
        "\u{2800}",
        "\u{E0041}",
    ] {
        assert!(check_tag(bad).is_err(), "{bad:?}");
        assert!(is_blank(bad), "{bad:?}");
    }
    for bad in ["a\u{1b}[31m", "x\u{202E}y", "a\tb"] {
        assert!(check_tag(bad).is_err(), "{bad:?}");
    }
    for good in ["vip", "漢字", "a\u{200B}b", "🙂"] {
        assert!(check_tag(good).is_ok(), "{good:?}");
    }
}
