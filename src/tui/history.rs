//! Search history: the last searches accepted in the viewer's search bar, one per line in
//! `$XDG_STATE_HOME/chatspool/history`, recalled with ↑ on an empty bar and `Ctrl-R`.
//!
//! Only the query text is kept, never chat content. The file is replaced whole (a new file
//! beside it, fsynced, renamed over it), so a crash leaves the old history or the new one;
//! the rename replaces a link planted under its name instead of writing through it. Reading
//! takes the same care as a shared file: no link followed, only a regular file, a size cap;
//! a damaged file is skipped with a warning, never a crash.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Searches kept.
pub const MAX: usize = 200;

/// The most of the file that is read; a larger file is skipped.
pub const MAX_LEN: u64 = 256 << 10;

/// A search longer than this is not kept (it is no recall anyone types twice).
const MAX_QUERY: usize = 1000;

/// Where the history is, `None` when there is no state directory, or when it would lie
/// inside the spool at `spool` (a state directory set there): chatspool never writes there.
pub fn path(spool: &Path) -> Option<PathBuf> {
    crate::dirs::own(crate::dirs::Dir::State)
        .map(|d| d.join("history"))
        .filter(|p| !crate::paths::inside(p, spool))
}

/// The searches in the file at `path`, oldest first (none when there is no file), and a
/// warning when the file, or some of its lines, could not be used.
pub fn load(path: &Path) -> (Vec<String>, Option<String>) {
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    let bytes = match crate::views::read_capped(path, MAX_LEN) {
        Ok(None) => return (Vec::new(), None),
        Ok(Some(b)) => b,
        Err(why) => return (Vec::new(), Some(format!("search history {shown} {why}"))),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return (
            Vec::new(),
            Some(format!(
                "search history {shown} is not UTF-8 text: not read"
            )),
        );
    };
    let mut list = Vec::new();
    let mut bad = 0;
    for line in text.lines() {
        if !usable(line) {
            bad += usize::from(!line.trim().is_empty());
            continue;
        }
        push(&mut list, line);
    }
    let warning = (bad > 0).then(|| format!("search history {shown}: {bad} damaged lines skipped"));
    (list, warning)
}

/// Whether `q` can be kept: a visible, not too long query with nothing a terminal acts on.
fn usable(q: &str) -> bool {
    !q.trim().is_empty()
        && q.len() <= MAX_QUERY
        && !q.chars().any(crate::sanitize::is_unsafe)
        && !crate::review::is_blank(q)
}

/// Add `q` as the newest search: an older copy of it goes, and past [`MAX`] the oldest.
/// `false` when `q` is not kept (empty, too long or with control characters) or is already
/// the newest.
pub fn push(list: &mut Vec<String>, q: &str) -> bool {
    let q = q.trim();
    if !usable(q) || list.last().is_some_and(|l| l == q) {
        return false;
    }
    list.retain(|l| l != q);
    list.push(q.to_string());
    if list.len() > MAX {
        list.drain(..list.len() - MAX);
    }
    true
}

/// Add `q` to the history at `path` as the file is now, so searches another viewer saved
/// meanwhile are kept (a damaged file is replaced). Nothing is written when `q` is already
/// the newest.
pub fn add(path: &Path, q: &str) -> std::io::Result<()> {
    let (mut list, _) = load(path);
    if push(&mut list, q) {
        save(path, &list)?;
    }
    Ok(())
}

/// Replace the history at `path` with `list`, atomically.
pub fn save(path: &Path, list: &[String]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".history.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    // A temp file left by a crash of this same process id is ours to replace.
    let _ = std::fs::remove_file(&tmp);
    let mut file = opts.open(&tmp)?;
    let mut text = list.join("\n");
    text.push('\n');
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushing_keeps_the_newest_once_and_at_most_max() {
        let mut list = Vec::new();
        assert!(push(&mut list, "agent:walid"));
        assert!(push(&mut list, " rating:<=2 "));
        assert!(!push(&mut list, "rating:<=2"), "already the newest");
        assert!(push(&mut list, "agent:walid"));
        assert_eq!(list, ["rating:<=2", "agent:walid"]);
        assert!(!push(&mut list, ""));
        assert!(!push(&mut list, "\u{1b}[2J"));
        assert!(!push(&mut list, &"x".repeat(MAX_QUERY + 1)));
        for i in 0..MAX + 10 {
            push(&mut list, &format!("q{i}"));
        }
        assert_eq!(list.len(), MAX);
        assert_eq!(list.last().unwrap(), &format!("q{}", MAX + 9));
    }

    #[test]
    fn no_history_inside_the_spool() {
        let state = crate::dirs::own(crate::dirs::Dir::State).unwrap();
        assert!(path(&state).is_none());
        assert!(path(Path::new("/nonexistent-spool")).is_some());
    }

    #[test]
    fn saved_history_reads_back_and_a_damaged_one_is_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/history");
        assert_eq!(load(&path), (Vec::new(), None));
        let list = vec!["agent:walid".to_string(), "tag:coaching".to_string()];
        save(&path, &list).unwrap();
        assert_eq!(load(&path), (list.clone(), None));
        // Another viewer's search, saved meanwhile, is kept by the next one added.
        add(&path, "rating:5").unwrap();
        add(&path, "agent:walid").unwrap();
        assert_eq!(load(&path).0, ["tag:coaching", "rating:5", "agent:walid"]);
        // Hostile lines are dropped, the rest kept.
        std::fs::write(&path, "ok\n\u{1b}]0;pwned\u{7}\n\nfine\n").unwrap();
        let (got, warning) = load(&path);
        assert_eq!(got, ["ok", "fine"]);
        assert!(warning.unwrap().contains("1 damaged lines"));
        std::fs::write(&path, b"\xff\xfe\n").unwrap();
        let (got, warning) = load(&path);
        assert!(got.is_empty() && warning.unwrap().contains("not UTF-8"));
        std::fs::write(&path, vec![b'a'; MAX_LEN as usize + 1]).unwrap();
        assert!(load(&path).1.unwrap().contains("larger than"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_as_the_history_is_neither_read_nor_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bashrc");
        std::fs::write(&target, "echo hi\n").unwrap();
        let path = dir.path().join("history");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let (got, warning) = load(&path);
        assert!(got.is_empty());
        assert!(warning.unwrap().contains("symbolic link"));
        save(&path, &["q".to_string()]).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "echo hi\n");
        assert!(!std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(load(&path).0, ["q"]);
    }
}
