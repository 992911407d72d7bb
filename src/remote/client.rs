//! The connection to a bucket: an `object_store` client configured from the standard
//! environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`), and its errors as one line for the user.

use super::url::{Scheme, Url};
use object_store::list::PaginatedListStore;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// A bucket (and prefix) to read from.
#[derive(Clone)]
pub struct Remote {
    pub store: Arc<dyn ObjectStore>,
    /// The same client, listing a page at a time: the listing steps past keys the library
    /// cannot represent instead of failing on them (see [`super::listing`]).
    pub lister: Arc<dyn PaginatedListStore>,
    pub url: Url,
    /// `None` for a whole bucket.
    pub prefix: Option<ObjectPath>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("store", &self.store)
            .field("url", &self.url)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Both views of one client.
type Clients = (Arc<dyn ObjectStore>, Arc<dyn PaginatedListStore>);

fn both<S: ObjectStore + PaginatedListStore>(store: S) -> Clients {
    let store = Arc::new(store);
    (store.clone(), store)
}

/// Transient failures (5xx, throttling, resets) are retried a few times with backoff inside
/// each request; beyond that the caller sees the error (a command fails, the watcher retries
/// on its own schedule). The whole budget stays short so an unreachable endpoint fails fast.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            base: 2.0,
        },
        max_retries: 4,
        retry_timeout: Duration::from_secs(20),
    }
}

/// Timeouts set on top of the environment's client options (replacing the options whole
/// would drop `AWS_ALLOW_HTTP` and the like): an endpoint that does not answer fails in
/// seconds, a slow download is not cut short.
const TIMEOUTS: [(ClientConfigKey, &str); 2] = [
    (ClientConfigKey::ConnectTimeout, "5s"),
    (ClientConfigKey::Timeout, "60s"),
];

impl Remote {
    /// A client for `url`, configured from the environment. Nothing is sent yet.
    pub fn connect(url: &Url) -> Result<Remote, String> {
        install_tls();
        let built: object_store::Result<Clients> = match url.scheme {
            Scheme::S3 => {
                use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
                let b = AmazonS3Builder::from_env().with_bucket_name(&url.bucket);
                TIMEOUTS
                    .iter()
                    .fold(b, |b, (k, v)| {
                        b.with_config(AmazonS3ConfigKey::Client(*k), *v)
                    })
                    .with_retry(retry())
                    .build()
                    .map(both)
            }
            Scheme::Gcs => {
                use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
                let b = GoogleCloudStorageBuilder::from_env().with_bucket_name(&url.bucket);
                TIMEOUTS
                    .iter()
                    .fold(b, |b, (k, v)| {
                        b.with_config(GoogleConfigKey::Client(*k), *v)
                    })
                    .with_retry(retry())
                    .build()
                    .map(both)
            }
            Scheme::Azure => {
                use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
                let b = MicrosoftAzureBuilder::from_env().with_container_name(&url.bucket);
                TIMEOUTS
                    .iter()
                    .fold(b, |b, (k, v)| b.with_config(AzureConfigKey::Client(*k), *v))
                    .with_retry(retry())
                    .build()
                    .map(both)
            }
        };
        let (store, lister) = built.map_err(|e| format!("cannot use {url}: {}", error_line(&e)))?;
        // The prefix as written (never percent-encoded: `s3://b/ü` lists the keys under `ü/`).
        let prefix = if url.prefix.is_empty() {
            None
        } else {
            Some(ObjectPath::parse(&url.prefix).map_err(|e| format!("cannot use {url}: {e}"))?)
        };
        Ok(Remote {
            store,
            lister,
            url: url.clone(),
            prefix,
        })
    }

    /// The key of `location` relative to the prefix (`None` when it is not under it).
    pub fn relative(&self, location: &ObjectPath) -> Option<String> {
        let key = location.as_ref();
        match &self.prefix {
            None => Some(key.to_string()),
            Some(p) => key
                .strip_prefix(p.as_ref())
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_string),
        }
    }

    /// The whole key of `rel` (relative to the prefix), exactly as the bucket spells it.
    pub fn key_of(&self, rel: &str) -> String {
        match &self.prefix {
            None => rel.to_string(),
            Some(p) => format!("{}/{rel}", p.as_ref()),
        }
    }

    /// The location of the key `rel` (relative to the prefix). The key is taken as it is
    /// (`Path::parse`), never encoded again: `Path::from` would percent-encode `ü`, `%`, `[`,
    /// `~`, `?` and the like a second time and ask for another object.
    pub fn location(&self, rel: &str) -> Result<ObjectPath, String> {
        let key = self.key_of(rel);
        ObjectPath::parse(&key).map_err(|e| format!("the key cannot be read: {e}"))
    }
}

/// TLS goes through rustls with ring; the process-wide provider is installed once.
fn install_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A runtime for the calling thread: one thread, IO and timers. Downloads run concurrently on
/// it (they wait on the network, not the CPU; parsing happens afterwards, on the rayon pool).
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))
}

/// An `object_store` error as one line: the message and its causes, without repeats, with
/// whitespace folded and a hint for the usual mistakes.
pub fn error_line(e: &object_store::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cause {
        let text = c
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    let mut line = parts.join(": ");
    if line.chars().count() > 400 {
        line = line.chars().take(400).collect::<String>() + "…";
    }
    let hint = match e {
        object_store::Error::Unauthenticated { .. }
        | object_store::Error::PermissionDenied { .. } => {
            " (check the credentials in the environment: AWS_*, GOOGLE_*, AZURE_*)"
        }
        object_store::Error::NotFound { .. } => " (does the bucket exist?)",
        _ => "",
    };
    format!("{line}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_line_with_their_causes() {
        let inner = std::io::Error::other("connection\nrefused");
        let e = object_store::Error::Generic {
            store: "S3",
            source: Box::new(inner),
        };
        let line = error_line(&e);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("connection refused"), "{line}");
    }

    #[test]
    fn an_https_client_builds_with_the_installed_tls_provider() {
        let url = Url::parse("s3://bucket/prefix").unwrap();
        // Building the HTTP client is where a missing TLS provider would fail.
        let r = Remote::connect(&url).expect("client");
        assert_eq!(
            r.relative(&r.location("a/b.json").unwrap()).as_deref(),
            Some("a/b.json")
        );
        // Keys are used as listed, never encoded a second time.
        for key in [
            "m\u{fc}ller.json",
            "x%y.json",
            "br[1].json",
            "q?.json",
            "t~1.json",
        ] {
            assert_eq!(r.location(key).unwrap().as_ref(), format!("prefix/{key}"));
        }
        assert_eq!(r.relative(&ObjectPath::from("other/x.json")), None);
    }
}
