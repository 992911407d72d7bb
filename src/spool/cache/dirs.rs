//! Where the cache lives: `$XDG_CACHE_HOME/chatspool`, else `$HOME/.cache/chatspool`, else
//! nowhere (chatspool then runs without the cache and says so once). The rules are
//! [`crate::dirs`]'s, shared with the config file and the log.

use std::path::PathBuf;

/// Where chatspool keeps its caches; `None` when there is nowhere (then it runs without them).
pub fn cache_dir() -> Option<PathBuf> {
    crate::dirs::own(crate::dirs::Dir::Cache)
}

/// What to tell the user, once, when the cache is wanted but there is nowhere to keep it.
pub fn unavailable(reading: crate::spool::Reading) -> Option<&'static str> {
    (reading.cache && cache_dir().is_none()).then_some(
        "no cache directory (XDG_CACHE_HOME unset or relative, no HOME): running without the index cache",
    )
}
