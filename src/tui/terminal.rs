//! Entering and leaving the full-screen terminal: every exit path (quit, error, panic, signal,
//! suspend) goes through `restore`, so the user's shell is always left as it was. The [`Guard`]
//! exists before anything is switched on, so a failure part-way through the set-up is undone too.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{stdout, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether mouse capture is on, so `restore` (also from the panic hook) knows to turn it off.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Whether `enter` has begun and `restore` has not run since: the terminal is restored once,
/// whether the panic hook, the guard or both get there.
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, bracketed paste and (optionally) mouse capture.
pub fn enter(mouse: bool) -> std::io::Result<()> {
    // Marked before the first switch: a failure after raw mode is on must still be undone.
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    set_mouse(mouse)
}

pub fn set_mouse(on: bool) -> std::io::Result<()> {
    MOUSE.store(on, Ordering::SeqCst);
    if on {
        execute!(stdout(), EnableMouseCapture)
    } else {
        execute!(stdout(), DisableMouseCapture)
    }
}

/// Undo everything `enter` did. Safe to call more than once (only the first call after `enter`
/// writes anything) and from a panic.
pub fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// The whole screen as a rectangle.
fn screen_area() -> std::io::Result<Rect> {
    let (w, h) = crossterm::terminal::size()?;
    Ok(Rect::new(0, 0, w, h))
}

/// Arm the guard, then set up the terminal: the guard comes first, so that a failure anywhere in
/// the set-up (raw mode already on) still restores the terminal.
///
/// The viewport is a fixed rectangle we resize ourselves ([`fit`]): ratatui's fullscreen mode
/// asks the terminal for the cursor position (at start and on `clear`), and that answer races
/// with the input thread reading stdin — or never comes from a terminal that does not reply.
pub fn init(mouse: bool) -> std::io::Result<(Guard, Term)> {
    Guard::enter(Crossterm, mouse, || {
        let options = TerminalOptions {
            viewport: Viewport::Fixed(screen_area()?),
        };
        let mut term = Terminal::with_options(CrosstermBackend::new(stdout()), options)?;
        redraw(&mut term)?;
        Ok(term)
    })
}

/// Follow the terminal's size (after a resize event, or before each draw).
pub fn fit(term: &mut Term) -> std::io::Result<()> {
    let area = screen_area()?;
    if area != term.get_frame().area() {
        term.resize(area)?;
    }
    Ok(())
}

/// Clear the screen and draw everything again on the next frame (Ctrl-L, after a resume).
pub fn redraw(term: &mut Term) -> std::io::Result<()> {
    term.resize(screen_area()?)
}

/// What a viewer switches on and must switch off again: [`Crossterm`] is the real terminal;
/// tests put a fake in its place to see what is undone, and when.
pub trait Screen {
    /// Switch everything on; may fail part-way, with some of it on.
    fn enter(&mut self, mouse: bool) -> std::io::Result<()>;
    /// Switch off whatever is on.
    fn restore(&mut self);
}

/// The real terminal, through [`enter`] and [`restore`].
pub struct Crossterm;

impl Screen for Crossterm {
    fn enter(&mut self, mouse: bool) -> std::io::Result<()> {
        enter(mouse)
    }

    fn restore(&mut self) {
        restore();
    }
}

/// Restores the screen when dropped: covers early returns with `?`, errors during the set-up and
/// panics on the thread that holds it.
pub struct Guard<S: Screen = Crossterm>(S);

impl<S: Screen> Guard<S> {
    /// Make the guard, then switch the screen on and run `then` (building what draws on it): if
    /// either fails, the guard already exists and undoes what was switched on.
    pub fn enter<T>(
        screen: S,
        mouse: bool,
        then: impl FnOnce() -> std::io::Result<T>,
    ) -> std::io::Result<(Self, T)> {
        let mut guard = Guard(screen);
        guard.0.enter(mouse)?;
        let value = then()?;
        Ok((guard, value))
    }
}

impl<S: Screen> Drop for Guard<S> {
    fn drop(&mut self) {
        self.0.restore();
    }
}

/// Ctrl-Z: give the terminal back, stop, and take it again when the shell resumes us.
#[cfg(unix)]
pub fn suspend(term: &mut Term) -> std::io::Result<()> {
    let mouse = MOUSE.load(Ordering::SeqCst);
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enter(mouse)?;
    redraw(term)
}

#[cfg(not(unix))]
pub fn suspend(_term: &mut Term) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::io::Error;
    use std::rc::Rc;

    /// A screen that logs what is switched on and off, and can fail after raw mode is on.
    struct Fake {
        log: Rc<RefCell<Vec<&'static str>>>,
        fail_in_enter: bool,
    }

    impl Screen for Fake {
        fn enter(&mut self, _mouse: bool) -> std::io::Result<()> {
            self.log.borrow_mut().push("raw on");
            if self.fail_in_enter {
                return Err(Error::other("no alternate screen"));
            }
            self.log.borrow_mut().push("alternate on");
            Ok(())
        }

        fn restore(&mut self) {
            self.log.borrow_mut().push("restored");
        }
    }

    fn fake(fail_in_enter: bool) -> (Fake, Rc<RefCell<Vec<&'static str>>>) {
        let log = Rc::default();
        let screen = Fake {
            log: Rc::clone(&log),
            fail_in_enter,
        };
        (screen, log)
    }

    #[test]
    fn a_failure_after_raw_mode_is_on_restores() {
        let (screen, log) = fake(true);
        assert!(Guard::enter(screen, true, || Ok(())).is_err());
        assert_eq!(*log.borrow(), ["raw on", "restored"]);
    }

    #[test]
    fn a_failure_building_the_terminal_restores() {
        let (screen, log) = fake(false);
        let built: std::io::Result<()> = Err(Error::other("no size"));
        assert!(Guard::enter(screen, true, || built).is_err());
        assert_eq!(*log.borrow(), ["raw on", "alternate on", "restored"]);
    }

    #[test]
    fn the_terminal_stays_on_while_the_guard_lives_and_is_restored_once() {
        let (screen, log) = fake(false);
        let (guard, ()) = Guard::enter(screen, false, || Ok(())).unwrap();
        assert_eq!(*log.borrow(), ["raw on", "alternate on"]);
        drop(guard);
        assert_eq!(*log.borrow(), ["raw on", "alternate on", "restored"]);
    }

    #[test]
    fn a_panic_while_the_guard_lives_restores() {
        let (screen, log) = fake(false);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = Guard::enter(screen, false, || Ok(())).unwrap();
            panic!("drawing failed");
        }));
        assert!(result.is_err());
        assert_eq!(*log.borrow(), ["raw on", "alternate on", "restored"]);
    }
}
