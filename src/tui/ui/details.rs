//! The details pane: the chat's sections from [`crate::details`] (the same ones `show`
//! prints), one heading each, long values wrapped under their label.

use super::super::app::{App, ChatPane, Focus};
use super::super::theme::Theme;
use crate::details::{self, Section};
use crate::model::ChatSummary;
use crate::redact::Mask;
use crate::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Width of the label column.
const LABEL_W: usize = 11;

/// Lines of label/value pairs grouped under headings.
struct Sheet {
    theme: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Sheet {
    fn heading(&mut self, title: &str) {
        if !self.lines.is_empty() {
            self.lines.push(Line::raw(""));
        }
        self.lines
            .push(Line::styled(title.to_string(), self.theme.header()));
    }

    fn field(&mut self, label: &str, value: &str) {
        let text_w = self.width.saturating_sub(LABEL_W + 1).max(8);
        let clean = sanitize::line(value.trim());
        let label = sanitize::line(label);
        for (i, part) in super::wrap::wrap(&clean, text_w).into_iter().enumerate() {
            let lead = if i == 0 {
                format!("{label:<LABEL_W$} ")
            } else {
                " ".repeat(LABEL_W + 1)
            };
            self.lines.push(Line::from(vec![
                Span::styled(lead, self.theme.label()),
                Span::raw(part),
            ]));
        }
    }

    fn sections(&mut self, sections: &[Section]) {
        for section in sections {
            self.heading(section.title);
            for item in &section.items {
                self.field(&item.label, &item.value);
            }
        }
    }
}

/// While the chat is read (or when it cannot be): what the list row knows.
fn summary_only(sheet: &mut Sheet, c: &ChatSummary, mask: Mask) {
    sheet.heading("Visitor");
    sheet.field("Name", &mask.text(c.visitor_display()));
    for (label, value) in [
        ("Email", c.visitor_email.as_deref()),
        ("Agents", Some(&*c.agents.join(", "))),
        ("Department", c.department()),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            sheet.field(label, &mask.field(label, v));
        }
    }
}

/// The pane's lines for what the app shows now, `width` columns wide.
fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut sheet = Sheet {
        theme: app.theme,
        width,
        lines: Vec::new(),
    };
    // What the lead recorded comes first (the same section `show` prints).
    if let Some(r) = app.chat.summary().and_then(|c| app.reviews.get(&c.id)) {
        let mut review = details::review_sections(r, &app.zone);
        for s in &mut review {
            app.mask().section(s);
        }
        sheet.sections(&review);
    }
    match &app.chat {
        ChatPane::None => {}
        ChatPane::Ready(s, chat) => {
            let chat = app.shown_chat().unwrap_or_else(|| chat.clone());
            sheet.sections(&details::sections(
                &chat,
                Some(&s.source),
                &app.zone,
                app.sla.as_deref(),
            ));
        }
        ChatPane::Loading(s) => summary_only(&mut sheet, s, app.mask()),
        ChatPane::Failed(s, e) => {
            summary_only(&mut sheet, s, app.mask());
            sheet.lines.push(Line::raw(""));
            sheet.lines.push(Line::styled(
                format!("cannot read: {}", sanitize::line(e)),
                app.theme.error(),
            ));
        }
    }
    sheet.lines
}

/// The layout pass: the scroll position clamped so the last line can be reached, never passed.
pub fn arrange(app: &mut App, area: Rect) {
    let inner = super::inner(area);
    if inner.area() == 0 {
        return;
    }
    let count = lines(app, usize::from(inner.width)).len();
    let max = count.saturating_sub(usize::from(inner.height));
    app.panes.details_scroll = app.panes.details_scroll.min(max);
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Focus::Details && !app.search.searching;
    // It holds the review, the chat, the rating and the wrap-up, not only the visitor.
    let block = super::pane(app, Line::styled(" Details ", app.theme.title()), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = lines(app, usize::from(inner.width));
    let total = lines.len();
    let scroll = u16::try_from(app.panes.details_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    if total > 0 {
        let pos = super::transcript::position(app.panes.details_scroll, inner.height, total);
        super::transcript::draw_position(frame, app, area, pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shown::Zone;
    use crate::model::{Attachment, Chat, Field, Visitor, WrapUp};

    /// A chat with every part the pane and `show` used to disagree on.
    fn rich_chat() -> Chat {
        let field = |name: &str, value: &str| Field {
            id: Some("9".into()),
            name: Some(name.into()),
            value: Some(value.into()),
        };
        Chat {
            id: "c1".into(),
            visitor: Visitor {
                name: Some("Ana".into()),
                keywords: Some("cheap flights".into()),
                custom_variables: vec![field("plan", "gold")],
                custom_fields: vec![field("vip", "yes")],
                ..Visitor::default()
            },
            agent_comment: Some("called back".into()),
            wait_secs: Some(u64::MAX),
            custom_variables: vec![field("cart", "3 items")],
            attachments: vec![Attachment {
                name: Some("invoice.pdf".into()),
                uri: Some("https://files.example/i.pdf".into()),
            }],
            wrap_up: Some(WrapUp {
                category: Some("Billing".into()),
                comment: Some("refunded".into()),
                fields: vec![field("reason", "double charge")],
                time: chrono::DateTime::from_timestamp(1_600_000_000, 0),
            }),
            ..Chat::default()
        }
    }

    /// Every item of every section reaches both renderings: the drift between the pane and
    /// `show` (wrap-up fields, attachment links, visitor variables, agent note) fails here.
    #[test]
    fn the_pane_and_show_print_every_section_item() {
        let chat = rich_chat();
        let summary = ChatSummary::from_chat(&chat);
        let sections = details::sections(&chat, Some(&summary.source), &Zone::Utc, None);
        let mut sheet = Sheet {
            theme: Theme::pick(None, true),
            width: 200,
            lines: Vec::new(),
        };
        sheet.sections(&sections);
        let pane: Vec<String> = sheet.lines.iter().map(|l| l.to_string()).collect();
        let mut show = Vec::new();
        crate::export::chat_text(&mut show, &chat, &summary, None, Zone::Utc, None).unwrap();
        let show = String::from_utf8(show).unwrap();
        let mut checked = 0;
        for s in &sections {
            assert!(pane.iter().any(|l| l == s.title), "pane lacks {}", s.title);
            assert!(show.lines().any(|l| l == s.title), "show lacks {}", s.title);
            for item in &s.items {
                let want = format!("{:<LABEL_W$} {}", item.label, item.value);
                assert!(pane.contains(&want), "pane lacks {want:?}: {pane:#?}");
                assert!(
                    show.lines().any(|l| l.trim() == want.trim()
                        || l.split_whitespace().eq(want.split_whitespace())),
                    "show lacks {want:?}:\n{show}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 14, "only {checked} items");
        assert!(!show.contains("Wait"), "an unknown wait is left out");
    }
}
