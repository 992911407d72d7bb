//! The JSON shapes scripts rely on (docs/CLI-CONTRACT.md and the README document every field).

use crate::model::review::score_of;
use crate::model::score::as_number;
use crate::model::sla::{Sla, SlaVerdict};
use crate::model::time::rfc3339;
use crate::model::turns::{BotUse, LastFrom};
use crate::model::{
    rating_label, Agent, Attachment, Chat, ChatSummary, Entry, Field, Status, Visitor, WrapUp,
};
use crate::review::{ChatReview, Scorecard};
use crate::spool::names;
use serde::Serialize;
use std::borrow::Cow;

/// One chat in `list --json` and `watch --json`.
#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    pub id: &'a str,
    /// The file, relative to the spool, as on disk (a byte of a name that is not UTF-8 is `�`).
    pub source: Cow<'a, str>,
    /// For JSON Lines files, the 1-based line the chat is on; null otherwise.
    pub line: Option<u32>,
    pub visitor: Option<&'a str>,
    pub visitor_email: Option<&'a str>,
    pub agents: Vec<&'a str>,
    pub department: Option<&'a str>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub duration_secs: Option<i64>,
    pub wait_secs: Option<u64>,
    /// Whole seconds from the start to the first agent message; null when no agent spoke.
    pub first_response_secs: Option<u32>,
    pub rating: Option<u8>,
    pub status: Option<Status>,
    pub messages: u32,
    /// The wrap-up's category (merged with later `chat_wrapped_up` events), or null.
    pub wrap_up: Option<&'a str>,
    /// Review data: the chat's tags, how many notes it has, whether it is marked reviewed.
    pub tags: Vec<&'a str>,
    pub notes: usize,
    pub reviewed: bool,
    /// The chat's score (the mean of its reviewers' latest scorecards), or null.
    pub score: Option<f64>,
    #[serde(flatten)]
    pub inside: Inside<'a>,
}

/// What happened inside the chat (see `model::turns`), in `list --json` and `show --json`
/// alike: reply times, last sender, responders, hand-offs, bots and service levels.
#[derive(Debug, Serialize)]
pub struct Inside<'a> {
    pub reply_count: u32,
    pub reply_p50_secs: Option<u32>,
    pub reply_max_secs: Option<u32>,
    pub unanswered_turns: u32,
    pub last_from: Option<LastFrom>,
    pub responders: Vec<&'a str>,
    pub transfers: u32,
    pub bot: BotUse,
    /// With no levels configured: 0 and null.
    pub sla_breaches: u32,
    pub sla: Option<SlaVerdict>,
}

impl<'a> Inside<'a> {
    pub fn new(c: &'a ChatSummary, levels: Option<&Sla>) -> Self {
        let t = &c.turns;
        let sla = levels.map(|l| c.sla(l)).unwrap_or_default();
        Inside {
            reply_count: t.reply_count(),
            reply_p50_secs: t.reply_p50_secs(),
            reply_max_secs: t.reply_max_secs(),
            unanswered_turns: t.unanswered_turns(),
            last_from: t.last_from(),
            responders: t.responders().iter().map(|r| &**r).collect(),
            transfers: t.transfers(),
            bot: t.bot(),
            sla_breaches: sla.breaches,
            sla: sla.verdict,
        }
    }
}

impl<'a> ListItem<'a> {
    /// `levels`: the configured service levels (`[sla]`), which `sla` and `sla_breaches` are
    /// measured against.
    pub fn new(c: &'a ChatSummary, review: Option<&'a ChatReview>, levels: Option<&Sla>) -> Self {
        ListItem {
            id: &c.id,
            source: names::display(&c.source.path),
            line: c.source.line,
            visitor: c.visitor.as_deref(),
            visitor_email: c.visitor_email.as_deref(),
            agents: c.agents.iter().map(|a| &**a).collect(),
            department: c.department(),
            started_at: c.started_at().map(rfc3339),
            ended_at: c.ended_at().map(rfc3339),
            duration_secs: c.duration_secs(),
            wait_secs: c.wait_secs,
            first_response_secs: c.first_response_secs,
            rating: c.rating,
            status: c.status,
            messages: c.messages,
            wrap_up: c.wrap_up_category(),
            tags: review.map_or_else(Vec::new, |r| r.tags.iter().map(String::as_str).collect()),
            notes: review.map_or(0, |r| r.notes.len()),
            reviewed: review.is_some_and(|r| r.reviewed.is_some()),
            inside: Inside::new(c, levels),
            score: score_of(review).map(as_number),
        }
    }
}

/// `review` in `show --json`: `{"tags": [...], "notes": [{"text", "author", "at"}],
/// "reviewed": {"author", "at"} | null}`.
#[derive(Debug, Serialize)]
pub struct ReviewObject<'a> {
    pub tags: Vec<&'a str>,
    pub notes: Vec<NoteObject<'a>>,
    pub reviewed: Option<MarkObject<'a>>,
    pub scorecards: Vec<CardObject<'a>>,
}

/// One scorecard in `show --json` and `score --json`: `{"by", "at", "rubric", "score",
/// "items": {"greeting": 2, "no-card-number": "pass", "empathy": null}, "comment"}`.
#[derive(Debug, Serialize)]
pub struct CardObject<'a> {
    pub by: &'a str,
    pub at: String,
    pub rubric: &'a str,
    pub score: Option<f64>,
    pub items: std::collections::BTreeMap<&'a str, serde_json::Value>,
    pub comment: Option<&'a str>,
}

impl<'a> CardObject<'a> {
    pub fn new(c: &'a Scorecard) -> Self {
        CardObject {
            by: &c.author,
            at: rfc3339(c.at),
            rubric: &c.rubric,
            score: c.score().map(as_number),
            items: c
                .items
                .iter()
                .map(|(k, v)| (k.as_str(), crate::review::card::value_json(*v)))
                .collect(),
            comment: c.comment.as_deref(),
        }
    }
}

/// `score --json`: `{"id", "score", "scorecards": [...]}`.
#[derive(Debug, Serialize)]
pub struct ScoresObject<'a> {
    pub id: &'a str,
    pub score: Option<f64>,
    pub scorecards: Vec<CardObject<'a>>,
}

impl<'a> ScoresObject<'a> {
    pub fn new(id: &'a str, review: Option<&'a ChatReview>) -> Self {
        ScoresObject {
            id,
            score: score_of(review).map(as_number),
            scorecards: review.map_or_else(Vec::new, |r| {
                r.scorecards.iter().map(CardObject::new).collect()
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NoteObject<'a> {
    pub text: &'a str,
    pub author: &'a str,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct MarkObject<'a> {
    pub author: &'a str,
    pub at: String,
}

impl<'a> ReviewObject<'a> {
    pub fn new(review: Option<&'a ChatReview>) -> Self {
        let Some(r) = review else {
            return ReviewObject {
                tags: Vec::new(),
                notes: Vec::new(),
                reviewed: None,
                scorecards: Vec::new(),
            };
        };
        ReviewObject {
            tags: r.tags.iter().map(String::as_str).collect(),
            notes: r
                .notes
                .iter()
                .map(|n| NoteObject {
                    text: &n.text,
                    author: &n.author,
                    at: rfc3339(n.at),
                })
                .collect(),
            reviewed: r.reviewed.as_ref().map(|m| MarkObject {
                author: &m.author,
                at: rfc3339(m.at),
            }),
            scorecards: r.scorecards.iter().map(CardObject::new).collect(),
        }
    }
}

/// One chat in `show --json`: the list fields, with `visitor` and `agents` as objects, plus
/// everything else the payload carried.
#[derive(Debug, Serialize)]
pub struct ShowItem<'a> {
    pub id: &'a str,
    pub source: Cow<'a, str>,
    pub line: Option<u32>,
    pub visitor: VisitorObject<'a>,
    pub visitor_email: Option<&'a str>,
    pub agents: &'a [Agent],
    pub department: Option<&'a str>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub duration_secs: Option<i64>,
    pub wait_secs: Option<u64>,
    pub waiting_time: Option<&'a str>,
    pub first_response_secs: Option<u32>,
    pub rating: Option<u8>,
    pub rating_label: Option<&'static str>,
    pub rating_comment: Option<&'a str>,
    pub agent_comment: Option<&'a str>,
    pub status: Option<Status>,
    pub messages: usize,
    pub custom_fields: &'a [Field],
    pub custom_variables: &'a [Field],
    pub wrap_up: Option<&'a WrapUp>,
    pub attachments: &'a [Attachment],
    #[serde(flatten)]
    pub inside: Inside<'a>,
    pub transcript: Vec<EntryObject<'a>>,
    pub review: ReviewObject<'a>,
}

/// A transcript entry in `show --json`: the entry, and for an agent message that answered a
/// visitor's turn its `reply_secs` (absent on every other entry).
#[derive(Debug, Serialize)]
pub struct EntryObject<'a> {
    #[serde(flatten)]
    pub entry: &'a Entry,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_secs: Option<Option<u32>>,
}

/// `visitor` in `show --json`: every visitor field, `name` null when none was collected.
#[derive(Debug, Serialize)]
pub struct VisitorObject<'a> {
    pub name: Option<&'a str>,
    #[serde(flatten)]
    pub rest: VisitorRest<'a>,
}

/// The visitor fields other than the name (which `VisitorObject` normalises).
#[derive(Debug)]
pub struct VisitorRest<'a>(pub &'a Visitor);

impl Serialize for VisitorRest<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let mut value = serde_json::to_value(self.0).map_err(S::Error::custom)?;
        let mut map = s.serialize_map(None)?;
        if let Some(obj) = value.as_object_mut() {
            obj.remove("name");
            for (k, v) in obj.iter() {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl<'a> ShowItem<'a> {
    /// `summary` is the chat's list row, whose packed turn figures `show` and `list` share.
    pub fn new(
        chat: &'a Chat,
        summary: &'a ChatSummary,
        review: Option<&'a ChatReview>,
        levels: Option<&Sla>,
    ) -> Self {
        let turns = chat.turns();
        let replies: std::collections::HashMap<usize, Option<u32>> =
            turns.reply_secs().into_iter().collect();
        ShowItem {
            id: &chat.id,
            source: names::display(&summary.source.path),
            line: summary.source.line,
            visitor: VisitorObject {
                name: chat.visitor_name(),
                rest: VisitorRest(&chat.visitor),
            },
            visitor_email: summary.visitor_email.as_deref(),
            agents: &chat.agents,
            department: chat.department.as_deref(),
            started_at: chat.started_at.map(rfc3339),
            ended_at: chat.ended_at.map(rfc3339),
            duration_secs: chat.duration_secs(),
            wait_secs: chat.wait_secs,
            waiting_time: chat.waiting_time.as_deref(),
            first_response_secs: chat.first_response_secs(),
            rating: chat.rating,
            rating_label: chat.rating.map(rating_label),
            rating_comment: chat.rating_comment.as_deref(),
            agent_comment: chat.agent_comment.as_deref(),
            status: chat.visitor.status,
            messages: chat.message_count(),
            custom_fields: &chat.custom_fields,
            custom_variables: &chat.custom_variables,
            wrap_up: chat.wrap_up.as_ref(),
            attachments: &chat.attachments,
            inside: Inside::new(summary, levels),
            transcript: chat
                .transcript
                .iter()
                .enumerate()
                .map(|(i, entry)| EntryObject {
                    entry,
                    reply_secs: replies.get(&i).copied(),
                })
                .collect(),
            review: ReviewObject::new(review),
        }
    }
}
