//! The participants' names, the kind of speaker each is, and splitting `Speaker Name: text`.

use super::lines::MAX_NAME;
use crate::model::SpeakerKind;
use std::net::IpAddr;

/// A speaker found at the start of a stamped line: name as written, kind, and the text after `:`.
pub(super) type Split<'r> = (&'r str, SpeakerKind, &'r str);

/// Every known name with its kind, in two byte tries: names as written, and lower-cased for the
/// case-insensitive second try. The first kind added for a name wins, so names are added in order
/// of precedence. Splitting a line walks each trie once along the line: the cost is bounded by the
/// longest name, whatever the number of names or colons.
#[derive(Debug)]
pub(super) struct Names {
    exact: Trie,
    folded: Trie,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            exact: Trie::new(),
            folded: Trie::new(),
        }
    }
}

impl Names {
    /// Add a name (trimmed); empty and over-long names are ignored, an already known name keeps
    /// its first kind.
    pub(super) fn add(&mut self, name: &str, kind: SpeakerKind) {
        let name = name.trim();
        if name.is_empty() || name.len() > MAX_NAME {
            return;
        }
        self.exact.insert(name.bytes(), kind);
        self.folded.insert(name.to_lowercase().bytes(), kind);
    }

    /// Split `rest` (the line after its stamp) on the longest known name followed by `:`. Names
    /// are compared as written first, then case-insensitively.
    pub(super) fn split<'r>(&self, rest: &'r str) -> Option<Split<'r>> {
        let cut = |(i, kind): (usize, SpeakerKind)| (&rest[..i], kind, rest[i + 1..].trim_start());
        // `:` is ASCII, so a colon's offset is a char boundary.
        let mut node = 0;
        let mut best = None;
        for (i, b) in rest.bytes().enumerate() {
            if b == b':' {
                best = self.exact.kind(node).map(|k| (i, k)).or(best);
            }
            let Some(next) = self.exact.child(node, b) else {
                break;
            };
            node = next;
        }
        if let Some(found) = best {
            return Some(cut(found));
        }
        node = 0;
        let mut utf8 = [0u8; 4];
        'walk: for (i, c) in rest.char_indices() {
            if c == ':' {
                best = self.folded.kind(node).map(|k| (i, k)).or(best);
            }
            for lower in c.to_lowercase() {
                for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                    let Some(next) = self.folded.child(node, b) else {
                        break 'walk;
                    };
                    node = next;
                }
            }
        }
        best.map(cut)
    }
}

/// A byte trie; node 0 is the root.
#[derive(Debug)]
struct Trie {
    nodes: Vec<Node>,
}

/// The kind of the name ending at a node (if one does), and the node's children sorted by byte.
type Node = (Option<SpeakerKind>, Vec<(u8, u32)>);

impl Trie {
    fn new() -> Self {
        Trie {
            nodes: vec![(None, Vec::new())],
        }
    }

    fn insert(&mut self, name: impl Iterator<Item = u8>, kind: SpeakerKind) {
        let mut node = 0;
        for b in name {
            node = match self.nodes[node].1.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(at) => self.nodes[node].1[at].1 as usize,
                Err(at) => {
                    // At most 2 * MAX_NAME bytes per name, so the count fits u32 for any input
                    // that fits in memory; saturate rather than wrap if it ever did not.
                    let id = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
                    self.nodes.push((None, Vec::new()));
                    self.nodes[node].1.insert(at, (b, id));
                    id as usize
                }
            };
        }
        self.nodes[node].0.get_or_insert(kind);
    }

    fn kind(&self, node: usize) -> Option<SpeakerKind> {
        self.nodes.get(node).and_then(|n| n.0)
    }

    fn child(&self, node: usize, b: u8) -> Option<usize> {
        let children = &self.nodes.get(node)?.1;
        let at = children.binary_search_by_key(&b, |&(c, _)| c).ok()?;
        Some(children[at].1 as usize)
    }
}

/// Longest speaker name accepted for a speaker nobody introduced; beyond it the line is text.
const UNKNOWN_MAX: usize = 100;

/// Split a line whose speaker is not a known participant at its first `:` followed by whitespace
/// (or ending the line), within the first line and [`UNKNOWN_MAX`] bytes. `None`: no speaker.
pub(super) fn split_unknown(rest: &str) -> Option<Split<'_>> {
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate().take(UNKNOWN_MAX + 1) {
        match b {
            b'\n' => return None,
            b':' if bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) => {
                let name = rest[..i].trim_end();
                if name.is_empty() {
                    return None;
                }
                return Some((name, unknown_kind(name), rest[i + 1..].trim_start()));
            }
            _ => {}
        }
    }
    None
}

/// Kind of a speaker nobody introduced: an IP address is a visitor without a name, a name with the
/// word "bot" in it is a bot, anyone else an agent (agents are renamed and transferred more often
/// than visitors are).
pub(super) fn unknown_kind(name: &str) -> SpeakerKind {
    if name.parse::<IpAddr>().is_ok() {
        SpeakerKind::Visitor
    } else if looks_like_bot(name) {
        SpeakerKind::Bot
    } else {
        SpeakerKind::Agent
    }
}

/// `Comm100 Bot`, `bot`, `Chatbot`, `HelpBot`: the word "bot" on its own or as the camel-case end of
/// a word. Not `Abbot` or `Talbot`.
pub(super) fn looks_like_bot(name: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric()).any(|w| {
        w.eq_ignore_ascii_case("bot")
            || w.eq_ignore_ascii_case("chatbot")
            || w.strip_suffix("Bot")
                .and_then(|head| head.chars().last())
                .is_some_and(char::is_lowercase)
    })
}
