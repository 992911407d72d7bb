//! `export --format json`: an array of the objects `show --json` prints (`--format jsonl`: one
//! per line). With redaction, every
//! string is masked except the ones that identify the chat (its id and source file).

use super::{Exported, Options};
use crate::model::sla::Sla;
use crate::redact::Mask;
use crate::view::json::{ListItem, ShowItem};
use serde_json::Value;
use std::io::Write;

/// Keys whose strings name the chat rather than say anything about a person.
const KEEP: &[&str] = &["id", "source", "started_at", "ended_at", "at", "time"];

/// Mask every string of a JSON value as the JSON export does (the Parquet chats rows too).
pub(super) fn mask(v: &mut Value, m: Mask) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(o) = m.text(s) {
                *s = o;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mask(x, m)),
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                match x {
                    // `visitor_email`, `email`, `phone`, `ip`: whole, whatever they hold.
                    Value::String(s) if !KEEP.contains(&k.as_str()) => {
                        *s = m.field(k, s).into_owned();
                    }
                    Value::String(_) => {}
                    other => mask(other, m),
                }
            }
        }
        _ => {}
    }
}

/// The object for one chat; a chat whose file cannot be read is its `list --json` object with
/// an `error`.
fn object(e: &Exported, m: Mask, levels: Option<&Sla>) -> serde_json::Result<Value> {
    match &e.chat {
        Ok(chat) => match m.0 {
            Some(r) => serde_json::to_value(ShowItem::new(
                &r.chat(chat),
                &e.summary,
                e.review.as_ref(),
                levels,
            )),
            None => {
                serde_json::to_value(ShowItem::new(chat, &e.summary, e.review.as_ref(), levels))
            }
        },
        Err(why) => {
            let mut v = serde_json::to_value(ListItem::new(&e.summary, e.review.as_ref(), levels))?;
            if let Some(o) = v.as_object_mut() {
                o.insert("error".into(), why.clone().into());
            }
            Ok(v)
        }
    }
}

/// One chat's object, masked when redaction is on.
fn masked(e: &Exported, opts: &Options) -> serde_json::Result<Value> {
    let mut v = object(e, opts.mask, opts.levels)?;
    if opts.mask.0.is_some() {
        mask(&mut v, opts.mask);
    }
    Ok(v)
}

/// One chat's object, after a comma unless it is the first.
pub fn item(out: &mut dyn Write, e: &Exported, opts: &Options, first: bool) -> std::io::Result<()> {
    let v = masked(e, opts)?;
    out.write_all(if first { b"\n" } else { b",\n" })?;
    serde_json::to_writer_pretty(&mut *out, &v)?;
    Ok(())
}

/// One chat's object on a line of its own (`--format jsonl`): compact JSON never holds a raw
/// newline, so each line is one whole chat.
pub fn line(out: &mut dyn Write, e: &Exported, opts: &Options) -> std::io::Result<()> {
    let v = masked(e, opts)?;
    serde_json::to_writer(&mut *out, &v)?;
    out.write_all(b"\n")
}
