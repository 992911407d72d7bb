//! The config file as TOML: read with `deny_unknown_fields` and spans, then every value checked
//! and turned into its [`Config`] type. Errors carry the line of the offending key or value.

use super::Config;
use crate::model::sla::{BusinessHours, Sla};
use crate::model::time::parse_wait;
use crate::model::MAX_PLAUSIBLE_SECS;
use crate::spans::{key_on_line, line_of, table_above};
use crate::tui::keymap::{parse_key, Action};
use crate::tui::theme::ThemeName;
use crate::view::columns::Column;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;

/// The file's keys exactly as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    spool: Option<Spanned<PathBuf>>,
    author: Option<Spanned<String>>,
    sort: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<Spanned<String>>>>,
    keys: Option<BTreeMap<Spanned<String>, Spanned<OneOrMany>>>,
    redact: Option<Spanned<Vec<Spanned<String>>>>,
    sla: Option<Spanned<RawSla>>,
    views: Option<crate::views::RawViews>,
}

/// The `[sla]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSla {
    first_response: Option<Spanned<String>>,
    reply: Option<Spanned<String>>,
    hours: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
}

/// A key binding written as one key or a list of keys.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "a key name or a list of key names")]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

type Failed = (Option<usize>, String);

/// The dotted key being defined on the line at `at` (`keys.quit`, `sort`): the key before its
/// `=` under the nearest `[table]` header above, for errors about a value.
fn key_at(text: &str, at: usize) -> Option<String> {
    let key = key_on_line(text, at)?;
    Some(match table_above(text, at) {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
}

/// An error at a span, naming `key`.
fn at(text: &str, span: Range<usize>, key: &str, message: impl std::fmt::Display) -> Failed {
    (Some(line_of(text, span.start)), format!("{key}: {message}"))
}

/// Parse and check config text.
pub(super) fn parse(text: &str) -> Result<Config, Failed> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        let message = e.message().trim().to_string();
        // serde names unknown keys itself; for a bad value, name the key it belongs to.
        let named = message.contains("unknown field");
        match e.span().and_then(|s| key_at(text, s.start)) {
            Some(key) if !named => (line, format!("{key}: {message}")),
            _ => (line, message),
        }
    })?;
    let mut config = Config::default();
    if let Some(s) = raw.spool {
        if s.get_ref().as_os_str().is_empty() {
            return Err(at(text, s.span(), "spool", "is empty"));
        }
        config.spool = Some(s.into_inner());
    }
    if let Some(a) = raw.author {
        if a.get_ref().trim().is_empty() || a.get_ref().chars().any(char::is_control) {
            return Err(at(
                text,
                a.span(),
                "author",
                "is empty or has control characters",
            ));
        }
        config.author = Some(a.get_ref().trim().to_string());
    }
    if let Some(s) = raw.sort {
        let key = s
            .get_ref()
            .parse()
            .map_err(|e| at(text, s.span(), "sort", e))?;
        config.sort = Some(key);
    }
    if let Some(s) = raw.theme {
        let name = <ThemeName as clap::ValueEnum>::from_str(s.get_ref(), true).map_err(|_| {
            at(
                text,
                s.span(),
                "theme",
                format!("unknown theme {:?}: use dark, light or plain", s.get_ref()),
            )
        })?;
        config.theme = Some(name);
    }
    if let Some(s) = raw.tz {
        config.tz = Some(
            s.get_ref()
                .parse()
                .map_err(|e| at(text, s.span(), "tz", e))?,
        );
    }
    if let Some(list) = raw.columns {
        if list.get_ref().is_empty() {
            return Err(at(text, list.span(), "columns", "lists no column"));
        }
        let mut columns = Vec::new();
        for c in list.into_inner() {
            let col = Column::from_name(c.get_ref()).ok_or_else(|| {
                at(
                    text,
                    c.span(),
                    "columns",
                    format!("unknown column {:?}: use {}", c.get_ref(), Column::names()),
                )
            })?;
            if columns.contains(&col) {
                return Err(at(
                    text,
                    c.span(),
                    "columns",
                    format!("{:?} is listed twice", c.get_ref()),
                ));
            }
            columns.push(col);
        }
        config.columns = Some(columns);
    }
    config.keys = keys(text, raw.keys.unwrap_or_default())?;
    if let Some(list) = raw.redact {
        for p in list.into_inner() {
            let re = regex::Regex::new(p.get_ref()).map_err(|e| {
                // The regex crate's message spans lines; the first says what is wrong.
                let why = e.to_string();
                let why = why
                    .lines()
                    .last()
                    .unwrap_or("invalid pattern")
                    .trim()
                    .to_string();
                at(
                    text,
                    p.span(),
                    "redact",
                    format!("bad pattern {:?}: {why}", p.get_ref()),
                )
            })?;
            config.redact.push(re);
        }
    }
    if let Some(table) = raw.sla {
        config.sla = sla(text, table)?.map(std::sync::Arc::new);
    }
    if let Some(table) = raw.views {
        config.views = crate::views::from_table(text, table)?;
    }
    Ok(config)
}

/// A service level (`sla.first_response`, `sla.reply`): a duration such as `90s`, `2m`, `1h30m`.
fn level(text: &str, value: Option<Spanned<String>>, key: &str) -> Result<Option<u32>, Failed> {
    let Some(v) = value else {
        return Ok(None);
    };
    let secs = parse_wait(v.get_ref()).ok_or_else(|| {
        at(
            text,
            v.span(),
            key,
            format!(
                "bad duration {:?}: use a duration like 90s, 2m or 1h30m",
                v.get_ref()
            ),
        )
    })?;
    let secs = u32::try_from(secs)
        .ok()
        .filter(|s| i64::from(*s) <= MAX_PLAUSIBLE_SECS)
        .ok_or_else(|| at(text, v.span(), key, "is longer than a year"))?;
    Ok(Some(secs))
}

/// The `[sla]` table: levels, and business hours in their zone. An empty table sets nothing;
/// hours or a zone without a level, or hours without a zone, are errors (they would do nothing
/// or count in a zone nobody chose).
fn sla(text: &str, table: Spanned<RawSla>) -> Result<Option<Sla>, Failed> {
    let span = table.span();
    let raw = table.into_inner();
    let first_response = level(text, raw.first_response, "sla.first_response")?;
    let reply = level(text, raw.reply, "sla.reply")?;
    let tz = match raw.tz {
        None => None,
        Some(z) => Some(z.get_ref().trim().parse::<chrono_tz::Tz>().map_err(|_| {
            at(
                text,
                z.span(),
                "sla.tz",
                format!(
                    "unknown time zone {:?}: use an IANA name such as Europe/Berlin",
                    z.get_ref()
                ),
            )
        })?)
        .map(|tz| (tz, z.span())),
    };
    let hours = match (raw.hours, tz) {
        (None, None) => None,
        (None, Some((_, span))) => {
            return Err(at(
                text,
                span,
                "sla.tz",
                "is the zone of hours, but no hours are set",
            ))
        }
        (Some(h), None) => {
            return Err(at(
                text,
                h.span(),
                "sla.hours",
                "needs tz, the zone the hours are in (such as tz = \"Europe/Berlin\")",
            ))
        }
        (Some(h), Some((tz, _))) => Some(
            BusinessHours::parse(h.get_ref(), tz)
                .map_err(|e| at(text, h.span(), "sla.hours", e))?,
        ),
    };
    if first_response.is_none() && reply.is_none() {
        return match hours {
            None => Ok(None),
            Some(_) => Err(at(
                text,
                span,
                "sla",
                "has hours but no level: set first_response or reply",
            )),
        };
    }
    Ok(Some(Sla {
        first_response,
        reply,
        hours,
    }))
}

/// The `[keys]` table: action names checked against the viewer's, keys parsed, and the whole
/// table checked for keys given to two actions.
fn keys(
    text: &str,
    table: BTreeMap<Spanned<String>, Spanned<OneOrMany>>,
) -> Result<Vec<(Action, Vec<crate::tui::keymap::Key>)>, Failed> {
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let mut out = Vec::new();
    for (name, value) in entries {
        let key = format!("keys.{}", name.get_ref());
        let action = Action::from_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = Action::remappable().into_iter().map(Action::name).collect();
            at(
                text,
                name.span(),
                &key,
                format!("unknown action: use one of {}", names.join(", ")),
            )
        })?;
        let span = value.span();
        let written = match value.into_inner() {
            OneOrMany::One(k) => vec![k],
            OneOrMany::Many(ks) => ks,
        };
        let parsed = written
            .iter()
            .map(|k| parse_key(k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| at(text, span.clone(), &key, e))?;
        if parsed.is_empty() {
            return Err(at(text, span, &key, "lists no key"));
        }
        out.push((action, parsed, name.span()));
    }
    let remaps: Vec<_> = out.into_iter().map(|(a, k, s)| ((a, k), s)).collect();
    let (remaps, spans): (Vec<_>, Vec<_>) = remaps.into_iter().unzip();
    if let Err((action, e)) = crate::tui::keymap::remapped(&remaps) {
        let i = remaps.iter().position(|(a, _)| *a == action).unwrap_or(0);
        let span = spans.get(i).cloned().unwrap_or(0..0);
        return Err(at(text, span, &format!("keys.{}", action.name()), e));
    }
    Ok(remaps)
}
