//! Splitting a Comm100 transcript string into attributed entries (see docs/FORMAT.md, "The transcript").
//!
//! Parsing never fails: whatever cannot be read as a message is kept as a system line.
//!
//! Decisions where docs/FORMAT.md is silent:
//! - Entries are trimmed; empty entries are dropped. Message text is kept as written otherwise
//!   (internal newlines, `\r`, escape sequences, emoji): sanitising is the display's job. The
//!   whitespace after `Speaker:` belongs to the separator and is dropped.
//! - With `\n` separators, blank lines inside a multi-line message are kept when more of the
//!   message follows; a continuation line keeps its indentation, not its trailing spaces.
//! - A continuation may follow any stamped entry (also a stamped line without a speaker), never an
//!   unstamped system line.
//! - Recognised system lines (which end a multi-line message in `\n` transcripts) are Comm100's
//!   English lines, plus any line shaped like the end marker, a sentence ending in `.` followed by
//!   `(HH:MM:SS)`: translated end markers then keep their time too.
//! - Stamps: `[H:MM:SS]` or `[HH:MM:SS]`, spaces allowed inside the brackets, and an optional
//!   `AM`/`PM` (12-hour exports; `time` keeps it as written). A clock of the right shape that is not
//!   a time of day (`[25:99:00]`) still makes a message: `time` as written, `at` `None`, and it
//!   does not take part in the midnight rollover.
//! - A stamped line with no speaker is a system line whose `time` is the stamp and whose `text` is
//!   what follows the stamp. The end marker keeps its whole line as `text`.
//! - Rollover, as docs/FORMAT.md states it: a later clock moves to the next day whenever it goes
//!   backwards (compared in whole seconds with the previous stamped entry).
//! - The first stamp's date is the one nearest `start` in whole seconds; exactly 12 hours away
//!   stays on `start`'s date.
//! - Speaker precedence when one name has several roles: the chat's agents > the visitor's name >
//!   `Agent`/`Operator X has joined` (and left, transferred, sent a file) > bots that joined >
//!   the placeholder `Visitor`. An exact-case match of any of them beats a case-insensitive one.
//! - A speaker nobody introduced: split at the first `:` followed by whitespace (or ending the
//!   line), on the first line and within 100 bytes; an IP address is a visitor (no name collected),
//!   a name with the word "bot" (`Comm100 Bot`, `ChatBot`) a bot, anyone else an agent.
//! - Names (given or learned) longer than 256 bytes are ignored.

mod lines;
mod names;
#[cfg(test)]
mod tests;

use super::{Entry, SpeakerKind};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Timelike, Utc};
use lines::{Clock, Role, System};
use names::Names;

/// Who may speak in a chat: the names that tell speaker from text on a stamped line.
#[derive(Debug, Clone, Default)]
pub struct Participants<'a> {
    /// Agent display names from `operators`/`agents`.
    pub agents: Vec<&'a str>,
    /// The visitor's name, if one was collected.
    pub visitor: Option<&'a str>,
}

/// The entry separator of webhook transcripts; older API versions separate entries with `\n`.
const SEPARATOR: char = '\u{2299}';

/// The name Comm100 shows for a visitor until one is collected.
const VISITOR_PLACEHOLDER: &str = "Visitor";

/// One separated piece of the transcript, classified.
#[derive(Clone, Copy)]
enum Line<'a> {
    /// `[HH:MM:SS] rest`.
    Stamped(Clock<'a>, &'a str),
    /// A recognised system line (trimmed).
    System(&'a str, System<'a>),
    /// Anything else (trimmed), and the piece as written (for continuations).
    Other(&'a str, &'a str),
    Blank,
}

fn classify(piece: &str) -> Line<'_> {
    let line = piece.trim();
    if line.is_empty() {
        Line::Blank
    } else if let Some((clock, rest)) = lines::stamp(line) {
        Line::Stamped(clock, rest)
    } else if let Some(sys) = lines::system(line) {
        Line::System(line, sys)
    } else {
        Line::Other(line, piece)
    }
}

/// Most pieces (entries or lines) of one transcript read: a long real chat has a few thousand;
/// a hostile one of millions of empty entries would otherwise cost gigabytes.
pub const MAX_PIECES: usize = 100_000;

/// Parse a raw transcript into entries, rebuilding instants from `start`.
pub fn parse(raw: &str, who: &Participants<'_>, start: Option<DateTime<Utc>>) -> Vec<Entry> {
    parse_capped(raw, who, start).0
}

/// [`parse`], reading at most [`MAX_PIECES`] pieces; also returns how many were left out.
pub fn parse_capped(
    raw: &str,
    who: &Participants<'_>,
    start: Option<DateTime<Utc>>,
) -> (Vec<Entry>, usize) {
    let bullets = raw.contains(SEPARATOR);
    let mut split: Box<dyn Iterator<Item = &str>> = if bullets {
        Box::new(raw.split(SEPARATOR))
    } else {
        Box::new(raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)))
    };
    let pieces: Vec<Line<'_>> = split.by_ref().take(MAX_PIECES).map(classify).collect();
    let dropped = split.count();

    // First pass: every name the transcript introduces, wherever it does so.
    let (mut joined_agents, mut bots) = (Vec::new(), Vec::new());
    for line in &pieces {
        if let Line::System(_, sys) = line {
            for (name, role) in sys.learned.iter().flatten() {
                match role {
                    Role::Agent => joined_agents.push(*name),
                    Role::Bot => bots.push(*name),
                }
            }
        }
    }
    let mut names = Names::default();
    for agent in &who.agents {
        names.add(agent, SpeakerKind::Agent);
    }
    if let Some(visitor) = who.visitor {
        names.add(visitor, SpeakerKind::Visitor);
    }
    for agent in joined_agents {
        names.add(agent, SpeakerKind::Agent);
    }
    for bot in bots {
        names.add(bot, SpeakerKind::Bot);
    }
    names.add(VISITOR_PLACEHOLDER, SpeakerKind::Visitor);

    // Second pass: attribute.
    let mut clock = Timeline::new(start);
    let mut out: Vec<Entry> = Vec::with_capacity(pieces.len());
    // Whether the last entry takes continuation lines (`\n` transcripts), and blank lines seen
    // since, kept only if the message goes on.
    let mut open = false;
    let mut blanks = 0usize;
    for line in pieces {
        match line {
            Line::Blank => blanks += 1,
            Line::Stamped(time, rest) => {
                let at = clock.place(time.secs);
                let (speaker, kind, text) =
                    match names.split(rest).or_else(|| names::split_unknown(rest)) {
                        Some((name, kind, text)) => (Some(name.to_string()), kind, text),
                        None => (None, SpeakerKind::System, rest),
                    };
                out.push(Entry {
                    kind,
                    speaker,
                    time: Some(time.written.to_string()),
                    at,
                    text: text.to_string(),
                });
                open = !bullets;
            }
            Line::System(text, sys) => {
                let at = sys.clock.and_then(|c| clock.place(c.secs));
                out.push(system(text, sys.clock.map(|c| c.written), at));
                open = false;
            }
            Line::Other(text, piece) => match out.last_mut() {
                Some(last) if open => {
                    // A message whose first line was empty (`[10:00:00] Sam:`) starts here.
                    if !last.text.is_empty() {
                        last.text.extend(std::iter::repeat_n('\n', blanks + 1));
                    }
                    last.text.push_str(piece.trim_end());
                }
                _ => out.push(system(text, None, None)),
            },
        }
        if !matches!(line, Line::Blank) {
            blanks = 0;
        }
    }
    (out, dropped)
}

fn system(text: &str, time: Option<&str>, at: Option<DateTime<Utc>>) -> Entry {
    Entry {
        kind: SpeakerKind::System,
        speaker: None,
        time: time.map(str::to_string),
        at,
        text: text.to_string(),
    }
}

const DAY: i64 = 86_400;

/// Rebuilds full instants from clocks: the date nearest `start` for the first clock, then a day
/// later each time the clock goes backwards.
struct Timeline {
    /// `start`'s date and whole seconds since midnight.
    start: Option<(NaiveDate, i64)>,
    /// Day offset from `start`'s date and seconds of the last placed clock.
    prev: Option<(i64, i64)>,
}

impl Timeline {
    fn new(start: Option<DateTime<Utc>>) -> Self {
        let start = start.map(|s| {
            let n = s.naive_utc();
            (n.date(), i64::from(n.time().num_seconds_from_midnight()))
        });
        Timeline { start, prev: None }
    }

    fn place(&mut self, secs: Option<u32>) -> Option<DateTime<Utc>> {
        let (date, start_secs) = self.start?;
        let secs = i64::from(secs?);
        let offset = match self.prev {
            None if secs - start_secs > DAY / 2 => -1,
            None if start_secs - secs > DAY / 2 => 1,
            None => 0,
            Some((offset, prev)) if secs < prev => offset + 1,
            Some((offset, _)) => offset,
        };
        self.prev = Some((offset, secs));
        let days = Days::new(offset.unsigned_abs());
        let day = if offset < 0 {
            date.checked_sub_days(days)
        } else {
            date.checked_add_days(days)
        }?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(secs).ok()?, 0)?;
        Some(day.and_time(time).and_utc())
    }
}
