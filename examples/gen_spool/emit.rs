//! Turns chats and extras into files, and the bulk spool's plan: which chats get retries,
//! events, broken neighbours, JSON Lines grouping and gzip. Everything is a pure function of
//! (seed, index), so one chat at a time is generated, written and dropped: memory stays flat
//! however large `--count` is.

use std::io;
use std::ops::Range;

use crate::chat::{ChatSpec, Line, Recipe};
use crate::extras::{self, BROKEN, EVENTS, IGNORED};
use crate::out::{Out, Retry};
use crate::rng::Rng;
use crate::short;
use crate::variants::Variants;

/// 2026-11-01T00:00:00Z: bulk spools end here, so output never depends on today's date.
pub const BASE_MS: i64 = 1_793_491_200_000;
pub const DAY_MS: i64 = 86_400_000;

const STREAM_CHAT: u64 = 1;
const STREAM_VARIANT: u64 = 2;
const STREAM_EXTRA: u64 = 3;
const STREAM_SHORT: u64 = 4;
/// Chats made only to fill broken and ignored files live far above any `--count`.
const SPARE_INDEX: u64 = 1 << 40;

pub struct Opts {
    pub count: u64,
    pub seed: u64,
    pub variants: bool,
    pub hostile: bool,
    pub broken: u64,
    pub events: u64,
    pub duplicates: u64,
    pub jsonl_every: u64,
    pub jsonl_lines: u64,
    pub gz_every: u64,
    /// End every message with the chat's and message's numbers, so no message repeats.
    pub unique_messages: bool,
    /// Short chats with distinct contacts and custom data (`--short`), written compact.
    pub short: bool,
}

pub struct Gen<'a> {
    pub out: &'a mut Out,
    pub o: Opts,
    buf: Vec<u8>,
    chat_file_no: u64,
}

/// The `n` items spread evenly over `count` chats that belong to chat `i`.
fn share(i: u64, count: u64, n: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(n) / u128::from(count)) as u64;
    at(i)..at(i + 1)
}

impl<'a> Gen<'a> {
    pub fn new(out: &'a mut Out, o: Opts) -> Self {
        Gen {
            out,
            o,
            buf: Vec::with_capacity(64 * 1024),
            chat_file_no: 0,
        }
    }

    /// Chat `index` starting at `start_ms`, with its spelling variants.
    pub fn make(&self, index: u64, start_ms: i64, recipe: &Recipe) -> (ChatSpec, Variants) {
        let mut vr = Rng::for_item(self.o.seed, STREAM_VARIANT, index);
        let v = if self.o.variants {
            Variants::roll(&mut vr)
        } else if self.o.short {
            Variants::compact()
        } else {
            Variants::vendor()
        };
        let int_id = self.o.variants && vr.chance(0.15);
        let mut rng = Rng::for_item(self.o.seed, STREAM_CHAT, index);
        let recipe = Recipe {
            short: self.o.short,
            ..recipe.clone()
        };
        let mut spec =
            ChatSpec::generate(&mut rng, index, start_ms, &recipe, self.o.hostile, int_id);
        if self.o.short {
            short::personalise(
                &mut spec,
                &mut Rng::for_item(self.o.seed, STREAM_SHORT, index),
            );
        }
        if self.o.unique_messages {
            let texts = spec.lines.iter_mut().filter_map(|l| match l {
                Line::Msg { text, .. } => Some(text),
                _ => None,
            });
            for (k, text) in texts.enumerate() {
                text.push_str(&format!(" (#{index}-{k})"));
            }
        }
        (spec, v)
    }

    /// Whether the next chat-bearing file is gzipped (`--gz-every`).
    pub fn gz_next(&mut self) -> bool {
        self.chat_file_no += 1;
        self.o.gz_every > 0 && self.chat_file_no % self.o.gz_every == 0
    }

    /// One chat, one file: `<id>.json`.
    pub fn chat_file(
        &mut self,
        dir: &str,
        spec: &ChatSpec,
        v: &Variants,
        gz: bool,
    ) -> io::Result<String> {
        self.buf.clear();
        extras::chat_ended(spec, v, false, &mut self.buf);
        let path = self
            .out
            .write(dir, &format!("{}.json", spec.id), &self.buf, gz)?;
        self.out.chats(1);
        Ok(path)
    }

    /// Several chats, one JSON Lines file.
    pub fn jsonl(
        &mut self,
        dir: &str,
        name: &str,
        chats: &[(ChatSpec, Variants)],
        gz: bool,
    ) -> io::Result<String> {
        self.buf.clear();
        for (spec, v) in chats {
            extras::chat_ended(spec, v, true, &mut self.buf);
            if name.ends_with(".ndjson") {
                // The other capture tool: CRLF line ends (compact lines hold no other raw LF).
                self.buf.pop();
                self.buf.extend_from_slice(b"\r\n");
            }
        }
        let path = self.out.write(dir, name, &self.buf, gz)?;
        self.out.chats(chats.len() as u64);
        Ok(path)
    }

    /// `n` more deliveries of a chat already written at `complete`; with `earlier`, the first is
    /// a less complete copy sent before the chat was over.
    pub fn retries(
        &mut self,
        dir: &str,
        spec: &ChatSpec,
        v: &Variants,
        n: u64,
        earlier: bool,
        complete: String,
    ) -> io::Result<()> {
        let mut copies = Vec::new();
        for j in 1..=n {
            self.buf.clear();
            if earlier && j == 1 {
                let cut = 2 + (spec.index % 3) as usize;
                extras::chat_ended(&spec.earlier_copy(cut), v, false, &mut self.buf);
            } else {
                extras::chat_ended(spec, v, false, &mut self.buf);
            }
            copies.push(self.out.write(
                dir,
                &format!("{}.retry{j}.json", spec.id),
                &self.buf,
                false,
            )?);
        }
        self.out.retry(Retry {
            id: spec.id.clone(),
            complete,
            copies,
            earlier,
        });
        Ok(())
    }

    /// An other-event file about `spec`, named `name` (a wrap-up event belongs to the chat).
    pub fn event(
        &mut self,
        dir: &str,
        name: &str,
        kind: &str,
        spec: &ChatSpec,
        v: &Variants,
    ) -> io::Result<()> {
        self.buf.clear();
        extras::event(kind, spec, v, &mut self.buf);
        let path = self.out.write(dir, name, &self.buf, false)?;
        if kind == "chat_wrapped_up" || kind == "chat_wraped_up" {
            self.out.wrap_up(path);
        } else {
            self.out.skipped(path, 1);
        }
        Ok(())
    }

    /// Broken file number `k`, beside the chat starting at `start_ms`.
    pub fn broken(&mut self, dir: &str, k: u64, start_ms: i64) -> io::Result<()> {
        let kind = BROKEN[(k % BROKEN.len() as u64) as usize];
        let (spec, _) = self.make(SPARE_INDEX + k, start_ms + 1_000, &Recipe::default());
        self.buf.clear();
        extras::broken(kind, &spec, &mut self.buf);
        let ext = if kind == "jsonl-bad-line" {
            "jsonl"
        } else {
            "json"
        };
        let path = self.out.write(
            dir,
            &format!("broken-{k:04}-{kind}.{ext}"),
            &self.buf,
            false,
        )?;
        if kind == "jsonl-bad-line" {
            self.out.chats(1);
        }
        self.out.problem(path, kind);
        Ok(())
    }

    /// The temporary and hidden files, each a valid chat a loader must not read.
    pub fn ignored(&mut self, dir: &str, start_ms: i64) -> io::Result<()> {
        for (k, name) in IGNORED.iter().enumerate() {
            let (spec, v) = self.make(
                SPARE_INDEX / 2 + k as u64,
                start_ms + 2_000,
                &Recipe::default(),
            );
            self.buf.clear();
            extras::chat_ended(&spec, &v, false, &mut self.buf);
            let path = self.out.write(dir, name, &self.buf, false)?;
            self.out.ignored(path);
        }
        Ok(())
    }
}

/// The bulk spool: `count` chats spread over the days before [`BASE_MS`].
pub fn bulk(g: &mut Gen) -> io::Result<()> {
    let count = g.o.count;
    let days = count.div_ceil(50).clamp(1, 730) as i64;
    let span = days * DAY_MS;
    let (t0, step) = (BASE_MS - span, (span / count as i64).max(1));
    let (every, lines) = (g.o.jsonl_every, g.o.jsonl_lines.min(g.o.jsonl_every));
    let mut group: Vec<(ChatSpec, Variants)> = Vec::new();
    let mut group_at = (String::new(), String::new(), false);
    for i in 0..count {
        let mut extra = Rng::for_item(g.o.seed, STREAM_EXTRA, i);
        let start = t0
            + (u128::from(i) * span as u128 / u128::from(count)) as i64
            + extra.range(0, step - 1);
        let (spec, v) = g.make(i, start, &Recipe::default());
        let dir = g.out.dir(spec.start_ms)?;
        let main = if every > 0 && i % every < lines {
            if i % every == 0 {
                let ext = if g.o.variants && (i / every) % 4 == 3 {
                    "ndjson"
                } else {
                    "jsonl"
                };
                let gz = g.gz_next() && ext == "jsonl";
                group_at = (dir.clone(), format!("batch-{i:07}.{ext}"), gz);
            }
            let (gdir, name, gz) = &group_at;
            let path = if *gz {
                format!("{gdir}{name}.gz")
            } else {
                format!("{gdir}{name}")
            };
            group.push((spec.clone(), v));
            if i % every == lines - 1 || i == count - 1 {
                let (gdir, name, gz) = group_at.clone();
                g.jsonl(&gdir, &name, &group, gz)?;
                group.clear();
            }
            path
        } else {
            let gz = g.gz_next();
            g.chat_file(&dir, &spec, &v, gz)?
        };
        let retries = share(i, count, g.o.duplicates);
        if !retries.is_empty() {
            let earlier = extra.chance(0.5);
            g.retries(&dir, &spec, &v, retries.end - retries.start, earlier, main)?;
        }
        for k in share(i, count, g.o.events) {
            let kind = EVENTS[(k % EVENTS.len() as u64) as usize];
            g.event(&dir, &format!("evt-{k:06}-{kind}.json"), kind, &spec, &v)?;
        }
        for k in share(i, count, g.o.broken) {
            g.broken(&dir, k, spec.start_ms)?;
            if k == 0 {
                g.ignored(&dir, spec.start_ms)?;
            }
        }
    }
    Ok(())
}
