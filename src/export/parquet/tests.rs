use super::sink::Staged;
use super::*;
use crate::model::Entry;
use crate::model::SpeakerKind;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// An export destination in memory, counting how often each file was written.
#[derive(Default, Clone)]
struct Memory(Arc<Mutex<Files>>);

/// Each file's bytes and how many times it was written.
type Files = BTreeMap<String, (Vec<u8>, usize)>;

struct MemoryFile {
    to: Memory,
    rel: String,
    bytes: Vec<u8>,
}

impl std::io::Write for MemoryFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Staged for MemoryFile {
    fn commit(self: Box<Self>) -> Result<(), String> {
        let mut files = self.to.0.lock().unwrap();
        let n = files.get(&self.rel).map_or(0, |f| f.1);
        files.insert(self.rel.clone(), (self.bytes, n + 1));
        Ok(())
    }
}

impl Sink for Memory {
    fn name(&self) -> String {
        "memory".into()
    }
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.lock().unwrap().get(rel).map(|f| f.0.clone()))
    }
    fn exists(&self, rel: &str) -> bool {
        self.0.lock().unwrap().contains_key(rel)
    }
    fn create(&self, rel: &str) -> Result<Box<dyn Staged>, String> {
        Ok(Box::new(MemoryFile {
            to: self.clone(),
            rel: rel.into(),
            bytes: Vec::new(),
        }))
    }
    fn remove(&self, rel: &str) -> Result<(), String> {
        self.0.lock().unwrap().remove(rel);
        Ok(())
    }
}

impl Memory {
    fn writes(&self) -> BTreeMap<String, usize> {
        let files = self.0.lock().unwrap();
        files.iter().map(|(k, v)| (k.clone(), v.1)).collect()
    }
}

/// A chat row whose file does not exist (the export keeps the row, without messages).
fn summary(id: &str, start_ms: Option<i64>, visitor: &str) -> Arc<ChatSummary> {
    let chat = Chat {
        id: id.into(),
        started_at: start_ms.and_then(chrono::DateTime::from_timestamp_millis),
        visitor: crate::model::Visitor {
            name: Some(visitor.into()),
            ..Default::default()
        },
        transcript: vec![Entry {
            kind: SpeakerKind::Visitor,
            speaker: Some(visitor.into()),
            time: None,
            at: None,
            text: "hi".into(),
        }],
        ..Chat::default()
    };
    let mut s = ChatSummary::from_chat(&chat);
    s.source.path = format!("missing/{id}.json").into();
    Arc::new(s)
}

const DAY: i64 = 86_400_000;
/// 2020-09-01T10:00:00Z.
const T0: i64 = 1_598_954_400_000;

fn run(sink: &Memory, chats: &[Arc<ChatSummary>], partition: Partition) -> Done {
    let root = tempfile::tempdir().unwrap();
    let job = Job {
        root: root.path(),
        chats,
        mask: Mask(None),
        reviews: None,
        levels: None,
        partition,
        settings: String::new(),
    };
    let mut problems = 0;
    let done = export(&job, sink, &mut |_, _| {}, &mut |_, _| problems += 1).unwrap();
    // Every file is missing: each chat read is a problem, and only chats written are read.
    assert!(problems <= chats.len());
    assert_eq!(problems == 0, done.written == 0);
    done
}

#[test]
fn folders_are_the_start_day_or_month_or_unknown() {
    let s = summary("a", Some(T0), "Ann");
    assert_eq!(Partition::Day.folder(&s), "started=2020-09-01");
    assert_eq!(Partition::Month.folder(&s), "started=2020-09");
    assert_eq!(Partition::None.folder(&s), "");
    let u = summary("u", None, "Ann");
    assert_eq!(Partition::Day.folder(&u), "started=unknown");
    assert_eq!(
        file("chats", "started=unknown"),
        "chats/started=unknown/part-00000.parquet"
    );
    assert_eq!(file("messages", ""), "messages/part-00000.parquet");
    for f in [file("chats", "started=2020-09-01"), file("messages", "")] {
        assert!(manifest::is_ours(&f), "{f}");
    }
}

#[test]
fn a_second_export_rewrites_only_the_partitions_that_changed() {
    let sink = Memory::default();
    let mut chats = vec![
        summary("a", Some(T0), "Ann"),
        summary("b", Some(T0 + DAY), "Bob"),
        summary("c", None, "Cy"),
    ];
    let first = run(&sink, &chats, Partition::Day);
    assert_eq!((first.written, first.kept, first.chats), (3, 0, 3));
    let again = run(&sink, &chats, Partition::Day);
    assert_eq!((again.written, again.kept, again.chats), (0, 3, 3));
    assert!(sink
        .writes()
        .iter()
        .all(|(f, n)| *n == 1 || f == manifest::NAME));
    // Bob's chat changes: only its day is written again.
    chats[1] = summary("b", Some(T0 + DAY), "Robert");
    let changed = run(&sink, &chats, Partition::Day);
    assert_eq!((changed.written, changed.kept), (1, 2));
    let writes = sink.writes();
    assert_eq!(writes["chats/started=2020-09-02/part-00000.parquet"], 2);
    assert_eq!(writes["messages/started=2020-09-02/part-00000.parquet"], 2);
    assert_eq!(writes["chats/started=2020-09-01/part-00000.parquet"], 1);
    assert_eq!(writes["chats/started=unknown/part-00000.parquet"], 1);
}

#[test]
fn partitions_that_are_gone_lose_their_files_and_a_deleted_file_is_written_again() {
    let sink = Memory::default();
    let chats = vec![
        summary("a", Some(T0), "Ann"),
        summary("b", Some(T0 + DAY), "Bob"),
    ];
    run(&sink, &chats, Partition::Day);
    let fewer = run(&sink, &chats[..1], Partition::Day);
    assert_eq!((fewer.kept, fewer.removed), (1, 2));
    assert!(!sink.exists("chats/started=2020-09-02/part-00000.parquet"));
    sink.remove("messages/started=2020-09-01/part-00000.parquet")
        .unwrap();
    let repaired = run(&sink, &chats[..1], Partition::Day);
    assert_eq!(repaired.written, 1);
    // Another layout replaces the old one whole.
    let month = run(&sink, &chats, Partition::Month);
    assert_eq!((month.written, month.removed), (1, 2));
    let files: Vec<String> = sink.writes().into_keys().collect();
    assert_eq!(
        files,
        [
            manifest::NAME,
            "chats/started=2020-09/part-00000.parquet",
            "messages/started=2020-09/part-00000.parquet"
        ]
    );
    let m = Manifest::parse(&sink.read(manifest::NAME).unwrap().unwrap()).unwrap();
    assert_eq!(m.partition, "month");
    assert_eq!(m.partitions["started=2020-09"].chats, 2);
}

#[test]
fn a_manifest_naming_other_files_removes_none_of_them() {
    let sink = Memory::default();
    let planted = r#"{"what":"chatspool parquet export","schema":1,"partition":"day",
        "redacted":false,"exported_at":"x","partitions":{"started=1999-01-01":
        {"fingerprint":"0","chats":1,"messages":1,"files":["notes.txt","../x"]}}}"#;
    for f in [manifest::NAME, "notes.txt"] {
        let mut out = sink.create(f).unwrap();
        out.write_all(planted.as_bytes()).unwrap();
        out.commit().unwrap();
    }
    let done = run(&sink, &[summary("a", Some(T0), "Ann")], Partition::Day);
    assert_eq!(done.removed, 0);
    assert!(sink.exists("notes.txt"));
}

#[test]
fn the_redaction_patterns_are_part_of_the_fingerprint() {
    let sink = Memory::default();
    let chats = vec![summary("a", Some(T0), "Ann")];
    run(&sink, &chats, Partition::Day);
    let root = tempfile::tempdir().unwrap();
    let redactor = crate::redact::Redactor::new(Vec::new());
    let job = Job {
        root: root.path(),
        chats: &chats,
        mask: Mask(Some(&redactor)),
        reviews: None,
        levels: None,
        partition: Partition::Day,
        settings: "redact []".into(),
    };
    let done = export(&job, &sink, &mut |_, _| {}, &mut |_, _| {}).unwrap();
    assert_eq!(
        done.written, 1,
        "a redacted export never keeps unredacted files"
    );
}
