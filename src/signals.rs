//! Termination signals for the long-running commands (the viewer, `watch`): each turns the first
//! signal into a message on its own channel, so its main loop leaves cleanly.

/// Call `then`, on a thread of its own, when the first of `signals` arrives.
#[cfg(unix)]
pub fn on_first(
    signals: &[std::ffi::c_int],
    then: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(signals)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                then();
            }
        })?;
    Ok(())
}
