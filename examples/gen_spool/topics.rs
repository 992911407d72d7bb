//! One topic per chat: what the visitor came for, how the agent narrows it down, and how it ends
//! (solved, or handed on to someone who will follow up). Each step has a few wordings; a chat
//! picks one of each, so the same topic reads differently from chat to chat but always hangs
//! together. The texts are in [`crate::topic_texts`].

use crate::rng::Rng;

/// A topic a visitor brings to the chat.
pub struct Topic {
    /// The bot menu entry it falls under: `Sales`, `Support` or `Billing`.
    pub menu: &'static str,
    /// Departments that take such chats (names from [`crate::names::DEPTS`]).
    pub depts: &'static [&'static str],
    /// The wrap-up category an agent files it under.
    pub wrapup: &'static str,
    /// The visitor's first message.
    pub open: &'static [&'static str],
    /// The agent narrows it down, and the visitor's answer.
    pub qa: &'static [(&'static str, &'static str)],
    /// The agent's answer that solves it.
    pub fix: &'static [&'static str],
    /// The visitor, satisfied.
    pub fixed: &'static [&'static str],
    /// A second attempt after the first did not work.
    pub retry: &'static [&'static str],
    /// The visitor when the answer did not help, and when the second attempt did not either.
    pub stuck: [&'static str; 2],
    /// Once it is solved, the visitor's follow-up question and the agent's answer.
    pub more: (&'static str, &'static str),
    /// The agent hands it on (ticket, colleague, engineers).
    pub escalate: &'static [&'static str],
    /// A multi-line message the agent may send along with the fix.
    pub steps: &'static str,
    /// What a bot answers when the visitor asks it instead.
    pub bot: &'static str,
    /// A file the visitor may send, if any.
    pub file: Option<&'static str>,
}

/// The numbers and names one chat fills its phrases with, fixed for the whole chat so the order
/// the visitor gives is the order the agent finds.
pub struct Fill {
    /// How the agent addresses the visitor.
    pub visitor: String,
    pub agent: String,
    pub dept: &'static str,
    pub order: u64,
    pub ticket: u64,
    pub invoice: u64,
    pub city: &'static str,
    pub country: &'static str,
}

impl Fill {
    pub fn new(
        rng: &mut Rng,
        visitor: String,
        dept: &'static str,
        place: (&'static str, &'static str),
    ) -> Fill {
        let (city, country) = match place {
            ("", _) | (_, "") => ("Toronto", "Canada"),
            p => p,
        };
        // "Do you ship to the United States?"
        let country = match country {
            "United States" => "the United States",
            "United Kingdom" => "the United Kingdom",
            "United Arab Emirates" => "the United Arab Emirates",
            c => c,
        };
        Fill {
            visitor,
            agent: String::new(),
            dept,
            order: 100_000 + rng.below(900_000),
            ticket: 40_000 + rng.below(60_000),
            invoice: 2_026_000 + rng.below(9_999),
            city,
            country,
        }
    }

    /// The phrase with its placeholders filled in.
    pub fn apply(&self, phrase: &str) -> String {
        if !phrase.contains('{') {
            return phrase.to_string();
        }
        let mut out = String::with_capacity(phrase.len() + 16);
        let mut rest = phrase;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            let Some(end) = tail.find('}') else {
                break;
            };
            match &tail[1..end] {
                "v" => out.push_str(&self.visitor),
                "a" => out.push_str(&self.agent),
                "d" => out.push_str(self.dept),
                "o" => out.push_str(&self.order.to_string()),
                "t" => out.push_str(&self.ticket.to_string()),
                "i" => out.push_str(&self.invoice.to_string()),
                "city" => out.push_str(self.city),
                "country" => out.push_str(self.country),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// How a chat turns out; the rating and its comment follow from it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// Solved in the chat.
    Solved,
    /// Handed on: a ticket, a colleague, an email to come.
    FollowUp,
    /// Tried and failed; the visitor leaves unhappy.
    Failed,
}

impl Outcome {
    /// The outcome a given rating implies (1–5), or a draw for an unrated chat.
    pub fn for_rating(rating: i64, rng: &mut Rng) -> Outcome {
        match rating {
            5 | 4 => Outcome::Solved,
            3 => Outcome::FollowUp,
            1 | 2 => Outcome::Failed,
            _ => [Outcome::Solved, Outcome::FollowUp, Outcome::Failed][rng.weighted(&[72, 18, 10])],
        }
    }

    /// A rating that fits, for a chat the visitor chose to rate.
    pub fn rating(self, rng: &mut Rng) -> i64 {
        match self {
            Outcome::Solved => [5, 4, 5, 5, 4][rng.below(5) as usize],
            Outcome::FollowUp => [3, 3, 3, 2][rng.below(4) as usize],
            Outcome::Failed => [1, 2, 1][rng.below(3) as usize],
        }
    }
}

/// The comments that fit a rating.
pub fn comments_for(rating: i64) -> &'static [&'static str] {
    match rating {
        4 | 5 => crate::phrases::PRAISE,
        3 => crate::phrases::LUKEWARM,
        _ => crate::phrases::COMPLAINTS,
    }
}

/// A topic for a chat, or one under a bot menu entry.
pub fn pick(rng: &mut Rng) -> &'static Topic {
    rng.pick(crate::topic_texts::TOPICS)
}
