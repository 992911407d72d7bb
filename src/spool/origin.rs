//! Where a spool really is, when the directory chatspool reads is a local copy of it (an
//! object-storage spool's mirror, see `crate::remote`): messages and the status line name the
//! bucket URL the user gave, never the cache path behind it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Whether a spool argument is a URL (`scheme://...`) rather than a directory: such an
/// argument is never looked up on disk.
pub fn is_url(arg: &str) -> bool {
    arg.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Local copies opened by this process, with the URL each stands for.
static ORIGINS: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());

/// Record that `local` is the copy of the spool at `url`.
pub fn register(local: &Path, url: &str) {
    let mut origins = ORIGINS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    origins.retain(|(p, _)| p != local);
    origins.push((local.to_path_buf(), url.to_string()));
}

/// The URL `root` is a copy of, if it is one.
pub fn url_of(root: &Path) -> Option<String> {
    let origins = ORIGINS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    origins
        .iter()
        .find(|(p, _)| p == root)
        .map(|(_, u)| u.clone())
}

/// How to name the spool at `root` to the user: its URL for a copy, else the path.
pub fn shown(root: &Path) -> String {
    url_of(root).unwrap_or_else(|| root.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scheme_urls_are_urls() {
        assert!(is_url("s3://b"));
        assert!(is_url("http://x"));
        assert!(!is_url("/var/spool"));
        assert!(!is_url("spool"));
        assert!(!is_url("a b://c"));
        assert!(!is_url("://c"));
    }

    #[test]
    fn copies_are_named_by_their_url() {
        let local = Path::new("/tmp/chatspool-origin-test/mirror");
        assert_eq!(shown(local), "/tmp/chatspool-origin-test/mirror");
        register(local, "s3://bucket/chats");
        assert_eq!(shown(local), "s3://bucket/chats");
        assert_eq!(shown(Path::new("/elsewhere")), "/elsewhere");
    }
}
