//! Keys -> actions: one table, which also writes the `?` overlay and the status-bar hints, so
//! the documentation can never drift from the bindings.

mod remap;

pub use remap::{bindings, install, parse_key, remapped};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Declares the actions once: the enum, [`Action::ALL`] and the config name of each come from
/// this one list (`Variant => "config_name"`, with its doc line), so adding an action is one
/// entry here plus its bindings in [`BINDINGS`].
macro_rules! actions {
    ($( $(#[doc = $doc:literal])* $variant:ident => $name:literal, )*) => {
        /// Everything a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Action {
            /// Every action, for the checks that each one is bound, named and documented in
            /// help.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name the config file uses for the action (`page_down`, `cycle_sort`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
}

actions! {
    /// Leave the viewer (restoring the terminal).
    Quit => "quit",
    /// Move the selection up, or scroll the focused pane or overlay.
    Up => "up",
    /// Move the selection down, or scroll the focused pane or overlay.
    Down => "down",
    /// A page up in the focused pane.
    PageUp => "page_up",
    /// A page down in the focused pane.
    PageDown => "page_down",
    /// The first row or line.
    Top => "top",
    /// The last row or line.
    Bottom => "bottom",
    /// Focus the next pane: list, details, transcript.
    FocusNext => "focus_next",
    /// Focus the previous pane.
    FocusPrev => "focus_prev",
    /// Open the selected chat's transcript.
    Open => "open",
    /// Back from a pane to the list.
    Back => "back",
    /// Open the search bar.
    Search => "search",
    /// Accept the search bar, or save a prompt.
    Accept => "accept",
    /// One step back: close an overlay or prompt, leave a pane, clear the search.
    Cancel => "cancel",
    /// Close the help or problems overlay.
    Close => "close",
    /// The next transcript message the search's `text:` terms match.
    NextMatch => "next_match",
    /// The previous such message.
    PrevMatch => "prev_match",
    /// The next agent reply slower than the SLA reply level (2 minutes without one).
    NextSlow => "next_slow",
    /// The previous such reply.
    PrevSlow => "prev_slow",
    /// Switch the search between people (names) and transcripts.
    Scope => "scope",
    /// Cycle the list's order.
    CycleSort => "cycle_sort",
    /// Reverse the list's order.
    Reverse => "reverse",
    /// Show the files that could not be read.
    Problems => "problems",
    /// Show every key and the query language.
    Help => "help",
    /// Turn mouse capture on or off (off lets the terminal select text).
    ToggleMouse => "toggle_mouse",
    /// Keep the newest chat selected as chats arrive.
    ToggleFollow => "toggle_follow",
    /// Review: prompt for tags to add (`-tag` removes).
    Tag => "tag",
    /// Review: prompt for a note.
    Note => "note",
    /// Review: mark the chat reviewed, or take the mark back.
    ToggleReviewed => "toggle_reviewed",
    /// Review: select the next chat in the list nobody has reviewed.
    NextUnreviewed => "next_unreviewed",
    /// Review: prompt for tags for every chat in the list, then ask y/n.
    TagAll => "tag_all",
    /// Review: mark every chat in the list reviewed (or, when all are, unmark them), after y/n.
    ReviewAll => "review_all",
    /// Pick a saved view by name (fuzzy).
    PickView => "pick_view",
    /// Pick a past search (fuzzy).
    PickHistory => "search_history",
    /// Review: score the chat against a rubric, in a form over the transcript.
    Score => "score",
    /// Copy the open chat as Markdown to the clipboard (OSC 52).
    CopyChat => "copy_chat",
    /// Copy the selected chat's id.
    CopyId => "copy_id",
    /// Open the export menu.
    Export => "export",
    /// Redaction of personal data on screen, in copies and exports.
    ToggleRedact => "toggle_redact",
    /// Stop the viewer like any program on Ctrl-Z; `fg` resumes it.
    Suspend => "suspend",
    /// Draw the whole screen again.
    Redraw => "redraw",
    /// Open or close the stats view.
    ToggleStats => "stats",
    /// Times in UTC → local → the visitor's zone.
    CycleZone => "cycle_zone",
    /// Stats view: agents ↔ departments.
    StatsTable => "stats_table",
    /// Stats view: sort the table by the previous / next column.
    StatsColumnPrev => "stats_column_prev",
    StatsColumnNext => "stats_column_next",
    /// Stats view: reverse the table's order.
    StatsReverse => "stats_reverse",
    /// Stats view: heatmap of chat starts ↔ median wait.
    StatsHeat => "stats_heatmap",
    /// The focused pane larger: normal → half the screen → the whole screen.
    ZoomIn => "zoom_in",
    /// The focused pane back a step: whole screen → half → normal.
    ZoomOut => "zoom_out",
    /// Editing: delete the word before the cursor.
    DeleteWord => "delete_word",
    /// Editing: delete everything before the cursor.
    DeleteToStart => "delete_to_start",
    /// Editing: the cursor to the start of the line.
    LineStart => "line_start",
    /// Editing: the cursor to the end of the line.
    LineEnd => "line_end",
    /// Editing: the cursor one character left.
    CharLeft => "char_left",
    /// Editing: the cursor one character right.
    CharRight => "char_right",
    /// Editing: delete the character before the cursor.
    DeleteBack => "delete_back",
    /// Editing: delete the character under the cursor.
    DeleteForward => "delete_forward",
}

impl Action {
    /// Whether the action edits a line (the search bar or a prompt) rather than asking the app
    /// for something.
    pub fn edits(self) -> bool {
        matches!(
            self,
            Action::DeleteWord
                | Action::DeleteToStart
                | Action::LineStart
                | Action::LineEnd
                | Action::CharLeft
                | Action::CharRight
                | Action::DeleteBack
                | Action::DeleteForward
        )
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing: the list, details or transcript has focus.
    Browse,
    /// The search bar is being edited (printable keys type into it).
    Search,
    /// Editing a line: the search bar and the review prompts (printable keys type).
    Edit,
    /// A review prompt (tag, note) is open.
    Prompt,
    /// The help or problems overlay is open (movement keys scroll it).
    Overlay,
    /// Everywhere, also while typing a search.
    Global,
    /// The stats view is open.
    Stats,
}

/// What the viewer is doing, which decides the contexts a key is looked up in, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browsing,
    Searching,
    Prompting,
    Overlaid,
    /// The stats view is open.
    InStats,
}

impl Mode {
    pub(crate) fn contexts(self) -> &'static [Context] {
        match self {
            Mode::Browsing => &[Browse, Global],
            Mode::Searching => &[Search, Edit, Global],
            Mode::Prompting => &[Prompt, Edit, Global],
            Mode::Overlaid => &[Overlay, Browse, Global],
            Mode::InStats => &[Stats, Global],
        }
    }
}

/// One key spelled for matching and for display.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub context: Context,
    pub help: &'static str,
}

use Action as A;
use Context::{Browse, Edit, Global, Overlay, Prompt, Search, Stats};

/// Every binding, in the order the help overlay lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[k('/')],
        action: A::Search,
        context: Browse,
        help: "search (live filter, query language)",
    },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: A::Accept,
        context: Search,
        help: "accept the search, back to the list",
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        action: A::Cancel,
        context: Global,
        help: "back: close overlay, transcript/details → list; on the list clear the search",
    },
    Binding {
        keys: &[k('j'), code(KeyCode::Down)],
        action: A::Down,
        context: Browse,
        help: "move down (scroll in details/transcript)",
    },
    Binding {
        keys: &[k('k'), code(KeyCode::Up)],
        action: A::Up,
        context: Browse,
        help: "move up",
    },
    Binding {
        keys: &[code(KeyCode::Down), ctrl('n')],
        action: A::Down,
        context: Search,
        help: "next chat while typing (in the history after ↑: a newer search)",
    },
    Binding {
        keys: &[code(KeyCode::Up), ctrl('p')],
        action: A::Up,
        context: Search,
        help: "previous chat while typing; on an empty bar, the last search",
    },
    Binding {
        keys: &[k('g'), code(KeyCode::Home)],
        action: A::Top,
        context: Browse,
        help: "top",
    },
    Binding {
        keys: &[k('G'), code(KeyCode::End)],
        action: A::Bottom,
        context: Browse,
        help: "bottom",
    },
    Binding {
        keys: &[code(KeyCode::PageDown), ctrl('d'), ctrl('f'), k(' ')],
        action: A::PageDown,
        context: Browse,
        help: "page down",
    },
    Binding {
        keys: &[code(KeyCode::PageUp), ctrl('u'), ctrl('b'), k('b')],
        action: A::PageUp,
        context: Browse,
        help: "page up",
    },
    Binding {
        keys: &[code(KeyCode::Tab)],
        action: A::FocusNext,
        context: Browse,
        help: "focus: list → details → transcript",
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        action: A::FocusPrev,
        context: Browse,
        help: "focus backwards",
    },
    Binding {
        keys: &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)],
        action: A::Open,
        context: Browse,
        help: "open the chat's transcript",
    },
    Binding {
        keys: &[k('h'), code(KeyCode::Left)],
        action: A::Back,
        context: Browse,
        help: "back to the list",
    },
    Binding {
        keys: &[ctrl('t')],
        action: A::Scope,
        context: Global,
        help: "search names or transcripts (bare words become text:)",
    },
    Binding {
        keys: &[k('n')],
        action: A::NextMatch,
        context: Browse,
        help: "next search match in the transcript",
    },
    Binding {
        keys: &[k('N')],
        action: A::PrevMatch,
        context: Browse,
        help: "previous search match in the transcript",
    },
    Binding {
        keys: &[k(']')],
        action: A::NextSlow,
        context: Browse,
        help: "next slow reply (⏱: over the SLA reply level, else 2m)",
    },
    Binding {
        keys: &[k('[')],
        action: A::PrevSlow,
        context: Browse,
        help: "previous slow reply in the transcript",
    },
    Binding {
        keys: &[k('s')],
        action: A::CycleSort,
        context: Browse,
        help:
            "cycle sort: newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score",
    },
    Binding {
        keys: &[k('i')],
        action: A::ToggleStats,
        context: Browse,
        help: "stats view of the chats the search selects",
    },
    Binding {
        keys: &[k('z')],
        action: A::CycleZone,
        context: Browse,
        help: "times in UTC → local → the visitor's zone",
    },
    Binding {
        keys: &[k('S')],
        action: A::Reverse,
        context: Browse,
        help: "reverse the current order",
    },
    Binding {
        keys: &[k('t')],
        action: A::Tag,
        context: Browse,
        help: "tag the chat (words; -word removes a tag)",
    },
    Binding {
        keys: &[k('a')],
        action: A::Note,
        context: Browse,
        help: "add a note to the chat",
    },
    Binding {
        keys: &[k('r')],
        action: A::ToggleReviewed,
        context: Browse,
        help: "mark the chat reviewed / not reviewed",
    },
    Binding {
        keys: &[k('u')],
        action: A::NextUnreviewed,
        context: Browse,
        help: "next unreviewed chat in the list",
    },
    Binding {
        keys: &[k('T')],
        action: A::TagAll,
        context: Browse,
        help: "tag every chat in the list (asks y/n first)",
    },
    Binding {
        keys: &[k('M')],
        action: A::ReviewAll,
        context: Browse,
        help: "mark every chat in the list reviewed (all marked: unmark; asks y/n)",
    },
    Binding {
        keys: &[k('v')],
        action: A::PickView,
        context: Browse,
        help: "pick a saved view (its query, order and zone) by name",
    },
    Binding {
        keys: &[ctrl('r')],
        action: A::PickHistory,
        context: Browse,
        help: "pick a past search (also while typing one; ↑ on an empty bar walks them)",
    },
    Binding {
        keys: &[ctrl('r')],
        action: A::PickHistory,
        context: Search,
        help: "pick a past search by part of it",
    },
    Binding {
        keys: &[k('c')],
        action: A::Score,
        context: Browse,
        help: "score the chat against a rubric (a form over the transcript)",
    },
    Binding {
        keys: &[k('p')],
        action: A::Problems,
        context: Browse,
        help: "problems: files that could not be read",
    },
    Binding {
        keys: &[k('f')],
        action: A::ToggleFollow,
        context: Browse,
        help: "follow: keep the newest chat selected",
    },
    Binding {
        keys: &[k('y')],
        action: A::CopyChat,
        context: Browse,
        help: "copy the chat as Markdown to the clipboard",
    },
    Binding {
        keys: &[k('Y')],
        action: A::CopyId,
        context: Browse,
        help: "copy the chat's id to the clipboard",
    },
    Binding {
        keys: &[k('e')],
        action: A::Export,
        context: Browse,
        help: "export the chat or the list to a file",
    },
    Binding {
        keys: &[k('R')],
        action: A::ToggleRedact,
        context: Browse,
        help: "redact e-mails, phones, IPs and cards (screen, copies, exports)",
    },
    Binding {
        keys: &[k('m')],
        action: A::ToggleMouse,
        context: Browse,
        help: "mouse capture on/off (off: select text with the terminal)",
    },
    Binding {
        keys: &[k('?'), code(KeyCode::F(1))],
        action: A::Help,
        context: Browse,
        help: "this help",
    },
    Binding {
        keys: &[k('+')],
        action: A::ZoomIn,
        context: Browse,
        help: "zoom the focused pane: normal → half → full screen",
    },
    Binding {
        keys: &[k('_')],
        action: A::ZoomOut,
        context: Browse,
        help: "zoom back: full → half → normal",
    },
    Binding {
        keys: &[k('i'), code(KeyCode::Esc), k('q')],
        action: A::ToggleStats,
        context: Stats,
        help: "back to where you were",
    },
    Binding {
        keys: &[k('/')],
        action: A::Search,
        context: Stats,
        help: "change the search: the figures follow as you type",
    },
    Binding {
        keys: &[k('?'), code(KeyCode::F(1))],
        action: A::Help,
        context: Stats,
        help: "every key",
    },
    Binding {
        keys: &[k('j'), code(KeyCode::Down)],
        action: A::Down,
        context: Stats,
        help: "next row of the table",
    },
    Binding {
        keys: &[k('k'), code(KeyCode::Up)],
        action: A::Up,
        context: Stats,
        help: "previous row",
    },
    Binding {
        keys: &[k('g'), code(KeyCode::Home)],
        action: A::Top,
        context: Stats,
        help: "first row",
    },
    Binding {
        keys: &[k('G'), code(KeyCode::End)],
        action: A::Bottom,
        context: Stats,
        help: "last row",
    },
    Binding {
        keys: &[code(KeyCode::PageDown), ctrl('d'), ctrl('f'), k(' ')],
        action: A::PageDown,
        context: Stats,
        help: "a page of rows down",
    },
    Binding {
        keys: &[code(KeyCode::PageUp), ctrl('u'), ctrl('b'), k('b')],
        action: A::PageUp,
        context: Stats,
        help: "a page of rows up",
    },
    Binding {
        keys: &[code(KeyCode::Tab)],
        action: A::StatsTable,
        context: Stats,
        help: "agents ↔ departments",
    },
    Binding {
        keys: &[k('l'), code(KeyCode::Right)],
        action: A::StatsColumnNext,
        context: Stats,
        help: "sort by the next column",
    },
    Binding {
        keys: &[k('h'), code(KeyCode::Left)],
        action: A::StatsColumnPrev,
        context: Stats,
        help: "sort by the previous column",
    },
    Binding {
        keys: &[k('s')],
        action: A::StatsReverse,
        context: Stats,
        help: "reverse the order",
    },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: A::Accept,
        context: Stats,
        help: "show this agent's (department's) chats in the list",
    },
    Binding {
        keys: &[k('w')],
        action: A::StatsHeat,
        context: Stats,
        help: "heatmap: chat starts ↔ median wait",
    },
    Binding {
        keys: &[k('z')],
        action: A::CycleZone,
        context: Stats,
        help: "times in UTC → local → the visitor's zone",
    },
    Binding {
        keys: &[ctrl('l')],
        action: A::Redraw,
        context: Global,
        help: "redraw the screen",
    },
    Binding {
        keys: &[ctrl('z')],
        action: A::Suspend,
        context: Global,
        help: "suspend (resume with fg)",
    },
    Binding {
        keys: &[k('q')],
        action: A::Quit,
        context: Browse,
        help: "quit",
    },
    Binding {
        keys: &[ctrl('c')],
        action: A::Quit,
        context: Global,
        help: "quit",
    },
    Binding {
        keys: &[code(KeyCode::Esc), k('q'), code(KeyCode::Enter)],
        action: A::Close,
        context: Overlay,
        help: "close (the overlay's own key, ? or p, too)",
    },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: A::Accept,
        context: Prompt,
        help: "save",
    },
    Binding {
        keys: &[code(KeyCode::Esc), ctrl('c')],
        action: A::Cancel,
        context: Prompt,
        help: "cancel",
    },
    Binding {
        keys: &[code(KeyCode::Up), ctrl('p')],
        action: A::Up,
        context: Prompt,
        help: "previous choice (view and search pickers)",
    },
    Binding {
        keys: &[code(KeyCode::Down), ctrl('n')],
        action: A::Down,
        context: Prompt,
        help: "next choice",
    },
    Binding {
        keys: &[ctrl('w')],
        action: A::DeleteWord,
        context: Edit,
        help: "delete the word before the cursor",
    },
    Binding {
        keys: &[ctrl('u')],
        action: A::DeleteToStart,
        context: Edit,
        help: "delete to the start",
    },
    Binding {
        keys: &[ctrl('a'), code(KeyCode::Home)],
        action: A::LineStart,
        context: Edit,
        help: "cursor to the start",
    },
    Binding {
        keys: &[ctrl('e'), code(KeyCode::End)],
        action: A::LineEnd,
        context: Edit,
        help: "cursor to the end",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        action: A::CharLeft,
        context: Edit,
        help: "cursor left",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        action: A::CharRight,
        context: Edit,
        help: "cursor right",
    },
    Binding {
        keys: &[code(KeyCode::Backspace)],
        action: A::DeleteBack,
        context: Edit,
        help: "delete before the cursor",
    },
    Binding {
        keys: &[code(KeyCode::Delete)],
        action: A::DeleteForward,
        context: Edit,
        help: "delete under the cursor",
    },
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let ev_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    if key.ctrl != ev_ctrl {
        return false;
    }
    match (key.code, ev.code) {
        // Shifted letters arrive as upper-case chars, sometimes with SHIFT set: compare the char.
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b || (key.ctrl && a.eq_ignore_ascii_case(&b)),
        (a, b) => a == b,
    }
}

/// The action for a key while browsing (`searching` false) or typing a search. While searching,
/// browse bindings do not apply (the keys type into the search bar) but global ones do.
pub fn action(searching: bool, ev: &KeyEvent) -> Option<Action> {
    let mode = if searching {
        Mode::Searching
    } else {
        Mode::Browsing
    };
    action_in(bindings(), mode, ev)
}

/// The action for a key in `mode`: its contexts are tried in order, so an overlay's own
/// bindings win over the browsing ones it shares keys with.
pub fn action_for(mode: Mode, ev: &KeyEvent) -> Option<Action> {
    action_in(bindings(), mode, ev)
}

/// [`action_for`] in a given table.
fn action_in(table: &[Binding], mode: Mode, ev: &KeyEvent) -> Option<Action> {
    mode.contexts().iter().find_map(|ctx| {
        table
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.iter().any(|key| matches(key, ev)))
            .map(|b| b.action)
    })
}

/// The action for a key while the stats view is open.
pub fn stats_action(ev: &KeyEvent) -> Option<Action> {
    action_for(Mode::InStats, ev)
}

/// How a key is written in help text.
pub fn key_label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// All keys of a binding, joined for display (`j / ↓`).
pub fn keys_label(b: &Binding) -> String {
    b.keys.iter().map(key_label).collect::<Vec<_>>().join(" / ")
}

/// The first key bound to an action in a context, for status-bar hints.
pub fn hint(action: Action, context: Context) -> String {
    bindings()
        .iter()
        .find(|b| b.action == action && (b.context == context || b.context == Global))
        .and_then(|b| b.keys.first())
        .map(key_label)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn browse_and_search_contexts_differ() {
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(action(false, &j), Some(Action::Down));
        assert_eq!(action(true, &j), None, "j types into the search bar");
        let up = ev(KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(action(true, &up), Some(Action::Up));
        let c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(true, &c), Some(Action::Quit));
        assert_eq!(action(false, &c), Some(Action::Quit));
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(action(true, &enter), Some(Action::Accept));
        assert_eq!(action(false, &enter), Some(Action::Open));
        let big_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action(false, &big_g), Some(Action::Bottom));
    }

    #[test]
    fn every_action_has_help() {
        for b in BINDINGS {
            assert!(!b.help.is_empty() && !b.keys.is_empty());
        }
        assert_eq!(hint(Action::Help, Context::Browse), "?");
        assert_eq!(hint(Action::Quit, Context::Browse), "q");
    }

    /// Every action is reachable from a key and explained by the help overlay, which lists the
    /// table; and `ALL` names every action once (a new one must be named, so it is listed).
    #[test]
    fn every_action_is_bound_and_listed_once() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        for a in Action::ALL {
            assert!(BINDINGS.iter().any(|b| b.action == *a), "{a:?} has no key");
        }
        for b in BINDINGS {
            assert!(
                Action::ALL.contains(&b.action),
                "{:?} missing from ALL",
                b.action
            );
        }
    }

    #[test]
    fn editing_overlay_and_prompt_keys_come_from_the_table() {
        let ctrl_u = ev(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action(false, &ctrl_u), Some(Action::PageUp));
        assert_eq!(action(true, &ctrl_u), Some(Action::DeleteToStart));
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Overlaid, &q), Some(Action::Close));
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Overlaid, &enter), Some(Action::Close));
        assert_eq!(action_for(Mode::Prompting, &enter), Some(Action::Accept));
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Mode::Prompting, &ctrl_c), Some(Action::Cancel));
        assert_eq!(
            action_for(Mode::Prompting, &q),
            None,
            "q types into a prompt"
        );
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Overlaid, &j), Some(Action::Down));
        assert_eq!(hint(Action::Close, Context::Overlay), "Esc");
        assert_eq!(hint(Action::DeleteWord, Context::Edit), "Ctrl-W");
    }
}
