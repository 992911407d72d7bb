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

/// An export's destination.
pub trait Sink {
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

#[cfg(feature = "remote")]
pub use bucket::Bucket;

#[cfg(feature = "remote")]
mod bucket {
    //! A bucket prefix as an export's destination: the only writes chatspool ever makes to
    //! object storage.

    use super::{Sink, Staged};
    use crate::remote::{Remote, Url};
    use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
    use std::io::{Read, Seek, Write};
    use std::sync::Arc;

    /// Objects up to this size go up in one PUT; larger ones in parts of this size.
    const PART: usize = 16 << 20;

    pub struct Bucket {
        remote: Remote,
        runtime: Arc<tokio::runtime::Runtime>,
    }

    impl Bucket {
        pub fn connect(url: &Url) -> Result<Bucket, String> {
            Ok(Bucket {
                remote: Remote::connect(url)?,
                runtime: Arc::new(crate::remote::client_runtime()?),
            })
        }

        fn location(&self, rel: &str) -> Result<object_store::path::Path, String> {
            self.remote.location(rel)
        }

        fn fail(&self, verb: &str, rel: &str, e: &object_store::Error) -> String {
            format!(
                "cannot {verb} {}/{rel}: {}",
                self.remote.url,
                crate::remote::error_line(e)
            )
        }
    }

    impl Sink for Bucket {
        fn name(&self) -> String {
            self.remote.url.to_string()
        }

        fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
            let at = self.location(rel)?;
            let store = &self.remote.store;
            let got = self.runtime.block_on(async {
                match store.get(&at).await {
                    Ok(r) => r.bytes().await.map(Some),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e),
                }
            });
            got.map(|b| b.map(|b| b.to_vec()))
                .map_err(|e| self.fail("read", rel, &e))
        }

        fn exists(&self, _rel: &str) -> bool {
            // The manifest is trusted for a bucket: a HEAD per file would cost a request each.
            true
        }

        fn create(&self, rel: &str) -> Result<Box<dyn Staged>, String> {
            let tmp = tempfile::tempfile().map_err(|e| format!("cannot stage {rel}: {e}"))?;
            Ok(Box::new(Upload {
                out: std::io::BufWriter::with_capacity(1 << 16, tmp),
                at: self.location(rel)?,
                rel: rel.to_string(),
                store: self.remote.store.clone(),
                url: self.remote.url.to_string(),
                runtime: self.runtime.clone(),
            }))
        }

        fn remove(&self, rel: &str) -> Result<(), String> {
            let at = self.location(rel)?;
            match self.runtime.block_on(self.remote.store.delete(&at)) {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(self.fail("delete", rel, &e)),
            }
        }
    }

    /// A file staged locally (an unnamed temporary file, gone when closed), uploaded on commit.
    struct Upload {
        out: std::io::BufWriter<std::fs::File>,
        at: object_store::path::Path,
        rel: String,
        store: Arc<dyn ObjectStore>,
        url: String,
        runtime: Arc<tokio::runtime::Runtime>,
    }

    impl Write for Upload {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.out.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }

    impl Staged for Upload {
        fn commit(self: Box<Self>) -> Result<(), String> {
            let Upload {
                out,
                at,
                rel,
                store,
                url,
                runtime,
            } = *self;
            let fail = |e: String| format!("cannot upload {url}/{rel}: {e}");
            let mut file = out
                .into_inner()
                .map_err(|e| fail(e.into_error().to_string()))?;
            let size = file.stream_position().map_err(|e| fail(e.to_string()))?;
            file.rewind().map_err(|e| fail(e.to_string()))?;
            let mut chunk = |n: usize| -> Result<PutPayload, String> {
                let mut buf = vec![0; n];
                file.read_exact(&mut buf).map_err(|e| fail(e.to_string()))?;
                Ok(PutPayload::from(buf))
            };
            let line = |e: object_store::Error| fail(crate::remote::error_line(&e));
            let size = usize::try_from(size).map_err(|e| fail(e.to_string()))?;
            if size <= PART {
                let body = chunk(size)?;
                return runtime
                    .block_on(store.put(&at, body))
                    .map(drop)
                    .map_err(line);
            }
            runtime.block_on(async {
                let mut upload = store.put_multipart(&at).await.map_err(line)?;
                let mut left = size;
                while left > 0 {
                    let n = left.min(PART);
                    let part = match chunk(n) {
                        Ok(p) => p,
                        Err(e) => {
                            let _ = upload.abort().await;
                            return Err(e);
                        }
                    };
                    if let Err(e) = upload.put_part(part).await {
                        let _ = upload.abort().await;
                        return Err(line(e));
                    }
                    left -= n;
                }
                upload.complete().await.map(drop).map_err(line)
            })
        }
    }
}
