//! Remapping the viewer's keys from the config file's `[keys]` table: action names, key
//! names, and the table the viewer uses once the user's keys replace the defaults.
//!
//! An action's new keys replace the keys of its bindings while browsing (or, for an action
//! bound only everywhere, such as `redraw`, of that binding). The keys used while typing a
//! search and `Ctrl-C` keep working whatever is remapped, so a config can never lock the user in.

use super::{Action, Binding, Context, Key, Mode, BINDINGS};
use crossterm::event::KeyCode;
use std::sync::OnceLock;

impl Action {
    /// Every action that can be remapped, in the help overlay's order.
    pub fn remappable() -> Vec<Action> {
        let mut out: Vec<Action> = Vec::new();
        for b in BINDINGS {
            if !out.contains(&b.action) && remapped_context(b.action).is_some() {
                out.push(b.action);
            }
        }
        out
    }

    /// The action with this config name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::remappable().into_iter().find(|a| a.name() == name)
    }
}

/// Which bindings of an action a remap replaces: its browsing ones, else its global, line
/// editing or overlay one. `None` for the search bar's and prompts' own keys (`accept`), which
/// keep working whatever is remapped.
fn remapped_context(action: Action) -> Option<Context> {
    [
        Context::Browse,
        Context::Global,
        Context::Edit,
        Context::Overlay,
    ]
    .into_iter()
    .find(|ctx| {
        BINDINGS
            .iter()
            .any(|b| b.action == action && b.context == *ctx)
    })
}

/// Read a key as the config file writes it: `x`, `X`, `ctrl-f`, `enter`, `esc`, `tab`,
/// `shift-tab`, `space`, `up`, `down`, `left`, `right`, `pgup`, `pgdn`, `home`, `end`, `f1`…
pub fn parse_key(s: &str) -> Result<Key, String> {
    let bad = || {
        format!("unknown key {s:?}: use a character, ctrl-<letter>, or one of enter, esc, tab, shift-tab, space, backspace, delete, up, down, left, right, pgup, pgdn, home, end, f1-f12")
    };
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return if c.is_control() {
            Err(bad())
        } else {
            Ok(Key {
                code: KeyCode::Char(c),
                ctrl: false,
            })
        };
    }
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("ctrl-")
        .or_else(|| lower.strip_prefix("c-"))
    {
        let mut cs = rest.chars();
        return match (cs.next(), cs.next()) {
            (Some(c), None) if c.is_ascii_alphanumeric() => Ok(Key {
                code: KeyCode::Char(c),
                ctrl: true,
            }),
            _ => Err(bad()),
        };
    }
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        f if f.starts_with('f') => match f[1..].parse::<u8>() {
            Ok(n @ 1..=12) => KeyCode::F(n),
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    Ok(Key { code, ctrl: false })
}

/// The default table with `remaps` applied. Fails, with the remapped action at fault, when a
/// new key is already bound to another action in the same situation (the first binding would
/// win and the remap would silently do nothing). The new keys live as long as the process
/// (this runs once or twice per run, at start).
pub fn remapped(remaps: &[(Action, Vec<Key>)]) -> Result<Vec<Binding>, (Action, String)> {
    let mut table: Vec<Binding> = BINDINGS.to_vec();
    for (action, keys) in remaps {
        let ctx = remapped_context(*action)
            .ok_or_else(|| (*action, format!("{} cannot be remapped", action.name())))?;
        if keys.is_empty() {
            return Err((*action, "needs at least one key".into()));
        }
        if let Some(why) = keys.iter().find_map(|k| unusable(k, ctx)) {
            return Err((*action, why));
        }
        let keys: &'static [Key] = Box::leak(keys.clone().into_boxed_slice());
        for b in table
            .iter_mut()
            .filter(|b| b.action == *action && b.context == ctx)
        {
            b.keys = keys;
        }
    }
    if let Some((a, b, key)) = conflict(&table) {
        let (mine, other) = if remaps.iter().any(|(r, _)| *r == b) {
            (b, a)
        } else {
            (a, b)
        };
        return Err((
            mine,
            format!(
                "{} is already bound to {}",
                super::key_label(&key),
                other.name()
            ),
        ));
    }
    Ok(table)
}

/// Why `key` cannot serve an action bound in `ctx`, if it cannot: a plain character where
/// printable keys type (the search bar, the prompts: the character could never be typed
/// again), or a control key terminals send as another key (`ctrl-m` arrives as Enter,
/// `ctrl-i` as Tab), which would never reach the action.
fn unusable(key: &Key, ctx: Context) -> Option<String> {
    let typed = matches!(ctx, Context::Edit | Context::Global);
    match key.code {
        KeyCode::Char(c) if key.ctrl && matches!(c.to_ascii_lowercase(), 'm' | 'i') => {
            Some(format!(
                "{} never arrives: terminals send it as {}",
                super::key_label(key),
                if c.eq_ignore_ascii_case(&'m') {
                    "Enter"
                } else {
                    "Tab"
                }
            ))
        }
        KeyCode::Char(c) if !key.ctrl && typed => Some(format!(
            "{c:?} would no longer type into the search bar: use ctrl-<letter> or a named key"
        )),
        _ => None,
    }
}

/// Two different actions that one key triggers in the same situation, if any. An overlay's or
/// prompt's own keys deliberately shadow the others while it is open, so only keys within one
/// of those contexts can clash there.
fn conflict(table: &[Binding]) -> Option<(Action, Action, Key)> {
    let own = |c: Context| matches!(c, Context::Overlay | Context::Prompt | Context::Stats);
    for mode in [
        Mode::Browsing,
        Mode::Searching,
        Mode::Prompting,
        Mode::Overlaid,
        Mode::InStats,
    ] {
        let active: Vec<&Binding> = table
            .iter()
            .filter(|b| mode.contexts().contains(&b.context))
            .collect();
        for (i, a) in active.iter().enumerate() {
            for b in &active[i + 1..] {
                if a.action == b.action || own(a.context) != own(b.context) {
                    continue;
                }
                if own(a.context) && a.context != b.context {
                    continue;
                }
                if let Some(k) = a.keys.iter().find(|k| b.keys.iter().any(|l| same(k, l))) {
                    return Some((a.action, b.action, *k));
                }
            }
        }
    }
    None
}

fn same(a: &Key, b: &Key) -> bool {
    a.ctrl == b.ctrl
        && match (a.code, b.code) {
            (KeyCode::Char(x), KeyCode::Char(y)) if a.ctrl => x.eq_ignore_ascii_case(&y),
            (x, y) => x == y,
        }
}

static ACTIVE: OnceLock<Vec<Binding>> = OnceLock::new();

/// Use `remaps` for the rest of the process (the viewer runs once per process). Fails as
/// [`remapped`] does, or when a table is already installed.
pub fn install(remaps: &[(Action, Vec<Key>)]) -> Result<(), String> {
    let table = remapped(remaps).map_err(|(a, e)| format!("keys.{}: {e}", a.name()))?;
    ACTIVE
        .set(table)
        .map_err(|_| "the key table is already set".to_string())
}

/// The table in force: the default one unless [`install`] replaced it.
pub fn bindings() -> &'static [Binding] {
    ACTIVE.get().map_or(BINDINGS, Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyEvent, KeyModifiers};

    fn key(s: &str) -> Key {
        parse_key(s).unwrap()
    }

    fn action_in(table: &[Binding], searching: bool, ev: &KeyEvent) -> Option<Action> {
        let mode = if searching {
            Mode::Searching
        } else {
            Mode::Browsing
        };
        super::super::action_in(table, mode, ev)
    }

    #[test]
    fn names_round_trip_and_every_browsing_action_has_one() {
        let all = Action::remappable();
        assert!(all.contains(&Action::Quit) && all.contains(&Action::Redraw));
        assert!(!all.contains(&Action::Accept), "search-only actions stay");
        for a in all {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(Action::from_name("launch_missiles"), None);
    }

    #[test]
    fn keys_parse_as_written() {
        assert_eq!(key("x").code, KeyCode::Char('x'));
        assert_eq!(key("X").code, KeyCode::Char('X'));
        assert!(key("ctrl-f").ctrl && key("Ctrl-F").code == KeyCode::Char('f'));
        assert_eq!(key("pgdn").code, KeyCode::PageDown);
        assert_eq!(key("shift-tab").code, KeyCode::BackTab);
        assert_eq!(key("f5").code, KeyCode::F(5));
        assert_eq!(key("space").code, KeyCode::Char(' '));
        for bad in ["", "ctrl-", "ctrl-ff", "f13", "hyper-x", "\u{1b}"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_default_table_has_no_conflicts() {
        assert!(conflict(BINDINGS).is_none());
        assert!(remapped(&[]).is_ok());
    }

    #[test]
    fn a_remap_replaces_the_browsing_keys_and_keeps_ctrl_c() {
        let table = remapped(&[(Action::Quit, vec![key("x")])]).unwrap();
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        let cc = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_in(&table, false, &x), Some(Action::Quit));
        assert_eq!(action_in(&table, false, &q), None, "q no longer quits");
        assert_eq!(action_in(&table, true, &x), None, "x still types");
        assert_eq!(action_in(&table, false, &cc), Some(Action::Quit));
    }

    #[test]
    fn a_key_already_taken_is_refused_naming_both_actions() {
        let (a, e) = remapped(&[(Action::Search, vec![key("j")])]).unwrap_err();
        assert_eq!(a, Action::Search);
        assert!(e.contains("down"), "{e}");
        // Swapping two actions' keys is fine: the old bindings are gone.
        remapped(&[(Action::Down, vec![key("k")]), (Action::Up, vec![key("j")])]).unwrap();
        let (a, e) = remapped(&[(Action::Up, vec![key("ctrl-c")])]).unwrap_err();
        assert_eq!(a, Action::Up);
        assert!(e.contains("quit"), "{e}");
    }

    #[test]
    fn keys_that_shadow_typing_or_never_arrive_are_refused() {
        let (a, e) = remapped(&[(Action::DeleteBack, vec![key("a")])]).unwrap_err();
        assert_eq!(a, Action::DeleteBack);
        assert!(e.contains("type"), "{e}");
        assert!(remapped(&[(Action::DeleteBack, vec![key("space")])]).is_err());
        for never in ["ctrl-m", "ctrl-i", "Ctrl-M"] {
            let (_, e) = remapped(&[(Action::Up, vec![key(never)])]).unwrap_err();
            assert!(e.contains("never arrives"), "{never}: {e}");
        }
        // Browsing keys are plain characters by design, and named keys edit lines fine.
        assert!(remapped(&[(Action::Up, vec![key("k"), key("up")])]).is_ok());
        assert!(remapped(&[(Action::DeleteBack, vec![key("ctrl-b")])]).is_ok());
    }

    #[test]
    fn line_editing_and_overlay_keys_can_be_remapped_too() {
        let table = remapped(&[
            (Action::DeleteWord, vec![key("ctrl-h")]),
            (Action::Close, vec![key("x")]),
        ])
        .unwrap();
        let ctrl_h = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::CONTROL);
        let ctrl_w = KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(action_in(&table, true, &ctrl_h), Some(Action::DeleteWord));
        assert_eq!(action_in(&table, true, &ctrl_w), None);
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        let overlaid = |ev| super::super::action_in(&table, Mode::Overlaid, ev);
        assert_eq!(overlaid(&x), Some(Action::Close));
        assert_eq!(
            overlaid(&q),
            Some(Action::Quit),
            "q is the browsing quit again"
        );
        let (a, _) = remapped(&[(Action::LineStart, vec![key("ctrl-w")])]).unwrap_err();
        assert_eq!(a, Action::LineStart, "ctrl-w already deletes a word");
    }
}
