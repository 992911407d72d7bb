//! Plain text (what `show` prints, and `export --format txt`) and Markdown (`--format md`,
//! the viewer's `y`). Both sanitise every piece of chat content: such files end up in terminals
//! (`cat`, a pager) and in chat tools that render Markdown.

use super::{Doc, Said};
use crate::details::Section;
use crate::model::SpeakerKind;
use crate::sanitize;
use std::io::Write;

/// Sections as `Title` lines with indented `label  value` rows, a blank line between sections.
pub fn sections(out: &mut dyn Write, sections: &[Section]) -> std::io::Result<()> {
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", section.title)?;
        for item in &section.items {
            writeln!(
                out,
                "  {:<12} {}",
                sanitize::line(&item.label),
                sanitize::line(&item.value)
            )?;
        }
    }
    Ok(())
}

/// The transcript, one entry per line group: clock, kind, `speaker: text`, continuation lines
/// indented under the text.
pub fn transcript(out: &mut dyn Write, said: &[Said]) -> std::io::Result<()> {
    if said.is_empty() {
        writeln!(out, "(no transcript)")?;
    }
    for e in said {
        let time = e.time.as_deref().unwrap_or("");
        let text = sanitize::text(&e.text);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        match (&e.speaker, e.kind) {
            (Some(who), kind) if kind != SpeakerKind::System => writeln!(
                out,
                "{time:<8}  {:<7}  {}: {first}",
                kind.label(),
                sanitize::line(who)
            )?,
            _ => writeln!(out, "{time:<8}  {:<7}  {first}", "system")?,
        }
        for more in lines {
            writeln!(out, "{:<8}  {:<7}  {more}", "", "")?;
        }
    }
    Ok(())
}

/// A chat as plain text; `titled` puts the document title on top (exports; `show` has none).
pub fn plain(out: &mut dyn Write, doc: &Doc, titled: bool) -> std::io::Result<()> {
    if titled {
        let title = sanitize::line(&doc.title);
        writeln!(out, "{title}")?;
        writeln!(out, "{}\n", "-".repeat(title.chars().count()))?;
    }
    sections(out, &doc.sections)?;
    if let Some(p) = &doc.problem {
        writeln!(out, "\ncannot read the chat: {}", sanitize::line(p))?;
        return Ok(());
    }
    writeln!(out, "\nTranscript (times {})", doc.zone)?;
    transcript(out, &doc.transcript)
}

/// Backslash-escape what Markdown would read as markup or raw HTML, after sanitising. `!` stays:
/// an image needs `![`, and `[` is escaped.
fn md(s: &str) -> String {
    let clean = sanitize::line(s);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line of a message: [`md`], and a start that would open a list or a heading is escaped.
fn md_line(s: &str) -> String {
    let mut out = md(s);
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    out
}

/// What a Markdown export is, as its first lines.
pub fn md_about(out: &mut dyn Write, about: Option<&str>) -> std::io::Result<()> {
    match about {
        Some(line) => writeln!(out, "# chatspool export\n\n{}\n", md(line)),
        None => Ok(()),
    }
}

/// What a text export is, as its first lines.
pub fn plain_about(out: &mut dyn Write, about: Option<&str>) -> std::io::Result<()> {
    match about {
        Some(line) => writeln!(
            out,
            "chatspool export: {}\n{}\n",
            sanitize::line(line),
            "=".repeat(72)
        ),
        None => Ok(()),
    }
}

/// A chat as Markdown: a heading, the details as a bullet list, the transcript with each
/// message's time and speaker in bold and its lines kept apart by hard breaks.
pub fn markdown(out: &mut dyn Write, doc: &Doc) -> std::io::Result<()> {
    writeln!(out, "## {}\n", md(&doc.title))?;
    for s in &doc.sections {
        writeln!(out, "**{}**\n", md(s.title))?;
        for item in &s.items {
            writeln!(out, "- {}: {}", md(&item.label), md(&item.value))?;
        }
        writeln!(out)?;
    }
    if let Some(p) = &doc.problem {
        return writeln!(out, "*cannot read the chat: {}*", md(p));
    }
    writeln!(out, "**Transcript** (times {})\n", md(&doc.zone))?;
    if doc.transcript.is_empty() {
        writeln!(out, "*(no transcript)*")?;
    }
    for e in &doc.transcript {
        let time = e.time.as_deref().map(md).unwrap_or_default();
        let text = sanitize::text(&e.text);
        let body: Vec<String> = text.lines().map(md_line).collect();
        let body = body.join("  \n");
        match (&e.speaker, e.kind) {
            (Some(who), kind) if kind != SpeakerKind::System => {
                writeln!(out, "**{time} {}** ({}): {body}\n", md(who), kind.label())?
            }
            // `* text` at the start of a line would open a list: no space without a time.
            _ if time.is_empty() => writeln!(out, "*{body}*\n")?,
            _ => writeln!(out, "*{time} {body}*\n")?,
        }
    }
    Ok(())
}
