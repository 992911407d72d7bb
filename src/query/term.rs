//! One parsed term and how it is tested against a chat summary.

use std::io::Write as _;

use std::sync::Arc;

use crate::model::review::ChatReview;
use crate::model::sla::{Sla, SlaVerdict};
use crate::model::turns::{BotUse, LastFrom};
use crate::model::{ChatSummary, Status};

use super::text::{Anchor, Needle};

/// A text field a `field:value` term searches (case-insensitive substring).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextField {
    Agent,
    Visitor,
    Dept,
    Country,
    City,
    /// The wrap-up's category or comment (`wrapup:`).
    WrapUp,
    /// The transcript: tested by [`super::Query::match_transcript`], not against the summary.
    Text,
}

/// A numeric value a comparison tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumField {
    Rating,
    /// Seconds.
    Wait,
    /// Seconds.
    Dur,
    /// First response time, seconds.
    Frt,
    /// Start, epoch milliseconds (`since:`, `until:`).
    Started,
    /// The longest reply time, seconds (`reply:`).
    Reply,
    /// Agents after the first (`transfers:`).
    Transfers,
    /// Visitor turns no agent answered (`unanswered:`).
    Unanswered,
}

/// The set of values a numeric term accepts: `lo..=hi`, plus unknown values when `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub lo: i64,
    pub hi: i64,
    pub none: bool,
}

impl Range {
    pub const NONE_ONLY: Range = Range {
        lo: 1,
        hi: 0,
        none: true,
    };

    pub fn at_least(lo: i64) -> Range {
        Range {
            lo,
            hi: i64::MAX,
            none: false,
        }
    }

    pub fn at_most(hi: i64) -> Range {
        Range {
            lo: i64::MIN,
            hi,
            none: false,
        }
    }

    #[inline]
    pub fn contains(self, v: Option<i64>) -> bool {
        match v {
            Some(v) => self.lo <= v && v <= self.hi,
            None => self.none,
        }
    }

    fn is_empty_interval(self) -> bool {
        self.lo > self.hi
    }

    /// No value is accepted by both.
    pub fn disjoint(self, other: Range) -> bool {
        !(self.none && other.none)
            && (self.is_empty_interval()
                || other.is_empty_interval()
                || self.hi < other.lo
                || other.hi < self.lo)
    }

    /// Every value `self` accepts, `other` accepts too.
    pub fn subset_of(self, other: Range) -> bool {
        (!self.none || other.none)
            && (self.is_empty_interval() || (other.lo <= self.lo && self.hi <= other.hi))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pred {
    /// A bare word, matched fuzzily over the name fields (visitor name, visitor email, agents).
    Fuzzy(Needle),
    /// A bare word with a sigil, matched exactly over the name fields.
    Word(Needle, Anchor),
    /// `agent:`, `visitor:`, `dept:`, `country:`, `city:`, `wrapup:`, `text:` (always
    /// case-insensitive);
    /// `^` and `$` around the value anchor it (`agent:^Ann$` is exactly Ann).
    Field(TextField, Needle, Anchor),
    /// `id:`, a case-insensitive prefix.
    Id(Needle),
    StatusCode(i64),
    StatusLabel(Needle),
    Num(NumField, Range),
    /// `wrapup:none`: the chat has no wrap-up.
    NoWrapUp,
    /// `tag:`: a tag contains the value (review data, see [`super::Query::match_review`]).
    Tag(Needle),
    /// `note:`: a note's text contains the value.
    Note(Needle),
    /// `reviewed:yes` / `reviewed:no`.
    Reviewed(bool),
    /// `last:agent|visitor|bot|none`: who sent the last message.
    Last(Option<LastFrom>),
    /// `bot:only|handoff|none`.
    Bot(BotUse),
    /// `sla:met|breached`, against the levels the query was given ([`super::Query::with_sla`]);
    /// with none, no chat has a verdict.
    Sla(SlaVerdict, Option<Arc<Sla>>),
    /// `score:<80`: the chat's score, in tenths, compares (`score:none`: no score).
    Score(Range),
    /// `scored:yes` / `scored:no`: the chat has a scorecard.
    Scored(bool),
    /// `sample:NAME`: the chat is assigned to the named sample (exact name).
    Sample(String),
}

/// A predicate and whether it was negated (`!` or `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub neg: bool,
    pub pred: Pred,
}

impl Term {
    /// The term's verdict for a chat (negation applied). Fuzzy words are scored by
    /// [`super::fuzzy::best`] instead.
    #[inline]
    pub fn accepts(&self, chat: &ChatSummary) -> bool {
        self.pred.holds(chat) != self.neg
    }

    /// Cheap predicates first, so that most chats are rejected before any string search.
    pub fn cost(&self) -> u8 {
        match self.pred {
            Pred::Num(..) | Pred::StatusCode(_) | Pred::NoWrapUp | Pred::Last(_) | Pred::Bot(_) => {
                0
            }
            Pred::Sla(..) => 1,
            Pred::Id(_) | Pred::StatusLabel(_) => 1,
            Pred::Field(..) => 2,
            Pred::Word(..) => 3,
            Pred::Fuzzy(_) => 4,
            Pred::Tag(_) | Pred::Note(_) | Pred::Reviewed(_) => 5,
            Pred::Score(_) | Pred::Scored(_) | Pred::Sample(_) => 5,
        }
    }
}

/// The fields bare words search: visitor name, visitor email, each agent name. A visitor with no
/// name has no name field here (the on-screen placeholder `Visitor` is not searched).
#[inline]
pub(crate) fn name_fields(chat: &ChatSummary) -> impl Iterator<Item = &str> {
    chat.visitor
        .as_deref()
        .into_iter()
        .chain(chat.visitor_email.as_deref())
        .chain(chat.agents.iter().map(|a| &**a))
}

impl Pred {
    #[inline]
    pub fn holds(&self, chat: &ChatSummary) -> bool {
        match self {
            Pred::Fuzzy(n) => name_fields(chat).any(|f| super::fuzzy::score(n, f).is_some()),
            Pred::Word(n, anchor) => name_fields(chat).any(|f| n.find(f, *anchor)),
            Pred::Field(field, n, anchor) => {
                let one = |s: Option<&str>| s.is_some_and(|s| n.find(s, *anchor));
                match field {
                    TextField::Agent => chat.agents.iter().any(|a| n.find(a, *anchor)),
                    TextField::Visitor => {
                        one(chat.visitor.as_deref()) || one(chat.visitor_email.as_deref())
                    }
                    TextField::Dept => one(chat.department()),
                    TextField::Country => one(chat.country()),
                    TextField::City => one(chat.city()),
                    TextField::WrapUp => chat
                        .wrap_up
                        .as_deref()
                        .is_some_and(|w| one(w.category.as_deref()) || one(w.comment.as_deref())),
                    TextField::Text => true,
                }
            }
            Pred::Id(n) => n.prefix_of(&chat.id),
            Pred::StatusCode(code) => chat.status.is_some_and(|s| s.0 == *code),
            Pred::StatusLabel(n) => chat.status.is_some_and(|s| label_has(s, n)),
            Pred::Num(field, range) => range.contains(num_value(*field, chat)),
            Pred::NoWrapUp => chat.wrap_up.is_none(),
            Pred::Last(who) => chat.turns.last_from() == *who,
            Pred::Bot(part) => chat.turns.bot() == *part,
            Pred::Sla(want, levels) => levels
                .as_deref()
                .is_some_and(|l| chat.sla(l).verdict == Some(*want)),
            // Decided on the review data, not the summary.
            Pred::Tag(_) | Pred::Note(_) | Pred::Reviewed(_) => true,
            Pred::Score(_) | Pred::Scored(_) | Pred::Sample(_) => true,
        }
    }

    /// Whether a review term holds on a chat's review (`None`: nothing recorded).
    pub fn holds_review(&self, review: Option<&ChatReview>) -> bool {
        match self {
            Pred::Tag(n) => review.is_some_and(|r| r.tags.iter().any(|t| n.within(t))),
            Pred::Note(n) => review.is_some_and(|r| r.notes.iter().any(|x| n.within(&x.text))),
            Pred::Reviewed(yes) => review.is_some_and(|r| r.reviewed.is_some()) == *yes,
            Pred::Score(range) => range.contains(crate::model::review::score_of(review)),
            Pred::Scored(yes) => review.is_some_and(|r| !r.scorecards.is_empty()) == *yes,
            Pred::Sample(name) => review.is_some_and(|r| r.samples.iter().any(|s| s == name)),
            _ => true,
        }
    }

    /// `tag:`, `note:`, `reviewed:`, `score:`, `scored:` and `sample:` terms, which read review
    /// data instead of the summary.
    pub fn is_review(&self) -> bool {
        matches!(
            self,
            Pred::Tag(_)
                | Pred::Note(_)
                | Pred::Reviewed(_)
                | Pred::Score(_)
                | Pred::Scored(_)
                | Pred::Sample(_)
        )
    }
}

impl Pred {
    /// For a text term (a sigil word or a `field:value`): whether it holds on one string of the
    /// fields it searches. A row holds when one of its strings does (see [`Pred::holds`]).
    #[inline]
    pub fn holds_on(&self, s: &str) -> bool {
        match self {
            Pred::Word(n, anchor) => n.find(s, *anchor),
            Pred::Field(_, n, anchor) => n.find(s, *anchor),
            _ => false,
        }
    }
}

fn num_value(field: NumField, chat: &ChatSummary) -> Option<i64> {
    match field {
        NumField::Rating => chat.rating.map(i64::from),
        NumField::Wait => chat.wait_secs.map(|w| i64::try_from(w).unwrap_or(i64::MAX)),
        NumField::Dur => chat.duration_secs(),
        NumField::Frt => chat.first_response_secs.map(i64::from),
        NumField::Started => chat.started_ms(),
        NumField::Reply => chat.turns.reply_max_secs().map(i64::from),
        NumField::Transfers => Some(chat.turns.transfers().into()),
        NumField::Unanswered => Some(chat.turns.unanswered_turns().into()),
    }
}

/// Whether the status label (the number itself for an unknown code) contains the needle.
pub(crate) fn label_has(status: Status, needle: &Needle) -> bool {
    if let Some(label) = status.known_label() {
        return needle.within(label);
    }
    let mut buf = [0u8; 24];
    let mut w = &mut buf[..];
    let _ = write!(w, "{}", status.0);
    let len = 24 - w.len();
    std::str::from_utf8(&buf[..len]).is_ok_and(|s| needle.within(s))
}
