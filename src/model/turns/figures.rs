//! The figures of [`Turns`] that every list row carries and the index cache keeps, packed:
//! `list`, `stats`, queries and service levels read them without opening a chat.
//!
//! A row holds 24 bytes for them: a pointer to a [`TurnShape`] (who answered, how many turns
//! went unanswered, who spoke last, the bot's part), which repeats across chats and is shared
//! through the spool's interner as agent lists are, and the answered turns as 8-byte
//! [`ReplyMark`]s (when the turn was asked, its reply time and who answered), which is what
//! per-agent reply percentiles and business-hours service levels need.

use super::{BotUse, LastFrom, Turns};
use crate::model::rank::percentile;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// The repeating part of a chat's turns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TurnShape {
    /// Agents and bots in the order of their first message.
    pub responders: Arc<[Arc<str>]>,
    pub unanswered_turns: u32,
    pub transfers: u32,
    pub last_from: Option<LastFrom>,
    pub bot: BotUse,
}

/// One answered visitor turn, packed into 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyMark {
    /// When the turn's first message was sent, in whole seconds since the Unix epoch;
    /// [`ReplyMark::UNKNOWN_ASKED`] when unknown or outside 1970–2106.
    asked: u32,
    /// The reply time in the low 24 bits ([`ReplyMark::UNKNOWN_SECS`] when unknown; longer
    /// replies, beyond 194 days, are stored as the longest that fits) and in the high 8 bits the
    /// index in the responders of the agent who answered ([`ReplyMark::NO_AGENT`] when the
    /// index does not fit or the agent is unnamed).
    secs_agent: u32,
}

impl ReplyMark {
    const UNKNOWN_ASKED: u32 = u32::MAX;
    const UNKNOWN_SECS: u32 = 0x00FF_FFFF;
    const NO_AGENT: u8 = u8::MAX;

    pub fn new(asked: Option<DateTime<Utc>>, secs: Option<u32>, agent: Option<usize>) -> Self {
        let asked = asked
            .and_then(|t| u32::try_from(t.timestamp()).ok())
            .filter(|&s| s != Self::UNKNOWN_ASKED)
            .unwrap_or(Self::UNKNOWN_ASKED);
        let secs = secs.map_or(Self::UNKNOWN_SECS, |s| s.min(Self::UNKNOWN_SECS - 1));
        let agent = agent
            .and_then(|i| u8::try_from(i).ok())
            .filter(|&i| i != Self::NO_AGENT)
            .unwrap_or(Self::NO_AGENT);
        ReplyMark {
            asked,
            secs_agent: secs | u32::from(agent) << 24,
        }
    }

    /// The raw parts, for the index cache: the turn's start in whole seconds since the epoch
    /// (`None` when unknown), and the reply time and agent packed as they are kept.
    pub fn parts(self) -> (Option<u32>, u32) {
        (
            (self.asked != Self::UNKNOWN_ASKED).then_some(self.asked),
            self.secs_agent,
        )
    }

    /// A mark from its [`ReplyMark::parts`].
    pub fn from_parts(asked: Option<u32>, secs_agent: u32) -> Self {
        ReplyMark {
            asked: asked.unwrap_or(Self::UNKNOWN_ASKED),
            secs_agent,
        }
    }

    /// The start of the turn, to the second.
    pub fn asked(self) -> Option<DateTime<Utc>> {
        (self.asked != Self::UNKNOWN_ASKED)
            .then(|| DateTime::from_timestamp(i64::from(self.asked), 0))
            .flatten()
    }

    /// The reply time in whole seconds.
    pub fn secs(self) -> Option<u32> {
        let s = self.secs_agent & Self::UNKNOWN_SECS;
        (s != Self::UNKNOWN_SECS).then_some(s)
    }

    /// Index in the chat's responders of the agent who answered.
    pub fn agent(self) -> Option<usize> {
        let i = (self.secs_agent >> 24) as u8;
        (i != Self::NO_AGENT).then_some(usize::from(i))
    }
}

/// What a list row knows of the chat's turns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TurnFigures {
    pub shape: Arc<TurnShape>,
    pub replies: Box<[ReplyMark]>,
}

impl TurnFigures {
    /// Pack a chat's turns (the shape is the row's own until an interner shares it).
    pub fn of(turns: &Turns) -> Self {
        let responders: Arc<[Arc<str>]> = turns
            .responders
            .iter()
            .map(|n| Arc::from(n.as_str()))
            .collect();
        let replies = turns
            .replies
            .iter()
            .map(|r| {
                let agent = turns.responders.iter().position(|n| *n == r.agent);
                ReplyMark::new(r.asked, r.secs, agent)
            })
            .collect();
        TurnFigures {
            shape: Arc::new(TurnShape {
                responders,
                unanswered_turns: turns.unanswered_turns,
                transfers: turns.transfers,
                last_from: turns.last_from,
                bot: turns.bot,
            }),
            replies,
        }
    }

    /// Turns that got a reply.
    pub fn reply_count(&self) -> u32 {
        u32::try_from(self.replies.len()).unwrap_or(u32::MAX)
    }

    /// The measured reply times.
    pub fn reply_times(&self) -> impl Iterator<Item = u32> + '_ {
        self.replies.iter().filter_map(|r| r.secs())
    }

    /// The nearest-rank median reply time.
    pub fn reply_p50_secs(&self) -> Option<u32> {
        let mut v: Vec<u64> = self.reply_times().map(u64::from).collect();
        percentile(&mut v, 50).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
    }

    /// The longest reply time.
    pub fn reply_max_secs(&self) -> Option<u32> {
        self.reply_times().max()
    }

    pub fn unanswered_turns(&self) -> u32 {
        self.shape.unanswered_turns
    }

    pub fn last_from(&self) -> Option<LastFrom> {
        self.shape.last_from
    }

    pub fn responders(&self) -> &[Arc<str>] {
        &self.shape.responders
    }

    pub fn transfers(&self) -> u32 {
        self.shape.transfers
    }

    pub fn bot(&self) -> BotUse {
        self.shape.bot
    }

    /// The agent who sent a reply, by name.
    pub fn replier(&self, reply: ReplyMark) -> Option<&str> {
        Some(&**self.shape.responders.get(reply.agent()?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_keeps_its_parts_and_says_unknown_for_what_it_cannot_hold() {
        let t = DateTime::from_timestamp(1_700_000_123, 999_000_000);
        let m = ReplyMark::new(t, Some(190), Some(2));
        assert_eq!(m.asked(), DateTime::from_timestamp(1_700_000_123, 0));
        assert_eq!((m.secs(), m.agent()), (Some(190), Some(2)));
        let (asked, rest) = m.parts();
        assert_eq!(ReplyMark::from_parts(asked, rest), m);
        let before_1970 = DateTime::from_timestamp(-5, 0);
        let m = ReplyMark::new(before_1970, None, Some(300));
        assert_eq!((m.asked(), m.secs(), m.agent()), (None, None, None));
        let m = ReplyMark::new(None, Some(u32::MAX), None);
        assert_eq!(
            m.secs(),
            Some(0x00FF_FFFE),
            "a reply beyond 194 days is the longest kept"
        );
    }
}

#[cfg(test)]
mod size {
    /// The turn figures cost a row 24 bytes (the 100k-chat memory budget is counted per row):
    /// a row that grows must do so on purpose.
    #[test]
    fn a_row_holds_the_turn_figures_in_24_bytes() {
        assert_eq!(std::mem::size_of::<super::TurnFigures>(), 24);
        assert!(std::mem::size_of::<crate::model::ChatSummary>() <= 208);
    }
}
