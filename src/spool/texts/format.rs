//! The bytes of a text store file: a header naming the spool and the build, the region of folded
//! transcripts, and the table saying which file and chat each piece of the region belongs to.
//!
//! ```text
//! magic (8) · schema (u32) · spool · build · region length · table length · table checksum
//! region: every chat's folded text, in blocks cut at file boundaries, each with a checksum
//! table: the blocks (files, bytes, checksum), then per file its path, stamp, whether a later
//!        load may trust it, and per chat its line, id and text length
//! ```
//!
//! Every count and length is cross-checked when the table is decoded; anything that does not
//! add up makes the whole store invalid (it is then rebuilt), never a partial answer.

use crate::spool::cache::codec::{self, Corrupt, Reader, Writer};
use crate::spool::Stamp;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;

/// The first bytes of every text store file.
const MAGIC: &[u8; 8] = b"CHSPTXT\x1a";

/// Version of this layout (and of the folding in `query::transcript_text`); bump on change.
const SCHEMA: u32 = 1;

/// Bytes after the header's strings: region length, table length, table checksum.
pub const TRAILER: usize = 24;

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
    pub table_len: u64,
    pub table_sum: u64,
}

impl Header {
    pub fn table_at(&self) -> u64 {
        self.region_at + self.region_len
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
pub fn trailer(region_len: u64, table_len: u64, table_sum: u64) -> [u8; TRAILER] {
    let mut t = [0u8; TRAILER];
    t[..8].copy_from_slice(&region_len.to_le_bytes());
    t[8..16].copy_from_slice(&table_len.to_le_bytes());
    t[16..].copy_from_slice(&table_sum.to_le_bytes());
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
        table_len: u(8),
        table_sum: u(16),
    };
    let len = file.metadata().map_err(|_| Corrupt)?.len();
    let end = header
        .region_at
        .checked_add(header.region_len)
        .and_then(|e| e.checked_add(header.table_len));
    if end != Some(len) {
        return Err(Corrupt);
    }
    Ok(header)
}

/// Read the table of a file whose header is `h`, checking its checksum and consistency.
pub fn read_table(file: &File, h: &Header) -> Result<Table, Corrupt> {
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
    let table = decode(&bytes)?;
    check(&table, h.region_len)?;
    Ok(table)
}

/// The blocks cover the files exactly, and each block's length is its files' text.
fn check(t: &Table, region_len: u64) -> Result<(), Corrupt> {
    let mut files = t.files.iter();
    let mut total = 0u64;
    for b in &t.blocks {
        let mut len = 0u64;
        for _ in 0..b.files {
            len = len
                .checked_add(files.next().ok_or(Corrupt)?.bytes())
                .ok_or(Corrupt)?;
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
        w.i64(f.stamp.ctime_ns);
        w.u64(f.stamp.ino);
        w.u64(u64::from(f.trusted));
        w.usize(f.chats.len());
        for c in &f.chats {
            w.u64(c.line.map_or(0, |n| u64::from(n) + 1));
            w.str(&c.id);
            w.u64(c.len);
        }
    }
    w.buf
}

pub fn decode(bytes: &[u8]) -> Result<Table, Corrupt> {
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
    for _ in 0..n {
        let rel = r.str()?.into();
        let stamp = Stamp {
            size: r.u64()?,
            mtime_ns: r.i64()?,
            ctime_ns: r.i64()?,
            ino: r.u64()?,
        };
        let trusted = match r.u64()? {
            0 => false,
            1 => true,
            _ => return Err(Corrupt),
        };
        let k = r.count()?;
        let mut chats = Vec::with_capacity(k);
        for _ in 0..k {
            let line = match r.u64()? {
                0 => None,
                n => Some(u32::try_from(n - 1).map_err(|_| Corrupt)?),
            };
            chats.push(TableChat {
                line,
                id: r.str()?.into(),
                len: r.u64()?,
            });
        }
        files.push(TableFile {
            rel,
            stamp,
            trusted,
            chats,
        });
    }
    if !r.is_done() {
        return Err(Corrupt);
    }
    Ok(Table { blocks, files })
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
                files: 2,
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
            ],
        }
    }

    #[test]
    fn tables_round_trip_and_must_add_up() {
        let t = table();
        let back = decode(&encode(&t)).unwrap();
        assert_eq!(back, t);
        assert!(check(&back, 12).is_ok());
        assert!(check(&back, 13).is_err());
        let mut short = t.clone();
        short.blocks[0].files = 1;
        assert!(check(&short, 12).is_err());
        let bytes = encode(&t);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
