//! Where a write will really land, and the one check that keeps every write out of the spool.
//!
//! A path a user or the environment names may hold `..`, `.`, symlinks and directories that do
//! not exist yet (`XDG_CACHE_HOME=/tmp/missing/../spool`). Comparing such a path with the spool's
//! canonical path as text says "outside" while `create_dir_all` then creates `missing` and lands
//! in the spool. [`resolve`] walks the path the way creating it will: each existing prefix is
//! canonicalised (symlinks followed, so a symlinked route into the spool counts as inside), a
//! `..` steps back from what that prefix really is, and the missing rest is taken as the real
//! directories `create_dir_all` will make. Every place chatspool writes (the cache and text
//! store, review journals, exports, saved copies, logs, a bucket's copy) asks [`inside`] and
//! then writes to the resolved path, so what was checked is what is written.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute and resolved as creating it would resolve it: existing prefixes
/// canonical, `.` dropped, `..` applied to the real parent. A path whose current directory
/// cannot be read is returned as given.
pub fn resolve(path: &Path) -> PathBuf {
    resolve_within(path, 0)
}

/// Links followed at most, as the kernel's limit for one path (`ELOOP`).
const MAX_LINKS: usize = 40;

fn resolve_within(path: &Path, links: usize) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(here) => here.join(path),
            Err(_) => return path.to_path_buf(),
        }
    };
    let mut out = PathBuf::new();
    // How many trailing components of `out` do not exist (yet): those are not canonicalised.
    let mut missing = 0usize;
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                out.push(name);
                if missing > 0 {
                    missing += 1;
                    continue;
                }
                match std::fs::canonicalize(&out) {
                    Ok(real) => out = real,
                    // A link to nothing yet: creating through it creates its target, so the
                    // target is where this path lands.
                    Err(_) => match std::fs::read_link(&out) {
                        Ok(target) if links < MAX_LINKS => {
                            let from = out.parent().map(Path::to_path_buf).unwrap_or_default();
                            out = resolve_within(&from.join(target), links + 1);
                            missing = usize::from(!out.exists());
                        }
                        _ => missing = 1,
                    },
                }
            }
        }
    }
    out
}

/// True when writing at `path` (existing or not) would write inside the spool at `spool`
/// (a directory, or a file the spool is made of): chatspool never does.
pub fn inside(path: &Path, spool: &Path) -> bool {
    resolve(path).starts_with(resolve(spool))
}

/// `path` resolved for writing, or a one-line refusal when it lies inside the spool. `what`
/// names the path for the message ("the export directory", "the --log file").
pub fn outside_spool(path: &Path, spool: Option<&Path>, what: &str) -> Result<PathBuf, String> {
    let resolved = resolve(path);
    match spool {
        Some(spool) if resolved.starts_with(resolve(spool)) => Err(format!(
            "{what} {} is inside the spool {}, which chatspool never writes to: pick a place outside it",
            crate::sanitize::line(&path.display().to_string()),
            crate::sanitize::line(&spool.display().to_string()),
        )),
        _ => Ok(resolved),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn real(p: &Path) -> PathBuf {
        std::fs::canonicalize(p).unwrap()
    }

    #[test]
    fn parent_steps_through_missing_directories_land_where_creation_lands() {
        let t = tempfile::tempdir().unwrap();
        let spool = t.path().join("spool");
        std::fs::create_dir(&spool).unwrap();
        let sneaky = t.path().join("missing/../spool/rev");
        assert_eq!(resolve(&sneaky), real(&spool).join("rev"));
        assert!(inside(&sneaky, &spool));
        // What create_dir_all really does with it: the check agrees.
        std::fs::create_dir_all(&sneaky).unwrap();
        assert!(spool.join("rev").is_dir());
        let deeper = t.path().join("a/b/../../spool/./x/y");
        assert!(inside(&deeper, &spool));
        assert!(!inside(&t.path().join("spool-other/x"), &spool));
        assert!(!inside(&t.path().join("spool/../elsewhere"), &spool));
    }

    #[test]
    fn a_symlinked_route_into_the_spool_counts_as_inside() {
        let t = tempfile::tempdir().unwrap();
        let spool = t.path().join("spool");
        std::fs::create_dir_all(spool.join("sub")).unwrap();
        let link = t.path().join("link");
        std::os::unix::fs::symlink(spool.join("sub"), &link).unwrap();
        assert!(inside(&link.join("new/dir"), &spool));
        // `..` after a symlink steps back from its target, as the kernel does.
        assert!(inside(&link.join("../other"), &spool));
        assert_eq!(resolve(&link.join("..")), real(&spool));
        let err = outside_spool(&link.join("x"), Some(&spool), "the log").unwrap_err();
        assert!(err.contains("inside the spool"), "{err}");
        assert!(outside_spool(&t.path().join("x"), Some(&spool), "the log").is_ok());
    }

    #[test]
    fn a_link_to_nothing_yet_lands_where_its_target_will_be() {
        let t = tempfile::tempdir().unwrap();
        let spool = t.path().join("spool");
        std::fs::create_dir(&spool).unwrap();
        let dangling = t.path().join("l");
        std::os::unix::fs::symlink(spool.join("new.log"), &dangling).unwrap();
        assert!(inside(&dangling, &spool));
        let relative = t.path().join("r");
        std::os::unix::fs::symlink("spool/x/y.log", &relative).unwrap();
        assert!(inside(&relative, &spool));
        // A loop of links is given up on, not followed forever.
        std::os::unix::fs::symlink(t.path().join("b"), t.path().join("a")).unwrap();
        std::os::unix::fs::symlink(t.path().join("a"), t.path().join("b")).unwrap();
        assert!(!inside(&t.path().join("a"), &spool));
    }

    #[test]
    fn relative_paths_resolve_from_the_current_directory() {
        let here = std::env::current_dir().unwrap();
        assert_eq!(resolve(Path::new("./nonexistent-x/..")), real(&here));
    }
}
