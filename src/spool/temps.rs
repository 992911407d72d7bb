//! Temporary files of cache writes (`.<hash>.idx.<pid>.tmp`, `.<hash>.text.<pid>.tmp`): each writer fills its own, named
//! by its process id, then renames it over the index. A writer killed in between leaves its
//! file behind (megabytes each); the next write removes the ones whose writer is gone.
//!
//! A file is stale when its process no longer runs (Linux: no `/proc/<pid>`), or, where that
//! cannot be told, when it is over an hour old. A live writer's file is never touched, so two
//! writers at once each finish their own rename.

use std::path::Path;
use std::time::Duration;

/// A temporary file this old is stale whatever its process id says.
const ABANDONED: Duration = Duration::from_secs(3600);

/// The temporary file name for this process's write of index file `name`.
pub fn name_for(name: &str) -> String {
    format!(".{name}.{}.tmp", std::process::id())
}

/// The writer's process id in a temporary file name, when it is one of ours.
fn pid_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (index, pid) = rest.rsplit_once('.')?;
    if !index.ends_with(".idx") && !index.ends_with(".text") {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` runs now; `None` when this system cannot tell.
fn alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

/// Remove the temporary files in `dir` whose writer is gone.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(pid_of) else {
            continue;
        };
        let old = || {
            entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED)
        };
        let stale = pid != me && (alive(pid) == Some(false) || old());
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_writer() {
        assert_eq!(pid_of(".0123abcd.idx.4242.tmp"), Some(4242));
        assert_eq!(pid_of(&name_for("0123abcd.idx")), Some(std::process::id()));
        assert_eq!(pid_of(".0123abcd.text.4242.tmp"), Some(4242));
        assert_eq!(pid_of(".0123abcd.idx.tmp"), None);
        assert_eq!(pid_of(".notes.4242.tmp"), None);
        assert_eq!(pid_of("0123abcd.idx"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_files_of_gone_writers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // A process that has exited: its id is free (until reused, which a test cannot see).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let live = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let files = [
            format!(".aa.idx.{dead}.tmp"),
            format!(".bb.idx.{}.tmp", live.id()),
            name_for("cc.idx"),
            "dd.idx".to_string(),
        ];
        for f in &files {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        remove_stale(d);
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut want = files[1..].to_vec();
        want.sort();
        assert_eq!(left, want);
        let mut live = live;
        let _ = live.kill();
        let _ = live.wait();
    }
}
