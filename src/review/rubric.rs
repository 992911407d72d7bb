//! Rubrics: the TOML files a team scores chats against, `rubrics/NAME.toml` in the review
//! directory (shared like the journals) or any file named with `--rubric FILE`.
//!
//! A rubric loads whole or not at all: a bad one is one error naming the file, the line and the
//! key, so nobody scores against half a rubric.

use super::card::{check_id, Card, MAX_ITEMS};
use crate::model::score::Value;
use crate::spans::{key_on_line, line_of};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The largest rubric file read: a rubric is a page of text, not megabytes.
pub const MAX_LEN: u64 = 256 << 10;

/// The most points one criterion may give.
pub const MAX_POINTS: u32 = 1000;

/// One criterion of a rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub label: String,
    pub section: Option<String>,
    /// The most it gives (scored `0..=points`); 0 for an auto-fail criterion.
    pub points: u32,
    /// Scored pass/fail, carries no points; a fail makes the scorecard 0.
    pub auto_fail: bool,
}

/// A loaded rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rubric {
    /// What scorecards record: the file's stem.
    pub name: String,
    pub title: String,
    /// In file order: the order of the form and of printed scorecards.
    pub criteria: Vec<Criterion>,
}

/// A rubric that cannot be used: where and why, as one line (`FILE:LINE: key: message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rubric {path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct RubricError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<Spanned<String>>,
    #[serde(default)]
    criterion: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    label: Spanned<String>,
    section: Option<Spanned<String>>,
    points: Option<Spanned<i64>>,
    auto_fail: Option<Spanned<bool>>,
}

impl Rubric {
    /// Parse rubric text; `name` is what scorecards will record, `path` is for errors.
    pub fn parse(name: &str, path: &str, text: &str) -> Result<Rubric, RubricError> {
        let err = |line: Option<usize>, message: String| RubricError {
            path: crate::sanitize::line(path).into_owned(),
            line,
            message: crate::sanitize::line(&message).into_owned(),
        };
        let at = |span: std::ops::Range<usize>, key: &str, msg: &str| {
            err(Some(line_of(text, span.start)), format!("{key}: {msg}"))
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            // serde names unknown keys itself; for a bad value, name the key it belongs to.
            let key = e
                .span()
                .and_then(|s| key_on_line(text, s.start))
                .filter(|_| !message.contains("unknown field"));
            err(
                e.span().map(|s| line_of(text, s.start)),
                match key {
                    Some(k) => format!("{k}: {message}"),
                    None => message,
                },
            )
        })?;
        let title = match raw.title {
            Some(t) if t.get_ref().chars().any(crate::sanitize::is_unsafe) => {
                return Err(at(t.span(), "title", "has control characters"))
            }
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            _ => name.to_string(),
        };
        if raw.criterion.is_empty() {
            return Err(err(None, "criterion: no [[criterion]] at all".into()));
        }
        if raw.criterion.len() > MAX_ITEMS {
            return Err(err(
                None,
                format!("criterion: more than {MAX_ITEMS} criteria"),
            ));
        }
        let mut criteria: Vec<Criterion> = Vec::new();
        for c in raw.criterion {
            let c = c.into_inner();
            let id = c.id.get_ref();
            check_id(id).map_err(|e| at(c.id.span(), "criterion.id", &e))?;
            if criteria.iter().any(|x| x.id == *id) {
                return Err(at(
                    c.id.span(),
                    "criterion.id",
                    &format!("{id:?} is used twice"),
                ));
            }
            let text_field = |v: &Spanned<String>, key: &str| -> Result<String, RubricError> {
                let s = v.get_ref().trim();
                if s.chars().any(crate::sanitize::is_unsafe) {
                    return Err(at(v.span(), key, "has control characters"));
                }
                if super::is_blank(s) {
                    return Err(at(v.span(), key, "is empty"));
                }
                Ok(s.to_string())
            };
            let label = text_field(&c.label, "criterion.label")?;
            let section = c
                .section
                .as_ref()
                .map(|s| text_field(s, "criterion.section"))
                .transpose()?;
            let auto_fail = c.auto_fail.as_ref().is_some_and(|a| *a.get_ref());
            let points = match (&c.points, auto_fail) {
                (Some(p), true) => {
                    return Err(at(
                        p.span(),
                        "criterion.points",
                        "an auto_fail criterion carries no points",
                    ))
                }
                (None, true) => 0,
                (None, false) => 1,
                (Some(p), false) => match u32::try_from(*p.get_ref()) {
                    Ok(n) if (1..=MAX_POINTS).contains(&n) => n,
                    _ => {
                        return Err(at(
                            p.span(),
                            "criterion.points",
                            &format!("must be 1 to {MAX_POINTS}"),
                        ))
                    }
                },
            };
            criteria.push(Criterion {
                id: id.clone(),
                label,
                section,
                points,
                auto_fail,
            });
        }
        Ok(Rubric {
            name: name.to_string(),
            title,
            criteria,
        })
    }

    /// Load a rubric named on the command line: a path (it has a `/` or ends in `.toml`), or the
    /// name of one in the review directory's `rubrics/`.
    pub fn load(review_dir: Option<&Path>, arg: &str) -> Result<Rubric, RubricError> {
        let plain = |message: String| RubricError {
            path: crate::sanitize::line(arg).into_owned(),
            line: None,
            message,
        };
        let (name, path) = if arg.contains('/') || arg.ends_with(".toml") {
            let path = PathBuf::from(arg);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            super::check_name("rubric", &stem).map_err(plain)?;
            (stem, path)
        } else {
            super::check_name("rubric", arg).map_err(plain)?;
            let dir = review_dir.ok_or_else(|| plain(super::place::NO_DIR.to_string()))?;
            (
                arg.to_string(),
                dir.join("rubrics").join(format!("{arg}.toml")),
            )
        };
        let shown = path.display().to_string();
        let text = read_limited(&path).map_err(|message| RubricError {
            path: crate::sanitize::line(&shown).into_owned(),
            line: None,
            message,
        })?;
        Rubric::parse(&name, &shown, &text)
    }

    /// The criterion `id`.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// A scorecard of this rubric: `set` gives values by criterion id, `na` marks criteria N/A,
    /// every criterion not named is N/A. An unknown criterion, a value out of range, or one
    /// named twice is an error and no card.
    pub fn card(
        &self,
        set: &[(String, String)],
        na: &[String],
        comment: Option<&str>,
    ) -> Result<Card, String> {
        let mut items: BTreeMap<String, Option<Value>> =
            self.criteria.iter().map(|c| (c.id.clone(), None)).collect();
        let mut named: Vec<&str> = Vec::new();
        let unknown = |id: &str| {
            let ids: Vec<&str> = self.criteria.iter().map(|c| c.id.as_str()).collect();
            format!(
                "unknown criterion {:?} in rubric {}: use one of {}",
                crate::sanitize::line(id),
                self.name,
                ids.join(", ")
            )
        };
        for (id, text) in set {
            let c = self.criterion(id).ok_or_else(|| unknown(id))?;
            if named.contains(&id.as_str()) {
                return Err(format!("criterion {id} is given twice"));
            }
            named.push(id);
            items.insert(id.clone(), c.value(text)?);
        }
        for id in na {
            self.criterion(id).ok_or_else(|| unknown(id))?;
            if named.contains(&id.as_str()) {
                return Err(format!("criterion {id} is given twice"));
            }
            named.push(id);
        }
        let comment = comment.map(str::trim).filter(|c| !super::is_blank(c));
        if let Some(c) = comment {
            if c.chars()
                .any(|ch| crate::sanitize::is_unsafe(ch) && ch != '\n')
            {
                return Err("the comment has control characters".into());
            }
        }
        Ok(Card {
            rubric: self.name.clone(),
            items,
            max: self
                .criteria
                .iter()
                .filter(|c| !c.auto_fail)
                .map(|c| (c.id.clone(), c.points))
                .collect(),
            comment: comment.map(str::to_string),
        })
    }
}

impl Criterion {
    /// A typed value for this criterion: `0..=points`, or `pass`/`fail` for an auto-fail one;
    /// `n`, `na` or `n/a` is N/A.
    pub fn value(&self, text: &str) -> Result<Option<Value>, String> {
        let t = text.trim().to_ascii_lowercase();
        if matches!(t.as_str(), "n" | "na" | "n/a") {
            return Ok(None);
        }
        if self.auto_fail {
            return match t.as_str() {
                "pass" | "p" | "yes" | "y" => Ok(Some(Value::Pass)),
                "fail" | "f" | "no" => Ok(Some(Value::Fail)),
                _ => Err(format!(
                    "{}: {:?} is not pass or fail (or n for N/A)",
                    self.id,
                    crate::sanitize::line(text)
                )),
            };
        }
        match t.parse::<u32>() {
            Ok(p) if p <= self.points => Ok(Some(Value::Points(p))),
            _ => Err(format!(
                "{}: {:?} is out of range: give 0 to {} (or n for N/A)",
                self.id,
                crate::sanitize::line(text),
                self.points
            )),
        }
    }
}

/// The most rubric files one review directory's `rubrics/` is read for.
pub const MAX_FILES: usize = 100;

/// Every rubric in `review_dir/rubrics/` (`*.toml`, by name), and one line for each file that
/// cannot be used: the viewer offers the good ones and says what is wrong with the others.
pub fn load_all(review_dir: &Path) -> (Vec<Rubric>, Vec<String>) {
    let Ok(entries) = std::fs::read_dir(review_dir.join("rubrics")) else {
        return (Vec::new(), Vec::new());
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".toml")?;
            (!stem.starts_with('.')).then(|| stem.to_string())
        })
        .collect();
    names.sort();
    let mut problems = Vec::new();
    if names.len() > MAX_FILES {
        problems.push(format!(
            "more than {MAX_FILES} rubric files: the rest are not read"
        ));
        names.truncate(MAX_FILES);
    }
    let mut rubrics = Vec::new();
    for name in names {
        match Rubric::load(Some(review_dir), &name) {
            Ok(r) => rubrics.push(r),
            Err(e) => problems.push(e.to_string()),
        }
    }
    (rubrics, problems)
}

/// A file's text, refusing anything but a regular file of at most [`MAX_LEN`] bytes (a FIFO
/// or `/dev/zero` named as a rubric costs nothing).
fn read_limited(path: &Path) -> Result<String, String> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such rubric: write it (see the README, \"Scorecards\") or pass --rubric FILE"
                .to_string()
        }
        _ => format!("cannot read: {e}"),
    })?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_LEN {
        return Err(format!("larger than {} KiB", MAX_LEN >> 10));
    }
    let mut bytes = Vec::new();
    file.take(MAX_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_LEN {
        return Err(format!("larger than {} KiB", MAX_LEN >> 10));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const QA: &str = r#"title = "Chat QA"
[[criterion]]
id = "greeting"
label = "Greets the visitor by name"
section = "Opening"
points = 2
[[criterion]]
id = "no-card-number"
label = "Never asks for a full card number"
auto_fail = true
[[criterion]]
id = "empathy"
label = "Shows empathy"
"#;

    #[test]
    fn the_issue_rubric_loads() {
        let r = Rubric::parse("qa", "qa.toml", QA).unwrap();
        assert_eq!(r.title, "Chat QA");
        let ids: Vec<_> = r
            .criteria
            .iter()
            .map(|c| (c.id.as_str(), c.points))
            .collect();
        assert_eq!(
            ids,
            [("greeting", 2), ("no-card-number", 0), ("empathy", 1)]
        );
        assert!(r.criteria[1].auto_fail);
        assert_eq!(r.criteria[0].section.as_deref(), Some("Opening"));
    }

    /// Each bad rubric: one error naming the line and the key.
    #[test]
    fn bad_rubrics_name_line_and_key() {
        let cases: &[(&str, usize, &str)] = &[
            ("[[criterion]]\nid = \"A\"\nlabel = \"x\"\n", 2, "criterion.id"),
            (
                "[[criterion]]\nid = \"a\"\nlabel = \"x\"\n[[criterion]]\nid = \"a\"\nlabel = \"y\"\n",
                5,
                "criterion.id",
            ),
            ("[[criterion]]\nid = \"a\"\nlabel = \"x\"\npoints = 0\n", 4, "criterion.points"),
            ("[[criterion]]\nid = \"a\"\nlabel = \"x\"\npoints = 3\nauto_fail = true\n", 4, "criterion.points"),
            ("[[criterion]]\nid = \"a\"\nlabel = \"  \"\n", 3, "criterion.label"),
            ("[[criterion]]\nid = \"a\"\nlabel = \"x\"\npionts = 2\n", 4, "pionts"),
            ("title = \"x\"\n[[criterion]]\nid = \"a\"\nlabel = \"x\"\npoints = \"two\"\n", 5, "points"),
        ];
        for (text, line, key) in cases {
            let e = Rubric::parse("qa", "r.toml", text).unwrap_err();
            assert_eq!(e.line, Some(*line), "{text}: {e}");
            assert!(e.to_string().contains(key), "{text}: {e}");
            assert!(e.to_string().starts_with("rubric r.toml:"), "{e}");
        }
        assert!(Rubric::parse("qa", "r.toml", "title = \"x\"\n").is_err());
    }

    #[test]
    fn cards_check_every_value() {
        let r = Rubric::parse("qa", "qa.toml", QA).unwrap();
        let s = |k: &str, v: &str| (k.to_string(), v.to_string());
        let card = r
            .card(
                &[s("greeting", "2"), s("no-card-number", "pass")],
                &["empathy".into()],
                None,
            )
            .unwrap();
        assert_eq!(card.items["greeting"], Some(Value::Points(2)));
        assert_eq!(card.items["empathy"], None);
        assert!(r.card(&[s("greeting", "3")], &[], None).is_err());
        assert!(r.card(&[s("greeting", "-1")], &[], None).is_err());
        assert!(r.card(&[s("nope", "1")], &[], None).is_err());
        assert!(r.card(&[s("no-card-number", "2")], &[], None).is_err());
        assert!(r
            .card(&[s("greeting", "1")], &["greeting".into()], None)
            .is_err());
        assert!(r.card(&[], &["nope".into()], None).is_err());
    }
}
