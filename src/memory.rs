//! Giving freed memory back to the system. glibc's allocator keeps what a program frees for
//! reuse, and gives each thread that allocates its own arena (up to eight per core), each
//! holding its own free memory: after the first load (every file's bytes and parse, freed at
//! once), an index build or a search that read files, the viewer would keep megabytes it no
//! longer uses. Elsewhere (musl, other systems) these do nothing.
//!
//! Two calls into glibc that take plain integers and touch no memory of ours: with `geteuid` in
//! `review::journal` and `geteuid` and `atexit` in `remote::mirror`, the only `unsafe` in
//! chatspool.

#![allow(unsafe_code)]

/// Use at most two arenas: the viewer's threads (loader, watcher, matcher, indexer, reader and
/// the thread pool) then share them instead of each keeping its own free memory. Called before
/// any thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator setting; no memory is touched.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Return the free memory of every arena to the system (after a load, an index build, a
/// search that read files).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
