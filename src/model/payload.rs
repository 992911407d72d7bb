//! Serde mirror of a webhook body that accepts every variant in docs/FORMAT.md.
//!
//! Nothing in here fails on a field's type: each leaf is a lenient wrapper that takes whatever JSON
//! arrives and keeps what it can read. The only errors left are the ones that make a file unreadable
//! as JSON at all (syntax, encoding, nesting), which the spool reports as problems.

mod capped;
mod lenient;
mod repair;

use self::lenient::{LDate, LInt, LStr, Many, Maybe, Operators, MAX_AGENTS};
use super::time::parse_wait;
use super::transcript::{self, Participants};
use super::{Agent, Attachment, Chat, Field, Status, Visitor, WrapUp};
use serde::Deserialize;

/// What one webhook body turned out to be.
#[derive(Debug)]
pub enum Body {
    /// A `chat_ended` payload, parsed.
    Chat(Box<Chat>),
    /// A `chat_wrapped_up` (or `chat_wraped_up`) event: the wrap-up of chat `chat_id`, filled in
    /// after the chat ended.
    WrapUp { chat_id: String, wrap_up: WrapUp },
    /// Another event or a non-chat webhook: skipped and counted, never an error. The string names it.
    Skipped(String),
    /// A body that is JSON but cannot be a chat (e.g. `chat_ended` without a `chat` object).
    Invalid(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    event: LStr,
    visitor: Maybe<VisitorP>,
    chat: Maybe<ChatP>,
    /// `chat_wrapped_up`: the chat's id and the wrap-up, beside `visitor`.
    chat_id: LStr,
    wrapup: Maybe<WrapUpP>,
    wrap_up: Maybe<WrapUpP>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FieldP {
    id: LStr,
    field_id: LStr,
    name: LStr,
    value: LStr,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AttachmentP {
    name: LStr,
    uri: LStr,
    url: LStr,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WrapUpP {
    category: LStr,
    comment: LStr,
    fields: Many<FieldP>,
    time: LDate,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VisitorP {
    id: LStr,
    chat_id: LStr,
    name: LStr,
    email: LStr,
    phone: LStr,
    company: LStr,
    ip: LStr,
    city: LStr,
    state: LStr,
    country: LStr,
    browser: LStr,
    operating_system: LStr,
    language: LStr,
    time_zone: LStr,
    screen_resolution: LStr,
    status: LInt,
    department: LStr,
    visits: LInt,
    chats: LInt,
    page_views: LInt,
    landing_page: LStr,
    referrer_url: LStr,
    current_browsing: LStr,
    search_engine: LStr,
    keywords: LStr,
    product_service: LStr,
    first_visit_time: LDate,
    visit_time: LDate,
    custom_fields: Many<FieldP>,
    custom_variable: Many<FieldP>,
    custom_variables: Many<FieldP>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChatP {
    id: LStr,
    name: LStr,
    email: LStr,
    phone: LStr,
    company: LStr,
    product_service: LStr,
    department: LStr,
    start_time: LDate,
    end_time: LDate,
    waiting_time: LStr,
    rating: LStr,
    rating_comment: LStr,
    operator_comment: LStr,
    agent_comment: LStr,
    operators: Operators,
    agents: Operators,
    attachment: Many<AttachmentP>,
    attachments: Many<AttachmentP>,
    custom_fields: Many<FieldP>,
    custom_variable: Many<FieldP>,
    custom_variables: Many<FieldP>,
    wrap_up: Maybe<WrapUpP>,
    wrapup: Maybe<WrapUpP>,
    chat_transcript: LStr,
}

/// Parse one webhook body (a complete JSON text).
///
/// `fallback_id` names the chat when the payload carries no id at all, so such a chat is still
/// shown rather than lost. Errors are serde_json's: syntax, encoding, nesting deeper than 128.
/// Numbers out of range and lone surrogate escapes are repaired first (see [`repair`]).
pub fn parse_body(json: &[u8], fallback_id: &str) -> Result<Body, serde_json::Error> {
    let scan = repair::scan(json, MAX_DEPTH);
    if scan.too_deep {
        return Ok(too_deep());
    }
    let parse = |json: &[u8]| match serde_json::from_slice::<Top>(json) {
        Ok(top) => Ok(top.classify(fallback_id)),
        Err(err) => reparse_tolerant(json, err, fallback_id),
    };
    if scan.long_number {
        if let Some(fixed) = repair::repair(json) {
            return parse(&fixed);
        }
    }
    parse(json).or_else(|err| match repair::repair(json) {
        Some(fixed) => parse(&fixed),
        None => Err(err),
    })
}

/// How deep JSON may nest: serde_json's own limit for values it builds. Unknown fields are
/// skipped without that check, so a payload with an absurdly nested extra field would otherwise
/// load; it is reported instead, like any other document a JSON parser refuses.
pub const MAX_DEPTH: usize = 128;

fn too_deep() -> Body {
    Body::Invalid(format!(
        "JSON nested too deeply (more than {MAX_DEPTH} levels)"
    ))
}

/// The typed pass rejects one thing valid JSON allows: a key given twice. Going through a
/// `Value` keeps the last duplicate, as JavaScript does; only a real syntax error is reported.
/// The value's arrays are cut at the per-chat cap (see [`capped`]), so this path costs no more
/// memory than the typed one.
fn reparse_tolerant(
    json: &[u8],
    typed_err: serde_json::Error,
    fallback_id: &str,
) -> Result<Body, serde_json::Error> {
    let (value, cut) = capped::parse(json)?;
    match Top::deserialize(value) {
        Ok(top) => Ok(match top.classify(fallback_id) {
            Body::Chat(mut chat) if cut > 0 => {
                chat.limits.push(format!(
                    "lists cut at {} items ({cut} more are not read)",
                    lenient::MAX_ITEMS
                ));
                Body::Chat(chat)
            }
            body => body,
        }),
        Err(_) => Err(typed_err),
    }
}

/// The top-level value: an envelope object, or the kind of JSON that came instead.
enum Top {
    Object(Box<Envelope>),
    Other(&'static str),
}

impl Top {
    fn classify(self, fallback_id: &str) -> Body {
        match self {
            Top::Object(env) => classify(*env, fallback_id),
            Top::Other(kind) => Body::Invalid(format!("top-level JSON {kind} is not an object")),
        }
    }
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top, A::Error> {
                Envelope::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|e| Top::Object(Box::new(e)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Top::Other("array"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Top, E> {
                Ok(Top::Other("string"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Top, E> {
                Ok(Top::Other("number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Top, E> {
                Ok(Top::Other("number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Top, E> {
                Ok(Top::Other("number"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Top, E> {
                Ok(Top::Other("boolean"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Top, E> {
                Ok(Top::Other("null"))
            }
        }
        d.deserialize_any(V)
    }
}

fn classify(env: Envelope, fallback_id: &str) -> Body {
    let event = env.event.0.as_deref().map(str::trim).unwrap_or("");
    if event.is_empty() {
        return Body::Skipped("not a chat event (no \"event\" key)".into());
    }
    if is_wrap_up_event(event) {
        return wrap_up_event(env);
    }
    if !event.eq_ignore_ascii_case("chat_ended") {
        return Body::Skipped(format!("event {event:?}"));
    }
    let Some(chat) = env.chat.0 else {
        return Body::Invalid("chat_ended event without a \"chat\" object".into());
    };
    Body::Chat(Box::new(build_chat(
        chat,
        env.visitor.0.unwrap_or_default(),
        fallback_id,
    )))
}

/// Both spellings Comm100 sends: `chat_wrapped_up` and the misspelt `chat_wraped_up`.
fn is_wrap_up_event(event: &str) -> bool {
    event.eq_ignore_ascii_case("chat_wrapped_up") || event.eq_ignore_ascii_case("chat_wraped_up")
}

/// A wrap-up event: `chat_id` (else `visitor.chat_id`, else the id of a `chat` object) and
/// `wrapup` (or `wrap_up`, at the top or inside `chat`). Without any id it cannot belong to a
/// chat: skipped and counted like other events.
fn wrap_up_event(env: Envelope) -> Body {
    let event = env.event.0.unwrap_or_default();
    let (chat_id_in_chat, chat_wrap) = match env.chat.0 {
        Some(c) => (non_empty(c.id), c.wrap_up.0.or(c.wrapup.0)),
        None => (None, None),
    };
    let chat_id = non_empty(env.chat_id)
        .or_else(|| env.visitor.0.and_then(|v| non_empty(v.chat_id)))
        .or(chat_id_in_chat);
    let Some(chat_id) = chat_id else {
        return Body::Skipped(format!("event {:?} without a chat id", event.trim()));
    };
    let w = env.wrapup.0.or(env.wrap_up.0).or(chat_wrap);
    Body::WrapUp {
        chat_id,
        wrap_up: w.map(wrap_up).unwrap_or_default(),
    }
}

fn non_empty(s: LStr) -> Option<String> {
    s.0.filter(|v| !v.trim().is_empty())
}

fn fields(items: Many<FieldP>) -> Vec<Field> {
    items
        .0
        .into_iter()
        .map(|f| Field {
            id: f.id.0.or(f.field_id.0),
            name: f.name.0,
            value: f.value.0,
        })
        .collect()
}

fn both(a: Many<FieldP>, b: Many<FieldP>) -> Vec<Field> {
    let mut v = fields(a);
    v.extend(fields(b));
    v
}

fn wrap_up(w: WrapUpP) -> WrapUp {
    WrapUp {
        category: non_empty(w.category),
        comment: non_empty(w.comment),
        fields: fields(w.fields),
        time: w.time.0,
    }
}

/// Rating `"1"`..`"5"` (string or integer); `"-1"`, `""`, null and anything else mean not rated.
fn rating(raw: Option<&str>) -> Option<u8> {
    let n: f64 = raw?.trim().parse().ok()?;
    (1.0..=5.0)
        .contains(&n)
        .then(|| n.round() as u8)
        .filter(|r| (1..=5).contains(r))
}

fn build_visitor(v: VisitorP) -> Visitor {
    Visitor {
        id: non_empty(v.id),
        name: v.name.0,
        email: non_empty(v.email),
        phone: non_empty(v.phone),
        company: non_empty(v.company),
        ip: non_empty(v.ip),
        city: non_empty(v.city),
        state: non_empty(v.state),
        country: non_empty(v.country),
        browser: non_empty(v.browser),
        operating_system: non_empty(v.operating_system),
        language: non_empty(v.language),
        time_zone: non_empty(v.time_zone),
        screen_resolution: non_empty(v.screen_resolution),
        status: v.status.0.map(Status),
        department: non_empty(v.department),
        visits: v.visits.0,
        chats: v.chats.0,
        page_views: v.page_views.0,
        landing_page: non_empty(v.landing_page),
        referrer_url: non_empty(v.referrer_url),
        current_browsing: non_empty(v.current_browsing),
        search_engine: non_empty(v.search_engine),
        keywords: non_empty(v.keywords),
        product_service: non_empty(v.product_service),
        first_visit_time: v.first_visit_time.0,
        visit_time: v.visit_time.0,
        custom_fields: fields(v.custom_fields),
        custom_variables: both(v.custom_variable, v.custom_variables),
    }
}

/// Notes what a cap left out of one kind of list, if anything.
fn limit(notes: &mut Vec<String>, what: &str, lists: &[(usize, usize)]) {
    let (kept, dropped) = lists
        .iter()
        .fold((0, 0), |(k, d), &(kept, dropped)| (k + kept, d + dropped));
    if dropped > 0 {
        notes.push(format!(
            "kept the first {kept} of {} {what} (more are not read)",
            kept + dropped
        ));
    }
}

fn build_chat(c: ChatP, v: VisitorP, fallback_id: &str) -> Chat {
    let mut limits = Vec::new();
    let wrap_up_p = c.wrap_up.0.or(c.wrapup.0);
    let n = |m: &Many<FieldP>| (m.0.len(), m.1);
    let mut agents_dropped = c.operators.1 + c.agents.1;
    limit(
        &mut limits,
        "custom fields",
        &[n(&c.custom_fields), n(&v.custom_fields)],
    );
    limit(
        &mut limits,
        "custom variables",
        &[
            n(&c.custom_variable),
            n(&c.custom_variables),
            n(&v.custom_variable),
            n(&v.custom_variables),
        ],
    );
    limit(
        &mut limits,
        "attachments",
        &[
            (c.attachment.0.len(), c.attachment.1),
            (c.attachments.0.len(), c.attachments.1),
        ],
    );
    if let Some(w) = &wrap_up_p {
        limit(&mut limits, "wrap-up fields", &[n(&w.fields)]);
    }
    let visitor_chat_id = non_empty(v.chat_id.clone());
    let mut visitor = build_visitor(v);
    if visitor.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        visitor.name = non_empty(c.name.clone());
    }
    let id = non_empty(c.id)
        .or(visitor_chat_id)
        .unwrap_or_else(|| fallback_id.to_string());
    let mut agents = c.operators.0;
    for a in c.agents.0 {
        if agents.iter().any(|b: &Agent| b.name == a.name) {
            continue;
        }
        if agents.len() < MAX_AGENTS {
            agents.push(a);
        } else {
            agents_dropped += 1;
        }
    }
    limit(&mut limits, "agents", &[(agents.len(), agents_dropped)]);
    let raw_transcript = c.chat_transcript.0.unwrap_or_default();
    let names: Vec<&str> = agents.iter().map(|a| a.name.as_str()).collect();
    let who = Participants {
        agents: names,
        visitor: visitor.name.as_deref().filter(|n| !n.trim().is_empty()),
    };
    let started_at = c.start_time.0;
    let (transcript, dropped) = transcript::parse_capped(&raw_transcript, &who, started_at);
    if dropped > 0 {
        limits.push(format!(
            "kept the first {} transcript pieces of {} (more are not read)",
            transcript::MAX_PIECES,
            transcript::MAX_PIECES + dropped
        ));
    }
    let waiting_time = c.waiting_time.0;
    let wrap_up = wrap_up_p.map(wrap_up).filter(|w| !w.is_empty());
    let mut attachments: Vec<Attachment> = c
        .attachment
        .0
        .into_iter()
        .chain(c.attachments.0)
        .map(|a| Attachment {
            name: non_empty(a.name),
            uri: non_empty(a.uri).or_else(|| non_empty(a.url)),
        })
        .collect();
    attachments.retain(|a| a.name.is_some() || a.uri.is_some());
    Chat {
        id,
        department: non_empty(c.department).or_else(|| visitor.department.clone()),
        agents,
        started_at,
        ended_at: c.end_time.0,
        wait_secs: waiting_time
            .as_deref()
            .and_then(parse_wait)
            .filter(|&w| i64::try_from(w).is_ok_and(|w| super::plausible(w).is_some())),
        waiting_time,
        rating: rating(c.rating.0.as_deref()),
        rating_comment: non_empty(c.rating_comment),
        agent_comment: non_empty(c.operator_comment).or_else(|| non_empty(c.agent_comment)),
        email: non_empty(c.email),
        phone: non_empty(c.phone),
        company: non_empty(c.company),
        product_service: non_empty(c.product_service),
        custom_fields: fields(c.custom_fields),
        custom_variables: both(c.custom_variable, c.custom_variables),
        wrap_up,
        attachments,
        transcript,
        transcript_len: raw_transcript.len(),
        visitor,
        limits,
    }
}

#[cfg(test)]
mod tests;
