//! Entering and leaving the full-screen terminal: every exit path (quit, error, panic, signal,
//! suspend) goes through `restore`, so the user's shell is always left as it was.

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

/// Raw mode, alternate screen, bracketed paste and (optionally) mouse capture.
pub fn enter(mouse: bool) -> std::io::Result<()> {
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

/// Undo everything `enter` did. Safe to call more than once and from a panic.
pub fn restore() {
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

/// Set up the terminal and a panic hook that restores it before the panic message prints.
///
/// The viewport is a fixed rectangle we resize ourselves ([`fit`]): ratatui's fullscreen mode
/// asks the terminal for the cursor position (at start and on `clear`), and that answer races
/// with the input thread reading stdin — or never comes from a terminal that does not reply.
pub fn init(mouse: bool) -> std::io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enter(mouse)?;
    let options = TerminalOptions {
        viewport: Viewport::Fixed(screen_area()?),
    };
    let mut term = Terminal::with_options(CrosstermBackend::new(stdout()), options)?;
    redraw(&mut term)?;
    Ok(term)
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

/// Restores the terminal when dropped: covers early returns with `?`.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
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
