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
    // The chats still possible, narrowed term by term: the terms that must match first, so
    // the later ones (and every negated one) search only what is left.
    let total = src.texts.chats();
    let mut left = Bits::empty(total);
    by_row
        .iter()
        .map(|h| src.ids[h.index])
        .filter(|&k| k != NO_TEXT)
        .for_each(|k| left.set(k));
    let mut terms: Vec<(&str, bool)> = query.text_terms().collect();
    terms.sort_by_key(|&(_, neg)| neg);
    let unstored = by_row.len() - left.count();
    ctl.begin(total * terms.len() + unstored);
    for (needle, neg) in terms {
        let n = left.count();
        let bits = if n < total / FEW {
            let among: Vec<u32> = left.iter().collect();
            let bits = src.texts.find_among(needle, &among, ctl)?;
            ctl.add(total - n);
            bits
        } else {
            src.texts.find(needle, ctl)?
        };
        left.keep(&bits, neg);
    }
    let (unstored, stored): (Vec<Hit>, Vec<Hit>) = by_row
        .into_par_iter()
        .partition(|h| src.ids[h.index] == NO_TEXT);
    let mut kept: Vec<Hit> = stored
        .into_par_iter()
        .filter(|h| left.get(src.ids[h.index]))
        .collect();
    if !unstored.is_empty() {
        kept.extend(scan(unstored).ok_or(Stopped::Cancelled)?);
        kept.sort_unstable_by_key(|h| h.index);
    }
    Ok(kept)
}
