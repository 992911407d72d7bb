//! Where review data lives, and who writes it.
//!
//! By default `$XDG_DATA_HOME/chatspool/reviews/NAME-HASH/` (user data, not cache: clearing the
//! cache never loses a note), one directory per spool named by the spool's canonical path.
//! `--review-dir DIR` (or `CHATSPOOL_REVIEW_DIR`) names the directory itself, so that people
//! whose copies of a spool sit at different paths can share one (a network share).

use std::path::{Path, PathBuf};

/// The review directory for the spool at `spool`: `explicit` when given, else the per-spool
/// directory under the XDG data directory; `None` when there is no data directory (no absolute
/// `XDG_DATA_HOME` and no usable `HOME`). Refused when it lies inside the spool, which
/// chatspool never writes to.
pub fn review_dir(spool: &Path, explicit: Option<&Path>) -> Result<Option<PathBuf>, String> {
    let canonical = std::fs::canonicalize(spool)
        .map_err(|e| format!("cannot resolve spool {}: {e}", spool.display()))?;
    let Some(dir) = explicit
        .map(Path::to_path_buf)
        .or_else(|| default_dir(&canonical))
    else {
        return Ok(None);
    };
    let resolved = crate::paths::resolve(&dir);
    if resolved.starts_with(&canonical) {
        return Err(format!(
            "review directory {} is inside the spool, which chatspool never writes to: \
             pass --review-dir with a directory outside it",
            crate::sanitize::line(&dir.display().to_string())
        ));
    }
    Ok(Some(resolved))
}

/// Why there is no review directory, for the commands and keys that need one.
pub const NO_DIR: &str =
    "no directory for review data (XDG_DATA_HOME unset or relative, no HOME): pass --review-dir DIR";

/// `$XDG_DATA_HOME/chatspool/reviews/NAME-HASH` for a spool's canonical path (a relative
/// `XDG_DATA_HOME` is ignored, as the XDG spec says: `$HOME/.local/share` then).
fn default_dir(canonical: &Path) -> Option<PathBuf> {
    let data = crate::dirs::own(crate::dirs::Dir::Data)?;
    let name = canonical
        .file_name()
        .map(|n| file_safe(&n.to_string_lossy()))
        .unwrap_or_default();
    let hash = crate::spool::cache::path_hash(canonical);
    Some(data.join("reviews").join(format!("{name}-{hash:016x}")))
}

/// This writer's id, which names its journal: `user@host`. One journal per user and machine:
/// processes of the same user on the same machine share it safely (appends), while different
/// machines never write to the same file (appends over a network share are not atomic).
pub fn writer_id() -> String {
    format!(
        "{}@{}",
        file_safe(&super::login_name().map_or_else(|| "unknown".into(), |(_, name)| name)),
        file_safe(&host())
    )
}

/// The machine's name: the kernel's, then `$HOSTNAME`, else `localhost`.
pub fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Letters, digits, `.`, `_`, `-` and `@` kept; anything else becomes `_`; never a leading dot
/// (hidden files are ignored).
fn file_safe(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_safe("alice"), "alice");
        assert_eq!(file_safe("../x y"), "_._x_y");
        assert_eq!(file_safe(""), "_");
        assert!(writer_id().contains('@'));
    }

    #[test]
    fn a_review_dir_inside_the_spool_is_refused() {
        let spool = tempfile::tempdir().unwrap();
        let inside = spool.path().join("reviews");
        assert!(review_dir(spool.path(), Some(&inside)).is_err());
        let other = tempfile::tempdir().unwrap();
        assert_eq!(
            review_dir(spool.path(), Some(other.path())).unwrap(),
            Some(other.path().to_path_buf())
        );
    }
}
