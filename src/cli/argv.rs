//! The command line as typed, made ready for the parser, and the parser's errors as one line.
//!
//! The viewer (`chatspool [OPTIONS] SPOOL`) and the subcommands share one top level, so the
//! parser treats an option before a subcommand as the viewer's and refuses the subcommand
//! (`chatspool --log FILE check SPOOL`). As with git and cargo, options before the subcommand
//! are moved after its name here, once, for every option the definitions know: nothing is
//! listed by hand, so an option added to a subcommand works in both places. Errors follow the
//! project's convention (one `chatspool: …` line naming what is valid, exit 2) instead of the
//! parser's usage blocks.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// How far a mistyped subcommand may be from a real one to be suggested.
const SUGGEST_WITHIN: usize = 2;

/// `args` (program name first) with the options that stand before a subcommand moved after
/// its name, or a one-line error for a first word that is neither a subcommand nor a spool
/// but looks like a mistyped subcommand.
pub fn arrange(args: Vec<OsString>, cmd: &clap::Command) -> Result<Vec<OsString>, String> {
    let mut at = 1;
    while at < args.len() {
        let Some(word) = args[at].to_str() else {
            return Ok(args);
        };
        if word == "--" {
            return Ok(args);
        }
        if word.starts_with('-') && word.len() > 1 {
            match option_span(word, cmd) {
                Some(span) => at += span,
                // Not an option of the top level: the parser says so.
                None => return Ok(args),
            }
            continue;
        }
        if cmd.find_subcommand(word).is_some() {
            break;
        }
        if let Some(near) = mistyped(word, cmd) {
            return Err(format!("no command '{word}' (did you mean '{near}'?)"));
        }
        // The viewer's spool.
        return Ok(args);
    }
    if at >= args.len() || at == 1 {
        return Ok(args);
    }
    let mut out = Vec::with_capacity(args.len());
    out.push(args[0].clone());
    out.push(args[at].clone());
    out.extend(args[1..at].iter().cloned());
    out.extend(args[at + 1..].iter().cloned());
    Ok(out)
}

/// How many words the top-level option `word` spans (itself and a separate value), `None`
/// when the top level has no such option.
fn option_span(word: &str, cmd: &clap::Command) -> Option<usize> {
    let (arg, attached) = if let Some(long) = word.strip_prefix("--") {
        let (name, value) = long
            .split_once('=')
            .map_or((long, false), |(n, _)| (n, true));
        let arg = cmd.get_arguments().find(|a| {
            a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
        })?;
        (arg, value)
    } else {
        let short = word.chars().nth(1)?;
        let arg = cmd.get_arguments().find(|a| a.get_short() == Some(short))?;
        (arg, word.chars().count() > 2)
    };
    let takes = arg.get_action().takes_values();
    // An optional value (`--poll[=SECS]`) is only ever attached with `=`.
    let optional =
        arg.is_require_equals_set() || arg.get_num_args().is_some_and(|r| r.min_values() == 0);
    Some(if takes && !attached && !optional {
        2
    } else {
        1
    })
}

/// The subcommand `word` most likely meant, when it is close to one and names no path.
fn mistyped(word: &str, cmd: &clap::Command) -> Option<String> {
    if std::path::Path::new(word).exists() || word.contains(['/', '\\', '.', ':']) {
        return None;
    }
    cmd.get_subcommands()
        .map(|s| s.get_name())
        .map(|name| (strsim::levenshtein(word, name), name))
        .filter(|(d, name)| *d <= SUGGEST_WITHIN && *d < name.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name.to_string())
}

/// A parser error as one line (without `error:`, usage or "For more information"), naming
/// the valid values where the parser knows them.
pub fn one_line(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let option = text(ContextKind::InvalidArg)
        .map(|a| a.split_whitespace().next().unwrap_or_default().to_string());
    let value = text(ContextKind::InvalidValue);
    let line = match e.kind() {
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(ToString::to_string);
            match (option, why) {
                (Some(o), Some(why)) => format!("{o}: {why}"),
                _ => first_line(e),
            }
        }
        ErrorKind::InvalidValue => match (option, value) {
            (Some(o), Some(v)) => {
                let valid = text(ContextKind::ValidValue)
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default();
                if v.is_empty() {
                    format!("{o} needs a value{valid}")
                } else {
                    format!("{o}: unknown value '{v}'{valid}")
                }
            }
            _ => first_line(e),
        },
        ErrorKind::UnknownArgument => match option {
            Some(o) => {
                let hint = text(ContextKind::SuggestedArg)
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_else(|| " (see --help)".into());
                format!("unknown option '{o}'{hint}")
            }
            None => first_line(e),
        },
        ErrorKind::InvalidSubcommand => match text(ContextKind::InvalidSubcommand) {
            Some(word) => {
                let hint = text(ContextKind::SuggestedSubcommand)
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                format!("no command '{word}'{hint}")
            }
            None => first_line(e),
        },
        ErrorKind::MissingRequiredArgument => match text(ContextKind::InvalidArg) {
            Some(missing) => format!("missing {missing} (see --help)"),
            None => first_line(e),
        },
        _ => first_line(e),
    };
    crate::sanitize::line(&line).into_owned()
}

/// The first line of the parser's own message, without its `error: ` prefix.
fn first_line(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let line = rendered.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    fn arranged(line: &str) -> Result<String, String> {
        let args: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        let out = arrange(args, &super::super::Cli::command())?;
        Ok(out
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "))
    }

    #[test]
    fn options_before_the_subcommand_move_after_its_name() {
        assert_eq!(
            arranged("cs --log /tmp/f check s").unwrap(),
            "cs check --log /tmp/f s"
        );
        assert_eq!(
            arranged("cs --tz -08:00 --no-cache list s --json").unwrap(),
            "cs list --tz -08:00 --no-cache s --json"
        );
        assert_eq!(
            arranged("cs --log=/tmp/f -s wait list s").unwrap(),
            "cs list --log=/tmp/f -s wait s"
        );
        // An option whose value is optional takes no word after it.
        assert_eq!(arranged("cs --poll watch s").unwrap(), "cs watch --poll s");
        // The viewer's command lines stay as they are.
        for line in [
            "cs --tz utc s",
            "cs s",
            "cs --no-cache",
            "cs list s",
            "cs -- list",
        ] {
            assert_eq!(arranged(line).unwrap(), line);
        }
    }

    #[test]
    fn a_mistyped_subcommand_is_suggested_unless_it_names_a_path() {
        assert_eq!(
            arranged("cs lst s").unwrap_err(),
            "no command 'lst' (did you mean 'list'?)"
        );
        assert_eq!(
            arranged("cs --no-cache stast s").unwrap_err(),
            "no command 'stast' (did you mean 'stats'?)"
        );
        assert!(arranged("cs ./lst").is_ok());
        assert!(arranged("cs spool-of-mine").is_ok(), "far from any command");
    }

    #[test]
    fn parser_errors_are_one_line_naming_what_is_valid() {
        let err = |line: &str| {
            let args: Vec<&str> = line.split(' ').collect();
            one_line(&super::super::Cli::try_parse_from(args).unwrap_err())
        };
        assert_eq!(
            err("cs list s --sort fastest"),
            "--sort: unknown order 'fastest' (newest, oldest, wait, frt, duration, rating, visitor, agent, reply, score)"
        );
        assert_eq!(
            err("cs export s --format pdf"),
            "--format: unknown value 'pdf' (md, txt, csv, json, html, jsonl, parquet)"
        );
        let unknown = err("cs list s --frobnicate");
        assert!(
            unknown.starts_with("unknown option '--frobnicate'"),
            "{unknown}"
        );
        assert_eq!(err("cs show"), "missing <SPOOL> (see --help)");
        for line in [
            "cs list s --sort fastest",
            "cs export s --format pdf",
            "cs show",
        ] {
            assert!(!err(line).contains('\n'), "{line}");
        }
    }
}
