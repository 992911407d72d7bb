//! Wrap-ups: what the agent filled in about a chat (category, comment, fields), and how the
//! chat's own wrap-up and later `chat_wrapped_up` events for it come together.

use super::{time, Field, Source};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// The agent's wrap-up of the chat.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct WrapUp {
    pub category: Option<String>,
    pub comment: Option<String>,
    pub fields: Vec<Field>,
    #[serde(serialize_with = "time::serialize_opt_rfc3339")]
    pub time: Option<DateTime<Utc>>,
}

impl WrapUp {
    /// A wrap-up with nothing in it is shown as no wrap-up at all.
    pub fn is_empty(&self) -> bool {
        self.category.as_deref().is_none_or(str::is_empty)
            && self.comment.as_deref().is_none_or(str::is_empty)
            && self.fields.is_empty()
    }

    /// The same category, comment and fields, whatever the times.
    pub fn same_content(&self, other: &WrapUp) -> bool {
        self.category == other.category
            && self.comment == other.comment
            && self.fields == other.fields
    }
}

/// An optional instant in epoch milliseconds, in 8 bytes rather than an `Option`'s 16: a
/// chat's row is budgeted per byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedMs(i64);

impl Default for PackedMs {
    fn default() -> Self {
        PackedMs::NONE
    }
}

impl PackedMs {
    pub const NONE: PackedMs = PackedMs(i64::MIN);

    /// `i64::MIN` milliseconds (long before any date chatspool reads) is taken for none.
    pub fn new(ms: Option<i64>) -> Self {
        ms.map_or(PackedMs::NONE, PackedMs)
    }

    pub fn get(self) -> Option<i64> {
        (self != PackedMs::NONE).then_some(self.0)
    }

    pub fn at(self) -> Option<DateTime<Utc>> {
        self.get().and_then(DateTime::from_timestamp_millis)
    }
}

/// A wrap-up that reached the spool on its own, as a `chat_wrapped_up` (or `chat_wraped_up`)
/// webhook: the agent fills it in after the chat ended, so it usually arrives after the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapUpEvent {
    /// The chat it belongs to, spelled as chat ids are (integers as their digits).
    pub chat_id: Arc<str>,
    pub wrap_up: Arc<WrapUp>,
    /// Where the event was read from.
    pub source: Source,
}

/// The wrap-up to show for a chat, from its own (`own`, as the chat's body had it, with its
/// time) and the events for it: the filled one with the latest `time` wins (no time counts as
/// the oldest), so an empty one never replaces a filled one. On equal times an event beats the
/// chat's own and the later file beats the earlier, so the choice never depends on load order.
/// `None` when nothing has anything in it.
pub fn merged_wrap_up<'a>(
    own: Option<(&'a Arc<WrapUp>, Option<DateTime<Utc>>)>,
    events: impl IntoIterator<Item = &'a WrapUpEvent>,
) -> Option<Arc<WrapUp>> {
    type Key<'k> = (Option<DateTime<Utc>>, Option<(&'k str, Option<u32>)>);
    type Candidate<'k> = (&'k Arc<WrapUp>, Option<DateTime<Utc>>, Option<&'k Source>);
    let key =
        |(_, time, src): &Candidate<'a>| -> Key<'a> { (*time, src.map(|s| (&*s.path, s.line))) };
    events
        .into_iter()
        .map(|e| (&e.wrap_up, e.wrap_up.time, Some(&e.source)))
        .chain(own.map(|(w, time)| (w, time, None)))
        .filter(|(w, _, _)| !w.is_empty())
        .max_by(|a, b| key(a).cmp(&key(b)))
        .map(|(w, _, _)| w.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(category: &str, secs: Option<i64>) -> Arc<WrapUp> {
        Arc::new(WrapUp {
            category: (!category.is_empty()).then(|| category.to_string()),
            time: secs.and_then(|s| DateTime::from_timestamp(s, 0)),
            ..WrapUp::default()
        })
    }

    fn event(category: &str, secs: Option<i64>, path: &str) -> WrapUpEvent {
        WrapUpEvent {
            chat_id: "42".into(),
            wrap_up: wrap(category, secs),
            source: Source {
                path: path.into(),
                line: None,
            },
        }
    }

    fn category(w: Option<Arc<WrapUp>>) -> Option<String> {
        w.and_then(|w| w.category.clone())
    }

    #[test]
    fn the_latest_filled_wrap_up_wins() {
        let own = wrap("Sales: Quote", Some(100));
        let later = event("Billing: Refund", Some(200), "b.json");
        let earlier = event("Support: Login", Some(50), "a.json");
        let merged = merged_wrap_up(Some((&own, own.time)), [&earlier, &later]);
        assert_eq!(category(merged).as_deref(), Some("Billing: Refund"));
        // The chat's own wrap-up, written after the event, stays.
        let own = wrap("Sales: Quote", Some(300));
        let merged = merged_wrap_up(Some((&own, own.time)), [&earlier, &later]);
        assert_eq!(category(merged).as_deref(), Some("Sales: Quote"));
    }

    #[test]
    fn an_empty_wrap_up_never_replaces_a_filled_one() {
        let own = wrap("Sales: Quote", Some(100));
        let empty = event("", Some(999), "z.json");
        let merged = merged_wrap_up(Some((&own, own.time)), [&empty]);
        assert_eq!(category(merged).as_deref(), Some("Sales: Quote"));
        assert_eq!(merged_wrap_up(None, [&empty]), None);
    }

    #[test]
    fn ties_and_missing_times_are_decided_the_same_way_whatever_the_order() {
        let own = wrap("Own", Some(100));
        let a = event("A", Some(100), "a.json");
        let b = event("B", Some(100), "b.json");
        let untimed = event("Untimed", None, "c.json");
        for events in [[&a, &b, &untimed], [&untimed, &b, &a]] {
            let merged = merged_wrap_up(Some((&own, own.time)), events);
            assert_eq!(category(merged).as_deref(), Some("B"));
        }
        let merged = merged_wrap_up(None, [&untimed]);
        assert_eq!(category(merged).as_deref(), Some("Untimed"));
    }
}
