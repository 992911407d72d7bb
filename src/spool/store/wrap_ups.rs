//! Wrap-up events in the store: attached to their chat when it is loaded, waiting for it when
//! it is not, and merged into the row the store hands out (see [`merged_wrap_up`]).

use super::Store;
use crate::model::{merged_wrap_up, ChatSummary};
use crate::spool::read::FileRecord;
use std::sync::Arc;

/// How many distinct wrap-up events the spool holds (retries of one event count once): for a
/// chat that is loaded, and waiting for a chat that is not (yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WrapUpCounts {
    pub attached: usize,
    pub waiting: usize,
}

impl Store {
    /// The chats whose row may change with `record` coming or going. Nothing to do while the
    /// spool holds no wrap-up events at all (nearly every file of the initial load).
    pub(super) fn ids_to_refresh(&self, record: &FileRecord) -> Vec<Arc<str>> {
        if self.wrap_ups.is_empty() && self.merged.is_empty() {
            return Vec::new();
        }
        record.chat_ids().cloned().collect()
    }

    /// Drop the wrap-up events of a file that is removed (this very copy of each).
    pub(super) fn forget_wrap_ups(&mut self, record: &FileRecord) {
        for w in &record.wrap_ups {
            if let Some(list) = self.wrap_ups.get_mut(&w.chat_id) {
                list.retain(|x| !Arc::ptr_eq(x, w));
                if list.is_empty() {
                    self.wrap_ups.remove(&w.chat_id);
                }
            }
        }
    }

    /// Rebuild the row shown for chat `id` after its copies or its wrap-up events changed.
    pub(super) fn refresh(&mut self, id: &str) {
        let row = match (self.wrap_ups.get(id), self.best_copy(id)) {
            (Some(events), Some(best)) => {
                let own = best.wrap_up.as_ref().map(|w| (w, best.own_wrap_up_ms.at()));
                let wrap_up = merged_wrap_up(own, events.iter().map(|e| &**e));
                let same = match (&wrap_up, &best.wrap_up) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                };
                (!same).then(|| {
                    Arc::new(ChatSummary {
                        wrap_up,
                        ..ChatSummary::clone(best)
                    })
                })
            }
            _ => None,
        };
        match row {
            Some(row) => {
                self.merged.insert(row.id.clone(), row);
            }
            None => {
                self.merged.remove(id);
            }
        }
    }

    /// Distinct wrap-up events, attached and waiting.
    pub fn wrap_up_counts(&self) -> WrapUpCounts {
        let mut counts = WrapUpCounts::default();
        for (id, list) in &self.wrap_ups {
            let distinct = list
                .iter()
                .enumerate()
                .filter(|(i, e)| !list[..*i].iter().any(|p| p.wrap_up == e.wrap_up))
                .count();
            if self.copies.contains_key(id) {
                counts.attached += distinct;
            } else {
                counts.waiting += distinct;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PackedMs, Source, WrapUp, WrapUpEvent};
    use crate::spool::FileEntry;
    use chrono::DateTime;

    fn chat_file(id: &str, own: Option<&str>) -> FileEntry {
        let row = ChatSummary {
            id: id.into(),
            wrap_up: own.map(|c| {
                Arc::new(WrapUp {
                    category: Some(c.into()),
                    ..WrapUp::default()
                })
            }),
            own_wrap_up_ms: PackedMs::new(own.map(|_| 100_000)),
            ..ChatSummary::default()
        };
        super::super::tests::file_of(row)
    }

    fn event_file(id: &str, category: &str, secs: i64) -> FileEntry {
        let event = WrapUpEvent {
            chat_id: id.into(),
            wrap_up: Arc::new(WrapUp {
                category: Some(category.into()),
                time: DateTime::from_timestamp(secs, 0),
                ..WrapUp::default()
            }),
            source: Source::default(),
        };
        FileEntry {
            record: FileRecord {
                wrap_ups: vec![Arc::new(event)].into(),
                ..FileRecord::default()
            },
            ..FileEntry::default()
        }
    }

    fn shown(store: &Store, id: &str) -> Option<String> {
        store.best(id)?.wrap_up_category().map(str::to_string)
    }

    #[test]
    fn a_wrap_up_waits_for_its_chat_and_leaves_with_its_file() {
        let mut store = Store::new();
        store.upsert("w.json".into(), event_file("42", "Billing: Refund", 200));
        assert_eq!((store.len(), store.wrap_up_counts().waiting), (0, 1));
        store.upsert("c.json".into(), chat_file("42", None));
        assert_eq!(shown(&store, "42").as_deref(), Some("Billing: Refund"));
        assert_eq!(store.chats()[0].wrap_up_category(), Some("Billing: Refund"));
        assert_eq!(
            store.wrap_up_counts(),
            WrapUpCounts {
                attached: 1,
                waiting: 0
            }
        );
        // A retry counts once; deleting one copy keeps the other.
        store.upsert("w2.json".into(), event_file("42", "Billing: Refund", 200));
        assert_eq!(store.wrap_up_counts().attached, 1);
        store.remove("w.json");
        assert_eq!(shown(&store, "42").as_deref(), Some("Billing: Refund"));
        store.remove("w2.json");
        assert_eq!(shown(&store, "42"), None);
        assert_eq!(store.wrap_up_counts(), WrapUpCounts::default());
    }

    #[test]
    fn the_chat_keeps_its_own_wrap_up_when_it_is_newer() {
        let mut store = Store::new();
        store.upsert("c.json".into(), chat_file("7", Some("Sales: Quote")));
        store.upsert("old.json".into(), event_file("7", "Support: Login", 50));
        assert_eq!(shown(&store, "7").as_deref(), Some("Sales: Quote"));
        store.upsert("new.json".into(), event_file("7", "Billing: Refund", 150));
        assert_eq!(shown(&store, "7").as_deref(), Some("Billing: Refund"));
        assert_eq!(store.wrap_up_counts().attached, 2);
        // The chat file rewritten: the event still applies to the new copy.
        store.upsert("c.json".into(), chat_file("7", None));
        assert_eq!(shown(&store, "7").as_deref(), Some("Billing: Refund"));
        store.remove("c.json");
        assert_eq!((store.len(), store.wrap_up_counts().waiting), (0, 2));
    }
}
