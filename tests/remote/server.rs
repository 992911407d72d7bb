//! An S3-compatible server on loopback, started by the tests themselves: s3s serving a
//! directory (s3s-fs), with ETags in its listings (s3s-fs lists none; real S3 does), every
//! request counted by kind, and errors injected on demand. Objects are put by writing into the
//! directory, never through HTTP, so any PUT, POST or DELETE the server sees came from
//! chatspool. Keys no file system can hold (`a//b.json`, `../x.json`) are listed as phantoms:
//! in every listing, never downloadable.

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::dto::{
    DeleteObjectInput, DeleteObjectOutput, DeleteObjectsInput, DeleteObjectsOutput, DeletedObject,
    ETag, GetObjectInput, GetObjectOutput, HeadObjectInput, HeadObjectOutput, ListObjectsV2Input,
    ListObjectsV2Output, PutObjectInput, PutObjectOutput,
};
use s3s::{S3Request, S3Response, S3Result, S3};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The credentials the server accepts.
pub const KEY_ID: &str = "chatspool-test";
pub const SECRET: &str = "chatspool-test-secret";

/// What a request asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    List,
    Get,
    Head,
    Put,
    Post,
    Delete,
    Other,
}

#[derive(Default)]
struct State {
    counts: HashMap<Kind, usize>,
    /// (kind, the how-many-th request of that kind from now, status to answer).
    faults: Vec<(Kind, usize, u16)>,
    /// (bucket, key) listed as objects of 10 bytes that no GET finds.
    phantoms: Vec<(String, String)>,
}

/// The server, running until dropped.
pub struct Server {
    pub endpoint: String,
    dir: tempfile::TempDir,
    state: Arc<Mutex<State>>,
    _runtime: tokio::runtime::Runtime,
}

/// s3s-fs, with an ETag (a hash of the content) on every listed object.
struct Tagged {
    fs: s3s_fs::FileSystem,
    root: PathBuf,
    state: Arc<Mutex<State>>,
}

fn content_tag(path: &Path) -> Option<ETag> {
    let bytes = std::fs::read(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(ETag::Strong(format!("{:016x}", h.finish())))
}

#[async_trait::async_trait]
impl S3 for Tagged {
    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        let bucket = self.root.join(&req.input.bucket);
        let phantoms: Vec<String> = self
            .state
            .lock()
            .unwrap()
            .phantoms
            .iter()
            .filter(|(b, _)| *b == req.input.bucket)
            .map(|(_, k)| k.clone())
            .collect();
        if phantoms.is_empty() {
            let mut resp = self.fs.list_objects_v2(req).await?;
            for o in resp.output.contents.iter_mut().flatten() {
                if let Some(key) = &o.key {
                    o.e_tag = content_tag(&bucket.join(key));
                }
            }
            return Ok(resp);
        }
        // With phantoms, pages are cut here: everything after the marker, phantoms merged in.
        let max_keys = usize::try_from(req.input.max_keys.unwrap_or(1000)).unwrap_or(1000);
        let marker = req
            .input
            .continuation_token
            .clone()
            .max(req.input.start_after.clone());
        let prefix = req.input.prefix.clone().unwrap_or_default();
        let mut req = req;
        req.input.max_keys = Some(i32::MAX);
        let mut resp = self.fs.list_objects_v2(req).await?;
        let mut all = resp.output.contents.take().unwrap_or_default();
        for o in all.iter_mut() {
            if let Some(key) = &o.key {
                o.e_tag = content_tag(&bucket.join(key));
            }
        }
        for key in phantoms {
            if key.starts_with(&prefix) && marker.as_ref().is_none_or(|m| key > *m) {
                all.push(s3s::dto::Object {
                    key: Some(key.clone()),
                    size: Some(10),
                    last_modified: Some(std::time::SystemTime::now().into()),
                    e_tag: Some(ETag::Strong(format!("phantom-{}", key.len()))),
                    ..Default::default()
                });
            }
        }
        all.sort_by(|a, b| a.key.cmp(&b.key));
        let truncated = all.len() > max_keys;
        all.truncate(max_keys);
        let out = &mut resp.output;
        out.is_truncated = Some(truncated);
        out.next_continuation_token = truncated
            .then(|| all.last().and_then(|o| o.key.clone()))
            .flatten();
        out.key_count = Some(i32::try_from(all.len()).unwrap());
        out.max_keys = Some(i32::try_from(max_keys).unwrap());
        out.contents = (!all.is_empty()).then_some(all);
        Ok(resp)
    }

    async fn get_object(
        &self,
        req: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        self.fs.get_object(req).await
    }

    async fn head_object(
        &self,
        req: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.fs.head_object(req).await
    }

    /// Uploads and deletions are served for the one command that writes to a bucket (a Parquet
    /// export to a prefix); the tests of everything else assert that none ever arrives.
    async fn put_object(
        &self,
        req: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        self.fs.put_object(req).await
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.fs.delete_object(req).await
    }

    /// What S3 clients delete with (s3s-fs has no `DeleteObjects`): each key's file removed.
    async fn delete_objects(
        &self,
        req: S3Request<DeleteObjectsInput>,
    ) -> S3Result<S3Response<DeleteObjectsOutput>> {
        let bucket = self.root.join(&req.input.bucket);
        let mut deleted = Vec::new();
        for o in &req.input.delete.objects {
            if o.key.split('/').all(|s| !s.is_empty() && s != "..") {
                let _ = std::fs::remove_file(bucket.join(&o.key));
            }
            deleted.push(DeletedObject {
                key: Some(o.key.clone()),
                ..Default::default()
            });
        }
        Ok(S3Response::new(DeleteObjectsOutput {
            deleted: Some(deleted),
            ..Default::default()
        }))
    }
}

fn kind_of(req: &hyper::Request<hyper::body::Incoming>) -> Kind {
    let path = req.uri().path().trim_matches('/');
    match *req.method() {
        hyper::Method::GET if !path.contains('/') => Kind::List,
        hyper::Method::GET => Kind::Get,
        hyper::Method::HEAD => Kind::Head,
        hyper::Method::PUT => Kind::Put,
        hyper::Method::POST => Kind::Post,
        hyper::Method::DELETE => Kind::Delete,
        _ => Kind::Other,
    }
}

impl Server {
    /// Start a server holding the (empty) buckets named.
    pub fn start(buckets: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        for b in buckets {
            std::fs::create_dir_all(dir.path().join(b)).unwrap();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let fs = s3s_fs::FileSystem::new(dir.path()).unwrap();
        let mut builder = s3s::service::S3ServiceBuilder::new(Tagged {
            fs,
            root: dir.path().to_path_buf(),
            state: state.clone(),
        });
        // Requests must be signed with these keys (see `env`).
        builder.set_auth(s3s::auth::SimpleAuth::from_single(KEY_ID, SECRET));
        let service = builder.build();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let st = state.clone();
        runtime.spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let service = service.clone();
                let st = st.clone();
                let handler = hyper::service::service_fn(move |req| {
                    let service = service.clone();
                    let st = st.clone();
                    async move {
                        let kind = kind_of(&req);
                        let fault = {
                            let mut s = st.lock().unwrap();
                            *s.counts.entry(kind).or_default() += 1;
                            let mut fault = None;
                            s.faults.retain_mut(|(k, nth, status)| {
                                if *k != kind {
                                    return true;
                                }
                                *nth -= 1;
                                if *nth == 0 {
                                    fault = Some(*status);
                                }
                                *nth > 0
                            });
                            fault
                        };
                        match fault {
                            Some(status) => Ok(hyper::Response::builder()
                                .status(status)
                                .body(s3s::Body::from("injected failure".to_string()))
                                .unwrap()),
                            None => hyper::service::Service::call(&service, req).await,
                        }
                    }
                });
                let conn = http
                    .serve_connection(TokioIo::new(socket), handler)
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        Server {
            endpoint,
            dir,
            state,
            _runtime: runtime,
        }
    }

    /// Put an object (written beside the bucket, then renamed in: never half there).
    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8]) {
        let path = self.dir.path().join(bucket).join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = self
            .dir
            .path()
            .join(format!("upload-{}", std::process::id()));
        std::fs::write(&tmp, bytes).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    /// Where the object `key` of `bucket` is kept (to make one the tests cannot afford to write).
    pub fn path(&self, bucket: &str, key: &str) -> PathBuf {
        let path = self.dir.path().join(bucket).join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        path
    }

    /// List `key` in `bucket` from now on, as an object no GET finds (a key no file can hold).
    pub fn phantom(&self, bucket: &str, key: &str) {
        self.state
            .lock()
            .unwrap()
            .phantoms
            .push((bucket.into(), key.into()));
    }

    /// Delete an object.
    pub fn delete(&self, bucket: &str, key: &str) {
        std::fs::remove_file(self.dir.path().join(bucket).join(key)).unwrap();
    }

    /// Requests of `kind` served (or failed) so far.
    pub fn count(&self, kind: Kind) -> usize {
        self.state
            .lock()
            .unwrap()
            .counts
            .get(&kind)
            .copied()
            .unwrap_or(0)
    }

    /// Forget the counts so far.
    pub fn reset_counts(&self) {
        self.state.lock().unwrap().counts.clear();
    }

    /// Answer the `nth` request of `kind` from now with `status` (and no S3 body).
    pub fn fail(&self, kind: Kind, nth: usize, status: u16) {
        self.state.lock().unwrap().faults.push((kind, nth, status));
    }

    /// The environment that points chatspool at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_REGION", "us-east-1".into()),
        ]
    }

    /// No request that could change the bucket was ever made.
    pub fn assert_read_only(&self) {
        for k in [Kind::Put, Kind::Post, Kind::Delete, Kind::Other] {
            assert_eq!(self.count(k), 0, "{k:?} requests reached the server");
        }
    }
}
