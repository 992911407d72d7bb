//! `chatspool show`: one chat's details and transcript.

use super::output::human_secs;
use super::views::ShowItem;
use super::{Failure, Outcome, SpoolArg};
use crate::model::shown::{show, Form, Zone};
use crate::model::{rating_label, Chat, ChatSummary, SpeakerKind};
use crate::sanitize;
use crate::spool::{load_chat, FindError};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of it.
    pub id: String,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Outcome {
    let root = &args.spool.spool;
    let store = super::load(&args.spool)?;
    let summary = store.find(&args.id).map_err(|e| match e {
        FindError::NotFound => Failure::not_found(format!(
            "no chat with id {:?} in {}: `chatspool list {}` shows the ids",
            args.id,
            root.display(),
            root.display()
        )),
        FindError::Ambiguous(ids) => Failure::not_found(format!(
            "{:?} matches {} chats ({}{}): give more of the id",
            args.id,
            ids.len(),
            ids.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            if ids.len() > 5 { ", …" } else { "" }
        )),
    })?;
    let chat = load_chat(root, &summary.source, &summary.id)
        .map_err(|e| Failure::not_found(format!("cannot read chat {}: {e}", summary.id)))?;
    super::emit(args.json, &ShowItem::new(&chat, &summary), |out, _| {
        print_text(out, &chat, &summary)
    })?;
    Ok(0)
}

fn print_text(out: &mut impl Write, chat: &Chat, summary: &ChatSummary) -> std::io::Result<()> {
    let mut field = |label: &str, value: Option<String>| -> std::io::Result<()> {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => writeln!(out, "{label:<12} {}", sanitize::line(&v)),
            None => Ok(()),
        }
    };
    let v = &chat.visitor;
    field("Chat", Some(chat.id.clone()))?;
    field("Source", Some(summary.source.to_string()))?;
    field(
        "Visitor",
        Some(chat.visitor_name().unwrap_or("Visitor").to_string()),
    )?;
    field("Email", v.email.clone().or_else(|| chat.email.clone()))?;
    field("Phone", v.phone.clone().or_else(|| chat.phone.clone()))?;
    field(
        "Company",
        v.company.clone().or_else(|| chat.company.clone()),
    )?;
    field(
        "Agents",
        Some(if chat.agents.is_empty() {
            "(none: missed)".to_string()
        } else {
            chat.agents
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }),
    )?;
    field("Department", chat.department.clone())?;
    field("Status", v.status.map(|s| s.label()))?;
    field(
        "Started",
        chat.started_at
            .map(|t| show(t, &Zone::default(), Form::Seconds)),
    )?;
    field(
        "Ended",
        chat.ended_at
            .map(|t| show(t, &Zone::default(), Form::Seconds)),
    )?;
    field("Duration", chat.duration_secs().map(human_secs))?;
    field(
        "Wait",
        chat.wait_secs
            .map(|w| human_secs(i64::try_from(w).unwrap_or(i64::MAX))),
    )?;
    field(
        "Rating",
        Some(chat.rating.map_or_else(
            || "not rated".into(),
            |r| format!("{r}/5 {}", rating_label(r)),
        )),
    )?;
    field("Comment", chat.rating_comment.clone())?;
    let place: Vec<&str> = [&v.city, &v.state, &v.country]
        .into_iter()
        .filter_map(|s| s.as_deref())
        .collect();
    field("Location", Some(place.join(", ")))?;
    field("IP", v.ip.clone())?;
    field("Time zone", v.time_zone.clone())?;
    field("Browser", v.browser.clone())?;
    field("OS", v.operating_system.clone())?;
    field("Language", v.language.clone())?;
    for f in chat
        .custom_fields
        .iter()
        .chain(&v.custom_fields)
        .chain(&chat.custom_variables)
    {
        if f.value.as_deref().is_some_and(|s| !s.is_empty()) {
            field(f.name.as_deref().unwrap_or("(field)"), f.value.clone())?;
        }
    }
    if let Some(w) = &chat.wrap_up {
        field("Wrap-up", w.category.clone())?;
        field("Wrap-up note", w.comment.clone())?;
    }
    for a in &chat.attachments {
        field("Attachment", a.name.clone().or_else(|| a.uri.clone()))?;
    }
    writeln!(out)?;
    if chat.transcript.is_empty() {
        writeln!(out, "(no transcript)")?;
    }
    for e in &chat.transcript {
        let time = e.time.as_deref().unwrap_or("");
        let text = sanitize::text(&e.text);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        match (&e.speaker, e.kind) {
            (Some(who), kind) if kind != SpeakerKind::System => writeln!(
                out,
                "{time:<8}  {:<7}  {}: {first}",
                kind.label(),
                sanitize::line(who)
            )?,
            _ => writeln!(out, "{time:<8}  {:<7}  {first}", "system")?,
        }
        for more in lines {
            writeln!(out, "{:<8}  {:<7}  {more}", "", "")?;
        }
    }
    Ok(())
}
