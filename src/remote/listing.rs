//! Listing a bucket: every object under the prefix whose key the directory walk would take
//! ([`judge_key`]), with what identifies its content, and the keys that cannot be read at all.
//!
//! The library parses every key of a page and fails the whole page (and its own listing
//! stream) on one it cannot represent (`a//b.json`, `../x.json`, `./x.json`, a control
//! character). So the bucket is listed a page at a time: a page that fails on such a key is
//! asked again with fewer keys until the bad key is alone, which is then skipped (listing
//! goes on after it, by its raw key) and reported; every other key is listed as usual.

use super::client::{error_line, Remote};
use crate::spool::walk::policy::judge_key;
use crate::spool::PathReason;
use object_store::list::PaginatedListOptions;

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

/// What a listing found.
#[derive(Debug, Default)]
pub struct Listing {
    /// The spool's objects, sorted by key.
    pub objects: Vec<Object>,
    /// Keys skipped because they cannot be read, escaped for display, with why.
    pub skipped: Vec<PathReason>,
}

/// Keys a page asks for (the most every store answers).
const PAGE: usize = 1000;

/// The content identity of an object as the listing gives it.
pub fn tag_of(meta: &object_store::ObjectMeta) -> String {
    meta.e_tag
        .clone()
        .or_else(|| meta.version.clone())
        .unwrap_or_else(|| format!("{}@{}", meta.last_modified.to_rfc3339(), meta.size))
}

/// The raw key a page failed on, when it failed because the library cannot represent a key.
fn unrepresentable(e: &object_store::Error) -> Option<&str> {
    use object_store::path::Error as P;
    match e {
        object_store::Error::InvalidPath {
            source: P::EmptySegment { path } | P::BadSegment { path, .. },
        } => Some(path),
        _ => None,
    }
}

/// List the spool's objects, sorted by key; with `after`, only keys sorting after that one
/// (relative to the prefix): the watcher's cheap poll. Fails only when a request does.
pub async fn list(remote: &Remote, after: Option<&str>) -> Result<Listing, String> {
    let prefix = remote.prefix.as_ref().map(|p| format!("{}/", p.as_ref()));
    let mut offset: Option<String> = after.map(|rel| remote.key_of(rel));
    let mut token: Option<String> = None;
    let mut size = PAGE;
    let mut listing = Listing::default();
    let mut skipped_keys: Vec<String> = Vec::new();
    loop {
        let opts = PaginatedListOptions {
            offset: offset.clone(),
            page_token: token.clone(),
            max_keys: Some(size),
            ..PaginatedListOptions::default()
        };
        let page = match remote.lister.list_paginated(prefix.as_deref(), opts).await {
            Ok(page) => page,
            Err(e) => {
                let failed = || format!("cannot list {}: {}", remote.url, error_line(&e));
                let bad = unrepresentable(&e).ok_or_else(failed)?;
                if size > 1 {
                    // Somewhere in this page: ask again for fewer keys.
                    size /= 2;
                    continue;
                }
                // The next key alone is the bad one: go on after it. A store that would
                // answer it again (ignoring the offset) ends the listing instead of looping.
                if skipped_keys.iter().any(|k| k == bad) {
                    return Err(failed());
                }
                skipped_keys.push(bad.to_string());
                offset = Some(bad.to_string());
                token = None;
                size = PAGE;
                continue;
            }
        };
        for m in page.result.objects {
            let Some(rel) = remote.relative(&m.location) else {
                continue;
            };
            if judge_key(&rel).is_none() {
                continue;
            }
            listing.objects.push(Object {
                tag: tag_of(&m),
                size: m.size,
                modified_ns: m.last_modified.timestamp_nanos_opt().unwrap_or(0),
                rel,
            });
        }
        match page.page_token.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    listing.objects.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.objects.dedup_by(|a, b| a.rel == b.rel);
    // Reported when its name is one the spool would take (`x.json`, not `notes.txt`), by its
    // key under the prefix, escaped.
    listing.skipped = skipped_keys
        .iter()
        .map(|key| match &prefix {
            Some(p) => key.strip_prefix(p.as_str()).unwrap_or(key),
            None => key,
        })
        .filter(|rel| judge_key(rel.rsplit('/').next().unwrap_or(rel)).is_some())
        .map(|rel| PathReason {
            path: crate::sanitize::line(rel).into_owned(),
            reason: "skipped: the key cannot be read through the object-storage client \
                     (empty, `.` or `..` segment, or a control character)"
                .to_string(),
        })
        .collect();
    Ok(listing)
}
