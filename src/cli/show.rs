//! `chatspool show`: one chat's details and transcript.

use super::{Failure, Outcome, SpoolArg, TzArg};
use crate::model::ChatSummary;
use crate::spool::{load_chat, FindError};
use crate::view::json::ShowItem;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub spool: SpoolArg,
    /// The chat id, or a unique prefix of it. With CHATSPOOL_SPOOL or the config file's `spool`
    /// set, `chatspool show ID` alone is enough.
    pub id: Option<String>,
    #[command(flatten)]
    pub tz: TzArg,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Outcome {
    let (spool, id) = spool_and_id(args)?;
    let root = &spool.spool;
    let reviews = spool.review.load(root)?;
    let store = super::load(&spool)?;
    let summary = find(&store, &id, root)?;
    // The directory read (a bucket's local copy for a URL; opened once, not synced again).
    let local = spool.open()?;
    let mut chat = load_chat(&local, &summary.source, &summary.id)
        .map_err(|e| Failure::not_found(format!("cannot read chat {}: {e}", summary.id)))?;
    chat.adopt_wrap_up(&summary);
    let review = reviews.get(&summary.id);
    super::emit(
        args.json,
        &ShowItem::new(&chat, &summary, review, spool.levels()),
        |out, _| {
            crate::export::chat_text(out, &chat, &summary, review, args.tz.zone(), spool.levels())
        },
    )?;
    Ok(0)
}

/// The chat `id` names (the id, or a unique prefix of a GUID); exit 1 when none or several.
pub fn find(
    store: &crate::spool::Store,
    id: &str,
    root: &std::path::Path,
) -> Result<std::sync::Arc<ChatSummary>, Failure> {
    store.find(id).map_err(|e| match e {
        FindError::NotFound => Failure::not_found(format!(
            "no chat with id {:?} in {}: `chatspool list {}` shows the ids",
            id,
            root.display(),
            root.display()
        )),
        FindError::Ambiguous(ids) => Failure::not_found(format!(
            "{:?} matches {} chats ({}{}): give more of the id",
            id,
            ids.len(),
            ids.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            if ids.len() > 5 { ", …" } else { "" }
        )),
    })
}

/// The spool and the id. With one argument, it is the id and the spool comes from
/// CHATSPOOL_SPOOL (which the config file's `spool` fills when unset).
fn spool_and_id(args: &Args) -> Result<(SpoolArg, String), Failure> {
    let with = |spool: std::path::PathBuf| SpoolArg {
        spool,
        no_cache: args.spool.no_cache,
        follow_links: args.spool.follow_links,
        review: args.spool.review.clone(),
        sla: args.spool.sla.clone(),
    };
    if let Some(id) = &args.id {
        return Ok((with(args.spool.spool.clone()), id.clone()));
    }
    let spool = std::env::var_os("CHATSPOOL_SPOOL").ok_or_else(|| {
        Failure::usage("no chat id given: run `chatspool show SPOOL ID` (`chatspool list SPOOL` shows the ids)")
    })?;
    Ok((
        with(spool.into()),
        args.spool.spool.to_string_lossy().into_owned(),
    ))
}
