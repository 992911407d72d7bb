//! Where the cache lives: `$XDG_CACHE_HOME/chatspool`, else `$HOME/.cache/chatspool`, else
//! nowhere (chatspool then runs without the cache and says so once).

use std::ffi::OsString;
use std::path::PathBuf;

/// Where chatspool keeps its caches: `$XDG_CACHE_HOME/chatspool`, else
/// `$HOME/.cache/chatspool`; `None` when neither is usable (then it runs without the cache).
pub fn cache_dir() -> Option<PathBuf> {
    cache_dir_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

/// [`cache_dir`] from the two variables, as the XDG base directory spec says: a relative (or
/// empty) `XDG_CACHE_HOME` is ignored, not taken relative to wherever chatspool was started.
/// `HOME` must be an absolute path to an existing directory: a missing home is never created
/// (a service account's `/nonexistent`, say).
#[cfg(unix)]
fn cache_dir_from(xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let absolute = |v: Option<OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(xdg) = absolute(xdg) {
        return Some(xdg.join("chatspool"));
    }
    let home = absolute(home).filter(|h| h.is_dir())?;
    Some(home.join(".cache").join("chatspool"))
}

#[cfg(not(unix))]
fn cache_dir_from(xdg: Option<OsString>, _home: Option<OsString>) -> Option<PathBuf> {
    match xdg.map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(xdg) => Some(xdg.join("chatspool")),
        None => {
            directories::ProjectDirs::from("", "", "chatspool").map(|d| d.cache_dir().to_path_buf())
        }
    }
}

/// What to tell the user, once, when the cache is wanted but there is nowhere to keep it.
pub fn unavailable() -> Option<&'static str> {
    (super::enabled() && cache_dir().is_none()).then_some(
        "no cache directory (XDG_CACHE_HOME unset or relative, no HOME): running without the index cache",
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn dir(xdg: Option<&str>, home: Option<&str>) -> Option<PathBuf> {
        cache_dir_from(xdg.map(OsString::from), home.map(OsString::from))
    }

    #[test]
    fn xdg_first_then_home_then_nothing() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path().to_str().unwrap();
        assert_eq!(
            dir(Some("/var/cache/x"), Some(h)),
            Some(PathBuf::from("/var/cache/x/chatspool"))
        );
        let in_home = home.path().join(".cache/chatspool");
        assert_eq!(dir(None, Some(h)), Some(in_home.clone()));
        // Relative or empty XDG_CACHE_HOME is ignored, as the spec says.
        assert_eq!(dir(Some("rel/cache"), Some(h)), Some(in_home.clone()));
        assert_eq!(dir(Some(""), Some(h)), Some(in_home));
        // No usable HOME: nowhere, and nothing is created.
        assert_eq!(dir(Some(""), None), None);
        assert_eq!(dir(Some("rel"), Some("")), None);
        assert_eq!(dir(None, Some("relative/home")), None);
        let missing = home.path().join("nonexistent");
        assert_eq!(dir(None, missing.to_str()), None);
        assert!(!missing.exists());
    }
}
