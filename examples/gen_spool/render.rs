//! Spells a [`ChatSpec`] as webhook JSON: the vendor sample's field set in `visitor` and `chat`,
//! then the chosen [`Variants`] (key spellings, date forms, separators, encodings).

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};

use crate::chat::{wait_text, ChatSpec, Line};
use crate::variants::{Attach, CDept, DateForm, NoDate, RatingForm, StatusForm, VDept};
use crate::variants::{Variants, WaitForm, Wrap};

/// .NET's `DateTime.MinValue` as `/Date(...)/` milliseconds: "no date".
pub const DOTNET_MIN_MS: i64 = -62_135_596_800_000;

/// `HH:MM:SS` of an instant, in UTC (the clock the transcript is stamped with).
pub fn clock(ms: i64) -> String {
    let s = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

pub fn date(ms: i64, form: DateForm) -> Value {
    let utc = DateTime::from_timestamp_millis(ms).expect("date in range");
    match form {
        DateForm::Plain => Value::from(format!("/Date({ms})/")),
        DateForm::Offset(z) => Value::from(format!("/Date({ms}{z})/")),
        DateForm::Iso => Value::from(utc.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        DateForm::IsoOffset => {
            let east = FixedOffset::east_opt(8 * 3600).expect("valid offset");
            Value::from(
                utc.with_timezone(&east)
                    .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
                    .to_string(),
            )
        }
        DateForm::BareMs => Value::from(ms),
    }
}

fn no_date(form: NoDate) -> Value {
    match form {
        NoDate::DotNetMin => Value::from(format!("/Date({DOTNET_MIN_MS})/")),
        NoDate::Empty => Value::from(""),
        NoDate::Null => Value::Null,
    }
}

/// The transcript string: `⊙`-separated (webhook) or `\n`-separated (older API).
pub fn transcript(spec: &ChatSpec, v: &Variants) -> String {
    let sep = if v.newline_sep { "\n" } else { "⊙" };
    let visitor = if spec.name.is_empty() {
        "Visitor"
    } else {
        spec.name.as_str()
    };
    let mut placeholder = v.placeholder_first;
    let mut s = String::with_capacity(64 * spec.lines.len());
    if v.custom_system_line {
        s.push_str("Bienvenue ! Un agent va vous répondre dans un instant.");
        s.push_str(sep);
    }
    let joined = if v.operator_word { "Operator" } else { "Agent" };
    for (i, line) in spec.lines.iter().enumerate() {
        let _ = match line {
            Line::Joined(n) => write!(s, "{joined} {n} has joined the chat."),
            Line::BotJoined(n) => write!(s, "{n} has joined the chat."),
            Line::Msg { ms, who, text } => {
                let who = if placeholder && who == visitor {
                    placeholder = false;
                    "Visitor"
                } else {
                    who.as_str()
                };
                write!(s, "[{}] {who}: {text}", clock(*ms))
            }
            Line::Left(n) => write!(s, "Agent {n} has left the chat."),
            Line::Transferred(n) => {
                write!(s, "Agent {n} has transferred the chat to another agent.")
            }
            Line::VisitorLeft => write!(s, "The visitor has left the chat."),
            Line::Idle => write!(
                s,
                "It's been a while since your last response. Please respond within the next few \
                 minutes or this chat will be ended."
            ),
            Line::VisitorFile(f) => write!(s, "The visitor has sent a file: {f}"),
            Line::AgentFile(n, f) => write!(s, "Agent {n} has sent a file: {f}"),
            Line::Ended(ms) => write!(s, "The chat is ended.({})", clock(*ms)),
        };
        if i + 1 < spec.lines.len() || v.trailing_sep {
            s.push_str(sep);
        }
    }
    s
}

fn id_value(id: &str, int: bool) -> Value {
    match id.parse::<u64>() {
        Ok(n) if int => Value::from(n),
        _ => Value::from(id),
    }
}

fn custom_variables(name: &str, plan: &str) -> Value {
    if plan.is_empty() {
        json!([{ "name": "Name", "value": name }])
    } else {
        json!([{ "name": "Name", "value": name }, { "name": "plan", "value": plan }])
    }
}

/// The chat's custom fields: its order number, when it has one.
fn custom_fields(order: &str) -> Value {
    if order.is_empty() {
        json!([])
    } else {
        json!([{ "id": 11, "name": "Order number", "value": order }])
    }
}

/// The `visitor` object.
pub fn visitor(spec: &ChatSpec, v: &Variants) -> Value {
    let d = v.dates;
    let p = spec.place;
    let mut o = json!({
        "browser": spec.browser,
        "chat_id": id_value(&spec.id, spec.id_int),
        "chats": spec.visits / 2 + 1,
        "city": p.city,
        "company": spec.company,
        "country": p.country,
        "current_browsing": spec.page,
        "custom_fields": [],
        "custom_variables": custom_variables("", &spec.plan),
        "department": spec.dept.1,
        "email": spec.email,
        "first_visit_time": date(spec.first_visit_ms, d),
        "flash_version": "",
        "id": spec.visitor_id,
        "ip": spec.ip,
        "keywords": "",
        "landing_page": spec.page,
        "language": if v.lang_underscore { p.lang.to_lowercase().replace('-', "_") } else { p.lang.to_string() },
        "name": spec.name,
        "operating_system": spec.os,
        "page_views": spec.index % 9 + 1,
        "phone": spec.phone,
        "product_service": "",
        "referrer_url": spec.referrer,
        "screen_resolution": if v.screen_star { spec.screen.replace('x', "*") } else { spec.screen.to_string() },
        "search_engine": if spec.referrer.contains("google") { "google" } else { "" },
        "state": p.state,
        "status": match v.status {
            StatusForm::Int => Value::from(spec.status),
            StatusForm::Str => Value::from(spec.status.to_string()),
            StatusForm::Unknown(c) => Value::from(c),
        },
        "time_zone": v.tz.unwrap_or(p.tz),
        "visit_time": date(spec.visit_ms, d),
        "visits": spec.visits,
    });
    let m = o.as_object_mut().expect("object");
    if v.int_visitor_id {
        m.insert("id".into(), Value::from(100_000 + spec.index));
    }
    if v.first_visit_min {
        m.insert("first_visit_time".into(), no_date(NoDate::DotNetMin));
    }
    match v.vdept {
        VDept::Int => {}
        VDept::Guid => {
            m.insert(
                "department".into(),
                Value::from(format!("9f1c0d3e-0000-4000-8000-{:012}", spec.dept.1)),
            );
        }
        VDept::Name => {
            m.insert("department".into(), Value::from(spec.dept.0));
        }
        VDept::Absent => {
            m.remove("department");
        }
    }
    o
}

/// The `chat` object.
pub fn chat(spec: &ChatSpec, v: &Variants) -> Value {
    let d = v.dates;
    let operators: Vec<Value> = spec
        .agents
        .iter()
        .map(|a| {
            let id = if v.guid_operator_ids {
                Value::from(format!("00000000-0000-4000-a000-{:012}", a.id))
            } else {
                Value::from(a.id)
            };
            json!({ "display_name": a.name, "email": a.email, "id": id })
        })
        .collect();
    let files: Vec<Value> = spec
        .files
        .iter()
        .map(|f| json!({ "name": f, "uri": format!("https://files.example.com/{}/{}", spec.id, f.replace(' ', "%20")) }))
        .collect();
    let rating = match (v.rating, spec.rating) {
        (RatingForm::Int, r) => Value::from(r),
        (RatingForm::Empty, -1) => Value::from(""),
        (RatingForm::Null, -1) => Value::Null,
        (_, r) => Value::from(r.to_string()),
    };
    let wait = match v.wait {
        WaitForm::Vendor => Value::from(wait_text(spec.wait_secs)),
        WaitForm::Hms => {
            let w = spec.wait_secs;
            Value::from(format!("{:02}:{:02}:{:02}", w / 3600, w / 60 % 60, w % 60))
        }
        WaitForm::Int | WaitForm::Absent => Value::from(spec.wait_secs),
    };
    let end = v.end_missing.map_or_else(|| date(spec.end_ms, d), no_date);
    let mut o = json!({
        "attachment": files,
        "chat_transcript": transcript(spec, v),
        "company": spec.company,
        "custom_fields": custom_fields(&spec.order),
        "custom_variable": custom_variables("", ""),
        "department": spec.dept.0,
        "email": spec.email,
        "end_time": end,
        "id": id_value(&spec.id, spec.id_int),
        "name": spec.name,
        "note_attachment": [],
        "operator_comment": spec.comment,
        "operators": operators,
        "phone": spec.phone,
        "product_service": "",
        "rating": rating,
        "rating_comment": spec.rating_comment,
        "start_time": date(spec.start_ms, d),
        "waiting_time": wait,
        "wrap_up": {
            "category": spec.wrapup,
            "comment": "",
            "fields": [],
            "time": end.clone(),
        },
    });
    let m = o.as_object_mut().expect("object");
    if v.operators_string {
        m.insert(
            "operators".into(),
            Value::from(spec.agent_names().join(", ")),
        );
    }
    if v.agents_key {
        let ops = m.remove("operators").expect("operators");
        m.insert("agents".into(), ops);
    }
    if v.agent_comment {
        let c = m.remove("operator_comment").expect("comment");
        m.insert("agent_comment".into(), c);
    }
    if v.wait == WaitForm::Absent {
        m.remove("waiting_time");
    }
    match v.attach {
        Attach::Array => {}
        Attach::Plural => {
            let a = m.remove("attachment").expect("attachment");
            m.insert("attachments".into(), a);
        }
        Attach::Object => {
            if let Some(first) = m["attachment"].get(0).cloned() {
                m.insert("attachment".into(), first);
            }
        }
        Attach::Absent => {
            m.remove("attachment");
        }
    }
    match v.wrap {
        Wrap::Normal => {}
        Wrap::Null => {
            m.insert("wrap_up".into(), Value::Null);
        }
        Wrap::Spelled => {
            let w = m.remove("wrap_up").expect("wrap_up");
            m.insert("wrapup".into(), w);
        }
        Wrap::WithFields => {
            m["wrap_up"]["fields"] = json!([{ "name": "Reason", "value": "Refund" }]);
            m["wrap_up"]["comment"] = Value::from("Customer satisfied.");
        }
    }
    match v.cdept {
        CDept::Name => {}
        CDept::Int => m["department"] = Value::from(spec.dept.1),
        CDept::Null => m["department"] = Value::Null,
        CDept::Absent => {
            m.remove("department");
        }
    }
    o
}
