//! The chat pane's state and a small cache of recently read chats.

use crate::model::{Chat, ChatSummary};
use std::collections::VecDeque;
use std::sync::Arc;

/// What the details and transcript panes show.
#[derive(Debug, Clone)]
pub enum ChatPane {
    /// Nothing selected (empty list).
    None,
    /// Reading the chat's file; the summary is shown meanwhile.
    Loading(Arc<ChatSummary>),
    Ready(Arc<ChatSummary>, Arc<Chat>),
    Failed(Arc<ChatSummary>, String),
}

impl ChatPane {
    pub fn summary(&self) -> Option<&Arc<ChatSummary>> {
        match self {
            ChatPane::None => None,
            ChatPane::Loading(s) | ChatPane::Ready(s, _) | ChatPane::Failed(s, _) => Some(s),
        }
    }

    pub fn chat(&self) -> Option<&Arc<Chat>> {
        match self {
            ChatPane::Ready(_, c) => Some(c),
            _ => None,
        }
    }

    /// True when the pane already shows (or is reading) this exact row.
    pub fn is_current(&self, row: &Arc<ChatSummary>) -> bool {
        self.summary().is_some_and(|s| Arc::ptr_eq(s, row))
    }
}

/// Recently opened chats, so moving back and forth does not read files again. Keyed by the row
/// itself: a file that changes produces a new row, so a stale copy is never shown.
#[derive(Debug, Default)]
pub struct ChatCache {
    entries: VecDeque<(Arc<ChatSummary>, Arc<Chat>)>,
}

impl ChatCache {
    const CAPACITY: usize = 64;

    pub fn get(&self, row: &Arc<ChatSummary>) -> Option<Arc<Chat>> {
        self.entries
            .iter()
            .find(|(r, _)| Arc::ptr_eq(r, row) || **r == **row)
            .map(|(_, c)| c.clone())
    }

    pub fn put(&mut self, row: &Arc<ChatSummary>, chat: Arc<Chat>) {
        self.entries.retain(|(r, _)| !Arc::ptr_eq(r, row));
        if self.entries.len() >= Self::CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back((row.clone(), chat));
    }
}
