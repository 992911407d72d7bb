//! A chat's details as labelled sections: the one description the details pane, plain `show`
//! and the exports all render, so they can never disagree about what a chat holds.
//!
//! Values are the payload's text, unsanitised: each view sanitises (or escapes) for its medium.
//! Empty fields are left out, and so are sections left with no field.

use crate::format::duration;
use crate::model::shown::{show, Form, Zone};
use crate::model::sla::{Sla, SlaOutcome, SlaVerdict};
use crate::model::{rating_label, Chat, Field, Source};
use crate::review::ChatReview;

/// Which part of the chat a section describes, so a view can pick the parts it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Visitor,
    Location,
    Device,
    Visit,
    Chat,
    Rating,
    CustomFields,
    CustomVariables,
    WrapUp,
    Attachments,
    /// The lead's tags, notes and reviewed mark (stored outside the spool).
    Review,
}

/// One `label  value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub value: String,
}

/// A heading and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub part: Part,
    pub title: &'static str,
    pub items: Vec<Item>,
}

impl Section {
    pub fn new(part: Part, title: &'static str) -> Self {
        Section {
            part,
            title,
            items: Vec::new(),
        }
    }

    /// Add a field; an absent or blank value is left out.
    pub fn add(&mut self, label: &str, value: Option<impl AsRef<str>>) {
        let Some(v) = value else { return };
        let v = v.as_ref().trim();
        if !v.is_empty() {
            self.items.push(Item {
                label: label.to_string(),
                value: v.to_string(),
            });
        }
    }

    /// Custom fields and variables: labelled by name, or id when the payload gave no name.
    fn add_fields(&mut self, fields: &[Field]) {
        for f in fields {
            let label = f.name.as_deref().or(f.id.as_deref()).unwrap_or("field");
            self.add(label, f.value.as_deref());
        }
    }
}

/// A waiting time for display; one too large for a signed count of seconds is unknown.
pub fn wait(secs: Option<u64>) -> Option<String> {
    secs.and_then(|w| i64::try_from(w).ok()).map(duration)
}

/// `4/5 Very Good`, or `not rated`.
pub fn rating(r: Option<u8>) -> String {
    r.map_or_else(
        || "not rated".to_string(),
        |r| format!("{} {}", crate::format::rating(r), rating_label(r)),
    )
}

/// Agent names joined, or `(none: missed)` for a chat no agent took part in.
pub fn agents(chat: &Chat) -> String {
    if chat.agents.is_empty() {
        return "(none: missed)".to_string();
    }
    let names: Vec<&str> = chat.agents.iter().map(|a| a.name.as_str()).collect();
    names.join(", ")
}

/// Every section of a chat's details, in display order, times in `zone`. `source` (the file it
/// came from) is shown when given; `levels` (the config's `[sla]`) give the SLA line, which is
/// left out without them.
pub fn sections(
    chat: &Chat,
    source: Option<&Source>,
    zone: &Zone,
    levels: Option<&Sla>,
) -> Vec<Section> {
    let v = &chat.visitor;
    // In the visitor's zone: this visitor's offset.
    let zone = zone.for_chat(
        v.time_zone
            .as_deref()
            .and_then(|z| crate::model::zone::visitor_offset(z, chat.started_at)),
    );
    let timestamp = |t| show(t, &zone, Form::Seconds);
    let mut visitor = Section::new(Part::Visitor, "Visitor");
    visitor.add("Name", Some(chat.visitor_name().unwrap_or("Visitor")));
    visitor.add("Email", v.email.as_deref().or(chat.email.as_deref()));
    visitor.add("Phone", v.phone.as_deref().or(chat.phone.as_deref()));
    visitor.add("Company", v.company.as_deref().or(chat.company.as_deref()));
    visitor.add(
        "Status",
        v.status.map(|s| format!("{} ({})", s.label(), s.0)),
    );

    let mut location = Section::new(Part::Location, "Location");
    location.add("City", v.city.as_deref());
    location.add("State", v.state.as_deref());
    location.add("Country", v.country.as_deref());
    location.add("IP", v.ip.as_deref());
    location.add("Time zone", v.time_zone.as_deref());

    let mut device = Section::new(Part::Device, "Device");
    device.add("Browser", v.browser.as_deref());
    device.add("OS", v.operating_system.as_deref());
    device.add("Language", v.language.as_deref());
    device.add("Screen", v.screen_resolution.as_deref());

    let mut visit = Section::new(Part::Visit, "Visit");
    visit.add("Visits", v.visits.map(|n| n.to_string()));
    visit.add("Chats", v.chats.map(|n| n.to_string()));
    visit.add("Page views", v.page_views.map(|n| n.to_string()));
    visit.add("Landing", v.landing_page.as_deref());
    visit.add("Referrer", v.referrer_url.as_deref());
    visit.add("Browsing", v.current_browsing.as_deref());
    visit.add("Keywords", v.keywords.as_deref());

    let mut about = Section::new(Part::Chat, "Chat");
    about.add("Id", Some(&chat.id));
    about.add("Source", source.map(Source::to_string));
    about.add("Agents", Some(agents(chat)));
    about.add("Department", chat.department.as_deref());
    about.add("Started", chat.started_at.map(timestamp));
    about.add("Ended", chat.ended_at.map(timestamp));
    about.add("Wait", wait(chat.wait_secs));
    about.add(
        "First reply",
        chat.first_response_secs().map(|f| duration(i64::from(f))),
    );
    about.add("Duration", chat.duration_secs().map(duration));
    let turns = chat.turns();
    about.add(
        "Responders",
        (!turns.responders.is_empty()).then(|| turns.responders.join(" → ")),
    );
    about.add("Replies", replies_line(&turns));
    about.add("Last from", turns.last_from.map(|l| l.name()));
    about.add("SLA", levels.and_then(|l| sla_line(l.judge_turns(&turns))));
    about.add(
        "Product",
        chat.product_service
            .as_deref()
            .or(v.product_service.as_deref()),
    );

    let mut rated = Section::new(Part::Rating, "Rating");
    rated.add("Rating", Some(rating(chat.rating)));
    rated.add("Comment", chat.rating_comment.as_deref());
    rated.add("Agent note", chat.agent_comment.as_deref());

    let mut custom = Section::new(Part::CustomFields, "Custom fields");
    custom.add_fields(&chat.custom_fields);
    custom.add_fields(&v.custom_fields);

    let mut variables = Section::new(Part::CustomVariables, "Custom variables");
    variables.add_fields(&chat.custom_variables);
    variables.add_fields(&v.custom_variables);

    let mut wrap = Section::new(Part::WrapUp, "Wrap-up");
    if let Some(w) = &chat.wrap_up {
        wrap.add("Category", w.category.as_deref());
        wrap.add("Comment", w.comment.as_deref());
        wrap.add_fields(&w.fields);
        wrap.add("Time", w.time.map(timestamp));
    }

    let mut files = Section::new(Part::Attachments, "Attachments");
    for a in &chat.attachments {
        files.add(
            a.name.as_deref().unwrap_or("file"),
            a.uri.as_deref().or(a.name.as_deref()),
        );
    }

    let mut all = vec![
        visitor, location, device, visit, about, rated, custom, variables, wrap, files,
    ];
    all.retain(|s| !s.items.is_empty());
    all
}

/// `p50 1m 05s · max 3m 10s · 4 replies, 1 unanswered`, or nothing when no turn came after
/// the first agent message.
fn replies_line(t: &crate::model::turns::Turns) -> Option<String> {
    if t.reply_count == 0 && t.unanswered_turns == 0 {
        return None;
    }
    let secs = |s: Option<u32>| s.map_or_else(|| "-".into(), |s| duration(i64::from(s)));
    let mut line = format!(
        "p50 {} · max {} · {}",
        secs(t.reply_p50_secs),
        secs(t.reply_max_secs),
        crate::format::plural(t.reply_count as usize, "reply", "replies")
    );
    if t.unanswered_turns > 0 {
        line.push_str(&format!(", {} unanswered", t.unanswered_turns));
    }
    Some(line)
}

/// `met`, `breached (2)` (how many responses exceeded their level), or nothing when no
/// response could be measured against a level.
fn sla_line(outcome: SlaOutcome) -> Option<String> {
    match outcome.verdict? {
        SlaVerdict::Met => Some("met".into()),
        SlaVerdict::Breached => Some(format!("breached ({})", outcome.breaches)),
    }
}

/// The lead's review of a chat as a section: the reviewed mark, the tags, every note (oldest
/// first) with its author and time.
pub fn review(r: &ChatReview, zone: &Zone) -> Section {
    // A review's times are the reviewer's, not the visitor's: with `--tz visitor`, UTC.
    let zone = zone.for_chat(None);
    let minutes = |t| show(t, &zone, Form::MinutesNamed);
    let mut s = Section::new(Part::Review, "Review");
    s.add(
        "Reviewed",
        r.reviewed
            .as_ref()
            .map(|m| format!("✓ {}, {}", m.author, minutes(m.at))),
    );
    s.add("Tags", Some(r.tags.join(", ")));
    for n in &r.notes {
        s.add(
            "Note",
            Some(format!("{} — {}, {}", n.text, n.author, minutes(n.at))),
        );
    }
    s
}

/// The review section, then the scorecards' when the chat has any: what the details pane,
/// `show` and the exports print of what leads recorded.
pub fn review_sections(r: &ChatReview, zone: &Zone) -> Vec<Section> {
    let mut out = vec![review(r, zone)];
    if !r.scorecards.is_empty() {
        out.push(scorecards(r, zone));
    }
    out
}

/// The chat's score and each reviewer's scorecard: `ann · qa  83.3 — greeting 2/2, …`.
pub fn scorecards(r: &ChatReview, zone: &Zone) -> Section {
    let zone = zone.for_chat(None);
    let mut s = Section::new(Part::Review, "Scorecards");
    let n = r.scorecards.len();
    s.add(
        "Score",
        Some(match r.score() {
            Some(t) => format!(
                "{} (mean of {})",
                crate::model::score::shown(t),
                crate::format::plural(n, "scorecard", "scorecards")
            ),
            None => "none (every criterion N/A)".into(),
        }),
    );
    for c in &r.scorecards {
        let items: Vec<String> = c
            .items
            .iter()
            .map(|(id, v)| {
                format!(
                    "{id} {}",
                    crate::model::score::item_text(*v, c.max.get(id).copied())
                )
            })
            .collect();
        let mut value = format!(
            "{} — {}",
            c.score()
                .map_or_else(|| "no score".into(), crate::model::score::shown),
            items.join(", ")
        );
        if let Some(comment) = &c.comment {
            value.push_str(&format!(" — {comment}"));
        }
        value.push_str(&format!(", {}", show(c.at, &zone, Form::MinutesNamed)));
        s.add(&format!("{} · {}", c.author, c.rubric), Some(value));
    }
    s
}

#[cfg(test)]
mod tests;
