//! The review thread: appends the viewer's records (durably) and follows the review directory,
//! so the UI thread never touches the disk and others' entries show up within a poll.

use super::app::saved_message;
use super::event::Msg;
use crate::review::{Poller, Record};
use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

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
            }
        })?;
    Ok(tx)
}
