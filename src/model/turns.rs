//! What happened inside a chat after its first response, read from the attributed transcript
//! alone: how long each visitor turn waited for an agent, who spoke last, who answered (agents
//! and bots, and so how often the chat was transferred) and whether a bot handled it alone.
//! Pure: entries and the chat's start in, a [`Turns`] out.
//!
//! Definitions (the ones `list`, `show` and `stats` report):
//! - A *visitor turn* is a run of consecutive visitor messages. System lines do not break a run;
//!   bot and agent messages do. Only turns that start after the chat's first agent message
//!   count: the time before it is the wait and the first response, measured elsewhere.
//! - A turn's *reply* is the first agent message after it. Bot messages are never replies. One
//!   agent message answers every open turn before it (a visitor, a bot line, the visitor again,
//!   then the agent: two turns, both answered by that message).
//! - *Reply time*: from the turn's first message to its reply, in whole seconds rounded down
//!   (computed from milliseconds), never negative (an agent message stamped before the visitor's
//!   is a reply of 0 s).
//! - Entries without an instant (`at`, a clock that could not be read): a turn whose first
//!   message or whose reply has none still counts as answered (`reply_count`) but has no reply
//!   time, so it is left out of `reply_p50_secs` and `reply_max_secs` (and of service levels).
//! - `reply_count`: turns that got a reply; `unanswered_turns`: turns no agent message followed;
//!   `reply_p50_secs`: the nearest-rank median of the reply times (as every other percentile);
//!   `reply_max_secs`: the longest.
//! - `last_from`: the kind of the chat's last message (system lines are not messages); `None`
//!   when the chat has no message.
//! - `responders`: the agents and bots by name as written (trimmed), in the order of their first
//!   message; `transfers`: the number of agents in it minus one (0 with none).
//! - `bot`: [`BotUse::Only`] with a bot message and no agent message, [`BotUse::Handoff`] with
//!   both (a bot that spoke only after an agent counts here too, so `only` and `handoff` split
//!   exactly the chats with a bot message), [`BotUse::None`] without a bot message.

pub mod figures;

use super::rank::percentile;
use super::{Chat, Entry, SpeakerKind};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// Who sent the chat's last message (Comm100's "last message sent by").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LastFrom {
    Agent,
    Visitor,
    Bot,
}

impl LastFrom {
    /// The word used in JSON, CSV and queries.
    pub fn name(self) -> &'static str {
        match self {
            LastFrom::Agent => "agent",
            LastFrom::Visitor => "visitor",
            LastFrom::Bot => "bot",
        }
    }

    /// The kind of a message; `None` for system lines, which send nothing.
    pub fn of(kind: SpeakerKind) -> Option<LastFrom> {
        match kind {
            SpeakerKind::Agent => Some(LastFrom::Agent),
            SpeakerKind::Visitor => Some(LastFrom::Visitor),
            SpeakerKind::Bot => Some(LastFrom::Bot),
            SpeakerKind::System => None,
        }
    }
}

/// What part a bot played in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BotUse {
    /// A bot spoke and no agent did: the bot contained the chat (or kept the visitor from a person).
    Only,
    /// A bot and an agent both spoke: usually the bot handed the visitor over.
    Handoff,
    /// No bot spoke.
    #[default]
    None,
}

impl BotUse {
    /// The word used in JSON, CSV and queries.
    pub fn name(self) -> &'static str {
        match self {
            BotUse::Only => "only",
            BotUse::Handoff => "handoff",
            BotUse::None => "none",
        }
    }
}

/// One answered visitor turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Index in the transcript of the turn's first message.
    pub turn: usize,
    /// Index in the transcript of the agent message that answered it.
    pub entry: usize,
    /// The agent who answered, as written (trimmed): per-agent reply figures count the replies
    /// that agent sent.
    pub agent: String,
    /// When the turn started and when it was answered, for measuring in business hours.
    pub asked: Option<DateTime<Utc>>,
    pub answered: Option<DateTime<Utc>>,
    /// The reply time; `None` when either instant is unknown.
    pub secs: Option<u32>,
}

/// A chat's turns and responders (see the module's definitions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Turns {
    pub reply_count: u32,
    pub reply_p50_secs: Option<u32>,
    pub reply_max_secs: Option<u32>,
    pub unanswered_turns: u32,
    pub last_from: Option<LastFrom>,
    pub responders: Vec<String>,
    pub transfers: u32,
    pub bot: BotUse,
    /// Every answered turn, in transcript order.
    pub replies: Vec<Reply>,
    /// The chat's start and its first agent message with an instant, the span
    /// [`Chat::first_response_secs`] measures; kept for measuring it in business hours.
    pub first_response: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Whole seconds from `from` to `to`, rounded down, never negative.
pub(crate) fn whole_secs(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    let ms = to
        .timestamp_millis()
        .saturating_sub(from.timestamp_millis());
    u32::try_from(ms.div_euclid(1000).max(0)).unwrap_or(u32::MAX)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Compute a chat's [`Turns`] from its transcript and start time.
pub fn turns(entries: &[Entry], started_at: Option<DateTime<Utc>>) -> Turns {
    let first_agent = entries.iter().position(|e| e.kind == SpeakerKind::Agent);
    let mut open: Vec<usize> = Vec::new();
    let mut in_run = false;
    let mut replies = Vec::new();
    let mut responders: Vec<(SpeakerKind, &str)> = Vec::new();
    // Seen speakers in a set: a hostile transcript may name thousands of them.
    let mut seen: HashSet<(SpeakerKind, &str)> = HashSet::new();
    let (mut has_bot, mut has_agent) = (false, false);
    for (i, e) in entries.iter().enumerate() {
        match e.kind {
            SpeakerKind::System => continue,
            SpeakerKind::Visitor => {
                if !in_run && first_agent.is_some_and(|f| i > f) {
                    open.push(i);
                }
                in_run = true;
                continue;
            }
            SpeakerKind::Bot => has_bot = true,
            SpeakerKind::Agent => has_agent = true,
        }
        in_run = false;
        let name = e.speaker.as_deref().map(str::trim).unwrap_or("");
        if !name.is_empty() && seen.insert((e.kind, name)) {
            responders.push((e.kind, name));
        }
        if e.kind == SpeakerKind::Agent {
            for turn in open.drain(..) {
                let (asked, answered) = (entries[turn].at, e.at);
                replies.push(Reply {
                    turn,
                    entry: i,
                    agent: name.to_string(),
                    asked,
                    answered,
                    secs: asked.zip(answered).map(|(a, b)| whole_secs(a, b)),
                });
            }
        }
    }
    let mut measured: Vec<u64> = replies
        .iter()
        .filter_map(|r: &Reply| r.secs.map(u64::from))
        .collect();
    let reply_max_secs = replies.iter().filter_map(|r| r.secs).max();
    let reply_p50_secs =
        percentile(&mut measured, 50).map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    let agents = responders
        .iter()
        .filter(|(k, _)| *k == SpeakerKind::Agent)
        .count();
    let first_response = entries
        .iter()
        .find(|e| e.kind == SpeakerKind::Agent && e.at.is_some())
        .and_then(|e| started_at.zip(e.at));
    Turns {
        reply_count: count(replies.len()),
        reply_p50_secs,
        reply_max_secs,
        unanswered_turns: count(open.len()),
        last_from: entries.iter().rev().find_map(|e| LastFrom::of(e.kind)),
        responders: responders.iter().map(|(_, n)| n.to_string()).collect(),
        transfers: count(agents.saturating_sub(1)),
        bot: match (has_bot, has_agent) {
            (true, true) => BotUse::Handoff,
            (true, false) => BotUse::Only,
            _ => BotUse::None,
        },
        replies,
        first_response,
    }
}

impl Turns {
    /// Each agent message that answered a turn, with its reply time: the longest of the turns it
    /// answered (the visitor who waited longest), `None` when none of them could be measured.
    /// In transcript order.
    pub fn reply_secs(&self) -> Vec<(usize, Option<u32>)> {
        let mut out: Vec<(usize, Option<u32>)> = Vec::new();
        for r in &self.replies {
            match out.last_mut() {
                Some((entry, secs)) if *entry == r.entry => *secs = (*secs).max(r.secs),
                _ => out.push((r.entry, r.secs)),
            }
        }
        out
    }
}

impl Chat {
    /// See [`turns`].
    pub fn turns(&self) -> Turns {
        turns(&self.transcript, self.started_at)
    }
}

#[cfg(test)]
mod tests;
