//! Carrying out `y`, `Y` and `e`: the clipboard through the terminal, and files in the export
//! directory (`$XDG_DATA_HOME/chatspool/exports`, never the spool). Each ends with a notice
//! for the status bar saying what happened and where.

use super::app::{Clip, ExportJob};
use super::clipboard::{self, Support};
use super::event::Msg;
use crate::export::{self, Exported, Options};
use crate::redact::Mask;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// Copy through the terminal, or save to a file when the terminal cannot copy.
pub fn copy(root: &Path, clip: &Clip) -> String {
    let size = crate::format::plural(clip.text.len(), "byte", "bytes");
    let why = match clipboard::support() {
        Support::Yes if clipboard::osc52(&clip.text).len() <= clipboard::MAX_ENCODED => {
            return match clipboard::copy(&mut std::io::stdout(), &clip.text) {
                Ok(()) => format!("copied {} ({size}) to the clipboard", clip.what),
                Err(e) => format!("cannot copy: {e}"),
            };
        }
        Support::Yes => format!("too large to copy ({size})"),
        Support::No(why) => format!("cannot copy here ({why})"),
    };
    match save(root, &clip.file_name, |out| {
        out.write_all(clip.text.as_bytes())
    }) {
        Ok(path) => format!("saved to {} ({why})", shown(&path)),
        Err(e) => format!("{why}, and saving failed: {e}"),
    }
}

/// Export on a thread of its own (a whole list reads every chat's file), then say where.
pub fn spawn_export(root: PathBuf, job: ExportJob, tx: Sender<Msg>) {
    let said = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("export".into())
        .spawn(move || {
            let n = job.chats.len();
            let opts = Options {
                mask: Mask(job.redactor.as_deref()),
                zone: job.zone,
                reviews: Some(&job.reviews),
                levels: job.sla.as_deref(),
            };
            let mut unreadable = 0;
            let result = save(&root, &job.file_name, |out| {
                let mut count = |_: &Exported| unreadable += 1;
                let about = Some(&job.about);
                export::write_chats(out, &root, &job.chats, job.format, opts, about, &mut count)
                    .map(drop)
            });
            let what = crate::format::plural(n, "chat", "chats");
            let notice = match result {
                Ok(path) if unreadable > 0 => format!(
                    "exported {what} to {} ({unreadable} could not be read: their list fields only)",
                    shown(&path)
                ),
                Ok(path) => format!("exported {what} to {}", shown(&path)),
                Err(e) => format!("export failed: {e}"),
            };
            let _ = tx.send(Msg::Notice(notice));
        });
    if let Err(e) = spawned {
        // Never eprintln here: the viewer owns the screen.
        let _ = said.send(Msg::Notice(format!("cannot start the export: {e}")));
    }
}

/// Write a file in the export directory, whole or not at all; its path, or why not.
fn save(
    root: &Path,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<PathBuf, String> {
    let dir = export::default_dir(root)?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(name);
    export::write_file(&path, fill).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// A path as the status bar shows it: the home directory as `~`.
pub(crate) fn shown(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.and_then(|h| path.strip_prefix(h).ok().map(Path::to_path_buf)) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}
