//! Diagnostics through `tracing`: what the index cache served and what was parsed, how the
//! watcher follows the spool (inotify, polling and why, rescans, retries), and problems.
//!
//! Off unless asked for. `--log FILE` appends to FILE (at `info`, or at `CHATSPOOL_LOG`'s level);
//! `CHATSPOOL_LOG=debug` (or any `tracing` filter such as `chatspool::spool=trace`) alone logs to
//! stderr for the one-shot commands. The viewer never logs to the terminal it draws on: without
//! `--log` its log goes to `chatspool.log` in the XDG state directory.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

/// The environment variable holding the level or filter.
pub const ENV: &str = "CHATSPOOL_LOG";

/// Where the viewer logs when `CHATSPOOL_LOG` is set without `--log`:
/// `$XDG_STATE_HOME/chatspool/chatspool.log` (usually `~/.local/state/chatspool/`).
pub fn viewer_default() -> Option<PathBuf> {
    crate::dirs::own(crate::dirs::Dir::State).map(|d| d.join("chatspool.log"))
}

/// `CHATSPOOL_LOG` when set to something: logging is asked for.
pub fn level() -> Option<String> {
    std::env::var(ENV).ok().filter(|v| !v.trim().is_empty())
}

/// Start logging for this process. `file` is `--log`; `viewer` says the terminal is taken, and
/// `default` is where the viewer logs without `--log` (both already checked to lie outside the
/// spool). Errors (a bad `CHATSPOOL_LOG`, a log file that cannot be opened) are one line for
/// stderr.
pub fn init(file: Option<&Path>, default: Option<&Path>, viewer: bool) -> Result<(), String> {
    let env = level();
    let filter = match (&env, file) {
        (None, None) => return Ok(()),
        (Some(v), _) => EnvFilter::try_new(v).map_err(|e| {
            format!("{ENV}={v:?} is not a level (error, warn, info, debug, trace) or filter: {e}")
        })?,
        (None, Some(_)) => EnvFilter::new("info"),
    };
    let target = match file {
        Some(f) => Some(f.to_path_buf()),
        None if viewer => default.map(Path::to_path_buf),
        None => None,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(true)
        .with_thread_names(true);
    let installed = match target {
        Some(path) => {
            let file = open(&path, default == Some(path.as_path()))?;
            builder.with_writer(std::sync::Mutex::new(file)).try_init()
        }
        // The viewer with no state directory at all: nowhere safe to write.
        None if viewer => return Ok(()),
        None => builder.with_writer(std::io::stderr).try_init(),
    };
    installed.map_err(|e| format!("cannot start logging: {e}"))?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        args = ?std::env::args_os().skip(1).collect::<Vec<_>>(),
        "chatspool started"
    );
    Ok(())
}

/// Open `path` for appending, creating it (and, for the default place, its directory).
fn open(path: &Path, default_place: bool) -> Result<std::fs::File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() && default_place {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| {
            format!(
                "cannot open the log file {}: {e}",
                crate::sanitize::line(&path.display().to_string())
            )
        })
}
