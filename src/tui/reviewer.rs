//! The review thread: appends the viewer's records (durably) and follows the review directory,
//! so the UI thread never touches the disk and others' entries show up within a poll.

use super::app::saved_message;
use super::event::Msg;
use crate::review::{Poller, Record};
use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// What identifies the rubric files as they are: each name with its length and modification
/// time (a stat each, never a read), so a change is seen within a poll and costs nothing else.
fn rubric_stamp(
    dir: &std::path::Path,
) -> Vec<(std::ffi::OsString, u64, Option<std::time::SystemTime>)> {
    let Ok(entries) = std::fs::read_dir(dir.join("rubrics")) else {
        return Vec::new();
    };
    let mut stamp: Vec<_> = entries
        .flatten()
        .take(crate::review::rubric::MAX_FILES + 1)
        .filter_map(|e| {
            let m = std::fs::symlink_metadata(e.path()).ok()?;
            Some((e.file_name(), m.len(), m.modified().ok()))
        })
        .collect();
    stamp.sort();
    stamp
}

/// How often the review directory is checked for other writers' entries.
const POLL: Duration = Duration::from_secs(1);

/// Start the thread: it sends the merged review data at once and whenever it changes, and
/// answers each batch of records with `Msg::ReviewSaved` once it is on disk.
pub fn spawn(
    dir: PathBuf,
    writer: String,
    out: Sender<Msg>,
) -> std::io::Result<Sender<Vec<Record>>> {
    let (tx, rx) = channel::<Vec<Record>>();
    std::thread::Builder::new()
        .name("reviews".into())
        .spawn(move || {
            let (mut poller, first) = Poller::start(&dir);
            if out.send(Msg::Reviews(Arc::new(first))).is_err() {
                return;
            }
            // The runtime loaded the rubrics before the first frame; follow their changes.
            let mut rubrics = rubric_stamp(&dir);
            loop {
                let saved = match rx.recv_timeout(POLL) {
                    Ok(records) => Some(
                        poller
                            .append(&writer, &records)
                            .map(|()| saved_message(&records))
                            .map_err(|e| format!("{e} ({})", dir.display())),
                    ),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                // The data first, then the acknowledgement: the screen shows the change with it.
                if let Some(reviews) = poller.poll() {
                    if out.send(Msg::Reviews(Arc::new(reviews))).is_err() {
                        return;
                    }
                }
                if let Some(result) = saved {
                    if out.send(Msg::ReviewSaved(result)).is_err() {
                        return;
                    }
                }
                let now = rubric_stamp(&dir);
                if now != rubrics {
                    rubrics = now;
                    let (good, bad) = crate::review::rubric::load_all(&dir);
                    if out.send(Msg::Rubrics(good, bad)).is_err() {
                        return;
                    }
                }
            }
        })?;
    Ok(tx)
}
