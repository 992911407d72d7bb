//! The two Parquet tables' columns — names, Arrow types and where each value comes from — and
//! the builders that turn a batch of chats into Arrow record batches.
//!
//! The chats table is defined once, as [`CHATS`]: each column names the `list --json` field it
//! takes (a path into the chat's row), so the table equals `list --json` field by field by
//! construction, and a figure added to the list later is one line here. The row is the
//! `list --json` object with a few fields the list does not carry added (country, city,
//! browser, os, language, rating comment) and the times as milliseconds (the list's strings
//! are whole seconds).

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMillisecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use serde_json::Value;
use std::sync::Arc;

/// A column's type: what the row's value becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 string; a value that is not a string is kept as its compact JSON.
    Text,
    /// 64-bit signed integer (every engine has one; unsigned types are not portable).
    Int,
    /// 64-bit float (a score with its decimal).
    Float,
    Bool,
    /// `TIMESTAMP(MILLIS, UTC)`, from milliseconds since the epoch or an RFC 3339 string.
    Time,
    /// A list of UTF-8 strings (never null: empty when there are none).
    Texts,
}

/// One column of the chats table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// Where the value is in the row: a `/`-separated path (`status/code`).
    pub from: &'static str,
}

/// A column holding the row's field of the same name.
const fn c(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        from: name,
    }
}

/// A column holding the value at `from` in the row.
const fn at(name: &'static str, kind: Kind, from: &'static str) -> Column {
    Column { name, kind, from }
}

use Kind::{Bool, Float, Int, Text, Texts, Time};

/// The chats table, in order. A field added to `list --json` (a `ListItem` field) gets its
/// column here, one line (the test `every_list_field_has_a_chats_column` fails until it does).
pub const CHATS: &[Column] = &[
    c("id", Text),
    c("source", Text),
    c("line", Int),
    c("started_at", Time),
    c("ended_at", Time),
    c("visitor", Text),
    c("visitor_email", Text),
    c("agents", Texts),
    c("department", Text),
    c("country", Text),
    c("city", Text),
    c("browser", Text),
    c("os", Text),
    c("language", Text),
    at("status_code", Int, "status/code"),
    at("status", Text, "status/label"),
    c("wait_secs", Int),
    c("duration_secs", Int),
    c("first_response_secs", Int),
    c("rating", Int),
    c("rating_comment", Text),
    c("wrap_up", Text),
    c("messages", Int),
    c("tags", Texts),
    c("reviewed", Bool),
    c("notes", Int),
    c("reply_count", Int),
    c("reply_p50_secs", Int),
    c("reply_max_secs", Int),
    c("unanswered_turns", Int),
    c("last_from", Text),
    c("responders", Texts),
    c("transfers", Int),
    c("bot", Text),
    c("sla_breaches", Int),
    c("sla", Text),
    c("score", Float),
];

/// The messages table, in order: one row per transcript entry (the `show --json` entry:
/// `clock` is its `time`, `seq` its 0-based place in the transcript).
pub const MESSAGES: &[(&str, Kind)] = &[
    ("chat_id", Text),
    ("seq", Int),
    ("at", Time),
    ("clock", Text),
    ("kind", Text),
    ("speaker", Text),
    ("text", Text),
    ("reply_secs", Int),
];

/// Messages columns that are never null. In the chats table only lists are (empty when there
/// is nothing): its row is data read from files, so any other value may be missing.
const REQUIRED: &[&str] = &["chat_id", "seq", "kind", "text"];

fn field(name: &str, kind: Kind, table: &[&str]) -> Field {
    let nullable = kind != Texts && !table.contains(&name);
    let t = match kind {
        Text => DataType::Utf8,
        Int => DataType::Int64,
        Float => DataType::Float64,
        Bool => DataType::Boolean,
        Time => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        Texts => DataType::List(Arc::new(item())),
    };
    Field::new(name, t, nullable)
}

/// A list's element field, as Arrow names it by default.
fn item() -> Field {
    Field::new("item", DataType::Utf8, true)
}

/// The chats table's schema.
pub fn chats_schema() -> SchemaRef {
    Arc::new(Schema::new(
        CHATS
            .iter()
            .map(|c| field(c.name, c.kind, &[]))
            .collect::<Vec<_>>(),
    ))
}

/// The messages table's schema.
pub fn messages_schema() -> SchemaRef {
    Arc::new(Schema::new(
        MESSAGES
            .iter()
            .map(|(n, k)| field(n, *k, REQUIRED))
            .collect::<Vec<_>>(),
    ))
}

/// One column being filled.
enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Time(TimestampMillisecondBuilder),
    Texts(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: Kind) -> Self {
        match kind {
            Text => Builder::Text(StringBuilder::new()),
            Int => Builder::Int(Int64Builder::new()),
            Float => Builder::Float(Float64Builder::new()),
            Bool => Builder::Bool(BooleanBuilder::new()),
            Time => Builder::Time(TimestampMillisecondBuilder::new().with_timezone("UTC")),
            Texts => Builder::Texts(ListBuilder::new(StringBuilder::new()).with_field(item())),
        }
    }

    /// Append a JSON value, converted to the column's type (null when it cannot be).
    fn push(&mut self, v: Option<&Value>) {
        let v = v.filter(|v| !v.is_null());
        match self {
            Builder::Text(b) => match v {
                None => b.append_null(),
                Some(Value::String(s)) => b.append_value(s),
                Some(other) => b.append_value(other.to_string()),
            },
            Builder::Int(b) => b.append_option(v.and_then(int)),
            Builder::Float(b) => b.append_option(v.and_then(Value::as_f64)),
            Builder::Bool(b) => b.append_option(v.and_then(Value::as_bool)),
            Builder::Time(b) => b.append_option(v.and_then(millis)),
            Builder::Texts(b) => {
                for x in v.and_then(Value::as_array).into_iter().flatten() {
                    match x {
                        Value::String(s) => b.values().append_value(s),
                        Value::Null => b.values().append_null(),
                        other => b.values().append_value(other.to_string()),
                    }
                }
                b.append(true);
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => ArrayBuilder::finish(b),
            Builder::Int(b) => ArrayBuilder::finish(b),
            Builder::Float(b) => ArrayBuilder::finish(b),
            Builder::Bool(b) => ArrayBuilder::finish(b),
            Builder::Time(b) => ArrayBuilder::finish(b),
            Builder::Texts(b) => ArrayBuilder::finish(b),
        }
    }
}

/// A JSON number as a 64-bit integer (an unsigned one past `i64::MAX` saturates).
fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
}

/// Milliseconds since the epoch, from a number of them or an RFC 3339 string.
fn millis(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.timestamp_millis()),
        other => int(other),
    }
}

/// The value at a `/`-separated path in a row.
fn get<'v>(row: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('/').try_fold(row, |v, key| v.get(key))
}

/// Chats rows being gathered into one record batch.
pub struct Chats {
    columns: Vec<Builder>,
    rows: usize,
}

impl Default for Chats {
    fn default() -> Self {
        Chats {
            columns: CHATS.iter().map(|c| Builder::new(c.kind)).collect(),
            rows: 0,
        }
    }
}

impl Chats {
    /// Add one chat's row (see the module comment for what it holds).
    pub fn push(&mut self, row: &Value) {
        for (b, c) in self.columns.iter_mut().zip(CHATS) {
            b.push(get(row, c.from));
        }
        self.rows += 1;
    }

    pub fn count(&self) -> usize {
        self.rows
    }

    /// The rows gathered so far as a record batch; the builders start again empty.
    pub fn batch(&mut self) -> Result<RecordBatch, String> {
        self.rows = 0;
        let arrays = self.columns.iter_mut().map(Builder::finish).collect();
        RecordBatch::try_new(chats_schema(), arrays).map_err(|e| e.to_string())
    }
}

/// One messages row, owned: built from a transcript entry on a worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub seq: i64,
    pub at: Option<i64>,
    pub clock: Option<String>,
    pub kind: &'static str,
    pub speaker: Option<String>,
    pub text: String,
    pub reply_secs: Option<u32>,
}

/// Messages rows being gathered into one record batch.
pub struct Messages {
    chat_id: StringBuilder,
    seq: Int64Builder,
    at: TimestampMillisecondBuilder,
    clock: StringBuilder,
    kind: StringBuilder,
    speaker: StringBuilder,
    text: StringBuilder,
    reply_secs: Int64Builder,
    rows: usize,
}

impl Default for Messages {
    fn default() -> Self {
        Messages {
            chat_id: StringBuilder::new(),
            seq: Int64Builder::new(),
            at: TimestampMillisecondBuilder::new().with_timezone("UTC"),
            clock: StringBuilder::new(),
            kind: StringBuilder::new(),
            speaker: StringBuilder::new(),
            text: StringBuilder::new(),
            reply_secs: Int64Builder::new(),
            rows: 0,
        }
    }
}

impl Messages {
    pub fn push(&mut self, chat_id: &str, m: &Message) {
        self.chat_id.append_value(chat_id);
        self.seq.append_value(m.seq);
        self.at.append_option(m.at);
        self.clock.append_option(m.clock.as_deref());
        self.kind.append_value(m.kind);
        self.speaker.append_option(m.speaker.as_deref());
        self.text.append_value(&m.text);
        self.reply_secs.append_option(m.reply_secs.map(i64::from));
        self.rows += 1;
    }

    pub fn count(&self) -> usize {
        self.rows
    }

    /// The rows gathered so far as a record batch, in [`MESSAGES`] order.
    pub fn batch(&mut self) -> Result<RecordBatch, String> {
        self.rows = 0;
        let arrays: Vec<ArrayRef> = vec![
            ArrayBuilder::finish(&mut self.chat_id),
            ArrayBuilder::finish(&mut self.seq),
            ArrayBuilder::finish(&mut self.at),
            ArrayBuilder::finish(&mut self.clock),
            ArrayBuilder::finish(&mut self.kind),
            ArrayBuilder::finish(&mut self.speaker),
            ArrayBuilder::finish(&mut self.text),
            ArrayBuilder::finish(&mut self.reply_secs),
        ];
        RecordBatch::try_new(messages_schema(), arrays).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use serde_json::json;

    #[test]
    fn a_row_becomes_typed_columns_with_nulls_where_unknown() {
        let mut t = Chats::default();
        t.push(&json!({
            "id": "a", "source": "a.json", "line": null, "started_at": 1_598_954_400_123_i64,
            "ended_at": "2020-09-01T10:01:35Z", "agents": ["Walid", "Ann"], "tags": [],
            "status": {"code": 2, "label": "chatting"}, "reviewed": true, "notes": 2,
            "wait_secs": 12, "rating": null,
        }));
        let b = t.batch().unwrap();
        assert_eq!(b.num_rows(), 1);
        assert_eq!(b.num_columns(), CHATS.len());
        let col = |n: &str| b.column_by_name(n).unwrap().clone();
        let started = col("started_at");
        let started = started
            .as_any()
            .downcast_ref::<arrow_array::TimestampMillisecondArray>()
            .unwrap();
        assert_eq!(started.value(0), 1_598_954_400_123);
        let ended = col("ended_at");
        let ended = ended
            .as_any()
            .downcast_ref::<arrow_array::TimestampMillisecondArray>()
            .unwrap();
        assert_eq!(ended.value(0), 1_598_954_495_000);
        let code = col("status_code");
        let code = code
            .as_any()
            .downcast_ref::<arrow_array::Int64Array>()
            .unwrap();
        assert_eq!(code.value(0), 2);
        assert!(col("rating").is_null(0));
        assert!(col("line").is_null(0));
        assert!(col("visitor").is_null(0));
        let agents = col("agents");
        let agents = agents
            .as_any()
            .downcast_ref::<arrow_array::ListArray>()
            .unwrap();
        assert_eq!(agents.value(0).len(), 2);
        assert!(!col("tags").is_null(0));
    }

    #[test]
    fn a_value_of_an_unexpected_shape_is_kept_or_null_never_a_panic() {
        let mut t = Chats::default();
        t.push(
            &json!({"id": 7, "source": {"x": 1}, "messages": "many", "agents": "Walid",
            "started_at": "yesterday", "reviewed": "yes"}),
        );
        t.push(&json!(null));
        let b = t.batch().unwrap();
        assert_eq!(b.num_rows(), 2);
        let id = b.column_by_name("id").unwrap();
        let id = id
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        assert_eq!(id.value(0), "7");
        assert!(b.column_by_name("messages").unwrap().is_null(0));
        assert!(b.column_by_name("started_at").unwrap().is_null(0));
    }

    #[test]
    fn column_names_are_unique() {
        let mut names: Vec<&str> = CHATS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
