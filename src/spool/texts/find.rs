//! Searching the store: blocks read from the file and scanned with `memchr::memmem` on every
//! thread, each block checked against its checksum before its hits count.

use super::{shared, Block, Texts};
use crate::fold::ENTRY_END;
use crate::spool::bytes::{self as codec, Corrupt};
use crate::work::Control;
use memchr::memmem::Finder;
use rayon::prelude::*;
use std::sync::atomic::Ordering;

/// A set of chats of the store, by number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn with_len(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub fn set(&mut self, k: u32) {
        self.0[k as usize / 64] |= 1 << (k % 64);
    }

    /// A set of `n` chats, none in it.
    pub fn empty(n: usize) -> Self {
        Self::with_len(n)
    }

    /// Keep only the chats that are in `other` (or, with `not`, that are not).
    pub fn keep(&mut self, other: &Bits, not: bool) {
        for (w, o) in self.0.iter_mut().zip(&other.0) {
            *w &= if not { !o } else { *o };
        }
    }

    /// The chats in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros();
                    w &= w - 1;
                    i as u32 * 64 + b
                })
            })
        })
    }

    pub fn get(&self, k: u32) -> bool {
        self.0
            .get(k as usize / 64)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }

    pub fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

/// Why a search gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The control said so (a newer keystroke).
    Cancelled,
    /// The file is not what was checked: answer by reading transcripts instead.
    Corrupt,
}

impl From<Corrupt> for Stopped {
    fn from(_: Corrupt) -> Self {
        Stopped::Corrupt
    }
}

impl Texts {
    /// The chats whose text holds `needle` (folded, as `Query::text_terms` gives it).
    /// `ctl` is asked before each block and told how many chats each block held.
    pub fn find(&self, needle: &str, ctl: Control<'_>) -> Result<Bits, Stopped> {
        let finder = Finder::new(needle.as_bytes());
        let shared = self.shared_needle(&finder)?;
        let hits: Vec<Vec<u32>> = self
            .blocks
            .par_iter()
            .map(|block| {
                if ctl.cancelled() {
                    return Err(Stopped::Cancelled);
                }
                let bytes = self.checked(block)?;
                let from = self.starts[block.first as usize];
                let hits = self.scan(&finder, &shared, block, from, bytes);
                ctl.add((block.end - block.first) as usize);
                Ok(hits)
            })
            .collect::<Result<_, Stopped>>()?;
        let mut bits = Bits::with_len(self.chats());
        hits.iter().flatten().for_each(|&k| bits.set(k));
        Ok(bits)
    }

    /// [`Texts::find`] among the chats `among` only (sorted, as a narrowing keystroke gives
    /// them): reads only the stretch of each block from its first to its last candidate.
    pub fn find_among(
        &self,
        needle: &str,
        among: &[u32],
        ctl: Control<'_>,
    ) -> Result<Bits, Stopped> {
        let finder = Finder::new(needle.as_bytes());
        let shared = self.shared_needle(&finder)?;
        let mut groups: Vec<(&Block, &[u32])> = Vec::new();
        let mut rest = among;
        while let Some(&k) = rest.first() {
            let b = self.blocks.partition_point(|b| b.end <= k);
            let block = self.blocks.get(b).ok_or(Stopped::Corrupt)?;
            let n = rest.partition_point(|&x| x < block.end);
            groups.push((block, &rest[..n]));
            rest = &rest[n..];
        }
        let hits: Vec<Vec<u32>> = groups
            .par_iter()
            .map(|(block, ks)| {
                if ctl.cancelled() {
                    return Err(Stopped::Cancelled);
                }
                // The block's bytes (checked the first time): only the candidates' are searched.
                let bytes = self.checked(block)?;
                let from = self.starts[block.first as usize];
                let text = |k: u32| {
                    let (s, e) = (self.starts[k as usize], self.starts[k as usize + 1]);
                    &bytes[(s - from) as usize..(e - from) as usize]
                };
                let hits: Vec<u32> = ks
                    .iter()
                    .copied()
                    .filter(|&k| holds(&finder, &shared, text(k)))
                    .collect();
                ctl.add(ks.len());
                Ok(hits)
            })
            .collect::<Result<_, Stopped>>()?;
        let mut bits = Bits::with_len(self.chats());
        hits.iter().flatten().for_each(|&k| bits.set(k));
        Ok(bits)
    }

    /// Region bytes `from..to`.
    fn region(&self, from: u64, to: u64) -> Result<&[u8], Corrupt> {
        let at = self.header.region_at;
        let a = usize::try_from(at + from).map_err(|_| Corrupt)?;
        let b = usize::try_from(at + to).map_err(|_| Corrupt)?;
        self.map.bytes().get(a..b).ok_or(Corrupt)
    }

    /// A whole block's bytes, checked against its checksum the first time.
    pub(super) fn checked(&self, block: &Block) -> Result<&[u8], Corrupt> {
        let bytes = self.region(
            self.starts[block.first as usize],
            self.starts[block.end as usize],
        )?;
        if !block.checked.load(Ordering::Acquire) {
            if codec::checksum(bytes) != block.sum {
                self.discard();
                return Err(Corrupt);
            }
            block.checked.store(true, Ordering::Release);
        }
        Ok(bytes)
    }

    /// What the shared section says about the needle: the entries that hold it, and the ones
    /// that end with its start (a head reference to one may hold it across the seam).
    fn shared_needle<'a>(&'a self, finder: &Finder<'_>) -> Result<SharedNeedle<'a>, Stopped> {
        let needle = finder.needle();
        if needle.is_empty() || self.shared.len() < 2 {
            return Ok(SharedNeedle::default());
        }
        let section = self.shared_section()?;
        let entries = self.shared.len() - 1;
        let mut holds = Bits::with_len(entries);
        let mut pos = 0usize;
        let mut any = false;
        while let Some(i) = finder.find(&section[pos..]) {
            let e = self.shared.partition_point(|&s| s as usize <= pos + i) - 1;
            holds.set(e as u32);
            any = true;
            pos = self.shared[e + 1] as usize;
        }
        // A head ends with a space (it is cut after its last one), so only the needle's starts
        // that end with a space can end a head: a needle with no space inside has no seams.
        let cuts: Vec<usize> = (1..needle.len())
            .filter(|&i| needle[i - 1] == b' ')
            .collect();
        let mut seams = Bits::with_len(entries);
        let mut any_seam = false;
        if !cuts.is_empty() {
            for (e, w) in self.shared.windows(2).enumerate() {
                let text = &section[w[0] as usize..(w[1] as usize).saturating_sub(1)];
                if text.last() == Some(&b' ') && cuts.iter().any(|&i| text.ends_with(&needle[..i]))
                {
                    seams.set(e as u32);
                    any_seam = true;
                }
            }
        }
        Ok(SharedNeedle {
            holds: any.then_some(holds),
            seams: any_seam.then_some(seams),
            section,
            starts: &self.shared,
        })
    }

    /// The chats of `block` whose text (in `buf`, which starts at region offset `from`)
    /// holds the needle: one `memmem` pass over the block, skipping to the next chat on a hit;
    /// then, when shared entries hold it, the other chats' references.
    fn scan(
        &self,
        finder: &Finder<'_>,
        shared: &SharedNeedle<'_>,
        block: &Block,
        from: u64,
        buf: &[u8],
    ) -> Vec<u32> {
        let (first, end) = (block.first, block.end);
        let mut hits = Vec::new();
        let starts = &self.starts[first as usize..=end as usize];
        if finder.needle().is_empty() {
            // Every entry holds the empty string: chats with at least one entry.
            return (first..end)
                .filter(|&k| self.starts[k as usize] < self.starts[k as usize + 1])
                .collect();
        }
        let mut pos = 0usize;
        while let Some(i) = finder.find(&buf[pos..]) {
            let at = from + (pos + i) as u64;
            let c = starts.partition_point(|&s| s <= at) - 1;
            hits.push(first + c as u32);
            pos = (starts[c + 1] - from) as usize;
        }
        // One pass over the block's references of each kind: a chat referring to an entry
        // that holds the needle (or, for a head, holding it across the seam) is a hit.
        let mut refers = Vec::new();
        let chat_at = |at: usize| starts.partition_point(|&s| s <= from + at as u64) - 1;
        if shared.holds.is_some() || shared.seams.is_some() {
            let mut pos = 0usize;
            while let Some(i) = memchr::memchr2(shared::REF, shared::HEAD, &buf[pos..]) {
                let at = pos + i;
                let Some((hit, next)) = shared.reference(finder, &buf[at..]) else {
                    break;
                };
                if hit {
                    let c = chat_at(at);
                    refers.push(first + c as u32);
                    pos = (starts[c + 1] - from) as usize;
                } else {
                    pos = at + next;
                }
            }
        }
        if !refers.is_empty() {
            hits.extend(refers);
            hits.sort_unstable();
            hits.dedup();
        }
        hits
    }
}

/// What the shared section says about one needle (see [`Texts::shared_needle`]).
#[derive(Default)]
struct SharedNeedle<'a> {
    /// The entries that hold the needle; `None` when none does.
    holds: Option<Bits>,
    /// The entries that end with a start of the needle (not all of it); `None` when none does.
    seams: Option<Bits>,
    section: &'a [u8],
    starts: &'a [u32],
}

impl SharedNeedle<'_> {
    /// For the reference `bytes` start with (whole or head): whether the chat holds the needle
    /// through it, and where to look for the next one. `None` when the bytes are not a
    /// reference.
    fn reference(&self, finder: &Finder<'_>, bytes: &[u8]) -> Option<(bool, usize)> {
        if bytes.first() == Some(&shared::HEAD) {
            return self.head(finder, bytes);
        }
        let (id, len) = shared::ref_at(bytes)?;
        Some((self.holds.as_ref().is_some_and(|h| h.get(id)), len))
    }

    /// For the head reference `bytes` start with: whether its entry holds the needle, in its
    /// head or across the seam into the inline rest, and where to look for the next one.
    /// `None` when the bytes are not a head reference.
    fn head(&self, finder: &Finder<'_>, bytes: &[u8]) -> Option<(bool, usize)> {
        let (id, len) = shared::head_at(bytes)?;
        if self.holds.as_ref().is_some_and(|h| h.get(id)) {
            return Some((true, len));
        }
        if !self.seams.as_ref().is_some_and(|s| s.get(id)) {
            return Some((false, len));
        }
        // A match across the seam lies within the needle's length less one on either side.
        let n = finder.needle().len() - 1;
        let (from, to) = (
            *self.starts.get(id as usize)? as usize,
            *self.starts.get(id as usize + 1)? as usize,
        );
        let head = self.section.get(from..to.checked_sub(1)?)?;
        let rest = &bytes[len..];
        let rest = &rest[..memchr::memchr(ENTRY_END, rest).unwrap_or(rest.len())];
        let mut seam: smallvec::SmallVec<[u8; 128]> = smallvec::SmallVec::new();
        seam.extend_from_slice(&head[head.len().saturating_sub(n)..]);
        seam.extend_from_slice(&rest[..rest.len().min(n)]);
        Some((finder.find(&seam).is_some(), len))
    }

    /// Whether a chat's text reaches the needle through a reference.
    fn refers(&self, finder: &Finder<'_>, text: &[u8]) -> bool {
        if self.holds.is_none() && self.seams.is_none() {
            return false;
        }
        memchr::memchr2_iter(shared::REF, shared::HEAD, text)
            .map_while(|at| self.reference(finder, &text[at..]))
            .any(|(hit, _)| hit)
    }
}

/// Whether one chat's text holds the needle, itself or through a shared entry it refers to
/// (the empty needle: when it has an entry).
fn holds(finder: &Finder<'_>, shared: &SharedNeedle<'_>, text: &[u8]) -> bool {
    if finder.needle().is_empty() {
        !text.is_empty()
    } else {
        finder.find(text).is_some() || shared.refers(finder, text)
    }
}
