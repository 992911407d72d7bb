//! The connection to a bucket: an `object_store` client configured from the standard
//! environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`), and its errors as one line for the user.

use super::url::{Scheme, Url};
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// A bucket (and prefix) to read from.
#[derive(Debug, Clone)]
pub struct Remote {
    pub store: Arc<dyn ObjectStore>,
    pub url: Url,
    /// `None` for a whole bucket.
    pub prefix: Option<ObjectPath>,
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
        let built: object_store::Result<Arc<dyn ObjectStore>> = match url.scheme {
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
                    .map(|s| Arc::new(s) as _)
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
                    .map(|s| Arc::new(s) as _)
            }
            Scheme::Azure => {
                use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
                let b = MicrosoftAzureBuilder::from_env().with_container_name(&url.bucket);
                TIMEOUTS
                    .iter()
                    .fold(b, |b, (k, v)| b.with_config(AzureConfigKey::Client(*k), *v))
                    .with_retry(retry())
                    .build()
                    .map(|s| Arc::new(s) as _)
            }
        };
        let store = built.map_err(|e| format!("cannot use {url}: {}", error_line(&e)))?;
        let prefix = (!url.prefix.is_empty()).then(|| ObjectPath::from(url.prefix.as_str()));
        Ok(Remote {
            store,
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

    /// The location of the key `rel` (relative to the prefix).
    pub fn location(&self, rel: &str) -> ObjectPath {
        match &self.prefix {
            None => ObjectPath::from(rel),
            Some(p) => ObjectPath::from(format!("{}/{rel}", p.as_ref())),
        }
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
            r.relative(&r.location("a/b.json")).as_deref(),
            Some("a/b.json")
        );
        assert_eq!(r.relative(&ObjectPath::from("other/x.json")), None);
    }
}
