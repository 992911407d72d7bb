//! Where a spool's changes come from beyond its own directory: for the local copy of a bucket,
//! the bucket's poller (`crate::remote`), handed to the watch engine by the faces that open
//! spools, so the spool layer never depends on object storage.

use crate::spool::watch::Upstream;
use std::path::Path;

/// The upstream of the spool loaded from `root`, when it is the copy of a bucket this process
/// opened; `None` for a local spool.
#[cfg(feature = "remote")]
pub fn upstream(root: &Path) -> Option<Upstream> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    crate::remote::opened_url(&root)?;
    Some(Box::new(move |every, status| {
        crate::remote::follow(&root, every, status)
    }))
}

/// Without object storage, every spool is local.
#[cfg(not(feature = "remote"))]
pub fn upstream(_root: &Path) -> Option<Upstream> {
    None
}
