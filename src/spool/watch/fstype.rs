//! Which filesystem a spool lives on, and whether inotify can be trusted there.
//!
//! inotify only sees changes made through the local kernel. On network and pass-through
//! filesystems (NFS, SMB/CIFS, 9p as used by WSL 2 and some containers, FUSE mounts such as
//! sshfs, virtiofs, VirtualBox shared folders…) files written by another machine or by the host
//! arrive without any event, so the watcher has to poll there. This module answers the question
//! from `/proc/self/mountinfo` (or `/proc/mounts`): the mount with the longest mount point that
//! is a prefix of the canonical spool path, and its type. An overlay is judged by the
//! filesystems its layers live on.

use std::path::{Path, PathBuf};

/// One line of the mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub point: PathBuf,
    pub fstype: String,
    /// Filesystem-specific options (`upperdir=…,lowerdir=…` for an overlay).
    pub options: String,
}

impl Mount {
    /// A mount from fields as the kernel writes them in both tables (octal escapes).
    fn unescaped(point: &str, fstype: &str, options: &str) -> Self {
        Mount {
            point: PathBuf::from(unescape(point)),
            fstype: unescape(fstype),
            options: unescape(options),
        }
    }
}

/// Filesystem types where inotify misses changes made elsewhere.
fn unreliable(fstype: &str) -> bool {
    const TYPES: &[&str] = &[
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "smb2",
        "9p",
        "v9fs",
        "drvfs",
        "fuse",
        "fuseblk",
        "virtiofs",
        "vboxsf",
        "vmhgfs",
        "prl_fs",
        "afs",
        "ncpfs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "ocfs2",
        "gfs2",
        "davfs",
    ];
    TYPES.contains(&fstype) || fstype.starts_with("fuse.") || fstype.starts_with("nfs")
}

/// Why inotify cannot be trusted for `path` (the filesystem type, such as `nfs` or
/// `overlay on 9p`), or `None` when it can (or when the mount table cannot be read).
pub fn inotify_unreliable(path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    let mounts = read_mounts()?;
    judge(&mounts, &path, 0)
}

/// The type of the filesystem `path` is on (`ext4`, `nfs4`, `overlay`), from the mount table.
pub fn fstype_of(path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    let mounts = read_mounts()?;
    mount_of(&mounts, &path).map(|m| m.fstype.clone())
}

fn judge(mounts: &[Mount], path: &Path, depth: u8) -> Option<String> {
    let m = mount_of(mounts, path)?;
    if unreliable(&m.fstype) {
        return Some(m.fstype.clone());
    }
    if m.fstype == "overlay" && depth < 4 {
        for layer in overlay_layers(&m.options) {
            if let Some(t) = judge(mounts, &layer, depth + 1) {
                let t = t.strip_prefix("overlay on ").unwrap_or(&t).to_string();
                return Some(format!("overlay on {t}"));
            }
        }
    }
    None
}

/// The directories an overlay is made of (`upperdir`, each `lowerdir`).
fn overlay_layers(options: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for opt in options.split(',') {
        if let Some(dirs) = opt
            .strip_prefix("upperdir=")
            .or_else(|| opt.strip_prefix("lowerdir="))
            .or_else(|| opt.strip_prefix("lowerdir+="))
        {
            out.extend(dirs.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
        }
    }
    out
}

/// The mount `path` is on: the longest mount point that is a prefix of it (the last one listed
/// when several are stacked on the same point).
pub fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .enumerate()
        .filter(|(_, m)| path.starts_with(&m.point))
        .max_by_key(|(i, m)| (m.point.components().count(), *i))
        .map(|(_, m)| m)
}

/// The mount table (`None` when it cannot be read).
pub fn read_mounts() -> Option<Vec<Mount>> {
    if let Ok(text) = std::fs::read_to_string("/proc/self/mountinfo") {
        let m = parse_mountinfo(&text);
        if !m.is_empty() {
            return Some(m);
        }
    }
    let text = std::fs::read_to_string("/proc/mounts").ok()?;
    Some(parse_mounts(&text))
}

/// Parse `/proc/self/mountinfo`:
/// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let point = left.split(' ').nth(4)?;
            let mut r = right.split(' ');
            let fstype = r.next()?;
            let _source = r.next();
            let options = r.next().unwrap_or("");
            Some(Mount::unescaped(point, fstype, options))
        })
        .collect()
}

/// Parse `/proc/mounts`: `server:/export /mnt/spool nfs4 rw,relatime 0 0`.
pub fn parse_mounts(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let _source = f.next()?;
            let point = f.next()?;
            let fstype = f.next()?;
            let options = f.next().unwrap_or("");
            Some(Mount::unescaped(point, fstype, options))
        })
        .collect()
}

/// Undo the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = u16::from(b[i + 1] - b'0') * 64
                + u16::from(b[i + 2] - b'0') * 8
                + u16::from(b[i + 3] - b'0');
            out.push(u8::try_from(v).unwrap_or(b'?'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
60 27 0:50 / /srv/spool rw,relatime shared:30 - nfs4 files:/export/spool rw,vers=4.2
61 60 0:51 / /srv/spool/local rw,relatime - ext4 /dev/vdb rw
62 27 0:52 / /mnt/my\\040share rw - cifs //win/share rw,vers=3.0
63 27 0:53 / /mnt/c rw,noatime - 9p drvfs rw,aname=drvfs
64 27 0:54 / /home/u/remote rw - fuse.sshfs u@host:/data rw,user_id=1000
70 27 0:60 / /var/lib/docker/x/merged rw - overlay overlay rw,lowerdir=/var/lib/docker/l1:/var/lib/docker/l2,upperdir=/var/lib/docker/x/diff,workdir=/var/lib/docker/x/work
71 27 0:61 / /data/ov rw - overlay overlay rw,lowerdir=/srv/spool/ro,upperdir=/tmp/up,workdir=/tmp/work
80 27 0:70 / /stack rw - nfs server:/a rw
81 27 0:71 / /stack rw - tmpfs tmpfs rw
";

    fn judge_path(p: &str) -> Option<String> {
        judge(&parse_mountinfo(MOUNTINFO), Path::new(p), 0)
    }

    #[test]
    fn longest_prefix_wins() {
        assert_eq!(judge_path("/srv/spool/2024/05"), Some("nfs4".into()));
        assert_eq!(judge_path("/srv/spool"), Some("nfs4".into()));
        assert_eq!(judge_path("/srv/spool/local/x"), None);
        assert_eq!(judge_path("/srv/spoolish"), None, "prefix is by component");
        assert_eq!(judge_path("/home/u"), None);
    }

    #[test]
    fn network_and_passthrough_types() {
        assert_eq!(judge_path("/mnt/my share/in"), Some("cifs".into()));
        assert_eq!(judge_path("/mnt/c/Users"), Some("9p".into()));
        assert_eq!(judge_path("/home/u/remote/s"), Some("fuse.sshfs".into()));
    }

    #[test]
    fn overlay_is_judged_by_its_layers() {
        assert_eq!(judge_path("/var/lib/docker/x/merged/spool"), None);
        assert_eq!(judge_path("/data/ov/spool"), Some("overlay on nfs4".into()));
    }

    #[test]
    fn stacked_mounts_take_the_last() {
        assert_eq!(judge_path("/stack/x"), None);
    }

    #[test]
    fn proc_mounts_format() {
        let m =
            parse_mounts("server:/e /mnt/s\\040p nfs rw,relatime 0 0\n/dev/vda / ext4 rw 0 0\n");
        assert_eq!(m[0].point, PathBuf::from("/mnt/s p"));
        assert_eq!(judge(&m, Path::new("/mnt/s p/x"), 0), Some("nfs".into()));
        assert_eq!(judge(&m, Path::new("/mnt/x"), 0), None);
    }

    #[test]
    fn unescape_octal() {
        assert_eq!(unescape("a\\040b\\011c\\134d"), "a b\tc\\d");
        assert_eq!(unescape("trailing\\04"), "trailing\\04");
    }

    #[test]
    fn this_machine_answers_without_panicking() {
        let _ = inotify_unreliable(&std::env::temp_dir());
    }
}
