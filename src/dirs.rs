//! chatspool's own directories, the XDG base directories with a `chatspool` folder: the index
//! cache, the config file, the viewer's log, the review journals.
//!
//! As the XDG spec says: `XDG_CACHE_HOME` (`XDG_CONFIG_HOME`, `XDG_STATE_HOME`) when it is an
//! absolute path, else `$HOME/.cache` (`.config`, `.local/state`) when `HOME` is an absolute path
//! to an existing directory, else nowhere: a relative variable is ignored rather than taken
//! relative to wherever chatspool was started, and a missing home (a service account's
//! `/nonexistent`) is never created. Unit tests get a directory of their own instead: tests
//! never touch the user's directories.

use std::ffi::OsString;
use std::path::PathBuf;

/// Which of chatspool's directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Cache,
    Config,
    State,
    /// User data that must never be lost to a cache clean-up: review journals.
    Data,
}

impl Dir {
    /// The variable that names the base directory, and its default under the home.
    fn base(self) -> (&'static str, &'static str) {
        match self {
            Dir::Cache => ("XDG_CACHE_HOME", ".cache"),
            Dir::Config => ("XDG_CONFIG_HOME", ".config"),
            Dir::State => ("XDG_STATE_HOME", ".local/state"),
            Dir::Data => ("XDG_DATA_HOME", ".local/share"),
        }
    }
}

/// The directory, or `None` when there is nowhere to put it.
pub fn own(dir: Dir) -> Option<PathBuf> {
    if cfg!(test) {
        let name = dir.base().1.trim_start_matches('.').replace('/', "-");
        return Some(std::env::temp_dir().join("chatspool-unit-tests").join(name));
    }
    from_vars(
        dir,
        std::env::var_os(dir.base().0),
        std::env::var_os("HOME"),
    )
}

/// [`own`] from the variable and `HOME`.
#[cfg(unix)]
fn from_vars(dir: Dir, xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let absolute = |v: Option<OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(xdg) = absolute(xdg) {
        return Some(xdg.join("chatspool"));
    }
    let home = absolute(home).filter(|h| h.is_dir())?;
    Some(home.join(dir.base().1).join("chatspool"))
}

#[cfg(not(unix))]
fn from_vars(dir: Dir, xdg: Option<OsString>, _home: Option<OsString>) -> Option<PathBuf> {
    if let Some(xdg) = xdg.map(PathBuf::from).filter(|p| p.is_absolute()) {
        return Some(xdg.join("chatspool"));
    }
    let dirs = directories::ProjectDirs::from("", "", "chatspool")?;
    let path = match dir {
        Dir::Cache => dirs.cache_dir(),
        Dir::Config => dirs.config_dir(),
        Dir::State => dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()),
        Dir::Data => dirs.data_dir(),
    };
    Some(path.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn dir(kind: Dir, xdg: Option<&str>, home: Option<&str>) -> Option<PathBuf> {
        from_vars(kind, xdg.map(OsString::from), home.map(OsString::from))
    }

    #[test]
    fn xdg_first_then_home_then_nothing() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path().to_str().unwrap();
        for (kind, under) in [
            (Dir::Cache, ".cache"),
            (Dir::Config, ".config"),
            (Dir::State, ".local/state"),
        ] {
            assert_eq!(
                dir(kind, Some("/var/x"), Some(h)),
                Some(PathBuf::from("/var/x/chatspool"))
            );
            let in_home = home.path().join(under).join("chatspool");
            assert_eq!(dir(kind, None, Some(h)), Some(in_home.clone()));
            // Relative or empty variables are ignored, as the spec says.
            assert_eq!(dir(kind, Some("rel/x"), Some(h)), Some(in_home.clone()));
            assert_eq!(dir(kind, Some(""), Some(h)), Some(in_home));
            // No usable HOME: nowhere, and nothing is created.
            assert_eq!(dir(kind, Some(""), None), None);
            assert_eq!(dir(kind, Some("rel"), Some("")), None);
            assert_eq!(dir(kind, None, Some("relative/home")), None);
            let missing = home.path().join("nonexistent");
            assert_eq!(dir(kind, None, missing.to_str()), None);
            assert!(!missing.exists());
        }
    }
}
