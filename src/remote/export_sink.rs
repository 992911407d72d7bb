//! A bucket prefix as a Parquet export's destination: the only writes chatspool ever makes
//! to object storage. Here, beside the rest of the object-storage code, so the export itself
//! knows only its `Sink`.

use super::{Remote, Url};
use crate::export::parquet::sink::{Sink, Staged};
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
            runtime: Arc::new(super::client_runtime()?),
        })
    }

    fn location(&self, rel: &str) -> Result<object_store::path::Path, String> {
        self.remote.location(rel)
    }

    fn fail(&self, verb: &str, rel: &str, e: &object_store::Error) -> String {
        format!(
            "cannot {verb} {}/{rel}: {}",
            self.remote.url,
            super::error_line(e)
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
        let line = |e: object_store::Error| fail(super::error_line(&e));
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
