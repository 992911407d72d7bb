//! The transcript pane: one entry per message, speaker marked by colour and by a text label,
//! long and multi-line messages wrapped under a hanging indent.

use super::super::app::{App, ChatPane, Focus};
use super::super::theme::Theme;
use super::wrap::wrap;
use crate::model::shown::{show, Form, Zone};
use crate::model::{Entry, SpeakerKind};
use crate::query::Marks;
use crate::{format, sanitize};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The text label of each kind, padded to one width, so speakers stay apart without colour.
pub fn tag(kind: SpeakerKind) -> &'static str {
    match kind {
        SpeakerKind::Agent => "AGENT  ",
        SpeakerKind::Visitor => "VISITOR",
        SpeakerKind::Bot => "BOT    ",
        SpeakerKind::System => "SYSTEM ",
    }
}

/// Columns the clock gets at most (`12:00:00 P.M.`); at least eight (`03:30:01`).
const CLOCK_MAX: usize = 13;
const CLOCK_MIN: usize = 8;
/// A speaker tag and the space after it.
const TAG_W: usize = 8;
/// Narrowest text column worth a hanging indent: below it the tag is left out, so even a pane one
/// column wide keeps every line within it.
const MIN_TEXT: usize = 8;

/// Lay out every entry for a pane `width` columns wide. Returns the lines and, per entry, the
/// line it starts on (for jumping to search hits). Every line is at most `width` columns wide,
/// whatever the text (empty, one huge word, wide or zero-width characters).
///
/// `slow` holds, in transcript order, each slow
/// agent reply's entry and reply time (see [`App::slow_replies`]). The mark (`⏱ 3m 10s`) goes
/// in the time column under the reply's clock (a line of its own when the reply is one line);
/// without a time column, in the tag column or on a line of its own, cut the one way durations
/// are cut, never wider than the pane.
pub fn layout(
    entries: &[Entry],
    width: usize,
    zone: &Zone,
    theme: Theme,
    marks: &Marks,
    hit: Option<usize>,
    slow: &[(usize, u32)],
) -> (Vec<Line<'static>>, Vec<usize>) {
    let width = width.max(1);
    let show_time = width >= 50;
    // The instant when the line's clock could be placed in the chat, as written otherwise.
    let clocks: Vec<String> = if show_time {
        entries
            .iter()
            .map(|e| {
                e.at.map_or_else(
                    || sanitize::line(e.time.as_deref().unwrap_or_default()).into_owned(),
                    |t| show(t, zone, Form::Clock),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // A slow reply's mark shares the clock's column: it widens it up to the clock's widest.
    let mark_w =
        |secs: u32| theme.slow_mark().width() + 1 + format::duration(i64::from(secs)).width();
    let clock_w = clocks
        .iter()
        .map(|c| c.width())
        .chain(
            slow.iter()
                .filter(|_| show_time)
                .map(|&(_, secs)| mark_w(secs)),
        )
        .max()
        .unwrap_or(0)
        .clamp(CLOCK_MIN, CLOCK_MAX);
    let indent = if show_time {
        clock_w + 1 + TAG_W
    } else if width >= TAG_W + MIN_TEXT {
        TAG_W
    } else {
        0
    };
    let text_w = width - indent;
    // Room for a mark in the lead of a reply's second line (a space before the text).
    let mark_room = if show_time {
        clock_w
    } else {
        indent.saturating_sub(1)
    };
    let mut slow = slow.iter().peekable();
    let mut lines = Vec::new();
    let mut starts = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        starts.push(lines.len());
        let style = theme.speaker(e.kind);
        let base = if e.kind == SpeakerKind::System {
            style
        } else {
            theme.base()
        };
        let mut lead = Vec::new();
        if let Some(clock) = clocks.get(i) {
            let clock = format::fit(clock, clock_w);
            let pad = " ".repeat(clock_w + 1 - clock.width());
            lead.push(Span::styled(format!("{clock}{pad}"), theme.dim()));
        }
        if indent > 0 {
            lead.push(Span::styled(format!("{} ", tag(e.kind)), style));
        }
        let body = sanitize::text(&e.text);
        // The speaker and its colon must fit the text column, so a long name is cut.
        let speaker = e
            .speaker
            .as_deref()
            .map(|s| format::fit(s, text_w.saturating_sub(1)))
            .filter(|s| !s.is_empty());
        let mut first = true;
        let bold = hit == Some(i);
        for para in body.split('\n') {
            // The speaker's name starts the first line and takes part in wrapping: it is laid
            // out as blanks, then drawn over them.
            let prefix_w = match (&speaker, first) {
                (Some(s), true) => s.width() + 2,
                _ => 0,
            };
            let pieces = wrap(&format!("{}{para}", " ".repeat(prefix_w)), text_w);
            for (n, piece) in pieces.into_iter().enumerate() {
                let mut spans = if first {
                    std::mem::take(&mut lead)
                } else {
                    vec![Span::raw(" ".repeat(indent))]
                };
                let mut text = piece.as_str();
                if first && n == 0 {
                    if let Some(s) = &speaker {
                        spans.push(Span::styled(format!("{s}:"), style));
                        // The blanks that stood for the name; none left when the first word
                        // went to the next line.
                        text = text.get(prefix_w - 1..).unwrap_or("");
                    }
                }
                spans.extend(highlighted(text, marks, base, theme));
                let mut line = Line::from(spans);
                if bold {
                    line = line.patch_style(Style::new().add_modifier(Modifier::BOLD));
                }
                lines.push(line);
                first = false;
            }
        }
        while slow.next_if(|&&(entry, _)| entry < i).is_some() {}
        if let Some(&(_, secs)) = slow.next_if(|&&(entry, _)| entry == i) {
            let start = starts[i];
            let second = lines.get_mut(start + 1).filter(|_| mark_room >= 1);
            match second {
                Some(line) => {
                    let mark = slow_mark(theme, secs, mark_room);
                    let pad = " ".repeat(indent.saturating_sub(mark.width()));
                    if let Some(lead) = line.spans.first_mut() {
                        *lead = Span::styled(mark, theme.warning());
                    }
                    line.spans.insert(1, Span::raw(pad));
                }
                None => lines.push(Line::styled(slow_mark(theme, secs, width), theme.warning())),
            }
        }
    }
    (lines, starts)
}

/// `⏱ 3m 10s` in at most `room` columns: the duration cut the one way durations are cut
/// ([`format::duration_in`]), or the mark alone when not even that fits.
fn slow_mark(theme: Theme, secs: u32, room: usize) -> String {
    let sign = theme.slow_mark();
    let time = format::duration_in(i64::from(secs), room.saturating_sub(sign.width() + 1));
    let mark = format!("{sign} {time}");
    if mark.width() <= room {
        mark
    } else {
        format::fit(sign, room)
    }
}

/// Split `text` into spans with what the query's `text:` terms match highlighted (the marks
/// and the `n`/`N` counter come from the same [`Marks`], so they cannot disagree).
fn highlighted(text: &str, marks: &Marks, base: Style, theme: Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for r in marks.in_text(text) {
        if r.start > at {
            spans.push(Span::styled(text[at..r.start].to_string(), base));
        }
        spans.push(Span::styled(text[r.clone()].to_string(), theme.hit()));
        at = r.end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    spans
}

/// The layout pass: bring a search hit (`n`/`N`) into view, and clamp the scroll position so
/// the last line can be reached, never passed.
pub fn arrange(app: &mut App, area: Rect) {
    let inner = super::inner(area);
    let ChatPane::Ready(_, chat) = &app.chat else {
        return;
    };
    if inner.area() == 0 || chat.transcript.is_empty() {
        return;
    }
    let (lines, starts) = layout(
        &chat.transcript,
        usize::from(inner.width),
        &app.zone,
        app.theme,
        &app.search.query.marks(),
        app.panes.transcript_jump,
        &app.slow_replies(),
    );
    let height = usize::from(inner.height);
    if let Some(&line) = app
        .panes
        .transcript_jump
        .and_then(|entry| starts.get(entry))
    {
        // Bring the hit into view with a little context above it.
        if line < app.panes.transcript_scroll || line >= app.panes.transcript_scroll + height {
            app.panes.transcript_scroll = line.saturating_sub(2);
        }
    }
    app.panes.transcript_scroll = app
        .panes
        .transcript_scroll
        .min(lines.len().saturating_sub(height));
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Focus::Transcript && !app.search.searching;
    // One chat's times: in the visitor's zone, that visitor's offset.
    let zone = app
        .zone
        .for_chat(app.selected_chat().and_then(|c| c.visitor_offset_min));
    let (title_info, entries) = match &app.chat {
        ChatPane::Ready(_, chat) => (
            // One count in the title (messages); the footer counts screen lines.
            format!(
                "{} · times {} ",
                crate::format::plural(chat.message_count(), "message", "messages"),
                zone.label()
            ),
            app.shown_chat(),
        ),
        ChatPane::Loading(_) => ("reading… ".to_string(), None),
        ChatPane::Failed(..) => ("unreadable ".to_string(), None),
        ChatPane::None => (String::new(), None),
    };
    let title = Line::from(vec![
        Span::styled(" Transcript ", app.theme.title()),
        Span::styled(title_info, app.theme.dim()),
    ]);
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(chat) = entries else {
        if let ChatPane::Failed(_, e) = &app.chat {
            super::message(
                frame,
                inner,
                vec![Line::styled(
                    format!("Cannot read this chat: {}", sanitize::line(e)),
                    app.theme.error(),
                )],
            );
        }
        return;
    };
    if chat.transcript.is_empty() {
        super::message(
            frame,
            inner,
            vec![Line::styled(
                "This chat has no transcript.",
                app.theme.dim(),
            )],
        );
        return;
    }
    let marks = app.search.query.marks();
    let (lines, _) = layout(
        &chat.transcript,
        usize::from(inner.width),
        &zone,
        app.theme,
        &marks,
        app.panes.transcript_jump,
        &app.slow_replies(),
    );
    let total = lines.len();
    let scroll = u16::try_from(app.panes.transcript_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    let pos = position(app.panes.transcript_scroll, inner.height, total);
    draw_position(frame, app, area, pos);
}

/// ` lines 1-20 of 35 · 0% `: which lines of a pane's `total` are in view, `scroll` lines down
/// in a pane `height` lines high, and how far through it that is.
pub(super) fn position(scroll: usize, height: u16, total: usize) -> String {
    let height = usize::from(height);
    let max = total.saturating_sub(height);
    let pct = (scroll * 100).checked_div(max).unwrap_or(100);
    format!(
        " lines {}-{} of {total} · {pct}% ",
        scroll + 1,
        (scroll + height).min(total),
    )
}

/// A position indicator on a pane's bottom border, at the right, when it fits.
pub(super) fn draw_position(frame: &mut Frame, app: &App, area: Rect, pos: String) {
    let w = u16::try_from(pos.width()).unwrap_or(0);
    if area.width > w + 2 && area.height > 0 {
        let r = Rect::new(area.x + area.width - w - 1, area.y + area.height - 1, w, 1);
        frame.render_widget(Line::styled(pos, app.theme.dim()), r);
    }
}

#[cfg(test)]
mod tests;
