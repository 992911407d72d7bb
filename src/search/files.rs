//! `text:` terms answered by reading the candidates' transcripts from their files: without a
//! text store (`--no-cache`, a small spool, while the store is first built) and for the rows
//! the store has no text for.

use crate::model::{ChatSummary, Source};
use crate::query::{Hit, Query};
use crate::spool::reload::load_chats_with;
use crate::work::Control;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The hits whose transcripts (read from the files) match the `text:` terms, in row order.
/// Hits are grouped by file, so each file is read and split once, however many chats it holds.
/// Each file counts its rows on `ctl` once read; `None` when `ctl` says the search was
/// cancelled (asked before each file).
pub fn filter(
    chats: &[Arc<ChatSummary>],
    hits: Vec<Hit>,
    query: &Query,
    root: &Path,
    ctl: Control<'_>,
) -> Option<Vec<Hit>> {
    let mut by_file: HashMap<&str, Vec<Hit>> = HashMap::new();
    for h in hits {
        by_file
            .entry(&chats[h.index].source.path)
            .or_default()
            .push(h);
    }
    let files: Vec<Vec<Hit>> = by_file.into_values().collect();
    let kept: Option<Vec<Vec<Hit>>> = files
        .into_par_iter()
        .map(|hits| {
            if ctl.cancelled() {
                return None;
            }
            let rows: Vec<(&Source, &str)> = hits
                .iter()
                .map(|h| (&chats[h.index].source, &*chats[h.index].id))
                .collect();
            let matched = load_chats_with(root, &rows, |chat| {
                chat.is_ok_and(|chat| query.match_transcript(&chat.transcript))
            });
            ctl.add(hits.len());
            let kept = hits.into_iter().zip(matched);
            Some(kept.filter_map(|(h, yes)| yes.then_some(h)).collect())
        })
        .collect();
    let mut kept: Vec<Hit> = kept?.into_iter().flatten().collect();
    kept.sort_unstable_by_key(|h| h.index);
    Some(kept)
}
