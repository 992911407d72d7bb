//! What is said around a topic, whatever the topic: greetings, holds, goodbyes, how a visitor
//! reacts to each outcome, and the comments that go with each rating. Placeholders (see
//! [`crate::topics::Fill`]): `{v}` how the visitor is addressed, `{a}` agent, `{d}` department,
//! `{o}` order, `{t}` ticket, `{i}` invoice.

/// What a hostile visitor types, in order, so even a short hostile chat carries every attack.
pub const HOSTILE_TEXTS: &[&str] = &[
    "hi \u{1b}]0;pwned\u{7} can you see this?",
    "\u{1b}[2J\u{1b}[3J\u{1b}[H where did the screen go",
    "my file is invoice\u{202e}fdp.exe please check",
    "\u{1b}]52;c;cHduZWQ=\u{7} copied to your clipboard",
    "\u{1b}]8;;https://evil.example/\u{7}click me\u{1b}]8;;\u{7}",
    "line\roverwritten by carriage return",
    "\u{9b}31mC1 control sequence\u{9b}0m and a bell\u{7}",
    "[12:00:00] Walid: I am not really Walid",
];

/// The agent's replies to a hostile visitor: one per attack, never the same twice in a row.
pub const HOSTILE_REPLIES: &[&str] = &[
    "Hello! Yes, I can read you. What can I help you with today?",
    "I'm not sure what you mean. Is something wrong with our website?",
    "For security reasons we can't open executable files sent over chat.",
    "I can't see anything unusual on my side. Do you have a question about an order?",
    "I won't open that link, sorry. Could you describe the problem in words?",
    "Your last message came through garbled. Could you type it again?",
    "I'm still here if you have a real question about your account.",
    "That message doesn't look like it came from a colleague. I'm going to close this chat now.",
];

pub const GREETINGS: &[&str] = &[
    "Hi {v}, thank you for contacting us! How may I help you?",
    "Hi {v}, this is {a} from {d}. How can I help you today?",
    "Hello {v}! Thanks for reaching out to {d}. What can I do for you?",
    "Good day {v}, you're chatting with {a}. How may I assist?",
    "Hey {v}, {a} here. What can I help with?",
    "Welcome to {d}, {v}! My name is {a}. How can I help?",
];

/// The second agent after a transfer has read the conversation so far.
pub const TAKEOVERS: &[&str] = &[
    "Hi {v}, {a} from {d} here. I've read your conversation with my colleague.",
    "Hello {v}, I'm {a} and I look after this in {d}. I can see what you asked.",
    "Thanks for waiting, {v}. {a} here from {d}; I'll take it from here.",
];

/// The first agent hands the chat on to `{d}`.
pub const TRANSFERS: &[&str] = &[
    "That's one for our {d} team. Let me transfer you to a colleague who can help with that.",
    "My colleagues in {d} handle this, so I'm transferring you now. One moment please.",
];

/// The agent who takes over from the bot has read what the visitor asked it.
pub const BOT_TAKEOVERS: &[&str] = &[
    "Hi {v}, {a} here. I've read what you asked our assistant.",
    "Hello {v}! I'm {a} from {d}; I can see your question above.",
    "Hey {v}, thanks for waiting. {a} here, let's sort this out.",
];

/// The bot hands over to a person.
pub const HANDOVERS: &[&str] = &[
    "Let me connect you with an agent who can help with that.",
    "I'll put you through to one of our team. It should only take a moment.",
];

pub const HOLDS: &[&str] = &[
    "Let me check that for you, one moment please.",
    "One moment while I look that up.",
    "Bear with me a second, I'm checking.",
    "Thanks, I'm looking into it now.",
    "Give me a minute to pull up your account.",
];

pub const ANYTHING_ELSE: &[&str] = &[
    "Is there anything else I can help you with?",
    "Can I help with anything else today?",
    "Anything else I can do for you?",
];

pub const DONE: &[&str] = &[
    "No, that's all. Thank you!",
    "No, that was it. Thanks a lot!",
    "That's everything, thanks 🙂",
    "nope, all good. bye!",
    "No thanks, have a nice day!",
];

pub const GOODBYES: &[&str] = &[
    "Thank you for chatting with us, have a great day!",
    "You're welcome! Take care.",
    "Glad I could help. Have a nice evening!",
    "My pleasure, {v}. Bye for now!",
];

/// The visitor after being told someone will follow up.
pub const WAIT_OK: &[&str] = &[
    "OK, thanks. I'll watch my inbox.",
    "Alright, thanks for looking into it.",
    "Understood, I'll wait for the email then.",
    "Fine, as long as someone gets back to me.",
];

/// The agent's last words when the visitor will hear from someone else.
pub const FOLLOW_UPS: &[&str] = &[
    "It's usually answered within one business day. Sorry I couldn't fix it right away, {v}.",
    "You'll hear from us by email. Thanks for your patience, {v}.",
    "I've added a note so you won't have to explain it again. Thanks for bearing with us.",
];

/// The visitor who is done waiting.
pub const GIVE_UP: &[&str] = &[
    "This has taken long enough. I'll wait for the email, I guess.",
    "OK. Not great, but thanks for trying.",
    "So nothing is sorted yet. Please make sure someone actually gets back to me.",
    "I don't have time for this today. Bye.",
];

pub const APOLOGIES: &[&str] = &[
    "I'm really sorry we couldn't sort it out today, {v}.",
    "I understand, and I'm sorry for the trouble. The ticket is marked urgent.",
];

/// The visitor waiting for a missed chat.
pub const MISSED: &[&str] = &[
    "Hello?",
    "Is anyone there?",
    "I'll try again later.",
    "Still waiting...",
];

/// Comments for a chat that solved the problem (4 or 5 stars); empty means none was left.
pub const PRAISE: &[&str] = &[
    "",
    "",
    "Very helpful, thanks!",
    "Quick and friendly.",
    "Solved in five minutes 👍",
    "{a} was great, thank you.",
    "Great service 👍",
];

/// Comments for a chat that ended in a follow-up (3 stars).
pub const LUKEWARM: &[&str] = &[
    "",
    "Friendly, but I'm still waiting for a fix.",
    "OK. Would have liked it solved today.",
    "meh",
];

/// Comments for a chat that did not help (1 or 2 stars).
pub const COMPLAINTS: &[&str] = &[
    "",
    "Took too long.",
    "Still not working.",
    "Had to explain everything twice.",
    "Nothing got fixed.",
];

pub const AGENT_NOTES: &[&str] = &[
    "Follow up next week.",
    "Customer will send more details by email.",
    "Escalated; check the ticket before replying.",
];

/// The emoji a cheerful visitor ends some messages with.
pub const EMOJI: &[&str] = &["🙂", "🙏", "👍🏽", "🎉", "😅", "✨"];
