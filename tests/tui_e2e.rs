//! The real binary in a pseudo-terminal: type a search, see the chat and its transcript, quit,
//! and check the terminal was given back (alternate screen left, title untouched).

mod support;

use portable_pty::{native_pty_system, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for the screen to show something; generous for a busy CI machine.
fn deadline() -> Duration {
    let secs = std::env::var("CHATSPOOL_TEST_DEADLINE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(spool: &std::path::Path, extra_env: &[(&str, &str)]) -> Session {
        Self::sized(spool, extra_env, 40, 120)
    }

    fn sized(spool: &std::path::Path, extra_env: &[(&str, &str)], rows: u16, cols: u16) -> Session {
        let mut cmd = support::pty_command();
        cmd.arg(spool);
        Self::spawn(cmd, spool, extra_env, rows, cols)
    }

    /// Run `cmd` in a pseudo-terminal of `rows` x `cols`, in `spool`, with a cache beside it.
    fn spawn(
        mut cmd: portable_pty::CommandBuilder,
        spool: &std::path::Path,
        extra_env: &[(&str, &str)],
        rows: u16,
        cols: u16,
    ) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        // Otherwise the pty starts the program in $HOME (which one test points nowhere).
        cmd.cwd(spool);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CACHE_HOME", spool.join("..").join("e2e-cache"));
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        // Keep the master alive for the session's lifetime.
        std::mem::forget(pty.master);
        Session {
            screen,
            raw,
            writer,
            child,
        }
    }

    /// Everything written to the terminal so far, as text.
    fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str) {
        let end = Instant::now() + deadline();
        while Instant::now() < end {
            if self.contents().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("screen never showed {what:?}:\n{}", self.contents());
    }

    /// A lone Esc, with a pause after it so that the next key is not read as Alt+key.
    fn esc(&mut self) {
        self.send("\u{1b}");
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The screen's rows as text.
    fn rows(&self) -> Vec<String> {
        self.contents().lines().map(str::to_string).collect()
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// No operating-system command (window title, clipboard, colours) was ever sent.
    fn assert_no_osc(&self) {
        let raw = self.raw.lock().unwrap();
        assert!(
            !raw.windows(2).any(|w| w == b"\x1b]"),
            "an OSC sequence reached the terminal"
        );
        assert!(!raw.contains(&0x9d), "a C1 OSC reached the terminal");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + deadline();
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader drain the last bytes (leaving the alternate screen).
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("chatspool did not exit:\n{}", self.contents());
    }
}

#[test]
fn search_read_and_quit_in_a_real_terminal() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[]);
    s.wait_for("Chats 5/5");
    assert!(s.screen.lock().unwrap().screen().alternate_screen());
    s.send("/");
    s.send("alice");
    s.wait_for("Chats 1/5");
    s.wait_for("VISITOR Alice: I want a refund");
    s.send("\r");
    s.send("\t");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let parser = s.screen.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "left the alternate screen"
    );
    assert!(!parser.screen().hide_cursor(), "cursor shown again");
    drop(parser);
    s.assert_no_osc();
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[("NO_COLOR", "1")]);
    s.wait_for("Chats 5/5");
    s.send("/carol");
    s.wait_for("Chats 1/5");
    s.send("\u{3}");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!s.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[]);
    s.wait_for("Chats 5/5");
    // Dan's name carries an OSC "set title" sequence: it must show as text.
    s.wait_for("Dan ␛]0;pwned␇");
    s.send("q");
    s.wait_exit();
    s.assert_no_osc();
}

#[test]
fn sigterm_restores_the_terminal() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[]);
    s.wait_for("Chats 5/5");
    let pid = s.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    s.wait_exit();
    assert!(!s.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn esc_walks_back_before_it_clears_the_search() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[]);
    s.wait_for("Chats 5/5");
    s.send("/agent:walid");
    s.wait_for("Chats 3/5");
    s.send("\r");
    s.send("\r");
    s.wait_for("Esc back");
    s.esc();
    // Back on the list with the search kept: the list's hint is back.
    s.wait_for("Enter read");
    assert!(s.contents().contains("Chats 3/5"), "{}", s.contents());
    s.esc();
    s.wait_for("Chats 5/5");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn at_60_by_20_the_sort_column_and_help_stay() {
    let spool = support::spool();
    let mut s = Session::sized(spool.path(), &[], 20, 60);
    s.wait_for("Chats 5/5");
    s.send("ss");
    s.wait_for("· wait");
    let rows = s.rows();
    assert!(
        rows[1].contains("WAIT") && rows[1].contains("TIME (UTC)"),
        "{rows:?}"
    );
    // Another year's chats show their whole date.
    assert!(rows[2].contains("2020-09-01"), "readable dates: {rows:?}");
    assert!(rows[19].trim_end().ends_with("? help"), "{rows:?}");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn no_cache_directory_is_said_in_the_status_bar() {
    let spool = support::spool();
    let scratch = tempfile::tempdir().unwrap();
    let missing = scratch.path().join("nonexistent");
    let home = missing.to_str().unwrap();
    let mut s = Session::start(spool.path(), &[("XDG_CACHE_HOME", ""), ("HOME", home)]);
    s.wait_for("Chats 5/5");
    s.wait_for("no cache directory");
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!missing.exists(), "the missing home was created");
}

#[test]
fn the_config_file_remaps_keys_and_chooses_columns_and_the_log_stays_off_screen() {
    let spool = support::spool();
    let cfg = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(cfg.path().join("chatspool")).unwrap();
    std::fs::write(
        cfg.path().join("chatspool/config.toml"),
        "columns = [\"visitor\", \"rating\"]\n\n[keys]\nquit = \"x\"\n",
    )
    .unwrap();
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(
        spool.path(),
        &[
            ("XDG_CONFIG_HOME", cfg.path().to_str().unwrap()),
            ("XDG_STATE_HOME", state.path().to_str().unwrap()),
            ("CHATSPOOL_LOG", "debug"),
        ],
    );
    s.wait_for("Chats 5/5");
    let header = s
        .rows()
        .into_iter()
        .find(|r| r.contains("VISITOR"))
        .unwrap();
    assert!(
        header.contains("RATE") && !header.contains("WAIT") && !header.contains("AGENTS"),
        "{header}"
    );
    s.send("q");
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.child.try_wait().unwrap().is_none(), "q no longer quits");
    s.send("x");
    assert!(s.wait_exit().success());
    let screen = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    assert!(!screen.contains("spool loaded") && !screen.contains("DEBUG"));
    let log = std::fs::read_to_string(state.path().join("chatspool/chatspool.log")).unwrap();
    assert!(log.contains("following the spool"), "{log}");
}

/// A panic on `worker` (the test hook `CHATSPOOL_TEST_PANIC`) ends the viewer: the terminal is
/// restored once (alternate screen left, raw mode off, as `stty` sees it afterwards), then the
/// panic's message is printed, and the exit status is not zero. A worker that can die before the
/// viewer takes the terminal (`drawn` false) may end it before it ever does. `keys` are typed
/// once the list shows, for a worker that only works when asked (the stats view's).
fn a_panic_on(worker: &str, drawn: bool, keys: &str) {
    let spool = support::spool();
    let mut cmd = support::pty_shell(r#""$0" "$1"; echo "exit=$?"; stty -a"#);
    cmd.arg(spool.path());
    let env = [("CHATSPOOL_TEST_PANIC", worker)];
    let mut s = Session::spawn(cmd, spool.path(), &env, 40, 120);
    if !keys.is_empty() {
        s.wait_for("Chats 5/5");
        s.send(keys);
    }
    s.wait_exit();
    let out = s.output();
    assert!(
        !s.screen.lock().unwrap().screen().alternate_screen(),
        "{out:?}"
    );
    let (enter, leave) = ("\u{1b}[?1049h", "\u{1b}[?1049l");
    let entered = out.matches(enter).count();
    assert_eq!(
        out.matches(leave).count(),
        entered,
        "restored once: {out:?}"
    );
    assert!(entered == 1 || (entered == 0 && !drawn), "{out:?}");
    let said = format!("the {worker} thread panicked at ");
    let message = out
        .find(&said)
        .unwrap_or_else(|| panic!("no {said:?}: {out:?}"));
    let left = out.find(leave).unwrap_or(0);
    assert!(
        message > left,
        "message before the terminal was given back: {out:?}"
    );
    // Where the worker panicked, not where the hook is.
    assert!(!out.contains("crash.rs"), "{out:?}");
    assert_eq!(out.matches("CHATSPOOL_TEST_PANIC").count(), 1, "{out:?}");
    let (_, after) = out.split_once("exit=").expect("the shell's report");
    assert!(after.starts_with("101"), "exit status: {after:?}");
    let modes: Vec<&str> = after.split([' ', ';', '\r', '\n']).collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(modes.contains(&mode), "{mode} is off: {after}");
    }
}

#[test]
fn a_matcher_panic_ends_the_viewer_and_restores_the_terminal() {
    a_panic_on("matcher", true, "");
}

#[test]
fn an_indexer_panic_ends_the_viewer_and_restores_the_terminal() {
    a_panic_on("indexer", true, "");
}

#[test]
fn a_reader_panic_ends_the_viewer_and_restores_the_terminal() {
    a_panic_on("reader", true, "");
}

#[test]
fn a_loader_panic_ends_the_viewer_and_restores_the_terminal() {
    // The loader's hook is at its start, often before the terminal is taken.
    a_panic_on("loader", false, "");
}

#[test]
fn stats_view_in_a_real_terminal_updates_live_and_uses_shades_without_colour() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[("NO_COLOR", "1")]);
    s.wait_for("Chats 5/5");
    s.send("i");
    s.wait_for("Stats 5 chats");
    s.wait_for("Mon ");
    s.wait_for("Sun ");
    assert!(
        s.contents().chars().any(|c| "░▒▓█".contains(c)),
        "shade characters:\n{}",
        s.contents()
    );
    // A chat arriving while the view is open is counted.
    let new = support::chat(
        "eeee5555-0000-0000-0000-000000000005",
        "Erin",
        "Walid",
        support::T0 + 4 * 3_600_000,
        "4",
        "[14:00:07] Walid: Hi Erin⊙",
    );
    support::write(spool.path(), "e.json", new.to_string().as_bytes());
    s.wait_for("Stats 6 chats");
    s.send("z");
    // The machine's zone by its name, as the child sees it (same TZ and system zone).
    s.wait_for(&format!(
        "times {}",
        chatspool::model::zone::Zone::Local.label()
    ));
    s.send("\u{1b}");
    s.wait_for("Chats 6/6");
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!s.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn a_stats_worker_panic_ends_the_viewer_and_restores_the_terminal() {
    // The stats worker computes once the view is opened: its first request panics.
    a_panic_on("stats", true, "i");
}

/// A plain word no name holds, said in a transcript: the empty list says how many chats say it
/// (counted from the text store the viewer builds after loading) and that Ctrl-T searches there.
#[test]
fn a_name_search_that_finds_nothing_counts_the_transcripts_that_say_it() {
    let spool = support::spool();
    let mut s = Session::start(spool.path(), &[]);
    s.wait_for("Chats 5/5");
    s.send("/refund");
    s.wait_for("no name matches · 1 chat says \"refund\": Ctrl-T searches transcripts");
    s.send("\u{14}");
    s.wait_for("Chats 1/5");
    s.send("\u{3}");
    assert!(s.wait_exit().success());
}
