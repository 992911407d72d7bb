//! The ways out of the viewer: `y` copies the chat as Markdown, `Y` its id, `e` exports the
//! chat or the list to a file, and `R` masks personal data on screen and in both.

use super::{App, ChatPane, Effect, Overlay};
use crate::export::{Exported, Format, Options};
use crate::model::shown::Zone;
use crate::model::{Chat, ChatSummary};
use crate::redact::{Mask, Redactor};
use crate::review::Reviews;
use crossterm::event::{KeyCode, KeyEvent};
use std::sync::Arc;

/// What an export takes: the selected chat or every chat in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Chat,
    List,
}

/// One entry of the export menu; the same table draws the menu and reads its keys.
pub struct Choice {
    pub key: char,
    pub scope: Scope,
    pub format: Format,
    pub help: &'static str,
}

/// The export menu (`e`).
pub const EXPORT_CHOICES: &[Choice] = &[
    Choice {
        key: 'c',
        scope: Scope::Chat,
        format: Format::Md,
        help: "this chat, Markdown",
    },
    Choice {
        key: 'm',
        scope: Scope::List,
        format: Format::Md,
        help: "every chat in the list, Markdown",
    },
    Choice {
        key: 'h',
        scope: Scope::List,
        format: Format::Html,
        help: "every chat in the list, one HTML page",
    },
    Choice {
        key: 'v',
        scope: Scope::List,
        format: Format::Csv,
        help: "every chat in the list, CSV (one row each)",
    },
    Choice {
        key: 'j',
        scope: Scope::List,
        format: Format::Json,
        help: "every chat in the list, JSON",
    },
];

/// Text for the clipboard, and the file it goes to when the terminal cannot copy.
#[derive(Debug, Clone)]
pub struct Clip {
    pub text: String,
    /// What was copied, for the confirmation (`the chat as Markdown`).
    pub what: String,
    pub file_name: String,
}

/// Chats to write to a file in the export directory, off the UI thread.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub chats: Vec<Arc<ChatSummary>>,
    pub format: Format,
    /// Present while redaction is on.
    pub redactor: Option<Arc<Redactor>>,
    /// The review data as the viewer has it (tags, notes and marks go into the file).
    pub reviews: Arc<Reviews>,
    /// The zone the viewer shows times in.
    pub zone: Zone,
    /// The service levels `sla` is measured against.
    pub sla: Option<Arc<crate::model::sla::Sla>>,
    pub file_name: String,
    /// What the export is, for its first line.
    pub about: crate::export::About,
}

impl App {
    /// Masks text while redaction is on (`R`).
    pub fn mask(&self) -> Mask<'_> {
        Mask(self.redact.then_some(&*self.redactor))
    }

    /// The chat as the panes show it: masked while redaction is on.
    pub fn shown_chat(&self) -> Option<Arc<Chat>> {
        let chat = self.chat.chat()?;
        match &self.masked {
            Some((orig, masked)) if self.redact && Arc::ptr_eq(orig, chat) => Some(masked.clone()),
            _ => Some(chat.clone()),
        }
    }

    /// Mask the open chat once when it or the toggle changes, not on every frame.
    pub(super) fn refresh_mask(&mut self) {
        let Some(chat) = self.chat.chat().filter(|_| self.redact) else {
            self.masked = None;
            return;
        };
        if !self
            .masked
            .as_ref()
            .is_some_and(|(o, _)| Arc::ptr_eq(o, chat))
        {
            let masked = Arc::new(self.redactor.chat(chat));
            self.masked = Some((chat.clone(), masked));
        }
    }

    pub(super) fn toggle_redact(&mut self) -> Vec<Effect> {
        self.redact = !self.redact;
        self.flash = Some(
            if self.redact {
                "redaction on: e-mails, phones, IPs and cards masked on screen, in copies and exports"
            } else {
                "redaction off"
            }
            .into(),
        );
        Vec::new()
    }

    fn stamp(&self) -> String {
        self.now.format("%Y%m%d-%H%M%S").to_string()
    }

    /// `y`: the open chat as Markdown.
    pub(super) fn copy_chat(&mut self) -> Vec<Effect> {
        let (summary, chat) = match &self.chat {
            ChatPane::Ready(s, c) => (s.clone(), c.clone()),
            ChatPane::Loading(_) => return self.say("the chat is still being read"),
            ChatPane::Failed(..) => return self.say("this chat cannot be read: nothing to copy"),
            ChatPane::None => return self.say("no chat selected"),
        };
        let e = Exported {
            review: self.reviews.get(&summary.id).cloned(),
            summary,
            chat: Ok(chat),
        };
        let opts = Options {
            mask: self.mask(),
            zone: self.zone,
            reviews: Some(&self.reviews),
            levels: self.sla.as_deref(),
        };
        let text = crate::export::markdown(&e, &opts);
        let id8: String = e.summary.id.chars().take(8).collect();
        vec![Effect::Copy(Clip {
            text,
            what: "the chat as Markdown".into(),
            file_name: format!("chat-{}-{}.md", file_safe(&id8), self.stamp()),
        })]
    }

    /// `Y`: the selected chat's id.
    pub(super) fn copy_id(&mut self) -> Vec<Effect> {
        let Some(s) = self.selected_chat() else {
            return self.say("no chat selected");
        };
        // Ids come from payloads: only sanitised text reaches the terminal and the clipboard.
        let id = crate::sanitize::line(&s.id).into_owned();
        let id8: String = id.chars().take(8).collect();
        vec![Effect::Copy(Clip {
            what: format!("the id {id}"),
            file_name: format!("id-{}.txt", file_safe(&id8)),
            text: id,
        })]
    }

    /// A key while the export menu is open.
    pub(super) fn on_export_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.overlay = Overlay::None;
        let KeyCode::Char(c) = key.code else {
            return Vec::new();
        };
        let Some(choice) = EXPORT_CHOICES.iter().find(|x| x.key == c) else {
            return Vec::new();
        };
        let chats: Vec<Arc<ChatSummary>> = match choice.scope {
            Scope::Chat => self.selected_chat().cloned().into_iter().collect(),
            Scope::List => self
                .order
                .iter()
                .filter_map(|&i| self.view.chats.get(i as usize).cloned())
                .collect(),
        };
        let name = match (choice.scope, chats.first()) {
            (_, None) => return self.say("nothing to export: the list is empty"),
            (Scope::Chat, Some(s)) => format!(
                "chat-{}",
                file_safe(&s.id.chars().take(8).collect::<String>())
            ),
            (Scope::List, _) => "list".to_string(),
        };
        self.flash = Some(format!(
            "exporting {} …",
            crate::format::plural(chats.len(), "chat", "chats")
        ));
        vec![Effect::Export(ExportJob {
            file_name: format!("{name}-{}.{}", self.stamp(), choice.format.extension()),
            format: choice.format,
            redactor: self.redact.then(|| self.redactor.clone()),
            reviews: self.reviews.clone(),
            zone: self.zone,
            sla: self.sla.clone(),
            about: crate::export::About {
                chosen: match (choice.scope, chats.first()) {
                    (Scope::Chat, Some(c)) => format!("chat {}", c.id),
                    _ => crate::export::About::by_query(&self.search.input.text),
                },
                order: self.order_label(),
                count: chats.len(),
                by: self.author.clone(),
                at: self.now,
            },
            chats,
        })]
    }

    /// The list's order as its title names it: `newest`, `best match`, `wait, reversed`.
    pub fn order_label(&self) -> String {
        let sort = self.sort.map_or_else(
            || {
                if self.search.query.has_fuzzy() {
                    "best match".to_string()
                } else {
                    "newest".to_string()
                }
            },
            |s| s.to_string(),
        );
        if self.reversed {
            format!("{sort}, reversed")
        } else {
            sort
        }
    }

    fn say(&mut self, msg: &str) -> Vec<Effect> {
        self.flash = Some(msg.to_string());
        Vec::new()
    }
}

/// Letters, digits, `-` and `_` only: ids come from payloads.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
