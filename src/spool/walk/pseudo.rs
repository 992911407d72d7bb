//! Pseudo-filesystems (`/proc`, `/sys`, `/dev`, …): kernel views, never a spool. A link to `/`
//! followed into `/proc` meets every process's `cwd` and `root` again, so the walk never enters
//! them.
//!
//! They are recognised by device number: `/proc/self/mountinfo` gives each mount's
//! `major:minor` and type, and every directory the walk enters is stat'ed anyway, so checking
//! costs one lookup per directory. (`statfs` could not tell `devtmpfs` from an ordinary `tmpfs`.)

use std::collections::HashMap;

/// Filesystem types that are views of the kernel, not storage.
const PSEUDO: &[&str] = &[
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "devfs",
    "cgroup",
    "cgroup2",
    "debugfs",
    "tracefs",
    "securityfs",
    "pstore",
    "bpf",
    "configfs",
    "fusectl",
    "mqueue",
    "efivarfs",
    "binfmt_misc",
    "autofs",
    "rpc_pipefs",
    "nsfs",
    "selinuxfs",
    "hugetlbfs",
    "fdescfs",
    "linprocfs",
    "linsysfs",
];

/// Whether a filesystem type is a view of the kernel.
pub fn is_pseudo(fstype: &str) -> bool {
    PSEUDO.contains(&fstype)
}

/// Device number → filesystem type, for the pseudo-filesystems mounted now.
pub type Devices = HashMap<u64, String>;

/// The pseudo-filesystems of the mount table (none when it cannot be read).
pub fn mounted() -> Devices {
    std::fs::read_to_string("/proc/self/mountinfo")
        .map(|t| parse(&t))
        .unwrap_or_default()
}

/// Parse `/proc/self/mountinfo`:
/// `22 27 0:21 / /proc rw,nosuid shared:5 - proc proc rw`.
pub fn parse(text: &str) -> Devices {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let fstype = right.split(' ').next()?;
            if !is_pseudo(fstype) {
                return None;
            }
            let (major, minor) = left.split(' ').nth(2)?.split_once(':')?;
            let dev = makedev(major.parse().ok()?, minor.parse().ok()?);
            Some((dev, fstype.to_string()))
        })
        .collect()
}

/// The device number `stat` reports for `major:minor` (glibc's encoding).
fn makedev(major: u64, minor: u64) -> u64 {
    ((major & 0xfff) << 8) | ((major & !0xfff) << 32) | (minor & 0xff) | ((minor & !0xff) << 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_types_and_devices_from_the_table() {
        let t = "22 27 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n\
                 23 27 0:22 / /sys rw shared:6 - sysfs sysfs rw\n\
                 27 1 259:2 / / rw shared:1 - ext4 /dev/nvme0n1p2 rw\n\
                 28 27 0:5 / /dev rw shared:2 - devtmpfs udev rw\n\
                 29 27 0:30 / /tmp rw - tmpfs tmpfs rw\n";
        let d = parse(t);
        assert_eq!(d.len(), 3);
        assert_eq!(d[&makedev(0, 21)], "proc");
        assert_eq!(d[&makedev(0, 5)], "devtmpfs");
        assert!(!d.contains_key(&makedev(0, 30)), "tmpfs is storage");
        assert_eq!(makedev(259, 2), (259 << 8) | 2);
        assert_eq!(makedev(0, 300), (300 & 0xff) | ((300 & !0xff) << 12));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn proc_is_found_on_this_machine() {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::metadata("/proc/self") else {
            return;
        };
        assert_eq!(mounted().get(&meta.dev()).map(String::as_str), Some("proc"));
    }
}
