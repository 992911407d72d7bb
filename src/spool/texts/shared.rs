//! Shared entries: a transcript entry that recurs across chats (a bot's greeting, a canned
//! answer, "Visitor left the chat") is kept once in the store's shared section, and each chat
//! holding it keeps a short reference instead. Support transcripts repeat a great deal, so this
//! is most of what keeps the store small; a search checks each shared entry once instead of once
//! per chat that says it.
//!
//! A reference replaces one whole entry of a chat's text: [`REF`], the entry's number in base 9
//! written with the bytes `0xF6..=0xFE` (least significant first), then [`ENTRY_END`]. None of
//! these bytes ever occurs in UTF-8, so a needle (always UTF-8) can never match inside or across
//! a reference, and a plain `memmem` over a chat's text still finds exactly its own inline
//! entries.
//!
//! A head reference replaces the start of an entry whose end differs from chat to chat (a
//! canned answer ending with a name, an order number, a ticket id): [`HEAD`], the number of the
//! shared entry that holds the start (up to and including its last space), then the rest of the
//! entry inline. A needle can then also match across the seam, starting in the shared head and
//! ending in the inline rest: a search checks those seams (see `find`).

use crate::fold::ENTRY_END;
use crate::spool::bytes as codec;
use std::collections::HashMap;

/// Starts a reference (never a byte of UTF-8).
pub const REF: u8 = 0xF5;
/// Starts a head reference (never a byte of UTF-8).
pub const HEAD: u8 = 0xC0;
/// The first of the nine digit bytes.
const DIGIT0: u8 = 0xF6;

/// Heads shorter than this (with their end byte in the shared section) are not shared.
const MIN_HEAD: usize = 16;

/// Entries shorter than this (with their end byte) stay inline: a reference would save little
/// or nothing, and the builder's map would fill with short replies ("ok", "thanks").
const MIN_SHARED: usize = 8;

/// Stop recording first sightings past this many (a spool of mostly unique text): memory while
/// building stays bounded; entries already shared keep being used.
const MAX_SEEN: usize = 4 << 20;

/// Stop adding shared entries past this many bytes of them.
const MAX_SHARED_BYTES: usize = 256 << 20;

/// Append the reference to shared entry `id` (with its end byte).
pub fn put_ref(id: u32, out: &mut Vec<u8>) {
    out.push(REF);
    put_digits(id, out);
    out.push(ENTRY_END);
}

/// Append the head reference to shared entry `id` (the inline rest follows it).
pub fn put_head(id: u32, out: &mut Vec<u8>) {
    out.push(HEAD);
    put_digits(id, out);
}

fn put_digits(mut id: u32, out: &mut Vec<u8>) {
    loop {
        out.push(DIGIT0 + (id % 9) as u8);
        id /= 9;
        if id == 0 {
            break;
        }
    }
}

/// The head reference `bytes` start with (at its [`HEAD`]): the entry's number and the
/// reference's length in bytes (the inline rest starts there).
pub fn head_at(bytes: &[u8]) -> Option<(u32, usize)> {
    let n = bytes
        .iter()
        .skip(1)
        .take_while(|b| (DIGIT0..=0xFE).contains(*b))
        .count();
    if n == 0 || n > 11 {
        return None;
    }
    let id = bytes[1..=n]
        .iter()
        .rev()
        .fold(0u64, |id, &b| id * 9 + u64::from(b - DIGIT0));
    Some((u32::try_from(id).ok()?, n + 1))
}

/// The shared entries a chat's text refers to, in order. Bytes that do not form a reference
/// (a store that does not add up) end the iteration; the caller's checksum has already vouched
/// for the bytes.
#[cfg(test)]
pub fn refs(text: &[u8]) -> impl Iterator<Item = u32> + '_ {
    memchr::memchr_iter(REF, text).map_while(move |at| ref_at(&text[at..]).map(|(id, _)| id))
}

/// The reference `bytes` start with (at its [`REF`]): the entry's number and the reference's
/// length in bytes.
pub fn ref_at(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut id = 0u64;
    let mut scale = 1u64;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match b {
            ENTRY_END => return Some((u32::try_from(id).ok()?, i + 1)),
            DIGIT0..=0xFE if scale <= u64::from(u32::MAX) => {
                id += u64::from(b - DIGIT0) * scale;
                scale *= 9;
            }
            _ => return None,
        }
    }
    None
}

/// Where each entry of a shared section starts, and its end (entries + 1 values); `None` when
/// the section does not end with an entry's end byte.
pub fn entry_starts(section: &[u8]) -> Option<Vec<u32>> {
    if section.last().is_some_and(|&b| b != ENTRY_END) || section.len() >= u32::MAX as usize {
        return None;
    }
    let mut starts = vec![0u32];
    starts.extend(memchr::memchr_iter(ENTRY_END, section).map(|i| i as u32 + 1));
    Some(starts)
}

/// What the builder knows of an entry it has seen, by the entry's checksum.
#[derive(Debug, Clone, Copy)]
enum Seen {
    /// Once, inline in some chat.
    Once,
    /// Shared, as this number.
    Shared(u32),
}

/// The shared section while a store is written: entries are shared from their second sighting
/// on (the first stays inline where it was written).
#[derive(Debug, Default)]
pub struct Sharing {
    bytes: Vec<u8>,
    starts: Vec<u32>,
    seen: HashMap<u64, Seen>,
    /// A head with its end byte, while it is looked up.
    scratch: Vec<u8>,
}

impl Sharing {
    /// Continue the shared section of a previous store (its numbers stay valid, so its chats'
    /// texts can be copied as they are).
    pub fn from_section(section: Vec<u8>) -> Option<Sharing> {
        let starts = entry_starts(&section)?;
        let mut seen = HashMap::with_capacity(starts.len());
        for (id, w) in starts.windows(2).enumerate() {
            let entry = &section[w[0] as usize..w[1] as usize];
            seen.insert(codec::checksum(entry), Seen::Shared(id as u32));
        }
        Some(Sharing {
            bytes: section,
            starts,
            seen,
            scratch: Vec::new(),
        })
    }

    /// The shared section's bytes.
    pub fn section(&self) -> &[u8] {
        &self.bytes
    }

    fn entry(&self, id: u32) -> &[u8] {
        let (from, to) = (self.starts[id as usize], self.starts[id as usize + 1]);
        &self.bytes[from as usize..to as usize]
    }

    /// Append `text` (a chat's folded entries, as `fold::transcript_text` gives them) to `out`,
    /// with recurring entries as references.
    pub fn encode(&mut self, text: &[u8], out: &mut Vec<u8>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let mut from = 0usize;
        for end in memchr::memchr_iter(ENTRY_END, text) {
            let entry = &text[from..=end];
            from = end + 1;
            match self.share(entry) {
                Some(id) => put_ref(id, out),
                None => match self.share_head(entry) {
                    Some((id, rest)) => {
                        put_head(id, out);
                        out.extend_from_slice(&entry[rest..]);
                    }
                    None => out.extend_from_slice(entry),
                },
            }
        }
        out.extend_from_slice(&text[from..]);
    }

    /// The shared number of `entry`'s head (up to and including its last space, when something
    /// follows it), if that is (or now becomes) shared, and where the rest starts.
    fn share_head(&mut self, entry: &[u8]) -> Option<(u32, usize)> {
        let text = &entry[..entry.len() - 1];
        let rest = memchr::memrchr(b' ', text)? + 1;
        if rest + 1 < MIN_HEAD || rest == text.len() {
            return None;
        }
        let mut head = std::mem::take(&mut self.scratch);
        head.clear();
        head.extend_from_slice(&text[..rest]);
        head.push(ENTRY_END);
        let id = self.share(&head);
        self.scratch = head;
        Some((id?, rest))
    }

    /// The shared number to refer to `entry` by, if it is (or now becomes) shared.
    fn share(&mut self, entry: &[u8]) -> Option<u32> {
        if entry.len() < MIN_SHARED || entry.contains(&REF) || entry.contains(&HEAD) {
            return None;
        }
        let key = codec::checksum(entry);
        match self.seen.get(&key).copied() {
            // Equal checksums of different entries are not trusted: the bytes must be equal.
            Some(Seen::Shared(id)) => (self.entry(id) == entry).then_some(id),
            Some(Seen::Once) if self.bytes.len() + entry.len() <= MAX_SHARED_BYTES => {
                let id = u32::try_from(self.starts.len() - 1).ok()?;
                self.bytes.extend_from_slice(entry);
                self.starts.push(self.bytes.len() as u32);
                self.seen.insert(key, Seen::Shared(id));
                Some(id)
            }
            Some(Seen::Once) => None,
            None => {
                if self.seen.len() < MAX_SEEN {
                    self.seen.insert(key, Seen::Once);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(entries: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        crate::fold::transcript_text(entries.iter().copied(), &mut out);
        out
    }

    /// A chat's text with its references replaced by the shared entries they name.
    fn expand(sharing: &Sharing, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut refs = refs(text);
        let mut from = 0;
        for end in memchr::memchr_iter(ENTRY_END, text) {
            let entry = &text[from..=end];
            from = end + 1;
            if entry[0] == REF {
                out.extend_from_slice(sharing.entry(refs.next().unwrap()));
            } else if entry[0] == HEAD {
                let (id, len) = head_at(entry).unwrap();
                let head = sharing.entry(id);
                out.extend_from_slice(&head[..head.len() - 1]);
                out.extend_from_slice(&entry[len..]);
            } else {
                out.extend_from_slice(entry);
            }
        }
        out
    }

    #[test]
    fn references_round_trip_and_are_never_utf8() {
        for id in [0, 1, 8, 9, 80, 81, 728, 729, 1_000_000, u32::MAX] {
            let mut out = Vec::new();
            put_ref(id, &mut out);
            assert!(std::str::from_utf8(&out).is_err());
            assert!(out.iter().all(|&b| b >= REF));
            assert_eq!(refs(&out).collect::<Vec<_>>(), vec![id], "{id}");
            // A head reference, then the entry's own rest.
            let mut head = Vec::new();
            put_head(id, &mut head);
            assert!(std::str::from_utf8(&head).is_err());
            let len = head.len();
            head.extend_from_slice(b"rest");
            assert_eq!(head_at(&head), Some((id, len)), "{id}");
        }
        assert_eq!(head_at(&[HEAD, b'a']), None);
        assert_eq!(refs(&[REF, 0x41, ENTRY_END]).count(), 0);
        assert_eq!(refs(&[REF, DIGIT0]).count(), 0);
    }

    #[test]
    fn recurring_entries_are_kept_once() {
        let mut s = Sharing::default();
        let greeting = "Welcome to Acme support, how can I help?";
        let mut texts = Vec::new();
        for i in 0..5 {
            let own = format!("my order is {i}00123");
            let mut out = Vec::new();
            s.encode(&folded(&[greeting, &own, "ok"]), &mut out);
            texts.push(out);
        }
        // The first sighting stays inline; every later one refers to the one shared copy.
        assert_eq!(refs(&texts[0]).count(), 0);
        assert!(texts[1..].iter().all(|t| refs(t).eq([0])));
        assert_eq!(s.section(), folded(&[greeting]).as_slice());
        for (i, t) in texts.iter().enumerate() {
            let own = format!("my order is {i}00123");
            assert_eq!(expand(&s, t), folded(&[greeting, &own, "ok"]));
        }
        // A later store continues the numbering.
        let mut again = Sharing::from_section(s.section().to_vec()).unwrap();
        let mut out = Vec::new();
        again.encode(&folded(&[greeting]), &mut out);
        assert!(refs(&out).eq([0]));
    }

    proptest! {
        #[test]
        fn encoding_keeps_every_entry(
            chats in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    Just("Thanks for contacting us today".to_string()),
                    Just("Is there anything else?".to_string()),
                    "[a-zé ]{0,14}",
                    "[a-z0-9é]{1,5}".prop_map(|t| format!("Your ticket number is {t}")),
                ], 0..6),
                1..20,
            ),
        ) {
            let mut s = Sharing::default();
            let mut encoded = Vec::new();
            for chat in &chats {
                let words: Vec<&str> = chat.iter().map(String::as_str).collect();
                let mut out = Vec::new();
                s.encode(&folded(&words), &mut out);
                encoded.push(out);
            }
            for (chat, out) in chats.iter().zip(&encoded) {
                let words: Vec<&str> = chat.iter().map(String::as_str).collect();
                prop_assert_eq!(expand(&s, out), folded(&words));
            }
            prop_assert!(entry_starts(s.section()).is_some());
            // A head is shared from its second sighting with another end.
            let tickets: std::collections::HashSet<&String> =
                chats.iter().flatten().filter(|e| e.starts_with("Your ticket")).collect();
            if tickets.len() >= 2 {
                prop_assert!(encoded.iter().any(|t| t.contains(&HEAD)));
            }
        }
    }
}
