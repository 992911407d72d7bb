//! Domain types for one chat as chatspool understands it, independent of how the webhook spelled it.
//!
//! `payload` turns a webhook body into a [`Chat`]; `transcript` splits and attributes the transcript;
//! `time` reads the many date and duration forms. A [`ChatSummary`] is the compact row the list,
//! the query language and the cache work on; the full [`Chat`] is parsed again on demand.

pub mod calibration;
pub mod payload;
pub mod rank;
pub mod review;
pub mod score;
pub mod shown;
pub mod sla;
pub mod time;
pub mod transcript;
pub mod turns;
mod wrap_up;

pub use wrap_up::{merged_wrap_up, PackedMs, WrapUp, WrapUpEvent};
pub mod zone;

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// Who wrote a transcript entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Agent,
    Visitor,
    Bot,
    System,
}

impl SpeakerKind {
    /// The word shown next to an entry, so speakers stay distinct without colour.
    pub fn label(self) -> &'static str {
        match self {
            SpeakerKind::Agent => "agent",
            SpeakerKind::Visitor => "visitor",
            SpeakerKind::Bot => "bot",
            SpeakerKind::System => "system",
        }
    }
}

/// One transcript entry: a message or a system line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: SpeakerKind,
    /// The speaker as written; `None` for system lines.
    pub speaker: Option<String>,
    /// The clock exactly as written (`"03:30:01"`); `None` when the line carries none.
    pub time: Option<String>,
    /// The full instant rebuilt from the chat's start time, with midnight rollover.
    #[serde(serialize_with = "time::serialize_opt_rfc3339")]
    pub at: Option<DateTime<Utc>>,
    /// The message text (may span several lines); for system lines the whole line.
    pub text: String,
}

/// Visitor status code and its decoded label. Unknown codes keep their number as label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status(pub i64);

impl Status {
    /// The label Comm100 documents for the code, if it is one we know.
    pub fn known_label(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "waiting for chat",
            1 => "voice chatting",
            2 => "chatting",
            3 => "pre-chat",
            4 => "manually invited",
            5 => "auto invited",
            6 => "offline message",
            7 => "refused by agent",
            8 => "refused by visitor",
            9 => "chat ended",
            10 => "in site",
            11 => "out of site",
            _ => return None,
        })
    }

    /// Label for display: known label, or the number itself for codes newer platforms added.
    pub fn label(self) -> String {
        self.known_label()
            .map_or_else(|| self.0.to_string(), str::to_string)
    }

    /// Every known code with its label, for error messages and help.
    pub fn all_known() -> impl Iterator<Item = (i64, &'static str)> {
        (0..=11).filter_map(|c| Status(c).known_label().map(|l| (c, l)))
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Status", 2)?;
        st.serialize_field("code", &self.0)?;
        st.serialize_field("label", &self.label())?;
        st.end()
    }
}

/// Label for a 1..=5 rating.
pub fn rating_label(rating: u8) -> &'static str {
    match rating {
        1 => "Poor",
        2 => "Fair",
        3 => "Good",
        4 => "Very Good",
        5 => "Excellent",
        _ => "Unknown",
    }
}

/// An agent (operator) who took part in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Agent {
    pub name: String,
    pub email: Option<String>,
    /// Ids are always strings, also when the payload had an integer.
    pub id: Option<String>,
}

/// A custom field, custom variable or wrap-up field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Field {
    pub id: Option<String>,
    pub name: Option<String>,
    pub value: Option<String>,
}

/// A file the visitor or agent attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Attachment {
    pub name: Option<String>,
    pub uri: Option<String>,
}

/// Everything known about the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Visitor {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub ip: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub browser: Option<String>,
    pub operating_system: Option<String>,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub screen_resolution: Option<String>,
    pub status: Option<Status>,
    pub department: Option<String>,
    pub visits: Option<i64>,
    pub chats: Option<i64>,
    pub page_views: Option<i64>,
    pub landing_page: Option<String>,
    pub referrer_url: Option<String>,
    pub current_browsing: Option<String>,
    pub search_engine: Option<String>,
    pub keywords: Option<String>,
    pub product_service: Option<String>,
    #[serde(serialize_with = "time::serialize_opt_rfc3339")]
    pub first_visit_time: Option<DateTime<Utc>>,
    #[serde(serialize_with = "time::serialize_opt_rfc3339")]
    pub visit_time: Option<DateTime<Utc>>,
    pub custom_fields: Vec<Field>,
    pub custom_variables: Vec<Field>,
}

/// Longest wait or duration taken at face value: a year. A chat that ended before it started, or
/// that waited 11 million years, carries a broken clock or a typo, not a measurement; treated as
/// unknown, it is shown as `-`, matches no comparison and stays out of every average.
pub const MAX_PLAUSIBLE_SECS: i64 = 365 * 86_400;

/// `secs` when it is a believable wait or duration (0 to [`MAX_PLAUSIBLE_SECS`]).
pub fn plausible(secs: i64) -> Option<i64> {
    (0..=MAX_PLAUSIBLE_SECS).contains(&secs).then_some(secs)
}

/// One chat, fully parsed (details and transcript).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chat {
    pub id: String,
    pub visitor: Visitor,
    pub agents: Vec<Agent>,
    /// `chat.department` (a name) first, `visitor.department` only when the chat has none.
    pub department: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// `waiting_time` exactly as written.
    pub waiting_time: Option<String>,
    pub wait_secs: Option<u64>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub agent_comment: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub product_service: Option<String>,
    pub custom_fields: Vec<Field>,
    pub custom_variables: Vec<Field>,
    pub wrap_up: Option<WrapUp>,
    pub attachments: Vec<Attachment>,
    pub transcript: Vec<Entry>,
    /// Length in bytes of the raw transcript, used to pick the most complete copy of a chat.
    pub transcript_len: usize,
    /// What was left out because the payload went past a per-chat cap (`kept the first 100 of
    /// 30000000 agents`): reported with the file's problems.
    pub limits: Vec<String>,
}

impl Chat {
    /// Whole seconds between start and end, computed from the milliseconds; `None` when a date
    /// is missing or the span is not [`plausible`] (an end before the start).
    pub fn duration_secs(&self) -> Option<i64> {
        let (s, e) = (self.started_at?, self.ended_at?);
        plausible((e - s).num_milliseconds().div_euclid(1000))
    }

    /// First response time: whole seconds (rounded down, never negative) from the start to the
    /// first agent message's instant; `None` when no agent spoke or a time is unknown.
    pub fn first_response_secs(&self) -> Option<u32> {
        let start = self.started_at?.timestamp_millis();
        let first = self
            .transcript
            .iter()
            .find(|e| e.kind == SpeakerKind::Agent && e.at.is_some())?;
        let at = first.at?.timestamp_millis();
        let secs = at.saturating_sub(start).div_euclid(1000).max(0);
        Some(u32::try_from(secs).unwrap_or(u32::MAX))
    }

    /// Number of entries spoken by someone (agent, visitor or bot), not system lines.
    pub fn message_count(&self) -> usize {
        self.transcript
            .iter()
            .filter(|e| e.kind != SpeakerKind::System)
            .count()
    }

    /// Whether this chat, as parsed from its file, already shows the wrap-up of its row: the
    /// row may have one merged from later `chat_wrapped_up` events (see [`merged_wrap_up`]).
    pub fn has_wrap_up_of(&self, row: &ChatSummary) -> bool {
        match (&self.wrap_up, row.wrap_up.as_deref()) {
            (Some(own), Some(w)) => own.same_content(w),
            (None, None) => true,
            _ => false,
        }
    }

    /// Take the wrap-up of the chat's row when it is not the chat's own (whose time the row
    /// does not keep).
    pub fn adopt_wrap_up(&mut self, row: &ChatSummary) {
        if !self.has_wrap_up_of(row) {
            self.wrap_up = row.wrap_up.as_deref().cloned();
        }
    }

    /// Visitor name with empty names treated as absent.
    pub fn visitor_name(&self) -> Option<&str> {
        self.visitor
            .name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
    }
}

/// A file in the spool (path relative to the spool root, `/`-separated) and, for JSON Lines
/// files, the 1-based line the chat is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Source {
    pub path: std::sync::Arc<str>,
    pub line: Option<u32>,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// Where a chat was routed and where its visitor was. A spool has few distinct ones, so rows
/// share them (see `spool::interner`) instead of each keeping three strings: a row is smaller
/// by 40 bytes (the 100k-chat memory budget is 1 KB a chat).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Place {
    pub department: Option<Arc<str>>,
    pub country: Option<Arc<str>>,
    pub city: Option<Arc<str>>,
}

impl Place {
    /// `None` when all three are unknown.
    pub fn of(
        department: Option<Arc<str>>,
        country: Option<Arc<str>>,
        city: Option<Arc<str>>,
    ) -> Option<Arc<Place>> {
        let place = Place {
            department,
            country,
            city,
        };
        (place != Place::default()).then(|| Arc::new(place))
    }
}

/// The compact, cacheable row for one chat: everything the list, the query language and the
/// statistics need, and nothing that is only read when a chat is opened. Strings are boxed to keep
/// a row small (the 100k-chat memory budget is 1 KB a chat).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatSummary {
    pub id: Arc<str>,
    /// Where the chat was read from, so the full chat can be parsed again when opened.
    pub source: Source,
    /// Visitor name; `None` when empty or missing (shown as `Visitor`).
    pub visitor: Option<Box<str>>,
    pub visitor_email: Option<Box<str>>,
    /// Agents, department, country and city repeat across chats: shared strings, so a spool keeps
    /// one copy of each (see `spool::interner`), not one per chat. The list itself is shared
    /// too: most chats have one agent, and a spool has few distinct lists.
    pub agents: Arc<[Arc<str>]>,
    /// Department, country and city: `None` when all three are unknown.
    pub place: Option<Arc<Place>>,
    pub status: Option<Status>,
    /// Milliseconds since the Unix epoch (UTC): see [`ChatSummary::started_ms`].
    pub started: PackedMs,
    pub ended: PackedMs,
    pub wait_secs: Option<u64>,
    /// See [`Chat::first_response_secs`].
    pub first_response_secs: Option<u32>,
    /// The visitor's zone, minutes east of UTC, read from `time_zone` (for `--tz visitor`).
    pub visitor_offset_min: Option<i16>,
    pub rating: Option<u8>,
    pub messages: u32,
    pub transcript_len: u32,
    /// The wrap-up shown for the chat: the chat's own in a file's row, the merged one (see
    /// [`merged_wrap_up`]) in the rows a store hands out. `None` when there is none with
    /// anything in it. The chat's own is kept without its time (in `own_wrap_up_ms`), so
    /// that chats wrapped up alike share one copy (see `Store`).
    pub wrap_up: Option<Arc<WrapUp>>,
    /// The time of the chat's own wrap-up, which decides whether a later event replaces it.
    pub own_wrap_up_ms: PackedMs,
    /// Reply times, responders, last sender and the bot's part (see [`turns`]), packed.
    pub turns: turns::figures::TurnFigures,
}

impl ChatSummary {
    /// Build the row for a fully parsed chat.
    pub fn from_chat(chat: &Chat) -> Self {
        fn b<T: for<'a> From<&'a str>>(s: Option<&str>) -> Option<T> {
            s.filter(|s| !s.is_empty()).map(T::from)
        }
        ChatSummary {
            id: chat.id.as_str().into(),
            source: Source::default(),
            visitor: b(chat.visitor_name()),
            visitor_email: b(chat.visitor.email.as_deref().or(chat.email.as_deref())),
            agents: chat
                .agents
                .iter()
                .map(|a| Arc::from(a.name.as_str()))
                .collect(),
            place: Place::of(
                b(chat.department.as_deref()),
                b(chat.visitor.country.as_deref()),
                b(chat.visitor.city.as_deref()),
            ),
            status: chat.visitor.status,
            started: PackedMs::new(chat.started_at.map(|t| t.timestamp_millis())),
            ended: PackedMs::new(chat.ended_at.map(|t| t.timestamp_millis())),
            wait_secs: chat.wait_secs,
            first_response_secs: chat.first_response_secs(),
            visitor_offset_min: chat
                .visitor
                .time_zone
                .as_deref()
                .and_then(|z| zone::visitor_offset(z, chat.started_at)),
            rating: chat.rating,
            messages: u32::try_from(chat.message_count()).unwrap_or(u32::MAX),
            transcript_len: u32::try_from(chat.transcript_len).unwrap_or(u32::MAX),
            wrap_up: chat.wrap_up.as_ref().filter(|w| !w.is_empty()).map(|w| {
                Arc::new(WrapUp {
                    time: None,
                    ..w.clone()
                })
            }),
            own_wrap_up_ms: PackedMs::new(
                chat.wrap_up
                    .as_ref()
                    .and_then(|w| w.time)
                    .map(|t| t.timestamp_millis()),
            ),
            turns: turns::figures::TurnFigures::of(&chat.turns()),
        }
    }

    /// The chat measured against service levels (see [`sla`]).
    pub fn sla(&self, levels: &sla::Sla) -> sla::SlaOutcome {
        levels.judge(
            self.started_at(),
            self.first_response_secs,
            &self.turns.replies,
        )
    }

    /// Milliseconds since the Unix epoch (UTC) when the chat started.
    pub fn started_ms(&self) -> Option<i64> {
        self.started.get()
    }

    pub fn ended_ms(&self) -> Option<i64> {
        self.ended.get()
    }

    /// The chat's department (a name, or an id when no name was sent).
    pub fn department(&self) -> Option<&str> {
        self.place.as_deref()?.department.as_deref()
    }

    /// The visitor's country.
    pub fn country(&self) -> Option<&str> {
        self.place.as_deref()?.country.as_deref()
    }

    /// The visitor's city.
    pub fn city(&self) -> Option<&str> {
        self.place.as_deref()?.city.as_deref()
    }

    /// Whole seconds between start and end (from milliseconds, rounded down); `None` when
    /// unknown or not [`plausible`].
    pub fn duration_secs(&self) -> Option<i64> {
        plausible(
            self.ended_ms()?
                .checked_sub(self.started_ms()?)?
                .div_euclid(1000),
        )
    }

    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started.at()
    }

    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended.at()
    }

    /// Name to show for the visitor: the placeholder `Visitor` when none was collected.
    pub fn visitor_display(&self) -> &str {
        self.visitor.as_deref().unwrap_or("Visitor")
    }

    /// The wrap-up's category, when there is one.
    pub fn wrap_up_category(&self) -> Option<&str> {
        self.wrap_up.as_deref()?.category.as_deref()
    }

    /// A chat no agent took part in (missed or bot-only).
    pub fn is_missed(&self) -> bool {
        self.agents.is_empty()
    }
}
