//! Bodies that are not chats: other webhook events (skipped by a loader, never errors), broken
//! files (each one a problem), and the names of files a loader must ignore.

use serde_json::{json, Map, Value};

use crate::chat::ChatSpec;
use crate::encode::{encode, Envelope};
use crate::render::{self, date};
use crate::variants::{DateForm, Json, Variants};

/// Other events, in the order `--events` cycles through them.
pub const EVENTS: [&str; 8] = [
    "chat_started",
    "chat_request",
    "chat_transferred",
    "chat_wrapped_up",
    "chat_wraped_up",
    "offline_message_submitted",
    "online",
    "ticket",
];

/// Broken kinds, in the order `--broken` cycles through them.
pub const BROKEN: [&str; 9] = [
    "truncated",
    "empty",
    "not-json",
    "top-level-array",
    "top-level-number",
    "deep-nesting",
    "invalid-utf8",
    "utf16-bom",
    "jsonl-bad-line",
];

/// Temporary and hidden names (still being written, or not ours): never read.
pub const IGNORED: [&str; 4] = [".hidden.json", "x.json.tmp", "y.json.part", "z.json~"];

fn id_value(spec: &ChatSpec) -> Value {
    if spec.id_int {
        Value::from(spec.id.parse::<u64>().expect("integer id"))
    } else {
        Value::from(spec.id.as_str())
    }
}

/// The body of event `kind` about the chat `spec` (appended to `out`).
pub fn event(kind: &str, spec: &ChatSpec, v: &Variants, out: &mut Vec<u8>) {
    let visitor = render::visitor(spec, v);
    let chat;
    let mut env = Envelope {
        event: kind,
        visitor: None,
        chat: None,
        extra: Map::new(),
    };
    match kind {
        "chat_started" | "chat_request" => env.visitor = Some(&visitor),
        "chat_transferred" => {
            // The chat object as it stood at the transfer: same id, transcript so far.
            chat = render::chat(&spec.earlier_copy(2), v);
            env.visitor = Some(&visitor);
            env.chat = Some(&chat);
        }
        "chat_wrapped_up" | "chat_wraped_up" => {
            env.extra.insert("chat_id".into(), id_value(spec));
            let wrapup = json!({
                "category": "Billing: Refund",
                "comment": "Refund approved",
                "fields": [],
                "time": date(spec.end_ms + 45_000, v.dates),
            });
            env.extra.insert("wrapup".into(), wrapup);
        }
        "offline_message_submitted" => {
            env.visitor = Some(&visitor);
            let message = json!({
                "id": 7000 + spec.index % 1000,
                "name": spec.name,
                "email": spec.email,
                "subject": "Question about my order",
                "content": "Hi, I tried to chat but nobody answered.\nPlease call me back.",
                "department": spec.dept.0,
                "time": date(spec.end_ms + 60_000, v.dates),
                "attachment": [],
            });
            env.extra.insert("offline_message".into(), message);
        }
        "online" => {
            let id = spec.agents.first().map_or(1, |a| a.id);
            env.extra.insert("operator_id".into(), Value::from(id));
        }
        _ => {
            // A ticketing webhook: PascalCase and no `event` key at all.
            let ticket = json!({
                "Id": 4711 + spec.index % 10_000,
                "Subject": "Refund request",
                "Status": "New",
                "Priority": "Normal",
                "Channel": "Email",
                "CreatedTime": date(spec.end_ms + 90_000, DateForm::Iso),
                "Contact": { "Name": spec.name, "Email": spec.email },
                "Agent": null,
                "Tags": ["refund"],
            });
            return encode(&ticket, v.json, false, false, out);
        }
    }
    encode(&env, v.json, false, false, out);
}

/// A full, valid `chat_ended` body for `spec`: as a file (`v`'s JSON form, BOM and line ends) or,
/// with `line`, as one compact JSON Lines line.
pub fn chat_ended(spec: &ChatSpec, v: &Variants, line: bool, out: &mut Vec<u8>) {
    let mut visitor = render::visitor(spec, v);
    let mut chat = render::chat(spec, v);
    let extra = decorate(v, spec.index, &mut visitor, &mut chat);
    let env = Envelope {
        event: "chat_ended",
        visitor: Some(&visitor),
        chat: Some(&chat),
        extra,
    };
    if line {
        encode(&env, Json::Compact, false, false, out);
    } else {
        encode(&env, v.json, v.bom, v.crlf, out);
    }
}

/// The bytes of broken file `kind`, built around a valid chat `spec` (appended to `out`).
pub fn broken(kind: &str, spec: &ChatSpec, out: &mut Vec<u8>) {
    let v = Variants::vendor();
    match kind {
        "truncated" => {
            chat_ended(spec, &v, false, out);
            out.truncate(out.len() / 2);
        }
        "empty" => {}
        "not-json" => out.extend_from_slice(b"not json\n"),
        "top-level-array" => {
            out.push(b'[');
            chat_ended(spec, &v, true, out);
            out.pop();
            out.extend_from_slice(b"]\n");
        }
        "top-level-number" => out.extend_from_slice(b"42\n"),
        "deep-nesting" => {
            out.extend_from_slice(
                br#"{"event":"chat_ended","visitor":{},"chat":{"id":"deep-nesting","nested":"#,
            );
            out.resize(out.len() + 100_000, b'[');
            out.resize(out.len() + 100_000, b']');
            out.extend_from_slice(b"}}\n");
        }
        "invalid-utf8" => {
            let mut s = spec.clone();
            s.name = "Bad\u{FFFD}Bytes".to_string();
            chat_ended(&s, &v, false, out);
            // Turn each U+FFFD (EF BF BD) into bytes that are not UTF-8 at all.
            let mut i = 0;
            while i + 3 <= out.len() {
                if &out[i..i + 3] == "\u{FFFD}".as_bytes() {
                    out[i..i + 3].copy_from_slice(b"\xFF\xFE\xC0");
                }
                i += 1;
            }
        }
        "utf16-bom" => {
            let mut utf8 = Vec::new();
            chat_ended(spec, &v, false, &mut utf8);
            let text = String::from_utf8(utf8).expect("generated JSON is UTF-8");
            out.extend_from_slice(&[0xFF, 0xFE]);
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        }
        _ => {
            // "jsonl-bad-line": line 1 a good chat, line 2 cut short.
            chat_ended(spec, &v, true, out);
            let mut line = Vec::new();
            chat_ended(spec, &v, true, &mut line);
            out.extend_from_slice(&line[..line.len() / 3]);
            out.push(b'\n');
        }
    }
}

/// The variants that touch both objects or the top level: key swaps, custom fields, null or
/// missing strings, and fields a newer product version added. Returns extra top-level fields.
fn decorate(v: &Variants, index: u64, visitor: &mut Value, chat: &mut Value) -> Map<String, Value> {
    let mut top = Map::new();
    let (vis, ch) = (
        visitor.as_object_mut().expect("object"),
        chat.as_object_mut().expect("object"),
    );
    if v.custom_var_swap {
        let a = vis.remove("custom_variables").expect("custom_variables");
        vis.insert("custom_variable".into(), a);
        let b = ch.remove("custom_variable").expect("custom_variable");
        ch.insert("custom_variables".into(), b);
    }
    if v.field_id {
        ch.insert(
            "custom_fields".into(),
            json!([{ "field_id": 11, "name": "Order number", "value": format!("A-{}", 5000 + index % 5000) }]),
        );
        vis.insert(
            "custom_fields".into(),
            json!([{ "id": 3, "name": "Plan", "value": "Business" }]),
        );
    }
    if v.null_strings {
        for (i, key) in [
            "email",
            "phone",
            "company",
            "keywords",
            "flash_version",
            "state",
        ]
        .iter()
        .enumerate()
        {
            let obj = if i % 2 == 0 { &mut *vis } else { &mut *ch };
            if (index + i as u64) % 3 == 0 {
                obj.remove(*key);
            } else {
                obj.insert((*key).into(), Value::Null);
            }
        }
        ch.insert("product_service".into(), Value::Null);
        vis.insert("referrer_url".into(), Value::Null);
    }
    if v.omit_empty {
        vis.retain(|_, x| x.as_str() != Some(""));
        ch.retain(|_, x| x.as_str() != Some(""));
    }
    if v.extra_fields {
        ch.insert("sentiment".into(), Value::from("positive"));
        ch.insert("channel".into(), json!({ "type": "livechat", "id": 1 }));
        ch.insert("tags".into(), json!(["returning", "vip"]));
        vis.insert("segments".into(), json!(["Returning visitor"]));
        vis.insert("geo".into(), json!({ "lat": 43.65, "lon": -79.38 }));
        top.insert("site_id".into(), Value::from(1_000_298));
        top.insert("webhook_version".into(), Value::from("2.1"));
    }
    top
}
