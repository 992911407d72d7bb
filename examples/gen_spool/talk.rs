//! Makes up the conversation of one chat as transcript [`Line`]s with increasing instants.
//!
//! The first stamped message lands in the same second as `start_time` (as in the vendor sample,
//! where it is a few milliseconds *before* it); later messages follow at realistic gaps, so a chat
//! that starts shortly before midnight UTC naturally crosses it.

use crate::chat::{Agent, Line, Shape};
use crate::phrases::{self, fill};
use crate::rng::Rng;

pub struct Talk<'a> {
    rng: &'a mut Rng,
    pub lines: Vec<Line>,
    /// The instant of the latest line, in ms.
    pub t: i64,
    pub files: Vec<String>,
    visitor: String,
    agent: String,
    dept: &'static str,
    shape: Shape,
    hostile: usize,
}

impl<'a> Talk<'a> {
    pub fn new(
        rng: &'a mut Rng,
        start_ms: i64,
        visitor: String,
        dept: &'static str,
        shape: Shape,
    ) -> Self {
        Talk {
            rng,
            lines: Vec::with_capacity(32),
            t: start_ms - start_ms.rem_euclid(1000),
            files: Vec::new(),
            visitor,
            agent: String::new(),
            dept,
            shape,
            hostile: 0,
        }
    }

    pub fn run(&mut self, shape: Shape, agents: &[Agent], bot: &str) {
        match shape {
            Shape::Missed => self.missed(),
            Shape::BotOnly => {
                self.bot_intro(bot);
                let opener = *self.rng.pick(phrases::OPENERS);
                self.say_visitor(opener, 5, 40);
                self.say(
                    bot,
                    "You can track any order at https://shop.example.com/track.",
                    1,
                    3,
                );
                self.say(bot, "Glad I could help! Anything else?\n[Yes]\n[No]", 1, 3);
                self.say_visitor("No", 3, 20);
                self.lines.push(Line::VisitorLeft);
            }
            Shape::BotThenAgent => {
                self.bot_intro(bot);
                self.say(bot, "Sure, let me connect you with an agent.", 1, 3);
                self.agent_part(&agents[0], 3, 9, 5);
                self.finish(&agents[0]);
            }
            Shape::Transfer => {
                self.agent_part(&agents[0], 1, 3, 0);
                let first = agents[0].name.clone();
                self.say(
                    &first,
                    "Let me transfer you to a colleague who can help with that.",
                    8,
                    40,
                );
                self.lines.push(Line::Transferred(first.clone()));
                self.agent_part(&agents[1], 2, 7, 3);
                if self.rng.chance(0.5) {
                    self.lines.push(Line::Left(first));
                }
                self.finish(&agents[1]);
            }
            Shape::Long => {
                self.agent_part(&agents[0], 99, 99, 0);
                self.finish(&agents[0]);
            }
            _ => {
                self.agent_part(&agents[0], 6, 15, 0);
                self.finish(&agents[0]);
            }
        }
    }

    fn fill(&mut self, phrase: &str) -> String {
        let n = 10_000 + self.rng.below(90_000);
        fill(phrase, &self.visitor, &self.agent, self.dept, n)
    }

    /// Append a message `lo..=hi` seconds (plus some milliseconds) after the previous line.
    fn say(&mut self, who: &str, text: &str, lo: i64, hi: i64) {
        self.t += self.rng.range(lo * 1000, hi * 1000 + 999);
        let text = self.fill(text);
        self.lines.push(Line::Msg {
            ms: self.t,
            who: who.to_string(),
            text,
        });
    }

    fn say_visitor(&mut self, text: &str, lo: i64, hi: i64) {
        let who = self.visitor.clone();
        self.say(&who, text, lo, hi);
    }

    fn visitor_says(&mut self, lo: i64, hi: i64) {
        let text = match self.shape {
            Shape::Hostile if self.rng.chance(0.8) => {
                // In order, so even a short hostile chat carries most of the attacks.
                self.hostile += 1;
                phrases::HOSTILE_TEXTS[(self.hostile - 1) % phrases::HOSTILE_TEXTS.len()]
            }
            Shape::Intl if self.rng.chance(0.6) => *self.rng.pick(phrases::INTL_TEXTS),
            _ if self.rng.chance(0.03) => *self.rng.pick(phrases::INTL_TEXTS),
            _ => *self.rng.pick(phrases::VISITOR_LINES),
        };
        self.say_visitor(text, lo, hi);
    }

    fn agent_says(&mut self, who: &str, lo: i64, hi: i64) {
        let p = if self.shape == Shape::MultiLine {
            0.5
        } else {
            0.04
        };
        let text = if self.rng.chance(p) {
            *self.rng.pick(phrases::MULTILINE)
        } else {
            *self.rng.pick(phrases::AGENT_LINES)
        };
        self.say(who, text, lo, hi);
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
        let choice = *self.rng.pick(&["Support", "Billing", "Sales"]);
        self.say_visitor(choice, 3, 30);
    }

    fn missed(&mut self) {
        self.say_visitor(phrases::OPENERS[0], 0, 0);
        for _ in 0..self.rng.range(0, 2) {
            let text = *self.rng.pick(phrases::MISSED);
            self.say_visitor(text, 30, 240);
        }
        self.t += self.rng.range(10_000, 300_000);
        self.lines.push(Line::VisitorLeft);
    }

    /// An agent joins, greets and answers `lo..=hi` questions. `delay` seconds before joining.
    fn agent_part(&mut self, agent: &Agent, lo: i64, hi: i64, delay: i64) {
        let name = agent.name.clone();
        self.agent = name.clone();
        self.lines.push(Line::Joined(name.clone()));
        let greeting = *self.rng.pick(phrases::GREETINGS);
        self.say(&name, greeting, delay, delay + delay / 2);
        if self.lines.len() <= 2 {
            let opener = *self.rng.pick(phrases::OPENERS);
            self.say_visitor(opener, 4, 40);
        }
        let (gap_a, gap_v) = if self.shape == Shape::Long {
            (20, 15)
        } else {
            (90, 70)
        };
        for _ in 0..self.rng.range(lo, hi) {
            if self.rng.chance(0.05) {
                let file = *self.rng.pick(phrases::FILES);
                let f = self.fill(file);
                self.lines.push(Line::VisitorFile(f.clone()));
                self.files.push(f);
            }
            self.agent_says(&name, 3, gap_a);
            if self.rng.chance(0.12) {
                self.agent_says(&name, 2, 15);
            }
            if self.rng.chance(0.03) {
                let f = self.fill("guide-{n}.pdf");
                self.lines.push(Line::AgentFile(name.clone(), f.clone()));
                self.files.push(f);
            }
            if self.rng.chance(0.05) {
                self.lines.push(Line::Idle);
                self.t += self.rng.range(60_000, 120_000);
            }
            self.visitor_says(3, gap_v);
        }
    }

    fn finish(&mut self, agent: &Agent) {
        let closing = *self.rng.pick(phrases::CLOSINGS);
        self.say(&agent.name, closing, 5, 40);
        if self.rng.chance(0.7) {
            let thanks = *self.rng.pick(phrases::THANKS);
            self.say_visitor(thanks, 3, 30);
        }
        match self.rng.weighted(&[65, 15, 20]) {
            0 => self.lines.push(Line::VisitorLeft),
            1 => self.lines.push(Line::Left(agent.name.clone())),
            _ => {}
        }
    }
}
