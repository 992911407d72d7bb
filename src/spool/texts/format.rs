//! The bytes of a text store file: a header naming the spool and the build, the region of folded
//! transcripts, and the table saying which file and chat each piece of the region belongs to.
//!
//! ```text
//! magic (8) · schema (u32) · spool · build · region length · shared length · shared checksum
//!     · table length · table checksum
//! region: every chat's folded text, in blocks cut at file boundaries, each with a checksum;
//!         recurring entries (or the recurring starts of entries) are references into the
//!         shared section (see `shared`)
//! shared: the recurring entries and starts, each kept once
//! table: the blocks (files, bytes, checksum), then per file its path, stamp (the inode change
//!        time as a difference from the modification time), whether a later load may trust it,
//!        and per chat its line, id (only where line and file cannot tell the chats apart) and
//!        text length
//! ```
//!
//! Every count and length is cross-checked when the table is decoded; anything that does not
//! add up makes the whole store invalid (it is then rebuilt), never a partial answer.

use crate::spool::bytes::{self as codec, Corrupt, Reader, Writer};
use crate::spool::Stamp;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;

/// The first bytes of every text store file.
const MAGIC: &[u8; 8] = b"CHSPTXT\x1a";

/// Version of this layout (and of the folding in `fold::transcript_text`); bump on change.
const SCHEMA: u32 = 3;

/// Bytes after the header's strings: region length, shared length and checksum, table length
/// and checksum.
pub const TRAILER: usize = 40;

/// One chat's place in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChat {
    pub line: Option<u32>,
    pub id: Box<str>,
    /// Bytes of folded text.
    pub len: u64,
}

/// One spool file's chats, in the order they lie in the region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFile {
    pub rel: Box<str>,
    pub stamp: Stamp,
    /// Whether a later load may reuse the text while the file keeps `stamp` (false for files
    /// modified just before they were read: see `cache::settled`).
    pub trusted: bool,
    pub chats: Vec<TableChat>,
}

impl TableFile {
    pub fn bytes(&self) -> u64 {
        self.chats.iter().map(|c| c.len).sum()
    }

    /// Whether the chats need their ids to be told apart: the stamp pins the file's content,
    /// so a single chat, or chats on their own lines, are known by their line alone. Without
    /// ids the table keeps them as empty strings.
    pub fn needs_ids(&self) -> bool {
        self.chats.len() > 1 && self.chats.iter().any(|c| c.line.is_none())
    }

    /// Whether the table's chat is the row's chat (`line`, `id`) of the same stamped file.
    pub fn is(&self, c: &TableChat, line: Option<u32>, id: &str) -> bool {
        c.line == line && (!self.needs_ids() || *c.id == *id)
    }
}

/// A run of whole files in the region, checked by its checksum before it is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableBlock {
    pub files: usize,
    pub len: u64,
    pub sum: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub blocks: Vec<TableBlock>,
    pub files: Vec<TableFile>,
}

/// Where the parts of a valid file lie.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub region_at: u64,
    pub region_len: u64,
    pub shared_len: u64,
    pub shared_sum: u64,
    pub table_len: u64,
    pub table_sum: u64,
}

impl Header {
    pub fn shared_at(&self) -> u64 {
        self.region_at + self.region_len
    }

    pub fn table_at(&self) -> u64 {
        self.shared_at() + self.shared_len
    }
}

/// Magic, schema, spool and build: what comes before the trailer.
pub fn prefix(root: &str, build: &str) -> Vec<u8> {
    let mut h = Vec::with_capacity(32 + root.len() + build.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&SCHEMA.to_le_bytes());
    for s in [root, build] {
        h.extend_from_slice(&(s.len() as u32).to_le_bytes());
        h.extend_from_slice(s.as_bytes());
    }
    h
}

/// The trailer's bytes.
pub fn trailer(h: &Header) -> [u8; TRAILER] {
    let mut t = [0u8; TRAILER];
    let values = [
        h.region_len,
        h.shared_len,
        h.shared_sum,
        h.table_len,
        h.table_sum,
    ];
    for (slot, v) in t.chunks_exact_mut(8).zip(values) {
        slot.copy_from_slice(&v.to_le_bytes());
    }
    t
}

/// Read and check the header of `file`: ours, this schema, this spool, this build, and exactly
/// as long as it says.
pub fn read_header(file: &File, root: &str, build: &str) -> Result<Header, Corrupt> {
    let want = prefix(root, build);
    let mut head = vec![0u8; want.len() + TRAILER];
    file.read_exact_at(&mut head, 0).map_err(|_| Corrupt)?;
    if head[..want.len()] != want[..] {
        return Err(Corrupt);
    }
    let t = &head[want.len()..];
    let u = |i: usize| u64::from_le_bytes(t[i..i + 8].try_into().unwrap_or([0; 8]));
    let header = Header {
        region_at: (want.len() + TRAILER) as u64,
        region_len: u(0),
        shared_len: u(8),
        shared_sum: u(16),
        table_len: u(24),
        table_sum: u(32),
    };
    let len = file.metadata().map_err(|_| Corrupt)?.len();
    let end = header
        .region_at
        .checked_add(header.region_len)
        .and_then(|e| e.checked_add(header.shared_len))
        .and_then(|e| e.checked_add(header.table_len));
    if end != Some(len) {
        return Err(Corrupt);
    }
    Ok(header)
}

/// Read the table of a file whose header is `h`, checking its checksum and consistency.
/// The table's bytes, checked: they decode, and the blocks add up to the region.
pub fn read_table(file: &File, h: &Header) -> Result<TableBytes, Corrupt> {
    let bytes = read_table_bytes(file, h)?;
    check(&view(&bytes)?, h.region_len)?;
    Ok(TableBytes(bytes))
}

/// The bytes of a table that [`read_table`] checked: viewed or decoded when needed.
#[derive(Debug)]
pub struct TableBytes(Vec<u8>);

impl TableBytes {
    pub fn view(&self) -> View<'_> {
        view(&self.0).unwrap_or_else(|_| unreachable!("checked when read"))
    }

    pub fn decode(&self) -> Table {
        decode(&self.0).unwrap_or_else(|_| unreachable!("checked when read"))
    }
}

/// The bytes of the table of a file whose header is `h`, checked against its checksum.
pub fn read_table_bytes(file: &File, h: &Header) -> Result<Vec<u8>, Corrupt> {
    let len = usize::try_from(h.table_len).map_err(|_| Corrupt)?;
    let mut bytes = Vec::with_capacity(len);
    let mut f = file;
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(h.table_at())).map_err(|_| Corrupt)?;
    f.take(h.table_len)
        .read_to_end(&mut bytes)
        .map_err(|_| Corrupt)?;
    if bytes.len() != len || codec::checksum(&bytes) != h.table_sum {
        return Err(Corrupt);
    }
    Ok(bytes)
}

/// Read the shared section of a file whose header is `h`, checking its checksum.
pub fn read_shared(file: &File, h: &Header) -> Result<Vec<u8>, Corrupt> {
    let len = usize::try_from(h.shared_len).map_err(|_| Corrupt)?;
    let mut bytes = vec![0u8; len];
    file.read_exact_at(&mut bytes, h.shared_at())
        .map_err(|_| Corrupt)?;
    if codec::checksum(&bytes) != h.shared_sum {
        return Err(Corrupt);
    }
    Ok(bytes)
}

/// The blocks cover the files exactly, and each block's length is its files' text.
fn check(t: &View<'_>, region_len: u64) -> Result<(), Corrupt> {
    let mut files = t.files.iter();
    let mut total = 0u64;
    for b in &t.blocks {
        let mut len = 0u64;
        for _ in 0..b.files {
            let f = files.next().ok_or(Corrupt)?;
            for c in t.chats_of(f) {
                len = len.checked_add(c.len).ok_or(Corrupt)?;
            }
        }
        if len != b.len {
            return Err(Corrupt);
        }
        total = total.checked_add(len).ok_or(Corrupt)?;
    }
    if files.next().is_some() || total != region_len {
        return Err(Corrupt);
    }
    Ok(())
}

pub fn encode(t: &Table) -> Vec<u8> {
    let mut w = Writer::default();
    w.buf.reserve(t.files.len() * 96 + t.blocks.len() * 24);
    w.usize(t.blocks.len());
    for b in &t.blocks {
        w.usize(b.files);
        w.u64(b.len);
        w.u64(b.sum);
    }
    w.usize(t.files.len());
    for f in &t.files {
        w.str(&f.rel);
        w.u64(f.stamp.size);
        w.i64(f.stamp.mtime_ns);
        w.i64(f.stamp.ctime_ns.wrapping_sub(f.stamp.mtime_ns));
        w.u64(f.stamp.ino);
        let ids = f.needs_ids();
        w.u64(u64::from(f.trusted) | u64::from(ids) << 1);
        w.usize(f.chats.len());
        for c in &f.chats {
            w.u64(c.line.map_or(0, |n| u64::from(n) + 1));
            if ids {
                w.str(&c.id);
            }
            w.u64(c.len);
        }
    }
    w.buf
}

pub fn decode(bytes: &[u8]) -> Result<Table, Corrupt> {
    let v = view(bytes)?;
    let files = v
        .files
        .iter()
        .map(|f| TableFile {
            rel: f.rel.into(),
            stamp: f.stamp,
            trusted: f.trusted,
            chats: v
                .chats_of(f)
                .iter()
                .map(|c| TableChat {
                    line: c.line,
                    id: c.id.into(),
                    len: c.len,
                })
                .collect(),
        })
        .collect();
    Ok(Table {
        blocks: v.blocks,
        files,
    })
}

/// A decoded table borrowing its strings from the table's bytes: what answering "which chat of
/// the store is this row" needs, without an allocation per file and chat.
#[derive(Debug)]
pub struct View<'a> {
    pub blocks: Vec<TableBlock>,
    pub files: Vec<FileView<'a>>,
    /// Every file's chats, one after the other.
    pub chats: Vec<ChatView<'a>>,
}

#[derive(Debug)]
pub struct FileView<'a> {
    pub rel: &'a str,
    pub stamp: Stamp,
    pub trusted: bool,
    /// Whether the chats carry their ids ([`TableFile::needs_ids`]).
    pub ids: bool,
    /// The file's first chat in [`View::chats`] (and in the store), and how many it has.
    pub first: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct ChatView<'a> {
    pub line: Option<u32>,
    pub id: &'a str,
    pub len: u64,
}

impl FileView<'_> {
    /// Whether the table's chat is the row's chat (`line`, `id`) of the same stamped file.
    pub fn is(&self, c: &ChatView<'_>, line: Option<u32>, id: &str) -> bool {
        c.line == line && (!self.ids || c.id == id)
    }
}

impl<'a> View<'a> {
    pub fn chats_of(&self, f: &FileView<'_>) -> &[ChatView<'a>] {
        &self.chats[f.first as usize..(f.first + f.count) as usize]
    }
}

pub fn view(bytes: &[u8]) -> Result<View<'_>, Corrupt> {
    let mut r = Reader::new(bytes);
    let n = r.count()?;
    let mut blocks = Vec::with_capacity(n);
    for _ in 0..n {
        blocks.push(TableBlock {
            files: r.count()?,
            len: r.u64()?,
            sum: r.u64()?,
        });
    }
    let n = r.count()?;
    let mut files = Vec::with_capacity(n);
    let mut chats = Vec::with_capacity(n);
    for _ in 0..n {
        let rel = r.str()?;
        let size = r.u64()?;
        let mtime_ns = r.i64()?;
        let stamp = Stamp {
            size,
            mtime_ns,
            ctime_ns: mtime_ns.wrapping_add(r.i64()?),
            ino: r.u64()?,
        };
        let flags = r.u64()?;
        if flags > 3 {
            return Err(Corrupt);
        }
        let (trusted, ids) = (flags & 1 == 1, flags & 2 == 2);
        let first = u32::try_from(chats.len()).map_err(|_| Corrupt)?;
        let count = r.count()?;
        for _ in 0..count {
            let line = match r.u64()? {
                0 => None,
                n => Some(u32::try_from(n - 1).map_err(|_| Corrupt)?),
            };
            chats.push(ChatView {
                line,
                id: if ids { r.str()? } else { "" },
                len: r.u64()?,
            });
        }
        files.push(FileView {
            rel,
            stamp,
            trusted,
            ids,
            first,
            count: u32::try_from(count).map_err(|_| Corrupt)?,
        });
    }
    if !r.is_done() || u32::try_from(chats.len()).is_err() {
        return Err(Corrupt);
    }
    Ok(View {
        blocks,
        files,
        chats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let chat = |id: &str, len| TableChat {
            line: None,
            id: id.into(),
            len,
        };
        Table {
            blocks: vec![TableBlock {
                files: 3,
                len: 12,
                sum: 7,
            }],
            files: vec![
                TableFile {
                    rel: "a.json".into(),
                    stamp: Stamp {
                        size: 3,
                        mtime_ns: -4,
                        ctime_ns: 5,
                        ino: 6,
                    },
                    trusted: true,
                    chats: vec![chat("x", 5)],
                },
                TableFile {
                    rel: "b.jsonl".into(),
                    stamp: Stamp::default(),
                    trusted: false,
                    chats: vec![
                        TableChat {
                            line: Some(0),
                            ..chat("y", 3)
                        },
                        TableChat {
                            line: Some(9),
                            ..chat("z", 4)
                        },
                    ],
                },
                TableFile {
                    rel: "b.json\u{e9}".into(),
                    stamp: Stamp::default(),
                    trusted: true,
                    chats: vec![chat("p", 0), chat("q", 0)],
                },
            ],
        }
    }

    /// The table as decoding gives it back: ids only where they are needed.
    fn without_needless_ids(mut t: Table) -> Table {
        for f in &mut t.files {
            if !f.needs_ids() {
                f.chats.iter_mut().for_each(|c| c.id = "".into());
            }
        }
        t
    }

    #[test]
    fn tables_round_trip_and_must_add_up() {
        let t = table();
        let bytes = encode(&t);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, without_needless_ids(t.clone()));
        let view = view(&bytes).unwrap();
        for (f, g) in t.files.iter().zip(&back.files) {
            assert!(f
                .chats
                .iter()
                .zip(&g.chats)
                .all(|(c, d)| g.is(d, c.line, &c.id)));
        }
        assert!(!back.files[1].is(&back.files[1].chats[0], Some(9), "y"));
        assert!(!back.files[2].is(&back.files[2].chats[0], None, "q"));
        assert!(check(&view, 12).is_ok());
        assert!(check(&view, 13).is_err());
        let mut short = t.clone();
        short.blocks[0].files = 1;
        assert!(check(&super::view(&encode(&short)).unwrap(), 12).is_err());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
