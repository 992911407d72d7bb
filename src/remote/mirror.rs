//! The local copy of an object-storage spool, under the XDG cache directory
//! (`$XDG_CACHE_HOME/chatspool/remote/<bucket>-<hash>/`), or without one in a fresh private
//! temporary directory removed at exit: `files/` holds one file per object, at its key
//! (relative to the prefix), and `manifest.jsonl` the key, ETag (or version) and size each file
//! was downloaded at. The copy is what chatspool parses, indexes and watches; the manifest is
//! what lets a second run download only what changed.
//!
//! Keys are untrusted (the bucket's, and the manifest's, which anyone who could write the copy
//! could plant): every key becomes a local path through [`local_path`] alone, which refuses
//! any key that could name a path outside `files/`. The copy is used only when its directories
//! are the user's own and nobody else can write them; its files are readable by the user only.
//!
//! Every file lands by rename from a hidden temporary name, so a reader (another chatspool, the
//! watcher) never sees half an object, and the walk never takes the temporary.

use super::url::Url;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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

/// The local path of key `rel` under `files`, or `None` when the key could name anything but
/// a file below `files`: empty, absolute, a `.`, `..` or empty segment, a NUL, or a segment
/// the platform would read as more than one name. The one way from a key to a path.
pub fn local_path(files: &Path, rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains('\0') {
        return None;
    }
    let mut path = files.to_path_buf();
    for segment in rel.split('/') {
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(name)), None) if name == segment => path.push(name),
            _ => return None,
        }
    }
    Some(path)
}

/// The copies' directory when there is no cache directory: made once per process (the lock
/// keeps two threads from making two), with a random name, removed at exit.
static MAKING: Mutex<()> = Mutex::new(());
/// Set once made; read at exit without any lock (a thread holding one could not hang exit).
static TEMPORARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// A fresh private directory under the system's temporary directory, removed when the process
/// exits: never a predictable shared name another user could have made first.
fn temporary_base() -> Result<PathBuf, String> {
    let _making = MAKING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(dir) = TEMPORARY.get() {
        return Ok(dir.clone());
    }
    let mut b = tempfile::Builder::new();
    b.prefix("chatspool-remote-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = b
        .tempdir()
        .map_err(|e| {
            format!(
                "no cache directory (XDG_CACHE_HOME unset or relative, no HOME) and no \
                 private temporary directory for the bucket's copy: {e}"
            )
        })?
        .keep();
    let _ = TEMPORARY.set(dir.clone());
    sys::remove_at_exit();
    Ok(dir)
}

/// Two calls into libc: removing the temporary copies when the process ends (however `main`
/// returns), and the user id a copy must belong to.
mod sys {
    #![allow(unsafe_code)]

    /// The effective user id.
    #[cfg(unix)]
    pub fn euid() -> u32 {
        // SAFETY: geteuid takes nothing, touches no memory and cannot fail.
        unsafe { libc::geteuid() }
    }

    #[cfg(unix)]
    extern "C" fn remove() {
        if let Some(dir) = super::TEMPORARY.get() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// Register [`remove`] to run at exit (once: the directory is made once).
    pub fn remove_at_exit() {
        // SAFETY: atexit only records a function pointer; `remove` takes no arguments, does
        // not unwind (it ignores every error) and touches only Rust-owned statics.
        #[cfg(unix)]
        unsafe {
            libc::atexit(remove);
        }
    }
}

impl Mirror {
    /// The copy of `url`, created if missing (private to the user), refused when it is not.
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
        // The base resolved as creating it will resolve it (`..`, links: see crate::paths);
        // the copy's own directory is not, so a link there is seen and refused.
        let base = match crate::spool::cache::cache_dir() {
            Some(d) => crate::paths::resolve(&d.join("remote")),
            None => temporary_base()?,
        };
        Mirror::at(&base.join(name))
    }

    /// A copy kept in `dir`.
    pub fn at(dir: &Path) -> Result<Mirror, String> {
        let files = dir.join("files");
        private_dirs(&files)
            .map_err(|e| format!("cannot create the local copy {}: {e}", files.display()))?;
        for d in [dir, &files] {
            private(d)?;
        }
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

    /// The local path of key `rel` ([`local_path`]).
    pub fn path_of(&self, rel: &str) -> Option<PathBuf> {
        local_path(&self.files, rel)
    }

    /// [`Mirror::path_of`], or the error a write reports.
    fn checked(&self, rel: &str) -> std::io::Result<PathBuf> {
        self.path_of(rel).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the key cannot be a local file name",
            )
        })
    }

    /// What was downloaded, by key. A missing or damaged manifest is an empty one (everything
    /// is downloaded again); an entry whose key is not a safe local path, or whose file is
    /// gone, is dropped.
    pub fn manifest(&self) -> HashMap<String, Known> {
        let Ok(text) = std::fs::read_to_string(self.manifest_path()) else {
            return HashMap::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .filter(|l| self.path_of(&l.k).is_some_and(|p| p.is_file()))
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
        let path = self.checked(rel)?;
        if let Some(dir) = path.parent() {
            private_dirs(dir)?;
        }
        place(&path, bytes)
    }

    /// Stand in for an object too large to read: an empty (sparse) file of its size, which the
    /// spool reader reports as too large without reading it, as it would the real file.
    pub fn put_oversized(&self, rel: &str, size: u64) -> std::io::Result<()> {
        let path = self.checked(rel)?;
        if let Some(dir) = path.parent() {
            private_dirs(dir)?;
        }
        let tmp = temp_for(&path);
        let made = create_private(&tmp)
            .and_then(|f| f.set_len(size))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if made.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        made
    }

    /// Remove the copy of key `rel` (the object is gone), and directories left empty. A key
    /// that is not a safe local path removes nothing.
    pub fn remove(&self, rel: &str) {
        let Some(path) = self.path_of(rel) else {
            return;
        };
        let _ = std::fs::remove_file(&path);
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.files && d.starts_with(&self.files)) {
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

/// A new file readable by the user only (it holds chat transcripts), never through a link: a
/// leftover temporary of an earlier run is removed first.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let _ = std::fs::remove_file(path);
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Write `bytes` to `path` through a temporary file and a rename.
fn place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_for(path);
    let written = create_private(&tmp)
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

/// Refuse a directory of the copy that is not the user's own, or that others could write to
/// (they could plant chats, read the copy, or swap what it holds): a link, another owner, or
/// group or world write permission.
fn private(dir: &Path) -> Result<(), String> {
    let refused = |why: &str| {
        format!(
            "the local copy {} is not private ({why}): not used; remove it or make it yours with mode 0700",
            dir.display()
        )
    };
    let meta = std::fs::symlink_metadata(dir)
        .map_err(|e| format!("cannot use the local copy {}: {e}", dir.display()))?;
    if !meta.is_dir() {
        return Err(refused("not a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != sys::euid() {
            return Err(refused("owned by another user"));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(refused("writable by others"));
        }
    }
    Ok(())
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
            std::fs::metadata(m.path_of("big.json").unwrap())
                .unwrap()
                .len(),
            size
        );
        let names: Vec<_> = std::fs::read_dir(m.files()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary left behind");
    }

    #[test]
    fn only_keys_naming_a_file_below_the_copy_become_paths() {
        let files = Path::new("/copy/files");
        for ok in [
            "a.json",
            "2024/05/a b.json",
            "m\u{fc}ller.json",
            "back\\slash.json",
            "..x.json",
        ] {
            let p = local_path(files, ok).unwrap_or_else(|| panic!("{ok:?} refused"));
            assert!(p.starts_with(files) && p != files, "{ok:?} -> {p:?}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.json",
            "a/../../x.json",
            "a/./x.json",
            ".",
            "a//b.json",
            "a/",
            "nul\0.json",
        ] {
            assert_eq!(local_path(files, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn planted_manifest_keys_are_never_used_as_paths() {
        let m = scratch("planted");
        let outside = m.dir.join("outside.json");
        std::fs::write(&outside, "keep").unwrap();
        std::fs::write(
            m.manifest_path(),
            "{\"k\":\"../outside.json\",\"t\":\"x\",\"s\":4}\n",
        )
        .unwrap();
        assert!(m.manifest().is_empty());
        m.remove("../outside.json");
        assert!(m.put("../outside.json", b"x").is_err());
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn copies_are_private_and_others_copies_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let m = scratch("private");
        m.put("a.json", b"{}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&m.path_of("a.json").unwrap()), 0o600);
        std::fs::set_permissions(&m.files, std::fs::Permissions::from_mode(0o770)).unwrap();
        let err = Mirror::at(&m.dir).unwrap_err();
        assert!(err.contains("not private"), "{err}");
    }
}
