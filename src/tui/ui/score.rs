//! The scoring form (`c`), drawn over the top of the transcript pane so the rest of the
//! transcript stays readable under it: one row per criterion (section, label, the value typed,
//! the range it takes), then the comment, and the reason the last Enter was refused.

use super::super::app::App;
use crate::format::fit;
use crate::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Rows the open form wants: its criteria, the comment, the error line and the borders.
pub fn height(app: &App) -> u16 {
    let Some(form) = &app.score_form else {
        return 0;
    };
    let sections = app.rubrics.get(form.rubric).map_or(0, |r| {
        let mut seen: Vec<&str> = Vec::new();
        for c in &r.criteria {
            if let Some(s) = c.section.as_deref().filter(|s| !seen.contains(s)) {
                seen.push(s);
            }
        }
        seen.len()
    });
    u16::try_from(form.fields.len() + sections + 3).unwrap_or(u16::MAX)
}

/// Room for the value column: `pass`, `fail`, points.
const VALUE_W: usize = 6;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let (Some(form), true) = (&app.score_form, area.area() > 0) else {
        return;
    };
    let Some(rubric) = app.rubrics.get(form.rubric) else {
        return;
    };
    let t = app.theme;
    frame.render_widget(Clear, area);
    let more = if app.rubrics.len() > 1 {
        " · PgUp/PgDn rubric"
    } else {
        ""
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(Line::styled(
            format!(" Score: {} ", sanitize::line(&rubric.title)),
            t.title(),
        ))
        .title_bottom(Line::styled(
            format!(" ↑/↓ move · points, pass/fail, n = N/A · Enter saves · Esc cancels{more} "),
            t.dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    // `› `, the label, a space, the value, ` pass/fail`.
    let label_w = width.saturating_sub(VALUE_W + 13).max(4);
    let mut lines: Vec<Line> = Vec::new();
    let mut section: Option<&str> = None;
    let mut cursor_row = 0usize;
    for (i, c) in rubric.criteria.iter().enumerate() {
        if let Some(s) = c.section.as_deref().filter(|s| Some(*s) != section) {
            section = Some(s);
            lines.push(Line::styled(fit(&sanitize::line(s), width), t.header()));
        }
        let range = if c.auto_fail {
            "pass/fail".to_string()
        } else {
            format!("0-{}", c.points)
        };
        let here = i == form.at;
        if here {
            cursor_row = lines.len();
        }
        let value = sanitize::line(&form.fields[i].text).into_owned();
        let value = if value.is_empty() {
            "n/a".to_string()
        } else {
            value
        };
        let label = fit(&sanitize::line(&c.label), label_w);
        let pad = label_w.saturating_sub(label.width());
        lines.push(Line::from(vec![
            Span::styled(if here { "› " } else { "  " }, t.key()),
            Span::raw(format!("{label}{} ", " ".repeat(pad))),
            Span::styled(
                format!("{:<VALUE_W$}", fit(&value, VALUE_W)),
                t.selected(here),
            ),
            Span::styled(format!(" {range}"), t.dim()),
        ]));
    }
    let comment_at = form.fields.len() - 1;
    let here = form.at == comment_at;
    if here {
        cursor_row = lines.len();
    }
    let comment = sanitize::line(&form.fields[comment_at].text).into_owned();
    lines.push(Line::from(vec![
        Span::styled(if here { "› " } else { "  " }, t.key()),
        Span::raw("comment: "),
        Span::styled(fit(&comment, width.saturating_sub(11)), t.selected(here)),
    ]));
    if let Some(e) = &form.error {
        lines.push(Line::styled(fit(&sanitize::line(e), width), t.error()));
    }
    // Keep the cursor's row in view on a short pane.
    let rows = usize::from(inner.height);
    let scroll = (cursor_row + 1).saturating_sub(rows);
    let scroll = u16::try_from(scroll).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
