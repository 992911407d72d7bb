//! Saved views: named searches (a query, an order, a time zone), from the config file's
//! `[views]` and from a team's `views.toml` in the review directory.
//!
//! Both files use the same `[views.NAME]` tables, so a view moves between them by copying.
//! The config file is the user's own: a bad view there is an error naming key and line (exit 2),
//! like every config key. `views.toml` lies in a shared directory anyone with access may write
//! to, so it is read as journals are (never through a link, only a regular file, at most
//! [`MAX_LEN`]) and a damaged one is skipped with one warning, never an error.

use crate::model::zone::Zone;
use crate::query::SortKey;
use crate::spans::line_of;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The team file's name in the review directory.
pub const FILE: &str = "views.toml";

/// The most of `views.toml` that is read: a larger file is skipped.
pub const MAX_LEN: u64 = 256 << 10;

/// One saved view. Each part is optional: what it leaves out stays as the command line or the
/// config file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub query: Option<String>,
    pub sort: Option<SortKey>,
    pub zone: Option<Zone>,
}

/// A view table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawView {
    query: Option<Spanned<String>>,
    sort: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
}

/// The `[views]` table as written: view name to its table.
pub(crate) type RawViews = BTreeMap<Spanned<String>, Spanned<RawView>>;

/// `views.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    views: Option<RawViews>,
}

/// What went wrong, at which 1-based line (when known).
pub(crate) type Failed = (Option<usize>, String);

fn fail(
    text: &str,
    span: std::ops::Range<usize>,
    key: &str,
    why: impl std::fmt::Display,
) -> Failed {
    (Some(line_of(text, span.start)), format!("{key}: {why}"))
}

/// Check every view of a `[views]` table (in file order); the error names the key
/// (`views.NAME.query`) and its line.
pub(crate) fn from_table(text: &str, table: RawViews) -> Result<Vec<View>, Failed> {
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let mut out = Vec::new();
    for (name, raw) in entries {
        let key = format!("views.{}", name.get_ref());
        let n = name.get_ref();
        if n.chars().any(crate::sanitize::is_unsafe) || crate::review::is_blank(n) {
            return Err(fail(
                text,
                name.span(),
                "views",
                format!(
                    "bad view name {n:?}: it needs a visible character and no control characters"
                ),
            ));
        }
        let raw = raw.into_inner();
        let query = match raw.query {
            Some(q) => {
                if q.get_ref().chars().any(crate::sanitize::is_unsafe) {
                    return Err(fail(
                        text,
                        q.span(),
                        &format!("{key}.query"),
                        "has control characters",
                    ));
                }
                crate::query::Query::parse(q.get_ref(), chrono::Utc::now()).map_err(|e| {
                    fail(
                        text,
                        q.span(),
                        &format!("{key}.query"),
                        format!("bad query: {e}"),
                    )
                })?;
                Some(q.into_inner())
            }
            None => None,
        };
        let sort = match raw.sort {
            Some(s) => Some(
                s.get_ref()
                    .parse()
                    .map_err(|e| fail(text, s.span(), &format!("{key}.sort"), e))?,
            ),
            None => None,
        };
        let zone = match raw.tz {
            Some(z) => Some(
                z.get_ref()
                    .parse()
                    .map_err(|e| fail(text, z.span(), &format!("{key}.tz"), e))?,
            ),
            None => None,
        };
        out.push(View {
            name: name.into_inner(),
            query,
            sort,
            zone,
        });
    }
    Ok(out)
}

/// Read a team's `views.toml` text: its views, or what is wrong (line and key).
pub fn parse_file(text: &str) -> Result<Vec<View>, Failed> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        (line, e.message().trim().to_string())
    })?;
    from_table(text, raw.views.unwrap_or_default())
}

/// The team's views in `dir` (none when it has no `views.toml`), and a warning when the file
/// is there but cannot be used: then none of its views are, and nothing else is lost.
pub fn load_team(dir: &Path) -> (Vec<View>, Option<String>) {
    let path = dir.join(FILE);
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    let warn = |why: String| {
        (
            Vec::new(),
            Some(format!("{shown}: {why}; its views are skipped")),
        )
    };
    let bytes = match read_capped(&path, MAX_LEN) {
        Ok(None) => return (Vec::new(), None),
        Ok(Some(b)) => b,
        Err(why) => return warn(why),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return warn("not UTF-8 text".into());
    };
    match parse_file(&text) {
        Ok(views) => (views, None),
        Err((line, why)) => {
            let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
            warn(format!("{at}{}", crate::sanitize::line(&why)))
        }
    }
}

/// A small file's bytes: `None` when it does not exist; an error when it is a link, not a
/// regular file, or larger than `cap` (a FIFO or a device is opened without blocking, and
/// never read). For files others may have planted: `views.toml`, the search history.
pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, String> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err("is a symbolic link: not read".into())
        }
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file: not read".into());
    }
    let too_big = || format!("larger than {} KiB: not read", cap >> 10);
    if meta.len() > cap {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(Some(bytes))
}

/// The views a command can use: the user's own first, then the team's not named the same (the
/// user's own wins a clash).
pub fn combine(own: &[View], team: Vec<View>) -> Vec<View> {
    let mut all = own.to_vec();
    for v in team {
        if !all.iter().any(|o| o.name == v.name) {
            all.push(v);
        }
    }
    all
}

/// The view called `name`, or an error naming a close one (`did you mean`) or the known ones.
pub fn find<'v>(views: &'v [View], name: &str) -> Result<&'v View, String> {
    if let Some(v) = views.iter().find(|v| v.name == name) {
        return Ok(v);
    }
    let near = views
        .iter()
        .map(|v| (strsim::levenshtein(name, &v.name), v.name.as_str()))
        .filter(|(d, n)| *d <= 2 && *d < n.chars().count())
        .min_by_key(|(d, _)| *d);
    Err(match near {
        Some((_, n)) => format!("no view '{name}' (did you mean '{n}'?)"),
        None if views.is_empty() => format!(
            "no view '{name}': none is saved (config [views.NAME], or {FILE} in the review directory)"
        ),
        None => format!(
            "no view '{name}': the views are {}",
            views
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_views_file_parses_and_a_bad_one_names_line_and_key() {
        let views = parse_file(
            "[views.coaching]\nquery = \"rating:<=2\"\nsort = \"rating\"\ntz = \"+02:00\"\n\n[views.all]\n",
        )
        .unwrap();
        assert_eq!(views.len(), 2);
        assert_eq!(views[0].name, "coaching");
        assert_eq!(views[0].query.as_deref(), Some("rating:<=2"));
        assert_eq!(views[0].sort, Some(SortKey::Rating));
        assert!(views[0].zone.is_some());
        assert_eq!(views[1].query, None);
        let (line, why) =
            parse_file("[views.a]\nquery = \"ok\"\nsort = \"fastest\"\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(why.starts_with("views.a.sort:"), "{why}");
        let (line, why) = parse_file("[views.a]\nquery = \"rating:<<\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(why.starts_with("views.a.query: bad query"), "{why}");
        assert!(parse_file("[views.a]\nqeury = \"x\"\n").is_err());
        assert!(parse_file("[views.\"\\u001b[2J\"]\n").is_err());
        assert!(parse_file("[views.a]\nquery = \"\\u001b]0;x\"\n").is_err());
    }

    #[test]
    fn an_unknown_name_suggests_a_close_one() {
        let views = parse_file("[views.coaching]\n[views.weekly]\n").unwrap();
        assert_eq!(find(&views, "weekly").unwrap().name, "weekly");
        assert_eq!(
            find(&views, "coachng").unwrap_err(),
            "no view 'coachng' (did you mean 'coaching'?)"
        );
        assert!(find(&views, "zzz")
            .unwrap_err()
            .contains("coaching, weekly"));
        assert!(find(&[], "x").unwrap_err().contains("none is saved"));
    }

    #[test]
    fn own_views_win_over_the_teams_of_the_same_name() {
        let own = parse_file("[views.a]\nquery = \"mine\"\n").unwrap();
        let team = parse_file("[views.a]\nquery = \"theirs\"\n[views.b]\n").unwrap();
        let all = combine(&own, team);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].query.as_deref(), Some("mine"));
    }

    #[cfg(unix)]
    #[test]
    fn a_hostile_team_file_is_skipped_with_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_team(dir.path()),
            (Vec::new(), None),
            "no file, no warning"
        );
        let path = dir.path().join(FILE);
        std::fs::write(&path, "[views.a]\nsort = \"fastest\"\n").unwrap();
        let (views, warning) = load_team(dir.path());
        assert!(views.is_empty());
        assert!(warning.unwrap().contains("line 2: views.a.sort"));
        std::fs::write(&path, vec![b'#'; MAX_LEN as usize + 1]).unwrap();
        assert!(load_team(dir.path()).1.unwrap().contains("larger than"));
        std::fs::write(&path, b"\xff\xfe").unwrap();
        assert!(load_team(dir.path()).1.unwrap().contains("not UTF-8"));
        std::fs::remove_file(&path).unwrap();
        let target = dir.path().join("elsewhere.toml");
        std::fs::write(&target, "[views.a]\n").unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(load_team(dir.path()).1.unwrap().contains("symbolic link"));
        std::fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(load_team(dir.path())
                .1
                .unwrap()
                .contains("not a regular file"));
        }
    }
}
