//! The config file, `$XDG_CONFIG_HOME/chatspool/config.toml` (usually
//! `~/.config/chatspool/config.toml`): defaults for what the flags set, the viewer's keys, and
//! redaction patterns. Flags (and `CHATSPOOL_SPOOL`) override it.
//!
//! The file is optional. When present, every key is checked: an unknown key or a bad value is an
//! error naming the key and its line (exit 2), never silently ignored, so a typo cannot turn a
//! setting off unnoticed.

mod raw;

use crate::model::zone::Zone;
use crate::query::SortKey;
use crate::tui::keymap::{Action, Key};
use crate::tui::theme::ThemeName;
use crate::view::columns::Column;
use std::path::{Path, PathBuf};

/// What the config file says; every field is `None` (or empty) when the file does not set it.
#[derive(Debug, Default)]
pub struct Config {
    /// The spool to open when none is given (after `CHATSPOOL_SPOOL`).
    pub spool: Option<PathBuf>,
    /// Who review records (tags, notes, reviewed marks) name, instead of `$USER`.
    pub author: Option<String>,
    /// The order of the list and the viewer when `--sort` is not given.
    pub sort: Option<SortKey>,
    /// The viewer's colours when `--theme` is not given.
    pub theme: Option<ThemeName>,
    /// The zone to show times in when `--tz` is not given (UTC when unset); JSON stays in UTC.
    pub tz: Option<Zone>,
    /// Which list columns to show, in this order.
    pub columns: Option<Vec<Column>>,
    /// The viewer's actions given other keys (`[keys]`), in file order.
    pub keys: Vec<(Action, Vec<Key>)>,
    /// Patterns of text to hide in exports, compiled.
    pub redact: Vec<regex::Regex>,
    /// Service levels (`[sla]`); `None` when none is set.
    pub sla: Option<std::sync::Arc<crate::model::sla::Sla>>,
    /// Saved views (`[views.NAME]`), in file order.
    pub views: Vec<crate::views::View>,
}

/// A config file that cannot be used: where and why, as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Where the config file is read from: `$XDG_CONFIG_HOME/chatspool/config.toml` when that
/// variable holds an absolute path, else the platform's config directory.
pub fn path() -> Option<PathBuf> {
    crate::dirs::own(crate::dirs::Dir::Config).map(|d| d.join("config.toml"))
}

impl Config {
    /// Read the config file at [`path`]; the defaults when there is none.
    pub fn load() -> Result<Config, ConfigError> {
        match path() {
            Some(p) => Config::load_from(&p),
            None => Ok(Config::default()),
        }
    }

    /// Read the config file at `path`; the defaults when it does not exist.
    pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
        let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| ConfigError {
                path: shown.clone(),
                line: None,
                message: "not UTF-8 text".into(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError {
                    path: shown,
                    line: None,
                    message: format!("cannot read it: {e}"),
                })
            }
        };
        Config::parse(&text).map_err(|(line, message)| ConfigError {
            path: shown,
            line,
            message,
        })
    }

    /// Read config text; an error is the 1-based line (when known) and a message naming the key.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
        raw::parse(text)
    }
}

/// The config file `config --print-default` prints: every key, commented out, with its default
/// and what it accepts. Loading it gives the defaults (a test checks that).
pub fn default_text() -> String {
    let actions: Vec<&str> = Action::remappable().into_iter().map(Action::name).collect();
    format!(
        r##"# chatspool configuration: {path}
# Every key is optional; command-line flags (and CHATSPOOL_SPOOL) override these.
# An unknown key or a bad value is an error naming the key and its line.

# The spool to open when none is given on the command line.
# spool = "/var/spool/comm100"

# The name tags, notes and reviewed marks are recorded under (default: $USER).
# author = "Ann Lee"

# Order of the list: newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score.
# sort = "newest"

# Viewer colours: dark, light or plain (NO_COLOR also turns colours off).
# theme = "dark"

# Time zone to show times in: utc, local, visitor, an IANA name such as
# "Europe/Berlin", or an offset such as "+05:30". JSON output stays in UTC.
# tz = "utc"

# Which list columns to show, in this order. Names: {columns}.
# The viewer keeps its time and visitor columns, and drops others on narrow terminals.
# columns = [{default_columns}]

# Regular expressions (Rust regex syntax) of text to hide when chats are exported.
# redact = ['\b\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}\b', '[\w.+-]+@[\w-]+\.[\w.]+']

# Saved views: a named query, order (sort) and zone (tz), each optional, for --view NAME
# and the viewer's v; also written as a [views.NAME] table. A team can share views in
# views.toml in the review directory (same tables); a view here wins over the team's.
# views.coaching = {{ query = "rating:<=2 reviewed:no", sort = "rating", tz = "local" }}

# Give the viewer's actions other keys. A key is a character, ctrl-<letter>, or one of
# enter, esc, tab, shift-tab, space, backspace, up, down, left, right, pgup, pgdn, home,
# end, f1-f12. New keys replace the action's keys while browsing; Ctrl-C always quits.
# Actions: {actions}.
[keys]
# quit = "q"
# down = ["j", "down"]

# Service levels: the longest first response and reply to a visitor (durations such as
# "1m", "90s", "1h30m"), counted inside business hours in a zone when `hours` is set.
# Chats are then measured (sla, sla_breaches; the query sla:breached; stats sla_rate).
# [sla]
# first_response = "1m"
# reply = "2m"
# hours = "Mon-Fri 09:00-18:00"
# tz = "Europe/Berlin"
"##,
        path = path().map_or_else(
            || "(no config directory)".into(),
            |p| crate::sanitize::line(&p.display().to_string()).into_owned()
        ),
        columns = Column::names(),
        default_columns = Column::DEFAULT
            .map(|c| format!("\"{}\"", c.name()))
            .join(", "),
        actions = actions.join(", "),
    )
}

#[cfg(test)]
mod tests;
