//! Makes up the conversation of one chat as transcript [`Line`]s with increasing instants.
//!
//! A chat is about one [`Topic`]: the visitor asks, the agent narrows it down, and it ends the
//! way the chat's [`Outcome`] says (solved, handed on, or not solved), so the rating that follows
//! fits what was said. Nobody says the same thing twice in a row.
//!
//! The first stamped message lands in the same second as `start_time` (as in the vendor sample,
//! where it is a few milliseconds *before* it); later messages follow at realistic gaps, so a chat
//! that starts shortly before midnight UTC naturally crosses it.

use crate::chat::{Agent, Line, Shape};
use crate::lang::Script;
use crate::long;
use crate::phrases as p;
use crate::rng::Rng;
use crate::topics::{Fill, Outcome, Topic};

pub struct Talk<'a> {
    rng: &'a mut Rng,
    pub lines: Vec<Line>,
    /// The instant of the latest line, in ms.
    pub t: i64,
    pub files: Vec<String>,
    pub fill: Fill,
    visitor: String,
    shape: Shape,
    topic: &'static Topic,
    script: Option<&'static Script>,
    outcome: Outcome,
    /// The visitor ends some messages with an emoji.
    pub emoji: bool,
}

impl<'a> Talk<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rng: &'a mut Rng,
        start_ms: i64,
        visitor: String,
        fill: Fill,
        shape: Shape,
        topic: &'static Topic,
        script: Option<&'static Script>,
        outcome: Outcome,
    ) -> Self {
        Talk {
            rng,
            lines: Vec::with_capacity(32),
            t: start_ms - start_ms.rem_euclid(1000),
            files: Vec::new(),
            fill,
            visitor,
            shape,
            topic,
            script,
            outcome,
            emoji: false,
        }
    }

    pub fn run(&mut self, agents: &[Agent], bot: &str) {
        match self.shape {
            Shape::Missed => self.missed(),
            Shape::BotOnly => {
                self.bot_intro(bot);
                self.say(bot, self.topic.bot, 1, 4);
                self.say(bot, "Glad I could help! Anything else?\n[Yes]\n[No]", 1, 3);
                self.say_visitor("No", 3, 20);
                self.lines.push(Line::VisitorLeft);
            }
            Shape::BotThenAgent => {
                self.bot_intro(bot);
                let handover = self.pick(bot, p::HANDOVERS);
                self.say(bot, handover, 1, 3);
                self.joins(&agents[0], 3);
                let takeover = self.pick(&agents[0].name, p::BOT_TAKEOVERS);
                self.say_agent(takeover, 0, 3);
                self.conversation();
            }
            Shape::Transfer => {
                self.joins(&agents[0], 1);
                self.greet();
                self.open(4, 40);
                let first = agents[0].name.clone();
                let transfer = self.pick(&first, p::TRANSFERS);
                self.say(&first, transfer, 8, 40);
                self.lines.push(Line::Transferred(first.clone()));
                self.joins(&agents[1], 5);
                let takeover = self.pick(&agents[1].name, p::TAKEOVERS);
                self.say_agent(takeover, 5, 20);
                if self.rng.chance(0.5) {
                    self.lines.push(Line::Left(first));
                }
                self.conversation();
            }
            Shape::Hostile => {
                self.joins(&agents[0], 1);
                self.greet();
                for (attack, reply) in p::HOSTILE_TEXTS.iter().zip(p::HOSTILE_REPLIES) {
                    self.say_visitor(attack, 4, 40);
                    self.say_agent(reply, 5, 30);
                }
                self.lines.push(Line::VisitorLeft);
            }
            _ => {
                self.joins(&agents[0], 1);
                self.greet();
                self.open(4, 40);
                self.conversation();
            }
        }
    }

    /// A `--short` chat: a missed chat (the visitor asks, waits, leaves), a bot that answers at
    /// once, or a quick agent chat that ends as the outcome says: 2-3 messages when missed, else
    /// 3-6.
    pub fn run_short(&mut self, agents: &[Agent], bot: &str) {
        let topic = self.topic;
        match (self.shape, agents.first()) {
            (Shape::BotOnly, _) => {
                self.lines.push(Line::BotJoined(bot.to_string()));
                self.say(bot, "Hi! I'm the virtual assistant. How can I help?", 0, 0);
                self.open(3, 30);
                self.say(bot, topic.bot, 1, 4);
                if self.rng.chance(0.6) {
                    self.say(bot, "Glad I could help! Anything else?\n[Yes]\n[No]", 1, 3);
                    self.say_visitor("No", 3, 20);
                } else {
                    let fixed = *self.rng.pick(topic.fixed);
                    self.say_visitor(fixed, 5, 40);
                }
                self.lines.push(Line::VisitorLeft);
            }
            (Shape::Missed, _) | (_, None) => {
                self.open(0, 0);
                let mut waits = p::MISSED.to_vec();
                for _ in 0..self.rng.range(1, 2) {
                    let i = self.rng.below(waits.len() as u64) as usize;
                    let text = waits.remove(i);
                    self.say_visitor(text, 30, 240);
                }
                self.t += self.rng.range(10_000, 300_000);
                self.lines.push(Line::VisitorLeft);
            }
            (_, Some(agent)) => {
                self.joins(agent, 1);
                self.greet();
                self.open(4, 40);
                let asked = self.rng.chance(0.35);
                if asked {
                    let (ask, answer) = *self.rng.pick(topic.qa);
                    self.say_agent(ask, 5, 40);
                    self.say_visitor(answer, 5, 70);
                }
                match self.outcome {
                    Outcome::Solved => {
                        let fix = *self.rng.pick(topic.fix);
                        self.say_agent(fix, 20, 120);
                        let fixed = *self.rng.pick(topic.fixed);
                        self.say_visitor(fixed, 10, 60);
                        if !asked && self.rng.chance(0.5) {
                            let text = self.agent_picks(p::GOODBYES);
                            self.say_agent(text, 3, 20);
                        }
                    }
                    Outcome::FollowUp => {
                        let escalate = *self.rng.pick(topic.escalate);
                        self.say_agent(escalate, 20, 120);
                        if !asked {
                            let text = self.visitor_picks(p::WAIT_OK);
                            self.say_visitor(text, 10, 60);
                        }
                    }
                    Outcome::Failed => {
                        let fix = *self.rng.pick(topic.fix);
                        self.say_agent(fix, 20, 120);
                        if !asked {
                            self.say_visitor(topic.stuck[0], 30, 120);
                        }
                    }
                }
                self.someone_leaves();
            }
        }
    }

    /// What `who` said last, if anything.
    fn last_said(&self, who: &str) -> Option<&str> {
        self.lines.iter().rev().find_map(|l| match l {
            Line::Msg { who: w, text, .. } if w == who => Some(text.as_str()),
            _ => None,
        })
    }

    pub fn agent_picks(&mut self, pool: &[&'static str]) -> &'static str {
        let who = self.fill.agent.clone();
        self.pick(&who, pool)
    }

    pub fn visitor_picks(&mut self, pool: &[&'static str]) -> &'static str {
        let who = self.visitor.clone();
        self.pick(&who, pool)
    }

    /// Sometimes (`p`) the visitor goes quiet for a minute or two and Comm100 nudges them.
    pub fn maybe_idle(&mut self, p: f64) {
        if self.rng.chance(p) {
            self.lines.push(Line::Idle);
            self.t += self.rng.range(60_000, 120_000);
        }
    }

    pub fn rng(&mut self) -> &mut Rng {
        self.rng
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    pub fn visitor_leaves(&mut self) {
        self.lines.push(Line::VisitorLeft);
    }

    /// One of `pool` for `who` to say, never what they said last, and one that reads well
    /// when the visitor has no name (`{v}` is then "there": "Hi there", not "Thanks, there").
    fn pick(&mut self, who: &str, pool: &[&'static str]) -> &'static str {
        let anonymous = self.fill.visitor == "there";
        let fits = |p: &&&str| {
            !anonymous
                || !p.contains("{v}")
                || ["Hi {v}", "Hello {v}", "Hey {v}"]
                    .iter()
                    .any(|g| p.contains(g))
        };
        let fitting: Vec<&'static str> = pool.iter().filter(fits).copied().collect();
        let pool = if fitting.is_empty() {
            pool.to_vec()
        } else {
            fitting
        };
        let i = self.rng.below(pool.len() as u64) as usize;
        let repeat = self.last_said(who) == Some(self.fill.apply(pool[i]).as_str());
        if repeat && pool.len() > 1 {
            pool[(i + 1) % pool.len()]
        } else {
            pool[i]
        }
    }

    /// Append a message `lo..=hi` seconds (plus some milliseconds) after the previous line,
    /// unless it would repeat the speaker's previous message word for word.
    fn say(&mut self, who: &str, text: &str, lo: i64, hi: i64) {
        let text = self.fill.apply(text);
        if self.last_said(who) == Some(text.as_str()) {
            return;
        }
        self.t += self.rng.range(lo * 1000, hi * 1000 + 999);
        self.lines.push(Line::Msg {
            ms: self.t,
            who: who.to_string(),
            text,
        });
    }

    pub fn say_agent(&mut self, text: &str, lo: i64, hi: i64) {
        let who = self.fill.agent.clone();
        self.say(&who, text, lo, hi);
    }

    pub fn say_visitor(&mut self, text: &str, lo: i64, hi: i64) {
        let who = self.visitor.clone();
        self.say(&who, text, lo, hi);
    }

    fn joins(&mut self, agent: &Agent, delay: i64) {
        self.fill.agent = agent.name.clone();
        self.lines.push(Line::Joined(agent.name.clone()));
        self.t += self.rng.range(0, delay * 1000);
    }

    fn greet(&mut self) {
        let greeting = match self.script {
            Some(s) => s.greet,
            None => self.agent_picks(p::GREETINGS),
        };
        self.say_agent(greeting, 0, 3);
    }

    /// The visitor says what they came for.
    fn open(&mut self, lo: i64, hi: i64) {
        let open = match self.script {
            Some(s) => *self.rng.pick(s.open),
            None => *self.rng.pick(self.topic.open),
        };
        self.say_visitor(open, lo, hi);
    }

    fn bot_intro(&mut self, bot: &str) {
        self.lines.push(Line::BotJoined(bot.to_string()));
        self.say(
            bot,
            "Hi there! I'm the virtual assistant. What can I help you with?",
            0,
            0,
        );
        self.say(
            bot,
            "Please choose a topic:\n[Sales]\n[Support]\n[Billing]",
            0,
            1,
        );
        self.say_visitor(self.topic.menu, 3, 30);
        self.open(5, 40);
    }

    fn missed(&mut self) {
        self.open(0, 0);
        if self.script.is_none() {
            let mut waits = p::MISSED.to_vec();
            for _ in 0..self.rng.range(0, 2) {
                let i = self.rng.below(waits.len() as u64) as usize;
                let text = waits.remove(i);
                self.say_visitor(text, 30, 240);
            }
        }
        self.t += self.rng.range(10_000, 300_000);
        self.lines.push(Line::VisitorLeft);
    }

    /// From the agent's question to the goodbye.
    fn conversation(&mut self) {
        if let Some(script) = self.script {
            return crate::lang::converse(self, script);
        }
        let topic = self.topic;
        let (ask, answer) = *self.rng.pick(topic.qa);
        self.say_agent(ask, 5, 40);
        self.maybe_idle(0.05);
        self.say_visitor(answer, 5, 70);
        if let Some(file) = topic.file.filter(|_| self.rng.chance(0.25)) {
            let file = self.fill.apply(file);
            self.lines.push(Line::VisitorFile(file.clone()));
            self.files.push(file);
        }
        if self.shape == Shape::Long {
            long::walk(self);
        } else if self.rng.chance(0.6) {
            let hold = self.agent_picks(p::HOLDS);
            self.say_agent(hold, 3, 15);
        }
        let many_lines = self.shape == Shape::MultiLine || self.rng.chance(0.15);
        match self.outcome {
            Outcome::Solved => {
                let fix = *self.rng.pick(topic.fix);
                self.say_agent(fix, 20, 120);
                if many_lines {
                    self.say_agent(topic.steps, 5, 30);
                }
                if self.rng.chance(0.08) {
                    let guide = self.fill.apply("guide-{t}.pdf");
                    self.lines
                        .push(Line::AgentFile(self.fill.agent.clone(), guide.clone()));
                    self.files.push(guide);
                }
                let fixed = *self.rng.pick(topic.fixed);
                if self.emoji {
                    let e = *self.rng.pick(p::EMOJI);
                    self.say_visitor(&format!("{fixed} {e}"), 20, 90);
                } else {
                    self.say_visitor(fixed, 20, 90);
                }
                if self.rng.chance(0.5) {
                    self.say_visitor(topic.more.0, 5, 40);
                    self.say_agent(topic.more.1, 10, 60);
                }
                if self.shape == Shape::MultiLine {
                    let recap = format!(
                        "Summary of this chat:\n• Topic: {}\n• Reference: #{{t}}\n• A copy is on its way to your email",
                        topic.wrapup
                    );
                    self.say_agent(&recap, 5, 30);
                }
                self.goodbye();
            }
            Outcome::FollowUp => {
                let escalate = *self.rng.pick(topic.escalate);
                self.say_agent(escalate, 20, 120);
                self.hand_on();
            }
            Outcome::Failed => {
                let fix = *self.rng.pick(topic.fix);
                self.say_agent(fix, 20, 120);
                if many_lines {
                    self.say_agent(topic.steps, 5, 30);
                }
                self.say_visitor(topic.stuck[0], 30, 120);
                let retry = *self.rng.pick(topic.retry);
                self.say_agent(retry, 10, 60);
                self.say_visitor(topic.stuck[1], 30, 120);
                let escalate = *self.rng.pick(topic.escalate);
                self.say_agent(escalate, 20, 90);
                let give_up = self.visitor_picks(p::GIVE_UP);
                self.say_visitor(give_up, 10, 60);
                let sorry = self.agent_picks(p::APOLOGIES);
                self.say_agent(sorry, 5, 30);
                self.lines.push(Line::VisitorLeft);
            }
        }
    }

    /// Solved: anything else? no, thanks; maybe a goodbye; then somebody may leave.
    fn goodbye(&mut self) {
        let text = self.agent_picks(p::ANYTHING_ELSE);
        self.say_agent(text, 5, 40);
        let text = self.visitor_picks(p::DONE);
        self.say_visitor(text, 3, 30);
        if self.rng.chance(0.7) {
            let text = self.agent_picks(p::GOODBYES);
            self.say_agent(text, 3, 20);
        }
        self.someone_leaves();
    }

    /// Handed on: the visitor takes note, the agent has the last word.
    fn hand_on(&mut self) {
        let text = self.visitor_picks(p::WAIT_OK);
        self.say_visitor(text, 10, 60);
        let text = self.agent_picks(p::FOLLOW_UPS);
        self.say_agent(text, 5, 40);
        self.someone_leaves();
    }

    fn someone_leaves(&mut self) {
        match self.rng.weighted(&[65, 15, 20]) {
            0 => self.lines.push(Line::VisitorLeft),
            1 => self.lines.push(Line::Left(self.fill.agent.clone())),
            _ => {}
        }
    }
}
