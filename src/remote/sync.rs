//! One sync of the local copy with the bucket: list, download what is new or changed (in
//! parallel, bounded), remove what is gone, save the manifest.

use super::client::{error_line, Remote};
use super::listing::{self, Object};
use super::mirror::{Known, Mirror};
use crate::spool::read::MAX_FILE_BYTES;
use crate::spool::PathReason;
use futures_util::{StreamExt, TryStreamExt};
use object_store::ObjectStoreExt;
use std::collections::{HashMap, HashSet};

/// Downloads in flight at once.
pub const CONCURRENCY: usize = 16;

/// How much of the bucket a sync lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything: new, changed and deleted objects are all seen.
    Full,
    /// Only keys after this one (relative to the prefix): new and changed objects there; no
    /// deletion can be seen.
    After(String),
}

/// What a sync did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Objects listed (the spool's, after the name rules).
    pub listed: usize,
    pub downloaded: usize,
    pub removed: usize,
    /// Bytes downloaded.
    pub bytes: u64,
    /// Objects that could not be downloaded or kept, with their key and why.
    pub problems: Vec<PathReason>,
    /// The listing, sorted by key.
    pub objects: Vec<Object>,
}

/// What a download brought.
enum Fetched {
    Bytes(Vec<u8>),
    /// Over [`MAX_FILE_BYTES`]: not kept, this size stands in.
    TooLarge(u64),
}

/// Sync `mirror` with `remote`. Fails only when the listing fails; each object that cannot be
/// downloaded is a problem in the report, and its previous copy (if any) stays. Keys the
/// listing had to skip are problems too. Only a full listing that no longer has a key removes
/// its copy: a key just listed that a download does not find is a problem, tried again by the
/// next sync (its key may be one the store spells differently, or it went in between).
pub async fn run(
    remote: &Remote,
    mirror: &Mirror,
    scope: Scope,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, String> {
    let after = match &scope {
        Scope::Full => None,
        Scope::After(rel) => Some(rel.as_str()),
    };
    let listing::Listing { objects, skipped } = listing::list(remote, after).await?;
    let mut manifest = mirror.manifest();
    let mut report = Report {
        listed: objects.len(),
        problems: skipped,
        ..Report::default()
    };
    let todo: Vec<&Object> = objects
        .iter()
        .filter(|o| {
            manifest
                .get(&o.rel)
                .is_none_or(|k| k.tag != o.tag || k.size != o.size)
        })
        .collect();
    let total = todo.len();
    let mut changed = false;
    if scope == Scope::Full {
        let listed: HashSet<&str> = objects.iter().map(|o| o.rel.as_str()).collect();
        let gone: Vec<String> = manifest
            .keys()
            .filter(|k| !listed.contains(k.as_str()))
            .cloned()
            .collect();
        for rel in gone {
            mirror.remove(&rel);
            manifest.remove(&rel);
            report.removed += 1;
            changed = true;
        }
    }
    progress(0, total);
    {
        let mut downloads = futures_util::stream::iter(todo)
            .map(|o| async move {
                // Over the cap by the listing: never downloaded at all.
                if o.size > MAX_FILE_BYTES {
                    return (o, Ok(Fetched::TooLarge(o.size)));
                }
                (o, fetch(remote, &o.rel).await)
            })
            .buffer_unordered(CONCURRENCY);
        let mut done = 0;
        while let Some((o, fetched)) = downloads.next().await {
            done += 1;
            changed |= keep(mirror, &mut manifest, &mut report, o, fetched);
            progress(done, total);
        }
    }
    if changed {
        if let Err(e) = mirror.save(&manifest) {
            tracing::warn!(error = %e, "cannot save the manifest of the local copy");
        }
    }
    report.objects = objects;
    Ok(report)
}

/// Put one download's outcome into the copy and the manifest; true when either changed.
fn keep(
    mirror: &Mirror,
    manifest: &mut HashMap<String, Known>,
    report: &mut Report,
    o: &Object,
    fetched: Result<Fetched, String>,
) -> bool {
    // The listing's identity is recorded (a GET may report the ETag differently, and an
    // object changed since the listing is simply downloaded again by the next sync).
    let known = Known {
        tag: o.tag.clone(),
        size: o.size,
    };
    let placed = match fetched {
        Ok(Fetched::Bytes(bytes)) => {
            report.downloaded += 1;
            report.bytes += bytes.len() as u64;
            mirror.put(&o.rel, &bytes).map(|()| known)
        }
        Ok(Fetched::TooLarge(size)) => {
            report.downloaded += 1;
            mirror.put_oversized(&o.rel, size).map(|()| known)
        }
        Err(reason) => {
            report.problems.push(PathReason {
                path: o.rel.clone(),
                reason,
            });
            return false;
        }
    };
    match placed {
        Ok(known) => {
            manifest.insert(o.rel.clone(), known);
            true
        }
        Err(e) => {
            report.problems.push(PathReason {
                path: o.rel.clone(),
                reason: format!("cannot keep a local copy: {e}"),
            });
            false
        }
    }
}

/// Download one object, stopping as soon as it passes [`MAX_FILE_BYTES`].
async fn fetch(remote: &Remote, rel: &str) -> Result<Fetched, String> {
    let failed = |e: object_store::Error| format!("cannot download: {}", error_line(&e));
    let got = match remote.store.get(&remote.location(rel)?).await {
        Ok(got) => got,
        Err(object_store::Error::NotFound { .. }) => {
            return Err(
                "listed, but not found when downloaded (tried again at the next sync)".into(),
            )
        }
        Err(e) => return Err(failed(e)),
    };
    let size = got.meta.size;
    if size > MAX_FILE_BYTES {
        return Ok(Fetched::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut stream = got.into_stream();
    while let Some(chunk) = stream.try_next().await.map_err(failed)? {
        if (bytes.len() + chunk.len()) as u64 > MAX_FILE_BYTES {
            // The object is larger than its headers said: stop reading here.
            return Ok(Fetched::TooLarge(size.max(MAX_FILE_BYTES + 1)));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched::Bytes(bytes))
}
