//! A panic on any of the viewer's threads ends the viewer cleanly. The panic hook keeps a
//! worker's panic (printing it now would land on the alternate screen) and wakes the main loop,
//! which stops drawing and returns it as an error: the terminal is restored once, by the main
//! thread, and the message is printed after that (exit 101, as for any panic).

use super::event::Msg;
use super::terminal;
use std::fmt;
use std::sync::mpsc::Sender;
use std::sync::{Mutex, MutexGuard, Once, PoisonError};
use std::thread::ThreadId;

/// A viewer thread that panicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    /// The thread's name (`matcher`, `indexer`, `loader`, …), when it has one.
    pub thread: Option<String>,
    /// `file:line:column` of the panic.
    pub location: String,
    pub message: String,
    /// Panics on other threads after this one (their messages are not kept).
    pub more: usize,
}

impl fmt::Display for Crash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.thread {
            Some(name) => write!(f, "the {name} thread panicked")?,
            None => write!(f, "a worker thread panicked")?,
        }
        write!(f, " at {}: {}", self.location, self.message)?;
        if self.more > 0 {
            write!(f, " ({} more thread(s) panicked after it)", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for Crash {}

/// The viewer's state as the panic hook sees it, while the viewer runs.
struct Watch {
    /// The thread that owns the terminal: its panics restore it and print at once.
    main: ThreadId,
    /// Wakes the main loop (any message does; it looks for a crash before each draw).
    wake: Sender<Msg>,
    crash: Option<Crash>,
}

impl Watch {
    /// Keep a panic of thread `id`; false when it is the main thread's (the caller restores
    /// the terminal and prints it, as the panic unwinds through the terminal guard anyway).
    fn record(
        &mut self,
        id: ThreadId,
        name: Option<&str>,
        location: String,
        message: String,
    ) -> bool {
        if id == self.main {
            return false;
        }
        match &mut self.crash {
            Some(first) => first.more += 1,
            None => {
                self.crash = Some(Crash {
                    thread: name.map(str::to_string),
                    location,
                    message,
                    more: 0,
                });
            }
        }
        let _ = self.wake.send(Msg::Tick);
        true
    }
}

static WATCH: Mutex<Option<Watch>> = Mutex::new(None);

fn watch_slot() -> MutexGuard<'static, Option<Watch>> {
    WATCH.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, a panic on any thread but this one ends the viewer ([`check`]). Made before the
/// first worker starts, so none can die unseen.
pub struct Watching(());

impl Drop for Watching {
    fn drop(&mut self) {
        // From now on panics print as usual: nobody is left to report them.
        *watch_slot() = None;
    }
}

/// Start watching for panics; `wake` is the main loop's channel.
pub fn watch(wake: Sender<Msg>) -> Watching {
    *watch_slot() = Some(Watch {
        main: std::thread::current().id(),
        wake,
        crash: None,
    });
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !record(info) {
                terminal::restore();
                previous(info);
            }
        }));
    });
    Watching(())
}

/// Keep a worker's panic for the main loop; false when it must be printed now.
fn record(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let mut slot = watch_slot();
    let Some(watch) = slot.as_mut() else {
        return false;
    };
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    let location = info
        .location()
        .map_or_else(String::new, ToString::to_string);
    let thread = std::thread::current();
    watch.record(thread.id(), thread.name(), location, message)
}

/// The first worker panic so far, as an error.
pub fn check() -> Result<(), Crash> {
    match watch_slot().as_ref().and_then(|w| w.crash.clone()) {
        Some(crash) => Err(crash),
        None => Ok(()),
    }
}

/// Why a send to the `thread` worker failed: its panic, or (should it have ended otherwise) that.
pub fn stopped(thread: &str) -> anyhow::Error {
    match check() {
        Err(crash) => crash.into(),
        Ok(()) => anyhow::anyhow!("the {thread} thread stopped"),
    }
}

/// Test hook: `CHATSPOOL_TEST_PANIC=<thread>` makes that worker panic here, so the end-to-end
/// tests can see how the viewer ends. Debug builds only: a release build ignores it.
#[track_caller]
pub fn test_point(thread: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("CHATSPOOL_TEST_PANIC").is_some_and(|v| v == thread) {
        panic!("test panic in the {thread} thread (CHATSPOOL_TEST_PANIC)");
    }
    #[cfg(not(debug_assertions))]
    let _ = thread;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn other_thread() -> ThreadId {
        std::thread::spawn(|| std::thread::current().id())
            .join()
            .unwrap()
    }

    #[test]
    fn worker_panics_are_kept_and_wake_the_loop_the_main_threads_are_not() {
        let (wake, rx) = channel();
        let main = std::thread::current().id();
        let mut watch = Watch {
            main,
            wake,
            crash: None,
        };
        assert!(!watch.record(main, Some("main"), "a.rs:1:1".into(), "own".into()));
        assert!(watch.crash.is_none() && rx.try_recv().is_err());

        let worker = other_thread();
        assert!(watch.record(worker, Some("matcher"), "m.rs:2:3".into(), "boom".into()));
        assert!(matches!(rx.try_recv(), Ok(Msg::Tick)));
        assert!(watch.record(worker, None, "r.rs:4:5".into(), "later".into()));
        let crash = watch.crash.clone().unwrap();
        assert_eq!(
            crash.to_string(),
            "the matcher thread panicked at m.rs:2:3: boom (1 more thread(s) panicked after it)"
        );
    }

    #[test]
    fn an_unnamed_thread_is_said_so() {
        let crash = Crash {
            thread: None,
            location: "x.rs:1:1".into(),
            message: "index out of bounds".into(),
            more: 0,
        };
        assert_eq!(
            crash.to_string(),
            "a worker thread panicked at x.rs:1:1: index out of bounds"
        );
    }
}
