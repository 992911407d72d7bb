//! The local copy of an object-storage spool, under the XDG cache directory
//! (`$XDG_CACHE_HOME/chatspool/remote/<bucket>-<hash>/`): `files/` holds one file per object,
//! at its key (relative to the prefix), and `manifest.jsonl` the key, ETag (or version) and size
//! each file was downloaded at. The copy is what chatspool parses, indexes and watches; the
//! manifest is what lets a second run download only what changed.
//!
//! Every file lands by rename from a hidden temporary name, so a reader (another chatspool, the
//! watcher) never sees half an object, and the walk never takes the temporary.

use super::url::Url;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a local file was downloaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The ETag (or version) the object had.
    #[serde(rename = "t")]
    pub tag: String,
    #[serde(rename = "s")]
    pub size: u64,
}

#[derive(Serialize, Deserialize)]
struct Line {
    k: String,
    #[serde(flatten)]
    known: Known,
}

/// Where one URL's copy lives.
#[derive(Debug, Clone)]
pub struct Mirror {
    dir: PathBuf,
    files: PathBuf,
}

impl Mirror {
    /// The copy of `url`, created if missing (private to the user).
    pub fn for_url(url: &Url) -> Result<Mirror, String> {
        let text = url.to_string();
        let hash = crate::spool::cache::checksum(text.as_bytes());
        let bucket: String = url
            .bucket
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("{}-{bucket}-{hash:016x}", url.scheme.as_str());
        let base = crate::spool::cache::cache_dir().map_or_else(
            || std::env::temp_dir().join("chatspool-remote"),
            |d| d.join("remote"),
        );
        Mirror::at(&base.join(name))
    }

    /// A copy kept in `dir`.
    pub fn at(dir: &Path) -> Result<Mirror, String> {
        let files = dir.join("files");
        private_dirs(&files)
            .map_err(|e| format!("cannot create the local copy {}: {e}", files.display()))?;
        Ok(Mirror {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// The directory that is loaded as the spool.
    pub fn files(&self) -> &Path {
        &self.files
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.jsonl")
    }

    /// The local path of key `rel`.
    pub fn path_of(&self, rel: &str) -> PathBuf {
        self.files.join(rel)
    }

    /// What was downloaded, by key. A missing or damaged manifest is an empty one (everything
    /// is downloaded again); an entry whose file is gone is dropped.
    pub fn manifest(&self) -> HashMap<String, Known> {
        let Ok(text) = std::fs::read_to_string(self.manifest_path()) else {
            return HashMap::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .filter(|l| self.path_of(&l.k).is_file())
            .map(|l| (l.k, l.known))
            .collect()
    }

    /// Write the manifest (whole, by rename).
    pub fn save(&self, manifest: &HashMap<String, Known>) -> std::io::Result<()> {
        let mut keys: Vec<&String> = manifest.keys().collect();
        keys.sort();
        let mut out = Vec::new();
        for k in keys {
            let line = Line {
                k: k.clone(),
                known: manifest[k].clone(),
            };
            serde_json::to_writer(&mut out, &line)?;
            out.push(b'\n');
        }
        place(&self.manifest_path(), &out)
    }

    /// Put an object's bytes at key `rel`.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path_of(rel);
        if let Some(dir) = path.parent() {
            private_dirs(dir)?;
        }
        place(&path, bytes)
    }

    /// Stand in for an object too large to read: an empty (sparse) file of its size, which the
    /// spool reader reports as too large without reading it, as it would the real file.
    pub fn put_oversized(&self, rel: &str, size: u64) -> std::io::Result<()> {
        let path = self.path_of(rel);
        if let Some(dir) = path.parent() {
            private_dirs(dir)?;
        }
        let tmp = temp_for(&path);
        let made = std::fs::File::create(&tmp)
            .and_then(|f| f.set_len(size))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if made.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        made
    }

    /// Remove the copy of key `rel` (the object is gone), and directories left empty.
    pub fn remove(&self, rel: &str) {
        let path = self.path_of(rel);
        let _ = std::fs::remove_file(&path);
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.files) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// `.name.<pid>.part` beside `path`: hidden, so no walk or watcher ever takes it.
fn temp_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

/// Write `bytes` to `path` through a temporary file and a rename.
fn place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_for(path);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Create `dir` and its parents, readable by the user only (they hold chat transcripts).
fn private_dirs(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> Mirror {
        let dir = std::env::temp_dir()
            .join("chatspool-unit-tests")
            .join(format!("mirror-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Mirror::at(&dir).unwrap()
    }

    #[test]
    fn the_manifest_round_trips_and_forgets_files_that_went_away() {
        let m = scratch("manifest");
        m.put("a/b.json", b"{}").unwrap();
        m.put("c.json", b"[1]").unwrap();
        let mut known = HashMap::new();
        for (k, size) in [("a/b.json", 2), ("c.json", 3), ("gone.json", 1)] {
            known.insert(
                k.to_string(),
                Known {
                    tag: format!("\"{k}\""),
                    size,
                },
            );
        }
        m.save(&known).unwrap();
        let back = m.manifest();
        assert_eq!(back.len(), 2, "{back:?}");
        assert_eq!(back["a/b.json"].tag, "\"a/b.json\"");
        m.remove("a/b.json");
        assert!(!m.files().join("a").exists(), "empty directories go too");
        assert!(m.files().exists());
        assert_eq!(m.manifest().len(), 1);
    }

    #[test]
    fn oversized_objects_stand_in_as_sparse_files_of_their_size() {
        let m = scratch("oversized");
        let size = crate::spool::read::MAX_FILE_BYTES + 1;
        m.put_oversized("big.json", size).unwrap();
        assert_eq!(
            std::fs::metadata(m.path_of("big.json")).unwrap().len(),
            size
        );
        let names: Vec<_> = std::fs::read_dir(m.files()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary left behind");
    }
}
