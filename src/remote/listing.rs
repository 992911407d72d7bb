//! Listing a bucket: every object under the prefix whose key the directory walk would take
//! ([`judge_key`]), with what identifies its content.

use super::client::{error_line, Remote};
use crate::spool::walk::policy::judge_key;
use futures_util::TryStreamExt;
use object_store::ObjectStore;

/// One object of the spool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The key relative to the prefix, as the spool's relative path.
    pub rel: String,
    pub size: u64,
    /// ETag, else version, else the last-modified time: what changes when the content does.
    pub tag: String,
    /// Last modified, nanoseconds since the epoch.
    pub modified_ns: i64,
}

/// The content identity of an object as the listing gives it.
pub fn tag_of(meta: &object_store::ObjectMeta) -> String {
    meta.e_tag
        .clone()
        .or_else(|| meta.version.clone())
        .unwrap_or_else(|| format!("{}@{}", meta.last_modified.to_rfc3339(), meta.size))
}

/// List the spool's objects, sorted by key; with `after`, only keys sorting after that one
/// (relative to the prefix): the watcher's cheap poll.
pub async fn list(remote: &Remote, after: Option<&str>) -> Result<Vec<Object>, String> {
    let prefix = remote.prefix.as_ref();
    let stream = match after {
        None => remote.store.list(prefix),
        Some(rel) => remote.store.list_with_offset(prefix, &remote.location(rel)),
    };
    let metas: Vec<object_store::ObjectMeta> = stream
        .try_collect()
        .await
        .map_err(|e| format!("cannot list {}: {}", remote.url, error_line(&e)))?;
    let mut objects: Vec<Object> = metas
        .into_iter()
        .filter_map(|m| {
            let rel = remote.relative(&m.location)?;
            judge_key(&rel)?;
            Some(Object {
                tag: tag_of(&m),
                size: m.size,
                modified_ns: m.last_modified.timestamp_nanos_opt().unwrap_or(0),
                rel,
            })
        })
        .collect();
    objects.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(objects)
}
