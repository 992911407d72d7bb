//! Reading one transcript line: the `[HH:MM:SS]` stamp, the end marker and the system lines
//! Comm100 writes in English (and the names those lines reveal).

/// A clock read from a stamp or from the end marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Clock<'a> {
    /// As written (inside the brackets or parentheses, surrounding spaces removed).
    pub written: &'a str,
    /// Seconds since midnight; `None` when the clock has the right shape but is not a time of day
    /// (`25:99:00`).
    pub secs: Option<u32>,
}

/// Read a clock: `H:MM:SS` or `HH:MM:SS`, optionally followed by `AM`/`PM` (12-hour exports).
/// Only the shape is checked here; an impossible time keeps its text and gets `secs: None`.
pub(super) fn clock(s: &str) -> Option<Clock<'_>> {
    let written = s.trim();
    let b = written.as_bytes();
    let h_len = match b {
        [h1, h2, b':', ..] if h1.is_ascii_digit() && h2.is_ascii_digit() => 2,
        [h1, b':', ..] if h1.is_ascii_digit() => 1,
        _ => return None,
    };
    let tail = &b[h_len..];
    let [b':', m1, m2, b':', s1, s2, ..] = tail else {
        return None;
    };
    if ![m1, m2, s1, s2].iter().all(|d| d.is_ascii_digit()) {
        return None;
    }
    let two = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    let hour = b[..h_len]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    let (min, sec) = (two(*m1, *m2), two(*s1, *s2));
    // After the seconds: nothing, or whitespace and a meridiem. Every byte so far is ASCII.
    let after = &written[h_len + 6..];
    let meridiem = if after.is_empty() {
        None
    } else if after.starts_with(char::is_whitespace) {
        match after.trim_start().to_ascii_uppercase().as_str() {
            "AM" | "A.M." => Some(false),
            "PM" | "P.M." => Some(true),
            _ => return None,
        }
    } else {
        return None;
    };
    let hour = match meridiem {
        None if hour < 24 => Some(hour),
        Some(pm) if (1..=12).contains(&hour) => Some(hour % 12 + if pm { 12 } else { 0 }),
        _ => None,
    };
    let secs = hour
        .filter(|_| min < 60 && sec < 60)
        .map(|h| h * 3600 + min * 60 + sec);
    Some(Clock { written, secs })
}

/// Longest text we look at inside `[...]` before deciding it is not a stamp (`[12:00:00 P.M.]` fits).
const STAMP_MAX: usize = 24;

/// Split a leading `[HH:MM:SS]` stamp off a line (already trimmed at the start). `[Sales]` and other
/// bracketed text is not a stamp. Returns the clock and the rest, trimmed at the start.
pub(super) fn stamp(line: &str) -> Option<(Clock<'_>, &str)> {
    let inner_start = line.strip_prefix('[')?;
    let close = inner_start
        .bytes()
        .take(STAMP_MAX)
        .position(|b| b == b']')?;
    let clock = clock(&inner_start[..close])?;
    Some((clock, inner_start[close + 1..].trim_start()))
}

/// Who a system line says took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// `Agent X ...` / `Operator X ...`.
    Agent,
    /// `X has joined the chat.` without `Agent `/`Operator `.
    Bot,
}

/// A recognised system line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct System<'a> {
    /// The end marker's clock (`The chat is ended.(03:36:59)`).
    pub clock: Option<Clock<'a>>,
    /// Names the line reveals (a transfer can name two agents).
    pub learned: [Option<(&'a str, Role)>; 2],
}

/// Longest name learned from a system line; anything longer is text, not a display name.
pub(super) const MAX_NAME: usize = 256;

/// Recognise one of Comm100's English system lines (the line is trimmed). `None` for anything else,
/// which the caller treats as a system line (`⊙` transcripts) or a continuation (`\n` transcripts).
pub(super) fn system(line: &str) -> Option<System<'_>> {
    if let Some(clock) = end_marker(line) {
        return Some(System {
            clock: Some(clock),
            ..System::default()
        });
    }
    const PLAIN: [&str; 5] = [
        "It's been a while",
        "It\u{2019}s been a while",
        "The visitor has ",
        "The chat is ended",
        "The chat has ",
    ];
    if PLAIN.iter().any(|p| line.starts_with(p)) {
        return Some(System::default());
    }
    fn learned<'a>(a: Option<(&'a str, Role)>, b: Option<(&'a str, Role)>) -> Option<System<'a>> {
        Some(System {
            clock: None,
            learned: [a, b],
        })
    }
    for prefix in ["Agent ", "Operator "] {
        let Some(after) = line.strip_prefix(prefix) else {
            continue;
        };
        if let Some(name) = tail_sentence(after, " has joined the chat")
            .or_else(|| tail_sentence(after, " has left the chat"))
        {
            return learned(agent(name), None);
        }
        if let Some(i) = after.find(" has transferred the chat") {
            let target = after[i + " has transferred the chat".len()..]
                .trim_start()
                .strip_prefix("to ")
                .and_then(|t| {
                    t.strip_prefix("Agent ")
                        .or_else(|| t.strip_prefix("Operator "))
                })
                .map(|t| t.trim_end().trim_end_matches('.'));
            return learned(agent(&after[..i]), target.and_then(agent));
        }
        if let Some(i) = after.find(" has sent a file") {
            return learned(agent(&after[..i]), None);
        }
    }
    if let Some(name) = tail_sentence(line, " has joined the chat") {
        let visitor = ["the visitor", "visitor"]
            .iter()
            .any(|v| name.eq_ignore_ascii_case(v));
        let bot = if visitor {
            None
        } else {
            valid(name).map(|n| (n, Role::Bot))
        };
        return learned(bot, None);
    }
    if tail_sentence(line, " has left the chat").is_some() {
        return Some(System::default());
    }
    None
}

/// `The chat is ended.(03:36:59)` and translations of it: a sentence ending in `.` (or `。`) followed
/// by a parenthesised clock that ends the line. The English prefix is accepted without the period.
fn end_marker(line: &str) -> Option<Clock<'_>> {
    let body = line.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let clock = clock(&body[open + 1..])?;
    let before = body[..open].trim_end();
    let sentence = before.ends_with('.') || before.ends_with('\u{3002}');
    (sentence || before.starts_with("The chat is ended")).then_some(clock)
}

/// `X<tail>` with an optional final period: returns `X` trimmed, if non-empty.
fn tail_sentence<'a>(s: &'a str, tail: &str) -> Option<&'a str> {
    let s = s.trim_end();
    let s = s.strip_suffix('.').unwrap_or(s);
    let name = s.strip_suffix(tail)?.trim();
    (!name.is_empty()).then_some(name)
}

/// A learned name worth keeping: non-empty, one line, not absurdly long.
fn valid(name: &str) -> Option<&str> {
    let name = name.trim();
    (!name.is_empty() && name.len() <= MAX_NAME && !name.contains(['\n', '\r'])).then_some(name)
}

fn agent(name: &str) -> Option<(&str, Role)> {
    valid(name).map(|n| (n, Role::Agent))
}
