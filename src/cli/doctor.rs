//! `chatspool doctor [SPOOL]`: one line per check, OK / WARN / FAIL, each saying what to do.
//! Exit 1 when a check fails. It reads the spool like any command (and so may refresh the
//! index cache), and never writes anything else.

mod system;

use super::Outcome;
use crate::config::{Config, ConfigError};
use crate::sanitize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spool to check (as for the other commands; the config file's `spool` otherwise).
    #[arg(env = "CHATSPOOL_SPOOL")]
    pub spool: Option<PathBuf>,
    /// JSON instead of text: `{"checks": [{"check", "status", "message"}], "failed": bool}`.
    #[arg(long)]
    pub json: bool,
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Check {
    pub status: Status,
    pub name: &'static str,
    pub message: String,
}

fn check(status: Status, name: &'static str, message: impl Into<String>) -> Check {
    Check {
        status,
        name,
        message: message.into(),
    }
}

/// A path for a message, with anything hostile made visible.
fn shown(p: &Path) -> String {
    sanitize::line(&p.display().to_string()).into_owned()
}

pub fn run(args: &Args, config: &Result<Config, ConfigError>) -> Outcome {
    let mut checks = vec![config_check(config)];
    match &args.spool {
        Some(spool) => checks.extend(spool_checks(spool)),
        None => checks.push(check(
            Status::Warn,
            "spool",
            "none given: run `chatspool doctor SPOOL` (or set CHATSPOOL_SPOOL, or `spool` in the config file) to check one",
        )),
    }
    checks.extend(system::terminal());
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let report = serde_json::json!({
            "checks": checks.iter().map(|c| serde_json::json!({
                "check": c.name,
                "status": c.status.word().to_ascii_lowercase(),
                "message": c.message,
            })).collect::<Vec<_>>(),
            "failed": failed,
        });
        writeln!(out, "{report}")
    } else {
        checks.iter().try_for_each(|c| {
            writeln!(out, "{:<4}  {:<10}  {}", c.status.word(), c.name, c.message)
        })
    };
    super::ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(u8::from(failed))
}

impl Status {
    /// How the report writes it: `OK`, `WARN`, `FAIL` (lower case in JSON).
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

fn config_check(config: &Result<Config, ConfigError>) -> Check {
    let Some(path) = crate::config::path() else {
        return check(
            Status::Warn,
            "config",
            "no config directory (HOME is not set): defaults apply",
        );
    };
    match config {
        Err(e) => check(
            Status::Fail,
            "config",
            format!("{e}: fix that line (`chatspool config --print-default` shows every key)"),
        ),
        Ok(_) if !path.exists() => check(
            Status::Ok,
            "config",
            format!("{} does not exist: defaults apply (`chatspool config --print-default` writes a start)", shown(&path)),
        ),
        Ok(c) => {
            let mut set = Vec::new();
            for (key, on) in [
                ("spool", c.spool.is_some()),
                ("sort", c.sort.is_some()),
                ("theme", c.theme.is_some()),
                ("tz", c.tz.is_some()),
                ("columns", c.columns.is_some()),
                ("keys", !c.keys.is_empty()),
                ("redact", !c.redact.is_empty()),
            ] {
                if on {
                    set.push(key);
                }
            }
            let what = if set.is_empty() {
                "sets nothing".to_string()
            } else {
                format!("sets {}", set.join(", "))
            };
            check(Status::Ok, "config", format!("{}: valid, {what}", shown(&path)))
        }
    }
}

/// The spool, its filesystem and watch mode, inotify limits, and its cache.
fn spool_checks(spool: &Path) -> Vec<Check> {
    let root = match crate::spool::open(spool) {
        Ok(r) => r,
        Err(e) => return vec![check(Status::Fail, "spool", e.to_string())],
    };
    // The cache is looked at before the load, which may rewrite it.
    let cache = crate::spool::cache::inspect(&root);
    let (store, _) = crate::spool::cache::load(&root, crate::spool::Reading::default(), &|_, _| {});
    let mut out = vec![spool_counts(&root, &store)];
    let dirs = system::count_dirs(&root);
    let (fs, polls) = system::filesystem(&root);
    out.push(fs);
    out.push(system::inotify(dirs, polls));
    out.push(cache_check(&cache, &root));
    out
}

fn spool_counts(root: &Path, store: &crate::spool::Store) -> Check {
    let (mut json, mut lines, mut gz) = (0, 0, 0);
    for (rel, _) in store.files() {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if let Some(k) = crate::spool::read::kind_of(name) {
            if k.gzip {
                gz += 1;
            } else if k.lines {
                lines += 1;
            } else {
                json += 1;
            }
        }
    }
    let chats = store.len();
    let problems = store.problems().len();
    let summary = format!(
        "{}: {chats} chat{} in {} file{} ({json} JSON, {lines} JSON Lines, {gz} gzip); {} duplicate{}, {} skipped event file{}, {problems} problem{}",
        shown(root),
        plural(chats),
        store.file_count(),
        plural(store.file_count()),
        store.duplicates(),
        plural(store.duplicates()),
        store.skipped().len(),
        plural(store.skipped().len()),
        plural(problems),
    );
    if problems > 0 {
        check(
            Status::Warn,
            "spool",
            format!("{summary}: `chatspool check {}` lists them", shown(root)),
        )
    } else if chats == 0 {
        check(
            Status::Warn,
            "spool",
            format!(
                "{summary}: no chats yet; is this the directory the webhook receiver writes to?"
            ),
        )
    } else {
        check(Status::Ok, "spool", summary)
    }
}

fn cache_check(cache: &crate::spool::cache::CacheInfo, root: &Path) -> Check {
    let Some(path) = &cache.path else {
        return check(
            Status::Warn,
            "cache",
            "no cache directory outside the spool (set XDG_CACHE_HOME): every start parses every file",
        );
    };
    match (cache.size, cache.age) {
        (Some(size), age) => {
            let age = age.map_or_else(|| "age unknown".into(), |a| format!("{} old", crate::format::duration(i64::try_from(a.as_secs()).unwrap_or(i64::MAX))));
            let size = system::human_bytes(size);
            if cache.valid {
                check(Status::Ok, "cache", format!("{}: {size}, {age}, valid", shown(path)))
            } else {
                check(
                    Status::Warn,
                    "cache",
                    format!("{}: {size}, {age}, not usable (another build or damaged): the next load rebuilds it", shown(path)),
                )
            }
        }
        (None, _) => check(
            Status::Ok,
            "cache",
            format!(
                "none yet at {} (spools under {} files are not cached; others get one on first load of {})",
                shown(path),
                crate::spool::cache::MIN_FILES,
                shown(root)
            ),
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
