//! Merging journals into one review per chat.
//!
//! Records are applied in time order (milliseconds, [`Record::order`]), ties broken by journal
//! name and then by position in the journal, so every reader computes the same result from the
//! same files. Within one journal, file order wins over clocks: a record never goes before one
//! written earlier to the same file, even if the clock stepped back.

use super::journal::JournalSet;
use super::{ChatReview, Mark, Note, Op, Record, Reviews};
use std::collections::HashMap;
use std::sync::Arc;

/// The merged reviews of every journal in `set`.
pub fn merge(set: &JournalSet) -> Reviews {
    let mut all: Vec<(i64, usize, usize, &Record)> = Vec::new();
    for (j, journal) in set.journals.values().enumerate() {
        let mut floor = i64::MIN;
        for (pos, r) in journal.records.iter().enumerate() {
            floor = floor.max(r.order);
            all.push((floor, j, pos, r));
        }
    }
    all.sort_unstable_by_key(|&(at, j, pos, _)| (at, j, pos));
    let mut chats: HashMap<Arc<str>, ChatReview> = HashMap::new();
    for &(_, _, _, r) in &all {
        let review = chats.entry(Arc::from(r.chat.as_str())).or_default();
        apply(review, r);
    }
    Reviews {
        chats,
        journals: set.journals.len(),
        entries: all.len(),
        problems: set.problems(),
    }
}

impl Reviews {
    /// The reviews one journal holding `records` (in that order) gives: for tests and tools.
    pub fn from_records(records: Vec<Record>) -> Reviews {
        let mut set = JournalSet::default();
        set.journals.insert(
            String::new(),
            super::journal::Journal {
                records,
                ..Default::default()
            },
        );
        merge(&set)
    }
}

/// One record applied to a chat's review.
pub(super) fn apply(review: &mut ChatReview, r: &Record) {
    match r.op {
        Op::Tag => {
            if !review.tags.contains(&r.value) {
                review.tags.push(r.value.clone());
            }
        }
        Op::Untag => review.tags.retain(|t| *t != r.value),
        Op::Note => review.notes.push(Note {
            text: r.value.clone(),
            author: r.author.clone(),
            at: r.at,
        }),
        Op::Review => {
            review.reviewed = Some(Mark {
                author: r.author.clone(),
                at: r.at,
            });
        }
        Op::Unreview => review.reviewed = None,
        Op::Score => {
            // Checked when the record was read: a card that does not decode never gets here.
            let Ok(card) = super::card::decode(&r.value) else {
                return;
            };
            review.scorecards.retain(|c| c.author != r.author);
            review.scorecards.push(crate::model::score::Scorecard {
                author: r.author.clone(),
                at: r.at,
                rubric: card.rubric,
                items: card.items,
                max: card.max,
                comment: card.comment,
            });
        }
        Op::Sample => {
            if !review.samples.contains(&r.value) {
                review.samples.push(r.value.clone());
            }
        }
        Op::Unsample => review.samples.retain(|s| *s != r.value),
    }
}
