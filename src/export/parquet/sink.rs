//! Where a Parquet export's files go: a local directory, or a bucket prefix (feature `remote`).
//!
//! Either way a file is written whole or not at all. Locally it is written under a temporary
//! name beside its place (a fresh random name created with `O_EXCL`, starting with `.` and
//! ending `.tmp`, so readers and `**/*.parquet` globs skip it), synced and renamed over the
//! old one; in a bucket it is staged in a private local temporary file and uploaded whole (one
//! PUT, or a multipart upload that only appears when completed). A reader never sees half a
//! file and a killed export leaves the previous file readable.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file being written; [`Staged::commit`] puts it in place.
pub trait Staged: Write + Send {
    fn commit(self: Box<Self>) -> Result<(), String>;
}

/// An export's destination. Shared by the threads that write partitions side by side.
pub trait Sink: Sync {
    /// The destination as the user named it, for messages.
    fn name(&self) -> String;
    /// The bytes of `rel`, or `None` when there is no such file.
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String>;
    /// Whether `rel` is there (a partition whose file was deleted is written again).
    fn exists(&self, rel: &str) -> bool;
    /// Start writing `rel` (its folders are created as needed).
    fn create(&self, rel: &str) -> Result<Box<dyn Staged>, String>;
    /// Remove `rel`; one that is already gone is no error.
    fn remove(&self, rel: &str) -> Result<(), String>;
}

/// A local export directory.
pub struct Local {
    pub dir: PathBuf,
    /// The spool: every folder is checked against it again before it is written to, so a
    /// folder that is a link into the spool is refused.
    pub spool: PathBuf,
}

impl Local {
    fn path(&self, rel: &str) -> PathBuf {
        rel.split('/').fold(self.dir.clone(), |p, s| p.join(s))
    }
}

impl Sink for Local {
    fn name(&self) -> String {
        self.dir.display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
        match std::fs::read(self.path(rel)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", self.path(rel).display())),
        }
    }

    fn exists(&self, rel: &str) -> bool {
        std::fs::symlink_metadata(self.path(rel)).is_ok_and(|m| m.is_file())
    }

    fn create(&self, rel: &str) -> Result<Box<dyn Staged>, String> {
        let file = self.path(rel);
        let dir = file.parent().unwrap_or(Path::new("."));
        // Checked before anything is created: a folder that is a link into the spool is refused.
        crate::paths::outside_spool(dir, Some(&self.spool), "the export directory")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        // A new file is the user's alone (it holds chat content); one replaced keeps its mode.
        #[cfg(unix)]
        if let Some(old) = std::fs::symlink_metadata(&file)
            .ok()
            .filter(std::fs::Metadata::is_file)
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(old.permissions().mode() & 0o7777);
            tmp.as_file()
                .set_permissions(mode)
                .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        }
        Ok(Box::new(LocalFile {
            out: std::io::BufWriter::with_capacity(1 << 16, tmp),
            file,
        }))
    }

    fn remove(&self, rel: &str) -> Result<(), String> {
        match std::fs::remove_file(self.path(rel)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("cannot remove {}: {e}", self.path(rel).display())),
        }
    }
}

struct LocalFile {
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    file: PathBuf,
}

impl Write for LocalFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Staged for LocalFile {
    fn commit(self: Box<Self>) -> Result<(), String> {
        let LocalFile { out, file } = *self;
        let what = |e: std::io::Error| format!("cannot write {}: {e}", file.display());
        let tmp = out.into_inner().map_err(|e| what(e.into_error()))?;
        tmp.as_file().sync_all().map_err(what)?;
        tmp.persist(&file).map_err(|e| what(e.error))?;
        Ok(())
    }
}
