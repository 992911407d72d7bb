//! `DIR/_chatspool.json`: which files hold which partition, and a fingerprint of what each
//! was made from, so a second export rewrites only the partitions whose chats changed.
//!
//! The manifest sits in a directory anyone may have written to: it is only ever trusted to
//! name files chatspool itself makes there ([`is_ours`]); any other name in it is ignored, so
//! a planted manifest cannot make an export delete or overwrite anything else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The manifest's name inside the export directory (a leading `_` keeps Hive, Spark and
/// DuckDB's `**/*.parquet` from taking it for data).
pub const NAME: &str = "_chatspool.json";

/// Bumped whenever the tables' columns or their meaning change: every partition is then
/// written again.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Always `chatspool parquet export`, so the file explains itself.
    pub what: String,
    pub schema: u32,
    /// `day`, `month` or `none`.
    pub partition: String,
    pub redacted: bool,
    pub exported_at: String,
    /// By partition folder (`started=2026-11-30`, `started=unknown`, `` for `none`).
    pub partitions: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// What the partition was made from (see [`Fingerprint`]), as 16 hex digits.
    pub fingerprint: String,
    pub chats: usize,
    pub messages: usize,
    /// The files holding it, relative to the export directory.
    pub files: Vec<String>,
}

impl Manifest {
    /// Read a manifest; `None` when it is not one of ours (or not JSON): a fresh export then.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes).ok()?;
        (m.what == WHAT).then_some(m)
    }

    pub fn new(partition: &str, redacted: bool) -> Manifest {
        Manifest {
            what: WHAT.to_string(),
            schema: SCHEMA,
            partition: partition.to_string(),
            redacted,
            exported_at: crate::model::time::rfc3339(chrono::Utc::now()),
            partitions: BTreeMap::new(),
        }
    }

    /// Every file the manifest names that chatspool would have made (others are ignored).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.partitions
            .values()
            .flat_map(|e| e.files.iter().map(String::as_str))
            .filter(|f| is_ours(f))
    }
}

const WHAT: &str = "chatspool parquet export";

/// True for the relative names an export writes: `chats/` or `messages/`, then a partition
/// folder (`started=` and digits, `-` and `+` — years past 9999 are written `+10000` — or
/// `started=unknown`) or none, then
/// `part-NNNNN.parquet`. Nothing with `..`, a leading `/` or any other shape.
pub fn is_ours(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let (table, folder, file) = match parts.as_slice() {
        [t, f] => (*t, None, *f),
        [t, d, f] => (*t, Some(*d), *f),
        _ => return false,
    };
    let folder_ok = folder.is_none_or(|d| {
        d.strip_prefix("started=").is_some_and(|v| {
            v == "unknown"
                || (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b"-+".contains(&b)))
        })
    });
    let file_ok = file
        .strip_prefix("part-")
        .and_then(|f| f.strip_suffix(".parquet"))
        .is_some_and(|n| n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()));
    matches!(table, "chats" | "messages") && folder_ok && file_ok
}

/// A stable 64-bit FNV-1a hash of everything a partition is made from: the same input gives
/// the same fingerprint on every run and every build (std's hasher makes no such promise).
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_an_export_makes_are_ours() {
        for ok in [
            "chats/started=2026-11-30/part-00000.parquet",
            "messages/started=2026-11/part-00012.parquet",
            "chats/started=+10000-01-01/part-00000.parquet",
            "chats/started=unknown/part-00000.parquet",
            "messages/part-00000.parquet",
        ] {
            assert!(is_ours(ok), "{ok}");
        }
        for bad in [
            "../chats/part-00000.parquet",
            "chats/../../etc/passwd",
            "/chats/part-00000.parquet",
            "chats/started=../part-00000.parquet",
            "chats/started=2026/x/part-00000.parquet",
            "chats/part-0.parquet",
            "other/part-00000.parquet",
            "chats/started=2026-11-30/part-00000.parquet.tmp",
            "_chatspool.json",
            "",
        ] {
            assert!(!is_ours(bad), "{bad}");
        }
    }

    #[test]
    fn a_planted_manifest_names_no_file_of_anyone_else() {
        let text = r#"{"what":"chatspool parquet export","schema":1,"partition":"day",
            "redacted":false,"exported_at":"x","partitions":{"started=2020-01-01":
            {"fingerprint":"0","chats":1,"messages":1,
             "files":["../../home/u/.bashrc","chats/started=2020-01-01/part-00000.parquet"]}}}"#;
        let m = Manifest::parse(text.as_bytes()).unwrap();
        let files: Vec<&str> = m.files().collect();
        assert_eq!(files, ["chats/started=2020-01-01/part-00000.parquet"]);
        assert!(Manifest::parse(b"{\"what\":\"something else\"}").is_none());
        assert!(Manifest::parse(b"not json").is_none());
    }

    #[test]
    fn fingerprints_are_stable_and_see_boundaries() {
        let fp = |parts: &[&str]| {
            let mut f = Fingerprint::default();
            parts.iter().for_each(|p| f.add(p.as_bytes()));
            f.hex()
        };
        assert_eq!(fp(&["ab", "c"]), fp(&["ab", "c"]));
        assert_ne!(fp(&["ab", "c"]), fp(&["a", "bc"]));
        // Fixed forever: a change here re-exports every partition of every user.
        assert_eq!(fp(&[]), "cbf29ce484222325");
    }
}
