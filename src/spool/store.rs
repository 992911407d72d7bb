//! The store: every file's contents, every copy of every chat, and the one copy that is shown.
//!
//! Files are the unit of change (a watcher upserts or removes a file; the cache restores files),
//! and chats are derived from them: a chat seen in several files (webhook retries,
//! `chat_transferred`) is shown once, as its most complete copy, and comes back to an older copy
//! when the newer file is deleted.

mod wrap_ups;

use crate::spool::interner::Interner;
pub use wrap_ups::WrapUpCounts;

use super::read::FileRecord;
use crate::model::{ChatSummary, WrapUpEvent};
use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

/// What identifies a file's contents without reading them: size, modification time, and the
/// inode change time and inode number. The cache and the poller trust a file whose stamp has not
/// changed. The last two catch a file replaced by one of the same size and modification time
/// (`cp -p`, `rsync -t`, `tar x`, a restore): user tools can set mtime, not ctime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (0 before it; saturated after 2262).
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub ino: u64,
}

/// One file as loaded.
#[derive(Debug, Clone, Default)]
pub struct FileEntry {
    pub stamp: Stamp,
    pub record: FileRecord,
}

/// One problem or skipped file, by path. Ordered by path, then by the line a JSON Lines reason
/// names, as a number (`line 99999` before `line 100000`), then by reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathReason {
    pub path: String,
    pub reason: String,
}

impl PathReason {
    /// The line number a reason starts with (`line 4: invalid JSON: …`), if any.
    fn line(&self) -> Option<u64> {
        let rest = self.reason.strip_prefix("line ")?;
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        rest[..end].parse().ok()
    }
}

impl Ord for PathReason {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.path
            .cmp(&other.path)
            .then_with(|| self.line().cmp(&other.line()))
            .then_with(|| self.reason.cmp(&other.reason))
    }
}

impl PartialOrd for PathReason {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Why `find` could not name one chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindError {
    NotFound,
    Ambiguous(Vec<String>),
}

#[derive(Debug, Default)]
pub struct Store {
    files: HashMap<Arc<str>, FileEntry>,
    copies: HashMap<Arc<str>, Copies>,
    copy_count: usize,
    /// One copy of every agent name, list of agents, place and wrap-up seen: rows share them.
    interner: Interner,
    /// Wrap-up events by chat id, whether the chat is loaded or not (a wrap-up waits for its
    /// chat), every copy (retries) kept so that deleting one file takes only its own away.
    wrap_ups: HashMap<Arc<str>, Vec<Arc<WrapUpEvent>>>,
    /// The rows shown instead of a chat's best copy because wrap-up events change its wrap-up:
    /// built when the chat or its events change, not each time rows are handed out.
    merged: HashMap<Arc<str>, Arc<ChatSummary>>,
    /// Directories that could not be walked (not files, so they live beside them).
    pub dir_problems: Vec<PathReason>,
    /// Entries the walk did not enter on purpose (links not followed, pseudo-filesystems).
    pub dir_skipped: Vec<PathReason>,
    /// Directories the load entered through a symlink (`--follow-links`), for the watcher.
    pub linked_dirs: Vec<String>,
    /// The transcript text store the load checked or wrote, when the cache is in use: answers
    /// `text:` for the rows whose file still has the stamp recorded there.
    pub texts: Option<Arc<crate::spool::texts::Texts>>,
}

/// The copies of one chat. Nearly every chat has one: kept inline, with no list to allocate
/// (memory is budgeted per chat).
#[derive(Debug)]
enum Copies {
    One(Arc<ChatSummary>),
    Many(Vec<Arc<ChatSummary>>),
}

impl Copies {
    fn as_slice(&self) -> &[Arc<ChatSummary>] {
        match self {
            Copies::One(c) => std::slice::from_ref(c),
            Copies::Many(list) => list,
        }
    }

    fn push(&mut self, chat: Arc<ChatSummary>) {
        match self {
            Copies::One(first) => *self = Copies::Many(vec![first.clone(), chat]),
            Copies::Many(list) => list.push(chat),
        }
    }

    /// Drop `chat` (this very row); returns how many copies are left.
    fn without(&mut self, chat: &Arc<ChatSummary>) -> usize {
        match self {
            Copies::One(c) if Arc::ptr_eq(c, chat) => 0,
            Copies::One(_) => 1,
            Copies::Many(list) => {
                list.retain(|c| !Arc::ptr_eq(c, chat));
                if let [only] = &list[..] {
                    *self = Copies::One(only.clone());
                }
                self.as_slice().len()
            }
        }
    }
}

/// A GUID-shaped id (hex digits and dashes, at least 32 digits): the only kind `show` accepts
/// a prefix of.
fn guid_like(id: &str) -> bool {
    id.contains('-')
        && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && id.chars().filter(char::is_ascii_hexdigit).count() >= 32
}

/// Ordering key for "most complete copy": latest end, longest transcript, then the first path
/// (so the choice never depends on load order).
type Completeness<'a> = (Option<i64>, u32, Reverse<(&'a str, Option<u32>)>);

fn completeness(c: &ChatSummary) -> Completeness<'_> {
    (
        c.ended_ms(),
        c.transcript_len,
        Reverse((&*c.source.path, c.source.line)),
    )
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with room for `files` files of about one chat each: loading a large spool
    /// then never regrows the tables, which is faster and leaves no freed tables behind in the
    /// heap (they would count against the memory budget).
    pub fn with_capacity(files: usize) -> Self {
        Store {
            files: HashMap::with_capacity(files),
            copies: HashMap::with_capacity(files),
            ..Self::default()
        }
    }

    /// Share rows through `interner` (the one that decoded them, so none is copied again).
    pub fn with_interner(mut self, interner: Interner) -> Self {
        self.interner = interner;
        self
    }

    /// Insert or replace one file's contents.
    pub fn upsert(&mut self, rel: Arc<str>, mut entry: FileEntry) {
        for chat in &mut entry.record.chats {
            // Rows arrive freshly parsed or decoded, so normally not shared yet.
            if let Some(row) = Arc::get_mut(chat) {
                self.interner.share_row(row);
            }
        }
        self.upsert_shared(rel, entry);
    }

    /// [`Store::upsert`] for rows decoded through this store's own interner (see
    /// [`Store::with_interner`]): they already share, and looking each part up again would
    /// cost the cached load a hash of every name.
    pub fn upsert_shared(&mut self, rel: Arc<str>, entry: FileEntry) {
        self.remove(&rel);
        for chat in &entry.record.chats {
            match self.copies.entry(chat.id.clone()) {
                Entry::Occupied(mut list) => list.get_mut().push(chat.clone()),
                Entry::Vacant(slot) => {
                    slot.insert(Copies::One(chat.clone()));
                }
            }
            self.copy_count += 1;
        }
        for w in &entry.record.wrap_ups {
            self.wrap_ups
                .entry(w.chat_id.clone())
                .or_default()
                .push(w.clone());
        }
        let ids = self.ids_to_refresh(&entry.record);
        self.files.insert(rel, entry);
        for id in ids {
            self.refresh(&id);
        }
    }

    /// Forget a file (deleted, or about to be replaced). Returns whether it was known.
    pub fn remove(&mut self, rel: &str) -> bool {
        let Some(old) = self.files.remove(rel) else {
            return false;
        };
        for chat in &old.record.chats {
            if let Some(list) = self.copies.get_mut(&chat.id) {
                let before = list.as_slice().len();
                let left = list.without(chat);
                self.copy_count -= before - left;
                if left == 0 {
                    self.copies.remove(&chat.id);
                }
            }
        }
        self.forget_wrap_ups(&old.record);
        for id in self.ids_to_refresh(&old.record) {
            self.refresh(&id);
        }
        true
    }

    pub fn file(&self, rel: &str) -> Option<&FileEntry> {
        self.files.get(rel)
    }

    pub fn files(&self) -> impl Iterator<Item = (&Arc<str>, &FileEntry)> {
        self.files.iter()
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Number of distinct chats.
    pub fn len(&self) -> usize {
        self.copies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.copies.is_empty()
    }

    /// Copies beyond the first of each chat (retries, transfers).
    pub fn duplicates(&self) -> usize {
        self.copy_count - self.copies.len()
    }

    /// The row shown for a chat id: its most complete copy, with the merged wrap-up.
    pub fn best(&self, id: &str) -> Option<&Arc<ChatSummary>> {
        self.merged.get(id).or_else(|| self.best_copy(id))
    }

    /// The most complete copy of a chat, as its file had it.
    fn best_copy(&self, id: &str) -> Option<&Arc<ChatSummary>> {
        self.copies
            .get(id)?
            .as_slice()
            .iter()
            .max_by(|a, b| completeness(a).cmp(&completeness(b)))
    }

    /// One row per distinct chat (its most complete copy), in no particular order.
    ///
    /// The order is the rows' order in memory: a search visits every row, and visiting them in
    /// memory order rather than hash order is several times faster at 100,000 rows (cache
    /// misses dominate).
    pub fn chats(&self) -> Vec<Arc<ChatSummary>> {
        let mut rows: Vec<Arc<ChatSummary>> = self
            .copies
            .iter()
            .filter_map(|(id, list)| {
                if !self.merged.is_empty() {
                    if let Some(row) = self.merged.get(id) {
                        return Some(row.clone());
                    }
                }
                list.as_slice()
                    .iter()
                    .max_by(|a, b| completeness(a).cmp(&completeness(b)))
                    .cloned()
            })
            .collect();
        rows.sort_unstable_by_key(|c| Arc::as_ptr(c) as usize);
        rows
    }

    /// Look a chat up by exact id (case-insensitive) or by a unique prefix of a GUID id. Other
    /// ids (integers, names) must be given whole: `109` never means chat `1098`.
    pub fn find(&self, key: &str) -> Result<Arc<ChatSummary>, FindError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(FindError::NotFound);
        }
        if let Some(c) = self.best(key) {
            return Ok(c.clone());
        }
        let lower = key.to_lowercase();
        let mut hits: Vec<&str> = self
            .copies
            .keys()
            .filter(|id| guid_like(id) && id.to_lowercase().starts_with(&lower))
            .map(|id| &**id)
            .collect();
        if let Some(exact) = hits.iter().find(|id| id.to_lowercase() == lower) {
            return self.best(exact).cloned().ok_or(FindError::NotFound);
        }
        match hits.len() {
            0 => Err(FindError::NotFound),
            1 => self.best(hits[0]).cloned().ok_or(FindError::NotFound),
            _ => {
                hits.sort_unstable();
                Err(FindError::Ambiguous(
                    hits.into_iter().map(str::to_string).collect(),
                ))
            }
        }
    }

    /// Files that could not be read, and bad lines of JSON Lines files, sorted by path.
    pub fn problems(&self) -> Vec<PathReason> {
        let mut out: Vec<PathReason> = self
            .files
            .iter()
            .flat_map(|(path, e)| {
                e.record.problems.iter().map(move |r| PathReason {
                    path: path.to_string(),
                    reason: r.clone(),
                })
            })
            .chain(self.dir_problems.iter().cloned())
            .collect();
        out.sort();
        out
    }

    /// Files holding only non-chat events (one entry per file), and what the walk did not enter
    /// on purpose, sorted by path.
    pub fn skipped(&self) -> Vec<PathReason> {
        let mut out: Vec<PathReason> = self
            .files
            .iter()
            .filter_map(|(path, e)| {
                e.record.skipped_reason().map(|reason| PathReason {
                    path: path.to_string(),
                    reason,
                })
            })
            .chain(self.dir_skipped.iter().cloned())
            .collect();
        out.sort();
        out
    }

    /// How many entries [`Store::skipped`] would list, without building them (the live loader
    /// publishes this count up to ten times a second).
    pub fn skipped_count(&self) -> usize {
        self.files
            .values()
            .filter(|e| !e.record.skipped.is_empty())
            .count()
            + self.dir_skipped.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file holding this one chat.
    pub(in crate::spool::store) fn file_of(row: ChatSummary) -> FileEntry {
        FileEntry {
            record: FileRecord {
                chats: smallvec::smallvec![Arc::new(row)],
                ..FileRecord::default()
            },
            ..FileEntry::default()
        }
    }

    fn file(id: &str, agent: &str, dept: &str) -> FileEntry {
        file_of(ChatSummary {
            id: id.into(),
            agents: vec![Arc::from(agent)].into(),
            place: crate::model::Place::of(Some(Arc::from(dept)), None, None),
            ..ChatSummary::default()
        })
    }

    #[test]
    fn rows_share_one_copy_of_repeating_strings() {
        let mut store = Store::new();
        store.upsert("a.json".into(), file("a", "Walid", "Support"));
        store.upsert("b.json".into(), file("b", "Walid", "Support"));
        store.upsert("c.json".into(), file("c", "Amy", "Support"));
        let (a, b, c) = (
            store.best("a").unwrap(),
            store.best("b").unwrap(),
            store.best("c").unwrap(),
        );
        assert!(Arc::ptr_eq(&a.agents, &b.agents));
        assert_eq!(&*c.agents[0], "Amy");
        let place = |r: &ChatSummary| r.place.clone().unwrap();
        assert!(Arc::ptr_eq(&place(a), &place(b)) && Arc::ptr_eq(&place(a), &place(c)));
        assert_eq!(a.department(), Some("Support"));
    }

    #[test]
    fn copies_of_one_chat_come_and_go() {
        let mut store = Store::new();
        let mut newer = file("x", "Walid", "Support");
        Arc::get_mut(&mut newer.record.chats[0]).unwrap().ended =
            crate::model::PackedMs::new(Some(5));
        store.upsert("old.json".into(), file("x", "Walid", "Support"));
        store.upsert("new.json".into(), newer);
        store.upsert("third.json".into(), file("x", "Amy", "Sales"));
        assert_eq!((store.len(), store.duplicates()), (1, 2));
        assert_eq!(store.best("x").unwrap().ended_ms(), Some(5));
        assert!(store.remove("new.json"));
        assert_eq!((store.len(), store.duplicates()), (1, 1));
        assert_eq!(store.best("x").unwrap().ended_ms(), None);
        assert!(store.remove("old.json"));
        assert_eq!((store.len(), store.duplicates()), (1, 0));
        assert_eq!(&*store.best("x").unwrap().agents[0], "Amy");
        assert!(store.remove("third.json"));
        assert!(store.is_empty() && store.best("x").is_none());
        assert_eq!(store.chats().len(), 0);
    }

    #[test]
    fn problems_sort_by_path_then_line_number() {
        let mut store = Store::new();
        let bad = |lines: &[&str]| FileEntry {
            record: FileRecord {
                problems: lines
                    .iter()
                    .map(|l| (*l).to_string())
                    .collect::<Vec<_>>()
                    .into(),
                ..FileRecord::default()
            },
            ..FileEntry::default()
        };
        store.upsert(
            "b.jsonl".into(),
            bad(&[
                "line 1000000: x",
                "line 100000: y",
                "line 9: z",
                "line 10: w",
            ]),
        );
        store.upsert("a.json".into(), bad(&["truncated JSON"]));
        let got: Vec<String> = store
            .problems()
            .iter()
            .map(|p| format!("{} {}", p.path, p.reason))
            .collect();
        assert_eq!(
            got,
            [
                "a.json truncated JSON",
                "b.jsonl line 9: z",
                "b.jsonl line 10: w",
                "b.jsonl line 100000: y",
                "b.jsonl line 1000000: x",
            ]
        );
    }
}
