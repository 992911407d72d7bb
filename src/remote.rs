//! Spools kept in object storage (`s3://`, `gs://`, `az://`), read-only.
//!
//! A bucket is listed (key, size, ETag, last modified), the keys the directory walk would take
//! are kept ([`crate::spool::walk::policy::judge_key`]: one filter for both), and the objects
//! new or changed since the last run are downloaded into a local copy under the XDG cache
//! directory ([`mirror`]), which then loads and watches exactly as a local spool does: the same
//! parsing, index cache, `show`, viewer and watcher, and local spools never pay for any of it.
//! A manifest keyed by key, ETag (or version) and size makes a second run download nothing when
//! nothing changed. Nothing is ever written to a spool's bucket: the only requests are LIST and GET (the one
//! write is a Parquet export to a prefix the user names: `export::parquet::sink`).
//!
//! HTTP runs on a tokio runtime owned by whichever thread syncs (the command's main thread
//! before anything is drawn, then the watcher's own poller thread): the viewer's UI thread
//! never touches it.

mod client;
pub mod export_sink;
mod listing;
pub mod mirror;
pub mod poll;
mod sync;
pub mod url;

pub use client::{error_line, runtime as client_runtime, Remote};
pub use sync::Report;
pub use url::Url;

use crate::spool::PathReason;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A spool opened from a URL: its local copy and what the first sync found.
#[derive(Debug)]
pub struct Opened {
    pub root: PathBuf,
    pub report: Report,
}

/// Remote spools opened by this process, by local copy: the watcher's poller finds its bucket
/// here, and one-shot commands the problems of the first sync.
static OPENED: Mutex<Vec<(PathBuf, Url, Vec<PathReason>)>> = Mutex::new(Vec::new());

/// Open the spool at `url`: connect, list, download what is new or changed into the local copy
/// (`progress(done, total)` as objects arrive). Every failure is one line for the user.
pub fn open(url: &Url, progress: &mut dyn FnMut(usize, usize)) -> Result<Opened, String> {
    if let Some(opened) = already_opened(url) {
        return Ok(opened);
    }
    let remote = Remote::connect(url)?;
    let mirror = mirror::Mirror::for_url(url)?;
    let runtime = client::runtime()?;
    let report = runtime.block_on(sync::run(&remote, &mirror, sync::Scope::Full, progress))?;
    // Canonical, as the watcher names the spool it follows.
    let root =
        std::fs::canonicalize(mirror.files()).unwrap_or_else(|_| mirror.files().to_path_buf());
    crate::spool::origin::register(&root, &url.to_string());
    let mut opened = OPENED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    opened.retain(|(r, ..)| r != &root);
    opened.push((root.clone(), url.clone(), report.problems.clone()));
    Ok(Opened { root, report })
}

/// A spool this process opened before: its copy, with the problems of that first sync.
fn already_opened(url: &Url) -> Option<Opened> {
    let opened = OPENED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (root, _, problems) = opened.iter().find(|(_, u, _)| u == url)?;
    Some(Opened {
        root: root.clone(),
        report: Report {
            problems: problems.clone(),
            ..Report::default()
        },
    })
}

/// What this process recorded when it opened the local copy at `root`, if it did.
fn opened_at<T>(root: &Path, pick: impl Fn(&Url, &[PathReason]) -> T) -> Option<T> {
    let opened = OPENED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    opened
        .iter()
        .find(|(r, ..)| r == root)
        .map(|(_, u, p)| pick(u, p))
}

/// The URL whose local copy is `root`, if this process opened one there.
pub fn opened_url(root: &Path) -> Option<Url> {
    opened_at(root, |u, _| u.clone())
}

/// What the first sync of the copy at `root` could not download (each with its key).
pub fn problems_of(root: &Path) -> Vec<PathReason> {
    opened_at(root, |_, p| p.to_vec()).unwrap_or_default()
}

/// Start following the bucket whose local copy is `root` (if it is one) on a thread of its own,
/// polling every `every` (default [`poll::DEFAULT_EVERY`]); `status` gets each poll's line for
/// the status bar and returns false when nobody listens any more. Returns the first line.
pub fn follow(
    root: &Path,
    every: Option<std::time::Duration>,
    mut status: impl FnMut(String) -> bool + Send + 'static,
) -> Option<String> {
    let url = opened_url(root)?;
    let every = every.unwrap_or(poll::DEFAULT_EVERY);
    let first = format!(
        "polling {} every {}",
        url.scheme.as_str(),
        crate::spool::watch::describe_interval(every)
    );
    let scheme = url.scheme.as_str();
    let spawned = std::thread::Builder::new()
        .name("bucket-poller".into())
        .spawn(move || {
            let opened =
                Remote::connect(&url).and_then(|r| Ok((r, mirror::Mirror::for_url(&url)?)));
            match opened {
                Ok((remote, mirror)) => poll::run(&remote, &mirror, every, &mut status),
                Err(e) => {
                    status(format!("not polling {}: {e}", url.scheme.as_str()));
                }
            }
        });
    match spawned {
        Ok(_) => Some(first),
        Err(e) => Some(format!("not polling {scheme}: {e}")),
    }
}
