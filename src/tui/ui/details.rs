//! The visitor details pane: who, where, with what, and how the chat went. Empty fields are
//! left out rather than shown blank.

use super::super::app::{App, ChatPane, Focus};
use crate::format::human_secs;
use crate::model::shown::{show, Form};
use crate::model::{rating_label, Chat, ChatSummary, Field};
use crate::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Lines of label/value pairs grouped under headings.
struct Sheet<'a> {
    app: &'a App,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Sheet<'_> {
    fn heading(&mut self, title: &str) {
        if !self.lines.is_empty() {
            self.lines.push(Line::raw(""));
        }
        self.lines
            .push(Line::styled(title.to_string(), self.app.theme.header()));
    }

    fn field(&mut self, label: &str, value: Option<&str>) {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return;
        };
        let label_w = 11;
        let text_w = self.width.saturating_sub(label_w + 1).max(8);
        let clean = sanitize::line(value);
        for (i, part) in super::wrap::wrap(&clean, text_w).into_iter().enumerate() {
            let lead = if i == 0 {
                format!("{label:<label_w$} ")
            } else {
                " ".repeat(label_w + 1)
            };
            self.lines.push(Line::from(vec![
                Span::styled(lead, self.app.theme.label()),
                Span::raw(part),
            ]));
        }
    }

    fn fields(&mut self, items: &[Field]) {
        for f in items {
            let name = f.name.as_deref().or(f.id.as_deref()).unwrap_or("field");
            self.field(name, f.value.as_deref());
        }
    }
}

fn num(n: Option<i64>) -> Option<String> {
    n.map(|n| n.to_string())
}

fn build(sheet: &mut Sheet, chat: &Chat) {
    let v = &chat.visitor;
    sheet.heading("Visitor");
    sheet.field("Name", Some(chat.visitor_name().unwrap_or("Visitor")));
    sheet.field("Email", v.email.as_deref().or(chat.email.as_deref()));
    sheet.field("Phone", v.phone.as_deref().or(chat.phone.as_deref()));
    sheet.field("Company", v.company.as_deref().or(chat.company.as_deref()));
    sheet.field(
        "Status",
        v.status
            .map(|s| format!("{} ({})", s.label(), s.0))
            .as_deref(),
    );
    sheet.heading("Location");
    sheet.field("City", v.city.as_deref());
    sheet.field("State", v.state.as_deref());
    sheet.field("Country", v.country.as_deref());
    sheet.field("IP", v.ip.as_deref());
    sheet.field("Time zone", v.time_zone.as_deref());
    sheet.heading("Device");
    sheet.field("Browser", v.browser.as_deref());
    sheet.field("OS", v.operating_system.as_deref());
    sheet.field("Language", v.language.as_deref());
    sheet.field("Screen", v.screen_resolution.as_deref());
    sheet.heading("Visit");
    sheet.field("Visits", num(v.visits).as_deref());
    sheet.field("Chats", num(v.chats).as_deref());
    sheet.field("Page views", num(v.page_views).as_deref());
    sheet.field("Landing", v.landing_page.as_deref());
    sheet.field("Referrer", v.referrer_url.as_deref());
    sheet.field("Browsing", v.current_browsing.as_deref());
    sheet.field("Keywords", v.keywords.as_deref());
    sheet.heading("Chat");
    sheet.field("Id", Some(&chat.id));
    let agents: Vec<&str> = chat.agents.iter().map(|a| a.name.as_str()).collect();
    sheet.field(
        "Agents",
        Some(if agents.is_empty() {
            "(none: missed)".to_string()
        } else {
            agents.join(", ")
        })
        .as_deref(),
    );
    sheet.field("Department", chat.department.as_deref());
    sheet.field(
        "Started",
        chat.started_at
            .map(|t| show(t, &sheet.app.zone, Form::Seconds))
            .as_deref(),
    );
    sheet.field(
        "Ended",
        chat.ended_at
            .map(|t| show(t, &sheet.app.zone, Form::Seconds))
            .as_deref(),
    );
    sheet.field(
        "Wait",
        chat.wait_secs
            .and_then(|w| i64::try_from(w).ok())
            .map(human_secs)
            .as_deref(),
    );
    sheet.field("Duration", chat.duration_secs().map(human_secs).as_deref());
    sheet.field(
        "Product",
        chat.product_service
            .as_deref()
            .or(v.product_service.as_deref()),
    );
    sheet.heading("Rating");
    sheet.field(
        "Rating",
        Some(chat.rating.map_or_else(
            || "not rated".to_string(),
            |r| format!("{} {r}/5 {}", "★".repeat(r.into()), rating_label(r)),
        ))
        .as_deref(),
    );
    sheet.field("Comment", chat.rating_comment.as_deref());
    sheet.field("Agent note", chat.agent_comment.as_deref());
    let has_custom = !(chat.custom_fields.is_empty() && v.custom_fields.is_empty());
    let filled = |fs: &[Field]| {
        fs.iter()
            .any(|f| f.value.as_deref().is_some_and(|s| !s.trim().is_empty()))
    };
    if has_custom && (filled(&chat.custom_fields) || filled(&v.custom_fields)) {
        sheet.heading("Custom fields");
        sheet.fields(&chat.custom_fields);
        sheet.fields(&v.custom_fields);
    }
    if filled(&chat.custom_variables) || filled(&v.custom_variables) {
        sheet.heading("Custom variables");
        sheet.fields(&chat.custom_variables);
        sheet.fields(&v.custom_variables);
    }
    if let Some(w) = &chat.wrap_up {
        sheet.heading("Wrap-up");
        sheet.field("Category", w.category.as_deref());
        sheet.field("Comment", w.comment.as_deref());
        sheet.fields(&w.fields);
    }
    if !chat.attachments.is_empty() {
        sheet.heading("Attachments");
        for a in &chat.attachments {
            sheet.field(
                a.name.as_deref().unwrap_or("file"),
                a.uri.as_deref().or(a.name.as_deref()),
            );
        }
    }
    // Headings whose fields were all empty are dropped.
    sheet.lines = drop_empty_sections(std::mem::take(&mut sheet.lines));
}

/// Remove a heading (and the blank line before it) when no field follows it.
fn drop_empty_sections(lines: Vec<Line<'static>>) -> Vec<Line<'static>> {
    let is_blank = |l: &Line| l.spans.is_empty() || l.spans.iter().all(|s| s.content.is_empty());
    let is_heading = |l: &Line| l.spans.len() == 1 && !is_blank(l);
    let mut out: Vec<Line<'static>> = Vec::new();
    for line in lines {
        if (is_heading(&line) || is_blank(&line)) && out.last().is_some_and(is_heading) {
            out.pop();
            if out.last().is_some_and(is_blank) {
                out.pop();
            }
        }
        out.push(line);
    }
    if out.last().is_some_and(is_heading) {
        out.pop();
        if out.last().is_some_and(is_blank) {
            out.pop();
        }
    }
    out
}

fn summary_only(sheet: &mut Sheet, c: &ChatSummary) {
    sheet.heading("Visitor");
    sheet.field("Name", Some(c.visitor_display()));
    sheet.field("Email", c.visitor_email.as_deref());
    sheet.field("Agents", Some(&c.agents.join(", ")));
    sheet.field("Department", c.department.as_deref());
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let focused = app.focus == Focus::Details && !app.searching;
    let block = super::pane(app, Line::styled(" Visitor ", app.theme.title()), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut sheet = Sheet {
        app,
        width: usize::from(inner.width),
        lines: Vec::new(),
    };
    match &app.chat {
        ChatPane::None => {}
        ChatPane::Ready(_, chat) => build(&mut sheet, chat),
        ChatPane::Loading(s) => summary_only(&mut sheet, s),
        ChatPane::Failed(s, e) => {
            summary_only(&mut sheet, s);
            sheet.lines.push(Line::raw(""));
            sheet.lines.push(Line::styled(
                format!("cannot read: {}", sanitize::line(e)),
                app.theme.error(),
            ));
        }
    }
    let lines = sheet.lines;
    let max = lines.len().saturating_sub(usize::from(inner.height));
    app.details_scroll = app.details_scroll.min(max);
    let scroll = u16::try_from(app.details_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
