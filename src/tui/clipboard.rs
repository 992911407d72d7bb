//! Copying to the clipboard through the terminal: the OSC 52 escape sequence, which terminals
//! (and tmux with `set-clipboard on`) turn into a clipboard write, also over SSH.
//!
//! A terminal never answers whether it took the text, so what can be known is checked before
//! sending: the Linux console and `TERM=dumb` cannot copy, tmux only passes copies on with
//! `set-clipboard` on, and very large texts are refused by many terminals. When copying cannot
//! work the caller saves the text to a file instead and says where.

use base64::Engine;
use std::io::Write;

/// Texts longer than this (encoded) are saved to a file: xterm, hterm and others drop longer
/// OSC 52 sequences silently.
pub const MAX_ENCODED: usize = 100_000;

/// Whether a copy can reach the clipboard from here, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    Yes,
    No(String),
}

/// What the environment says about OSC 52, as far as it can be known without asking the
/// terminal (whose answer would race with the input thread).
pub fn support() -> Support {
    let term = std::env::var("TERM").unwrap_or_default();
    if term == "dumb" || term == "linux" {
        return Support::No(format!("TERM={term}"));
    }
    if std::env::var_os("TMUX").is_some() {
        return tmux_support();
    }
    Support::Yes
}

/// tmux takes OSC 52 from programs inside it only with `set-clipboard on`.
fn tmux_support() -> Support {
    match tmux_set_clipboard() {
        Some(v) if v == "on" => Support::Yes,
        Some(v) => Support::No(format!("tmux set-clipboard {v}")),
        // tmux not found or no answer: try anyway.
        None => Support::Yes,
    }
}

/// tmux's `set-clipboard` option as the running server has it (`on`, `external`, `off`);
/// `None` when tmux cannot be asked. The viewer and `doctor` both judge by this one answer.
pub fn tmux_set_clipboard() -> Option<String> {
    let out = std::process::Command::new("tmux")
        .args(["show-options", "-gv", "set-clipboard"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let value = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// The escape sequence that puts `text` on the system clipboard.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\u{1b}]52;c;{b64}\u{7}")
}

/// Send `text` to the clipboard; the terminal is written to directly, between frames.
pub fn copy(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(osc52("hi 山"), "\u{1b}]52;c;aGkg5bGx\u{7}");
        let mut out = Vec::new();
        copy(&mut out, "x").unwrap();
        assert_eq!(out, b"\x1b]52;c;eA==\x07");
    }
}
