//! The checks about the machine rather than the spool's contents: its filesystem and the watch
//! mode it gets, inotify limits, and the terminal.

use super::{check, Check, Status};
use crate::spool::watch::{describe_interval, fstype, DEFAULT_POLL};
use std::path::Path;

/// Directories under `root`, itself included: inotify needs one watch for each. Symbolic
/// links are not followed; unreadable directories still count (they would be tried).
pub fn count_dirs(root: &Path) -> usize {
    let mut count = 0;
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        count += 1;
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(e.path());
            }
        }
    }
    count
}

/// The filesystem and the watch mode the viewer and `watch` would use there; also whether they
/// would poll.
pub fn filesystem(root: &Path) -> (Check, bool) {
    let fs = fstype::fstype_of(root).unwrap_or_else(|| "unknown filesystem".into());
    match fstype::inotify_unreliable(root) {
        Some(why) => (
            check(
                Status::Warn,
                "filesystem",
                format!(
                    "{why}: inotify misses changes made by other machines there, so the viewer and `watch` poll every {} (`--poll SECS` to change; `--no-watch` to load once)",
                    describe_interval(DEFAULT_POLL)
                ),
            ),
            true,
        ),
        None => (
            check(
                Status::Ok,
                "filesystem",
                format!("{fs}: the viewer and `watch` follow changes with inotify"),
            ),
            false,
        ),
    }
}

/// The kernel's inotify limit against the directories to watch.
pub fn inotify(dirs: usize, polls: bool) -> Check {
    let read = |name: &str| -> Option<usize> {
        std::fs::read_to_string(format!("/proc/sys/fs/inotify/{name}"))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let dirs_text = format!("{dirs} director{}", if dirs == 1 { "y" } else { "ies" });
    if polls {
        return check(
            Status::Ok,
            "inotify",
            format!("not used on this filesystem ({dirs_text} polled)"),
        );
    }
    let Some(limit) = read("max_user_watches") else {
        return check(
            Status::Warn,
            "inotify",
            format!("{dirs_text} to watch; the limit is unknown (no /proc/sys/fs/inotify): if changes go unseen, use --poll"),
        );
    };
    let raise = format!(
        "raise it: `sudo sysctl fs.inotify.max_user_watches={}` (and in /etc/sysctl.d/ to keep it), or use --poll",
        (dirs * 2).max(limit * 2).next_power_of_two()
    );
    if dirs >= limit {
        check(
            Status::Warn,
            "inotify",
            format!("{dirs_text} to watch but fs.inotify.max_user_watches is {limit}: the watcher falls back to polling; {raise}"),
        )
    } else if dirs * 2 >= limit {
        check(
            Status::Warn,
            "inotify",
            format!("{dirs_text} to watch, over half of fs.inotify.max_user_watches ({limit}), which other programs share; {raise}"),
        )
    } else {
        check(
            Status::Ok,
            "inotify",
            format!("{dirs_text} to watch, fs.inotify.max_user_watches is {limit}"),
        )
    }
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Size, colours and clipboard support of the terminal chatspool runs in.
pub fn terminal() -> Vec<Check> {
    use std::io::IsTerminal;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if !std::io::stdout().is_terminal() {
        return vec![check(
            Status::Warn,
            "terminal",
            "stdout is not a terminal: `chatspool SPOOL` prints the list instead of opening the viewer (run doctor in the terminal you use)",
        )];
    }
    let mut out = Vec::new();
    out.push(match crossterm::terminal::size() {
        Ok((w, h)) if w < 60 || h < 16 => check(
            Status::Warn,
            "terminal",
            format!(
                "{w}x{h}: the viewer works but drops columns and panes; 80x24 or more reads best"
            ),
        ),
        Ok((w, h)) => check(Status::Ok, "terminal", format!("{w}x{h}")),
        Err(e) => check(Status::Warn, "terminal", format!("size unknown ({e})")),
    });
    out.push(colours(
        env("TERM"),
        env("COLORTERM"),
        env("NO_COLOR").is_some(),
    ));
    out.push(osc52(&TermEnv {
        term: env("TERM"),
        program: env("TERM_PROGRAM"),
        tmux: env("TMUX")
            .is_some()
            .then(crate::tui::clipboard::tmux_set_clipboard),
        kitty: env("KITTY_WINDOW_ID").is_some(),
        wezterm: env("WEZTERM_EXECUTABLE").is_some(),
    }));
    out
}

fn colours(term: Option<String>, colorterm: Option<String>, no_color: bool) -> Check {
    let term_text = term.as_deref().unwrap_or("unset");
    if no_color {
        return check(
            Status::Ok,
            "colours",
            "off: NO_COLOR is set (the viewer marks speakers and matches without colour)",
        );
    }
    if term.as_deref().is_none_or(|t| t == "dumb") {
        return check(
            Status::Warn,
            "colours",
            format!("TERM={term_text}: the terminal may not draw the viewer; set TERM (xterm-256color) or use the plain commands"),
        );
    }
    let depth = match colorterm.as_deref() {
        Some("truecolor" | "24bit") => "24-bit colour",
        _ if term_text.contains("256") || term_text.contains("direct") => "256 colours",
        _ => "basic colours",
    };
    check(
        Status::Ok,
        "colours",
        format!(
            "{depth} (TERM={}); --theme light for light backgrounds, NO_COLOR=1 for none",
            crate::sanitize::line(term_text)
        ),
    )
}

/// The environment that tells which terminal this is.
pub struct TermEnv {
    pub term: Option<String>,
    pub program: Option<String>,
    /// Inside tmux: its `set-clipboard` setting as the viewer reads it (`None` inside when
    /// tmux could not be asked).
    pub tmux: Option<Option<String>>,
    pub kitty: bool,
    pub wezterm: bool,
}

/// Whether copying through OSC 52 (the terminal sets the clipboard) is likely to work.
pub fn osc52(e: &TermEnv) -> Check {
    let term = e.term.as_deref().unwrap_or("");
    let program = e.program.as_deref().unwrap_or("");
    let known_yes = e.kitty
        || e.wezterm
        || [
            "kitty",
            "alacritty",
            "foot",
            "wezterm",
            "ghostty",
            "contour",
            "rio",
        ]
        .iter()
        .any(|t| term.contains(t))
        || ["iTerm.app", "WezTerm", "vscode", "ghostty", "Tabby", "rio"].contains(&program);
    match &e.tmux {
        Some(Some(on)) if on == "on" => {
            return check(
                Status::Ok,
                "clipboard",
                "OSC 52 through tmux: set-clipboard is on (the outer terminal must allow it too)",
            )
        }
        Some(Some(other)) => {
            return check(
                Status::Warn,
                "clipboard",
                format!(
                    "tmux set-clipboard is {}: the viewer saves copies to a file instead; `tmux set -g set-clipboard on` lets them through",
                    crate::sanitize::line(other)
                ),
            )
        }
        Some(None) => {
            return check(
                Status::Ok,
                "clipboard",
                "inside tmux, which did not say whether set-clipboard is on: the viewer tries OSC 52 anyway",
            )
        }
        None => {}
    }
    if known_yes {
        return check(
            Status::Ok,
            "clipboard",
            "OSC 52 likely: this terminal supports setting the clipboard",
        );
    }
    if term.starts_with("screen") || term == "linux" || program == "Apple_Terminal" {
        return check(
            Status::Warn,
            "clipboard",
            format!("OSC 52 unlikely ({}): select text with the mouse instead (`m` or --no-mouse hands it to the terminal)", if program.is_empty() { term } else { program }),
        );
    }
    check(
        Status::Ok,
        "clipboard",
        "OSC 52 unknown for this terminal (xterm needs `allowWindowOps`); selecting with the mouse always works",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(term: &str, program: &str, tmux: bool) -> TermEnv {
        TermEnv {
            term: Some(term.into()),
            program: Some(program.into()),
            tmux: tmux.then(|| Some("on".to_string())),
            kitty: false,
            wezterm: false,
        }
    }

    #[test]
    fn clipboard_support_is_judged_from_the_terminal() {
        assert!(osc52(&env("xterm-kitty", "", false))
            .message
            .contains("likely"));
        assert!(osc52(&env("xterm-256color", "iTerm.app", false))
            .message
            .contains("likely"));
        assert!(osc52(&env("tmux-256color", "tmux", true))
            .message
            .contains("set-clipboard is on"));
        // What the viewer found, not a guess: off is a warning that says how to turn it on.
        let mut off = env("tmux-256color", "tmux", true);
        off.tmux = Some(Some("off".into()));
        let said = osc52(&off);
        assert_eq!(said.status, Status::Warn);
        assert!(
            said.message.contains("set-clipboard is off"),
            "{}",
            said.message
        );
        assert!(
            said.message.contains("set -g set-clipboard on"),
            "{}",
            said.message
        );
        let apple = osc52(&env("xterm-256color", "Apple_Terminal", false));
        assert_eq!(apple.status, Status::Warn);
        assert_eq!(osc52(&env("linux", "", false)).status, Status::Warn);
    }

    #[test]
    fn inotify_limits_against_directories() {
        assert_eq!(inotify(10, true).status, Status::Ok);
        // Whatever this machine's limit, a directory count at or past it is a warning.
        if std::path::Path::new("/proc/sys/fs/inotify/max_user_watches").exists() {
            assert_eq!(inotify(10, false).status, Status::Ok);
            let w = inotify(usize::MAX / 4, false);
            assert_eq!(w.status, Status::Warn);
            assert!(w.message.contains("sysctl"), "{}", w.message);
        }
    }

    #[test]
    fn bytes_and_colours_read_naturally() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1_234_567), "1.2 MB");
        assert_eq!(
            colours(Some("dumb".into()), None, false).status,
            Status::Warn
        );
        assert!(
            colours(Some("xterm".into()), Some("truecolor".into()), false)
                .message
                .starts_with("24-bit")
        );
        assert!(colours(None, None, true).message.contains("NO_COLOR"));
    }
}
