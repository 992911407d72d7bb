//! The byte encoding of the index's rows, on the primitives of [`crate::spool::bytes`]
//! (LEB128 varints, length-prefixed UTF-8 strings, a fast checksum).
//!
//! Hand-written rather than a serde format: the rows are a fixed, small set of fields, and
//! decoding straight into `ChatSummary` (sharing one `Arc<str>` path per file) avoids an
//! intermediate structure. The reader never trusts the bytes: every length is checked against
//! what is left, every string is validated as UTF-8, and any inconsistency is an error that makes
//! the caller drop the whole cache.

use crate::model::turns::figures::{ReplyMark, TurnFigures, TurnShape};
use crate::model::turns::{BotUse, LastFrom};
use crate::model::{ChatSummary, Field, PackedMs, Source, Status, WrapUp, WrapUpEvent};
use crate::spool::interner::Interner;
use crate::spool::{FileRecord, Stamp};
use chrono::DateTime;
use smallvec::SmallVec;
use std::sync::Arc;

pub use crate::spool::bytes::{checksum, Corrupt, Reader, Result, Writer};

/// Bits of the presence flags of a row (two bytes, little-endian).
const HAS_LINE: u16 = 1;
const HAS_STATUS: u16 = 2;
const HAS_STARTED: u16 = 4;
const HAS_ENDED: u16 = 8;
const HAS_WAIT: u16 = 16;
const HAS_RATING: u16 = 32;
const HAS_WRAP_UP: u16 = 64;
const HAS_FRT: u16 = 128;
const HAS_VISITOR_ZONE: u16 = 256;

/// One file: its path, its stamp and what it holds. Chats share the path (`source.path`).
pub fn put_file(w: &mut Writer, rel: &str, stamp: Stamp, record: &FileRecord) {
    w.str(rel);
    w.u64(stamp.size);
    w.i64(stamp.mtime_ns);
    w.i64(stamp.ctime_ns);
    w.u64(stamp.ino);
    w.usize(record.chats.len());
    for c in &record.chats {
        put_chat(w, c);
    }
    w.usize(record.skipped.len());
    for s in &record.skipped {
        w.str(s);
    }
    w.usize(record.problems.len());
    for s in &record.problems {
        w.str(s);
    }
    w.usize(record.wrap_ups.len());
    for e in &record.wrap_ups {
        w.str(&e.chat_id);
        w.u64(e.source.line.map_or(0, |n| u64::from(n) + 1));
        put_wrap_up(w, &e.wrap_up);
    }
}

fn put_wrap_up(w: &mut Writer, x: &WrapUp) {
    w.opt_str(x.category.as_deref());
    w.opt_str(x.comment.as_deref());
    w.usize(x.fields.len());
    for f in &x.fields {
        w.opt_str(f.id.as_deref());
        w.opt_str(f.name.as_deref());
        w.opt_str(f.value.as_deref());
    }
    match x.time {
        None => w.u64(0),
        Some(t) => {
            w.u64(1);
            w.i64(t.timestamp());
            w.u64(t.timestamp_subsec_nanos().into());
        }
    }
}

fn get_wrap_up(r: &mut Reader<'_>) -> Result<WrapUp> {
    let category = r.opt_owned()?;
    let comment = r.opt_owned()?;
    let n = r.count()?;
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        fields.push(Field {
            id: r.opt_owned()?,
            name: r.opt_owned()?,
            value: r.opt_owned()?,
        });
    }
    let time = match r.u64()? {
        0 => None,
        1 => {
            let secs = r.i64()?;
            let nanos = r.u32()?;
            Some(DateTime::from_timestamp(secs, nanos).ok_or(Corrupt)?)
        }
        _ => return Err(Corrupt),
    };
    Ok(WrapUp {
        category,
        comment,
        fields,
        time,
    })
}

fn put_chat(w: &mut Writer, c: &ChatSummary) {
    let mut flags = 0;
    for (present, bit) in [
        (c.source.line.is_some(), HAS_LINE),
        (c.status.is_some(), HAS_STATUS),
        (c.started_ms().is_some(), HAS_STARTED),
        (c.ended_ms().is_some(), HAS_ENDED),
        (c.wait_secs.is_some(), HAS_WAIT),
        (c.rating.is_some(), HAS_RATING),
        (c.wrap_up.is_some(), HAS_WRAP_UP),
        (c.first_response_secs.is_some(), HAS_FRT),
        (c.visitor_offset_min.is_some(), HAS_VISITOR_ZONE),
    ] {
        if present {
            flags |= bit;
        }
    }
    w.buf.extend_from_slice(&u16::to_le_bytes(flags));
    w.str(&c.id);
    if let Some(n) = c.source.line {
        w.u64(n.into());
    }
    w.opt_str(c.visitor.as_deref());
    w.opt_str(c.visitor_email.as_deref());
    w.usize(c.agents.len());
    for a in c.agents.iter() {
        w.str(a);
    }
    w.opt_str(c.department());
    w.opt_str(c.country());
    w.opt_str(c.city());
    if let Some(s) = c.status {
        w.i64(s.0);
    }
    if let Some(v) = c.started_ms() {
        w.i64(v);
    }
    if let Some(v) = c.ended_ms() {
        w.i64(v);
    }
    if let Some(v) = c.wait_secs {
        w.u64(v);
    }
    if let Some(v) = c.rating {
        w.u64(v.into());
    }
    if let Some(v) = c.first_response_secs {
        w.u64(v.into());
    }
    if let Some(v) = c.visitor_offset_min {
        w.i64(v.into());
    }
    w.u64(c.messages.into());
    w.u64(c.transcript_len.into());
    if let Some(x) = &c.wrap_up {
        put_wrap_up(w, x);
        match c.own_wrap_up_ms.get() {
            None => w.u64(0),
            Some(ms) => {
                w.u64(1);
                w.i64(ms);
            }
        }
    }
    put_turns(w, &c.turns, &c.agents, c.started_ms());
}

/// The turn figures: the responders (most often the chat's agents: then one byte), the small
/// numbers, then each reply mark, its instant as seconds after the chat's start (a byte or
/// two rather than a full timestamp).
fn put_turns(w: &mut Writer, t: &TurnFigures, agents: &[Arc<str>], started_ms: Option<i64>) {
    if t.responders() == agents {
        w.u64(0);
    } else {
        w.usize(t.responders().len() + 1);
        for r in t.responders() {
            w.str(r);
        }
    }
    w.u64(t.unanswered_turns().into());
    w.u64(t.transfers().into());
    w.u64(match t.last_from() {
        None => 0,
        Some(LastFrom::Agent) => 1,
        Some(LastFrom::Visitor) => 2,
        Some(LastFrom::Bot) => 3,
    });
    w.u64(match t.bot() {
        BotUse::None => 0,
        BotUse::Only => 1,
        BotUse::Handoff => 2,
    });
    w.usize(t.replies.len());
    let base = started_ms.map(|ms| ms.div_euclid(1000));
    for r in t.replies.iter() {
        let (asked, rest) = r.parts();
        // 0: unknown; 1 + offset when the turn came at or after the start; else the raw value.
        match (asked, base) {
            (Some(a), Some(b)) if i64::from(a) >= b => w.u64(1 + (i64::from(a) - b) as u64),
            (Some(a), _) => {
                w.u64(u64::MAX);
                w.u64(a.into());
            }
            (None, _) => w.u64(0),
        }
        w.u64(rest.into());
    }
}

fn get_turns(
    r: &mut Reader<'_>,
    shared: &mut Interner,
    agents: &Arc<[Arc<str>]>,
    started_ms: Option<i64>,
) -> Result<TurnFigures> {
    let responders = match usize::try_from(r.u64()?).map_err(|_| Corrupt)? {
        0 => agents.clone(),
        n => {
            let n = n - 1;
            if n > r.left() {
                return Err(Corrupt);
            }
            let mut names = SmallVec::<[&str; 4]>::with_capacity(n.min(1024));
            for _ in 0..n {
                names.push(r.str()?);
            }
            shared.agents(names)
        }
    };
    let shape = TurnShape {
        responders,
        unanswered_turns: r.u32()?,
        transfers: r.u32()?,
        last_from: match r.u64()? {
            0 => None,
            1 => Some(LastFrom::Agent),
            2 => Some(LastFrom::Visitor),
            3 => Some(LastFrom::Bot),
            _ => return Err(Corrupt),
        },
        bot: match r.u64()? {
            0 => BotUse::None,
            1 => BotUse::Only,
            2 => BotUse::Handoff,
            _ => return Err(Corrupt),
        },
    };
    let n = r.count()?;
    let mut replies = Vec::with_capacity(n.min(4096));
    let base = started_ms.map(|ms| ms.div_euclid(1000));
    for _ in 0..n {
        let asked = match (r.u64()?, base) {
            (0, _) => None,
            (u64::MAX, _) => Some(r.u32()?),
            (off, Some(b)) => Some(
                u32::try_from(
                    b.checked_add(i64::try_from(off - 1).map_err(|_| Corrupt)?)
                        .ok_or(Corrupt)?,
                )
                .map_err(|_| Corrupt)?,
            ),
            (_, None) => return Err(Corrupt),
        };
        replies.push(ReplyMark::from_parts(asked, r.u32()?));
    }
    Ok(TurnFigures {
        shape: shared.shape_of(shape),
        replies: replies.into(),
    })
}

/// Read back what [`put_file`] wrote.
pub fn get_file(
    r: &mut Reader<'_>,
    shared: &mut Interner,
) -> Result<(Arc<str>, Stamp, FileRecord)> {
    let rel: Arc<str> = Arc::from(r.str()?);
    let stamp = Stamp {
        size: r.u64()?,
        mtime_ns: r.i64()?,
        ctime_ns: r.i64()?,
        ino: r.u64()?,
    };
    let n = r.count()?;
    let mut chats = crate::spool::read::Chats::with_capacity(n);
    for _ in 0..n {
        chats.push(Arc::new(get_chat(r, &rel, shared)?));
    }
    let n = r.count()?;
    let mut skipped = Vec::with_capacity(n);
    for _ in 0..n {
        skipped.push(r.str()?.to_string());
    }
    let n = r.count()?;
    let mut problems = Vec::with_capacity(n);
    for _ in 0..n {
        problems.push(r.str()?.to_string());
    }
    let n = r.count()?;
    let mut wrap_ups = Vec::with_capacity(n);
    for _ in 0..n {
        let chat_id = Arc::from(r.str()?);
        let line = match r.u64()? {
            0 => None,
            n => Some(u32::try_from(n - 1).map_err(|_| Corrupt)?),
        };
        wrap_ups.push(Arc::new(WrapUpEvent {
            chat_id,
            wrap_up: Arc::new(get_wrap_up(r)?),
            source: Source {
                path: rel.clone(),
                line,
            },
        }));
    }
    let record = FileRecord {
        chats,
        skipped: skipped.into(),
        problems: problems.into(),
        wrap_ups: wrap_ups.into(),
    };
    Ok((rel, stamp, record))
}

fn get_chat(r: &mut Reader<'_>, rel: &Arc<str>, shared: &mut Interner) -> Result<ChatSummary> {
    let flags = u16::from_le_bytes([r.u8()?, r.u8()?]);
    if flags >= HAS_VISITOR_ZONE << 1 {
        return Err(Corrupt);
    }
    let has = |bit: u16| flags & bit != 0;
    let id = Arc::from(r.str()?);
    let line = if has(HAS_LINE) { Some(r.u32()?) } else { None };
    let visitor = r.opt_owned()?;
    let visitor_email = r.opt_owned()?;
    let n = r.count()?;
    let mut agents = SmallVec::<[&str; 4]>::with_capacity(n.min(1024));
    for _ in 0..n {
        agents.push(r.str()?);
    }
    let agents = shared.agents(agents);
    let mut row = ChatSummary {
        id,
        source: Source {
            path: rel.clone(),
            line,
        },
        visitor,
        visitor_email,
        agents,
        place: shared.place(r.opt_str()?, r.opt_str()?, r.opt_str()?),
        status: if has(HAS_STATUS) {
            Some(Status(r.i64()?))
        } else {
            None
        },
        started: PackedMs::new(if has(HAS_STARTED) {
            Some(r.i64()?)
        } else {
            None
        }),
        ended: PackedMs::new(if has(HAS_ENDED) { Some(r.i64()?) } else { None }),
        wait_secs: if has(HAS_WAIT) { Some(r.u64()?) } else { None },
        rating: if has(HAS_RATING) {
            Some(u8::try_from(r.u64()?).map_err(|_| Corrupt)?)
        } else {
            None
        },
        first_response_secs: if has(HAS_FRT) { Some(r.u32()?) } else { None },
        visitor_offset_min: if has(HAS_VISITOR_ZONE) {
            Some(i16::try_from(r.i64()?).map_err(|_| Corrupt)?)
        } else {
            None
        },
        messages: r.u32()?,
        transcript_len: r.u32()?,
        wrap_up: None,
        own_wrap_up_ms: PackedMs::NONE,
        turns: TurnFigures::default(),
    };
    if has(HAS_WRAP_UP) {
        let w = get_wrap_up(r)?;
        row.wrap_up = Some(shared.wrap_up(w));
        row.own_wrap_up_ms = match r.u64()? {
            0 => PackedMs::NONE,
            1 => PackedMs::new(Some(r.i64()?)),
            _ => return Err(Corrupt),
        };
    }
    row.turns = get_turns(r, shared, &row.agents, row.started_ms())?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rel: &Arc<str>, line: Option<u32>) -> ChatSummary {
        ChatSummary {
            id: "3fa8-ÉMILE".into(),
            source: Source {
                path: rel.clone(),
                line,
            },
            visitor: Some("Zoë".into()),
            visitor_email: None,
            agents: vec![Arc::from("PT: Jason"), Arc::from("")].into(),
            place: crate::model::Place::of(Some("1165".into()), None, Some("São Paulo".into())),
            status: Some(Status(-7)),
            started: PackedMs::new(Some(-62_135_596_800_000)),
            ended: PackedMs::new(Some(i64::MAX)),
            wait_secs: Some(u64::MAX),
            rating: Some(5),
            first_response_secs: Some(u32::MAX),
            visitor_offset_min: Some(-720),
            messages: u32::MAX,
            transcript_len: 0,
            wrap_up: Some(Arc::new(wrap_up())),
            own_wrap_up_ms: PackedMs::new(Some(-5)),
            turns: TurnFigures {
                shape: Arc::new(TurnShape {
                    responders: vec![Arc::from("Comm100 Bot"), Arc::from("PT: Jason")].into(),
                    unanswered_turns: 2,
                    transfers: u32::MAX,
                    last_from: Some(LastFrom::Visitor),
                    bot: BotUse::Handoff,
                }),
                replies: vec![
                    ReplyMark::new(
                        DateTime::from_timestamp(1_600_000_000, 0),
                        Some(190),
                        Some(1),
                    ),
                    ReplyMark::new(None, None, None),
                ]
                .into(),
            },
        }
    }

    fn wrap_up() -> WrapUp {
        WrapUp {
            category: Some("Billing: Refund".into()),
            comment: None,
            fields: vec![Field {
                id: Some("12".into()),
                name: None,
                value: Some("80890".into()),
            }],
            time: DateTime::from_timestamp(1_584_416_400, 123_456_789),
        }
    }

    #[test]
    fn files_round_trip() {
        let rel: Arc<str> = "2020/09/01/a.jsonl".into();
        let record = FileRecord {
            chats: smallvec::smallvec![
                Arc::new(row(&rel, Some(3))),
                Arc::new(ChatSummary {
                    source: Source {
                        path: rel.clone(),
                        line: None,
                    },
                    ..ChatSummary::default()
                }),
            ],
            skipped: vec!["event \"chat_started\"".into()].into(),
            problems: vec!["line 4: invalid JSON".into()].into(),
            wrap_ups: vec![Arc::new(WrapUpEvent {
                chat_id: "1098".into(),
                wrap_up: Arc::new(wrap_up()),
                source: Source {
                    path: rel.clone(),
                    line: Some(5),
                },
            })]
            .into(),
        };
        for stamp in [
            Stamp::default(),
            Stamp {
                size: u64::MAX,
                mtime_ns: i64::MIN,
                ctime_ns: i64::MAX,
                ino: u64::MAX,
            },
            Stamp {
                size: 4000,
                mtime_ns: 1_700_000_000_123_456_789,
                ctime_ns: 1_700_000_001_000_000_000,
                ino: 1_234_567,
            },
        ] {
            let mut w = Writer::default();
            put_file(&mut w, &rel, stamp, &record);
            let mut r = Reader::new(&w.buf);
            let (rel2, stamp2, back) = get_file(&mut r, &mut Interner::default()).unwrap();
            assert!(r.is_done());
            assert_eq!((&*rel2, stamp2), (&*rel, stamp));
            assert_eq!(back.skipped, record.skipped);
            assert_eq!(back.problems, record.problems);
            assert_eq!(back.wrap_ups, record.wrap_ups);
            assert_eq!(back.chats.len(), 2);
            for (a, b) in back.chats.iter().zip(&record.chats) {
                assert_eq!(**a, **b);
                assert!(Arc::ptr_eq(&a.source.path, &rel2));
            }
            // Every truncation is refused, never a panic or a shorter record.
            for cut in 0..w.buf.len() {
                assert!(
                    get_file(&mut Reader::new(&w.buf[..cut]), &mut Interner::default()).is_err(),
                    "cut {cut}"
                );
            }
        }
    }

    #[test]
    fn decoded_rows_share_their_repeating_parts() {
        let rel: Arc<str> = "a.jsonl".into();
        let record = FileRecord {
            chats: smallvec::smallvec![Arc::new(row(&rel, Some(1))), Arc::new(row(&rel, Some(2)))],
            ..FileRecord::default()
        };
        let mut w = Writer::default();
        put_file(&mut w, &rel, Stamp::default(), &record);
        let mut shared = Interner::default();
        let (_, _, back) = get_file(&mut Reader::new(&w.buf), &mut shared).unwrap();
        let (x, y) = (&back.chats[0], &back.chats[1]);
        assert_eq!((&**x, &**y), (&*record.chats[0], &*record.chats[1]));
        assert!(Arc::ptr_eq(&x.agents, &y.agents));
        assert!(Arc::ptr_eq(
            x.place.as_ref().unwrap(),
            y.place.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(
            x.wrap_up.as_ref().unwrap(),
            y.wrap_up.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(&x.agents, &shared.agents(["PT: Jason", ""])));
    }

    #[test]
    fn varints_round_trip_and_refuse_overlong() {
        let mut w = Writer::default();
        let ints = [0, 1, -1, 63, -64, 64, i64::MIN, i64::MAX];
        for v in ints {
            w.i64(v);
        }
        let mut r = Reader::new(&w.buf);
        for v in ints {
            assert_eq!(r.i64().unwrap(), v);
        }
        assert!(r.is_done());
        assert!(Reader::new(&[0xff; 11]).u64().is_err());
        assert!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
                .u64()
                .is_err()
        );
    }

    #[test]
    fn checksum_sees_every_byte() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
        let sum = checksum(&data);
        for i in 0..data.len() {
            let mut d = data.clone();
            d[i] ^= 1;
            assert_ne!(checksum(&d), sum, "flip at {i}");
        }
        assert_ne!(checksum(&data[..199]), sum);
    }
}
