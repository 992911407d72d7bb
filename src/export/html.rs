//! `export --format html`: one self-contained file a manager opens in a browser. No scripts, no
//! external resources, a policy that forbids both, and every piece of content escaped.

use super::Doc;
use crate::model::SpeakerKind;
use crate::sanitize;
use std::io::Write;

/// Escape for HTML text and attribute values, after sanitising control characters.
pub fn esc(s: &str) -> String {
    let clean = sanitize::text(s);
    let mut out = String::with_capacity(clean.len() + 16);
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;color:#222}article{border-top:2px solid #ccc;padding-top:1rem;margin-top:2rem}\
h1{font-size:1.4rem}h2{font-size:1.2rem}table.details{border-collapse:collapse;margin:.5rem 0}\
th,td{text-align:left;vertical-align:top;padding:.1rem .8rem .1rem 0}th{color:#666;\
font-weight:normal}caption{text-align:left;font-weight:bold;padding-top:.6rem}\
ol.transcript{list-style:none;padding:0}ol.transcript li{margin:.3rem 0;white-space:pre-wrap}\
time{color:#888;font-variant-numeric:tabular-nums;margin-right:.5rem}.agent b{color:#1a5fb4}\
.visitor b{color:#26a269}.bot b{color:#9141ac}.system{color:#777;font-style:italic}\
.problem{color:#c01c28}";

/// The head of the file and the page's heading, with what the export is under it.
pub fn start(out: &mut dyn Write, about: Option<&str>) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n<meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\">\n<title>chatspool export</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>chatspool export</h1>"
    )?;
    match about {
        Some(line) => writeln!(out, "<p class=\"about\">{}</p>", esc(line)),
        None => Ok(()),
    }
}

/// The end of the file, after `n` articles.
pub fn end(out: &mut dyn Write, n: usize) -> std::io::Result<()> {
    if n == 0 {
        writeln!(out, "<p>No chats.</p>")?;
    }
    writeln!(out, "</body>\n</html>")
}

/// One chat: its title, details tables and transcript.
pub fn article(out: &mut dyn Write, doc: &Doc) -> std::io::Result<()> {
    writeln!(out, "<article>\n<h2>{}</h2>", esc(&doc.title))?;
    for s in &doc.sections {
        writeln!(
            out,
            "<table class=\"details\"><caption>{}</caption>",
            esc(s.title)
        )?;
        for item in &s.items {
            writeln!(
                out,
                "<tr><th>{}</th><td>{}</td></tr>",
                esc(&item.label),
                esc(&item.value)
            )?;
        }
        writeln!(out, "</table>")?;
    }
    if let Some(p) = &doc.problem {
        writeln!(
            out,
            "<p class=\"problem\">cannot read the chat: {}</p>\n</article>",
            esc(p)
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "<h3>Transcript (times {})</h3>\n<ol class=\"transcript\">",
        esc(&doc.zone)
    )?;
    if doc.transcript.is_empty() {
        writeln!(out, "<li class=\"system\">(no transcript)</li>")?;
    }
    for e in &doc.transcript {
        let time = e.time.as_deref().map(esc).unwrap_or_default();
        let kind = e.kind.label();
        match (&e.speaker, e.kind) {
            (Some(who), k) if k != SpeakerKind::System => writeln!(
                out,
                "<li class=\"{kind}\"><time>{time}</time><b>{}</b> <small>{kind}</small>: {}</li>",
                esc(who),
                esc(&e.text)
            )?,
            _ => writeln!(
                out,
                "<li class=\"system\"><time>{time}</time>{}</li>",
                esc(&e.text)
            )?,
        }
    }
    writeln!(out, "</ol>\n</article>")
}
