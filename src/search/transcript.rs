//! `text:` terms answered from the transcript text store ([`crate::spool::texts`]) instead of
//! reading every candidate's file: each term is one parallel search of the store (or, when few
//! rows are left, of their texts only). Rows the store has no text for are read as before.

use crate::model::ChatSummary;
use crate::query::{Hit, Query};
use crate::spool::texts::{Bits, Stopped, Texts, NO_TEXT};
use crate::work::Control;
use rayon::prelude::*;
use std::sync::Arc;

/// The store and where each row's text lies in it ([`Texts::ids_for`] of the same rows).
#[derive(Clone, Copy)]
pub struct TextSource<'a> {
    pub texts: &'a Texts,
    pub ids: &'a [u32],
}

/// Search only the candidates' texts when they are fewer than the store's chats over this.
const FEW: usize = 8;

/// The hits of `by_row` whose transcripts satisfy the `text:` terms, in the same order.
/// `scan(rows)` answers for the rows the store has no text for (reading their files, counting
/// each row on `ctl`), in row order; `None` when cancelled. `ctl` counts chats searched.
pub fn filter(
    by_row: Vec<Hit>,
    chats: &[Arc<ChatSummary>],
    query: &Query,
    src: TextSource<'_>,
    ctl: Control<'_>,
    scan: &dyn Fn(Vec<Hit>) -> Option<Vec<Hit>>,
) -> Result<Vec<Hit>, Stopped> {
    if src.ids.len() != chats.len() {
        return Err(Stopped::Corrupt);
    }
    let mut among: Vec<u32> = by_row
        .iter()
        .map(|h| src.ids[h.index])
        .filter(|&k| k != NO_TEXT)
        .collect();
    among.sort_unstable();
    let few = among.len() < src.texts.chats() / FEW;
    let per_term = if few { among.len() } else { src.texts.chats() };
    let unstored = by_row.len() - among.len();
    ctl.begin(per_term * query.text_terms().count() + unstored);
    let terms: Vec<(Bits, bool)> = query
        .text_terms()
        .map(|(needle, neg)| {
            let bits = if few {
                src.texts.find_among(needle, &among, ctl)?
            } else {
                src.texts.find(needle, ctl)?
            };
            Ok((bits, neg))
        })
        .collect::<Result<_, Stopped>>()?;
    let (unstored, stored): (Vec<Hit>, Vec<Hit>) = by_row
        .into_par_iter()
        .partition(|h| src.ids[h.index] == NO_TEXT);
    let mut kept: Vec<Hit> = stored
        .into_par_iter()
        .filter(|h| {
            let k = src.ids[h.index];
            terms.iter().all(|(bits, neg)| bits.get(k) != *neg)
        })
        .collect();
    if !unstored.is_empty() {
        kept.extend(scan(unstored).ok_or(Stopped::Cancelled)?);
        kept.sort_unstable_by_key(|h| h.index);
    }
    Ok(kept)
}
