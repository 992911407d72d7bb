//! The model of one generated chat (who, when, what was said) and how it is made up.
//!
//! A [`ChatSpec`] holds instants in milliseconds and transcript lines as structured values; how
//! they are spelled in JSON (date forms, key spellings, separators) is `render`'s business, so
//! every spelling of the same chat tells the same story.

use crate::names;
use crate::phrases;
use crate::rng::Rng;
use crate::talk::Talk;
use crate::topic_texts;
use crate::topics::{self, Fill, Outcome};
use crate::who::Who;

/// One transcript line, before it is spelled out.
#[derive(Clone)]
pub enum Line {
    /// `Agent X has joined the chat.` (or `Operator X` in older sites).
    Joined(String),
    /// A bot joins without the `Agent ` prefix.
    BotJoined(String),
    Msg {
        ms: i64,
        who: String,
        text: String,
    },
    Left(String),
    Transferred(String),
    VisitorLeft,
    Idle,
    VisitorFile(String),
    AgentFile(String, String),
    Ended(i64),
}

/// What kind of chat to make.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    Normal,
    Transfer,
    BotThenAgent,
    BotOnly,
    Missed,
    MultiLine,
    Long,
    Hostile,
    Intl,
    Anonymous,
    IpVisitor,
}

impl Shape {
    /// A shape for a bulk spool; hostile visitors only when `hostile` is allowed.
    pub fn random(rng: &mut Rng, hostile: bool) -> Shape {
        const SHAPES: [Shape; 11] = [
            Shape::Normal,
            Shape::Transfer,
            Shape::BotThenAgent,
            Shape::BotOnly,
            Shape::Missed,
            Shape::MultiLine,
            Shape::Long,
            Shape::Hostile,
            Shape::Intl,
            Shape::Anonymous,
            Shape::IpVisitor,
        ];
        let weights = [
            700,
            50,
            60,
            25,
            45,
            35,
            3,
            u32::from(hostile) * 20,
            40,
            30,
            10,
        ];
        SHAPES[rng.weighted(&weights)]
    }

    /// A shape for a `--short` spool: missed chats, bot-only chats and quick agent chats (a
    /// question, an answer, thanks), the mix of a busy site's everyday traffic.
    pub fn short(rng: &mut Rng) -> Shape {
        [Shape::Missed, Shape::BotOnly, Shape::Normal][rng.weighted(&[22, 18, 60])]
    }
}

/// Forced choices for a hand-picked (demo) chat; `None` means draw at random.
#[derive(Clone, Default)]
pub struct Recipe {
    pub shape: Option<Shape>,
    pub agent: Option<usize>,
    pub visitor: Option<&'static str>,
    pub rating: Option<i64>,
    pub wait_secs: Option<i64>,
    /// An index into the English topics.
    pub topic: Option<usize>,
    /// A `--short` chat: 3-6 messages (a missed one 2-3), English, one agent at most.
    pub short: bool,
}

#[derive(Clone)]
pub struct Agent {
    pub name: String,
    pub email: String,
    pub id: u64,
}

#[derive(Clone)]
pub struct ChatSpec {
    pub index: u64,
    pub id: String,
    /// The id was drawn as an integer (`"1098"`), to be written as a JSON number.
    pub id_int: bool,
    pub visitor_id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub visit_ms: i64,
    pub first_visit_ms: i64,
    pub wait_secs: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub place: &'static names::Place,
    pub ip: String,
    pub browser: &'static str,
    pub os: &'static str,
    pub screen: &'static str,
    pub page: &'static str,
    pub referrer: &'static str,
    pub visits: i64,
    pub dept: (&'static str, i64),
    pub agents: Vec<Agent>,
    pub rating: i64,
    pub rating_comment: String,
    pub lines: Vec<Line>,
    pub wrapup: &'static str,
    pub comment: &'static str,
    pub files: Vec<String>,
    pub status: i64,
    /// The `Order number` custom field of the chat; empty: none (set by `--short` only).
    pub order: String,
    /// The visitor's `plan` custom variable; empty: none (set by `--short` only).
    pub plan: String,
}

fn agent(i: usize) -> Agent {
    Agent {
        name: names::AGENTS[i].to_string(),
        email: names::agent_email(i),
        id: i as u64 + 1,
    }
}

/// `0s `, `10s`, `1m 5s`, `1h 2m 3s`: the spelling of the vendor's webhook.
pub fn wait_text(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) if s == 0 => "0s ".to_string(),
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m {s}s"),
    }
}

impl ChatSpec {
    /// Make up chat `index` starting at `start_ms`. `int_id` picks an integer chat id.
    pub fn generate(
        rng: &mut Rng,
        index: u64,
        start_ms: i64,
        recipe: &Recipe,
        hostile: bool,
        int_id: bool,
    ) -> ChatSpec {
        let shape = match recipe.shape {
            Some(s) => s,
            None if recipe.short => Shape::short(rng),
            None => Shape::random(rng, hostile),
        };
        let id = if int_id {
            (1000 + index).to_string()
        } else {
            rng.guid(index)
        };
        let mut who = Who::draw(rng, recipe, shape);
        if recipe.short {
            // The short talk is English only (its lines come from the English topics).
            who.script = None;
        }
        let email = match who.name.split_whitespace().next() {
            Some(w) if w.is_ascii() && w.chars().all(char::is_alphanumeric) && rng.chance(0.8) => {
                format!("{}{}@mail.example", w.to_lowercase(), rng.below(100))
            }
            _ => String::new(),
        };
        let wait_secs = recipe
            .wait_secs
            .unwrap_or_else(|| match rng.weighted(&[55, 30, 14, 1]) {
                0 => 0,
                1 => rng.range(1, 59),
                2 => rng.range(60, 1799),
                _ => rng.range(3600, 5400),
            });
        let topic = match (who.script, shape) {
            (Some(s), _) => &topic_texts::TOPICS[s.topic],
            // The long chat hunts a chat button that shows on some pages only.
            (None, Shape::Long) => &topic_texts::TOPICS[4],
            _ => match recipe.topic {
                Some(t) => &topic_texts::TOPICS[t % topic_texts::TOPICS.len()],
                None => topics::pick(rng),
            },
        };
        let dept_name = *rng.pick(topic.depts);
        let dept = *names::DEPTS
            .iter()
            .find(|d| d.0 == dept_name)
            .unwrap_or(&names::DEPTS[0]);
        let first = recipe
            .agent
            .unwrap_or_else(|| rng.below(names::AGENTS.len() as u64) as usize);
        let mut second = rng.below(names::AGENTS.len() as u64) as usize;
        if second == first {
            second = (first + 1) % names::AGENTS.len();
        }
        let agents = match shape {
            Shape::BotOnly | Shape::Missed => vec![],
            Shape::Transfer => vec![agent(first), agent(second)],
            _ => vec![agent(first)],
        };
        let bot = rng.pick(names::BOTS).to_string();
        let forced = recipe.rating.filter(|r| *r > 0);
        let outcome = match shape {
            // A bot's answer is all there is; the multi-line chat shows its steps.
            Shape::BotOnly => Outcome::Solved,
            Shape::MultiLine if forced.is_none() => Outcome::Solved,
            _ => Outcome::for_rating(forced.unwrap_or(-1), rng),
        };
        let rating = match (recipe.rating, shape) {
            (Some(r), _) => r,
            _ if agents.is_empty() || shape == Shape::Hostile || rng.chance(0.7) => -1,
            _ => outcome.rating(rng),
        };
        let speaker = if who.name.is_empty() {
            "Visitor".to_string()
        } else {
            who.name.clone()
        };
        let place = (who.place.city, who.place.country);
        let fill = Fill::new(rng, who.address.clone(), dept.0, place);
        let mut talk = Talk::new(
            rng, start_ms, speaker, fill, shape, topic, who.script, outcome,
        );
        talk.emoji = who.emoji;
        if recipe.short {
            talk.run_short(&agents, &bot);
        } else {
            talk.run(&agents, &bot);
        }
        let Talk {
            lines,
            t,
            files,
            fill,
            ..
        } = talk;
        let end_ms = t + rng.range(800, 30_000);
        let mut lines = lines;
        lines.push(Line::Ended(end_ms));
        let wait_secs = match shape {
            Shape::Missed => (end_ms - start_ms) / 1000,
            // A bot answers at once.
            Shape::BotOnly if recipe.wait_secs.is_none() => 0,
            _ => wait_secs,
        };
        let rating_comment = match (rating, who.script) {
            (r, _) if r <= 0 || rng.chance(0.35) => String::new(),
            (4 | 5, Some(s)) => s.praise.to_string(),
            (_, Some(s)) => s.complaint.to_string(),
            (r, None) => fill.apply(rng.word(topics::comments_for(r))),
        };
        let served = !agents.is_empty() && shape != Shape::Hostile;
        let visit_ms = start_ms - wait_secs * 1000 - rng.range(5_000, 1_800_000);
        let visits = rng.range(1, 12);
        let first_visit_ms = if visits == 1 {
            visit_ms
        } else {
            visit_ms - rng.range(86_400_000, 200 * 86_400_000)
        };
        ChatSpec {
            index,
            id,
            id_int: int_id,
            visitor_id: rng.guid(index ^ 0xF00D),
            start_ms,
            end_ms,
            visit_ms,
            first_visit_ms,
            wait_secs,
            email,
            phone: if rng.chance(0.15) {
                format!("+1 555 01{:02}", rng.below(100))
            } else {
                String::new()
            },
            company: if rng.chance(0.2) {
                "Acme Corp".to_string()
            } else {
                String::new()
            },
            name: who.name,
            place: who.place,
            ip: who.ip,
            browser: rng.word(names::BROWSERS),
            os: rng.word(names::OSES),
            screen: rng.word(names::SCREENS),
            page: rng.word(names::PAGES),
            referrer: rng.word(names::REFERRERS),
            visits,
            dept,
            agents,
            rating,
            rating_comment,
            lines,
            wrapup: if served && rng.chance(0.75) {
                topic.wrapup
            } else {
                ""
            },
            comment: if served && outcome != Outcome::Solved && rng.chance(0.5) {
                rng.word(phrases::AGENT_NOTES)
            } else {
                ""
            },
            files,
            status: [9, 11, 10][rng.weighted(&[90, 7, 3])],
            order: String::new(),
            plan: String::new(),
        }
    }

    /// An earlier, less complete delivery of the same chat: the transcript stops `cut` messages
    /// early and the chat "ended" shortly after the last kept message.
    pub fn earlier_copy(&self, cut: usize) -> ChatSpec {
        let mut copy = self.clone();
        copy.lines.pop();
        let mut dropped = 0;
        while dropped < cut && copy.lines.len() > 2 {
            if matches!(copy.lines.pop(), Some(Line::Msg { .. })) {
                dropped += 1;
            }
        }
        let last = copy.lines.iter().rev().find_map(|l| match l {
            Line::Msg { ms, .. } => Some(*ms),
            _ => None,
        });
        copy.end_ms = last
            .map_or(copy.start_ms + 1_500, |ms| ms + 1_234)
            .min(self.end_ms - 1);
        copy.lines.push(Line::Ended(copy.end_ms));
        copy
    }

    pub fn agent_names(&self) -> Vec<&str> {
        self.agents.iter().map(|a| a.name.as_str()).collect()
    }
}
