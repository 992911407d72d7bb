//! The weekday × hour heatmap of the stats view: rows Mon … Sun, one cell per hour, each cell a
//! shade character (░▒▓█) scaled to the busiest cell (`·`: nothing there), coloured too unless
//! colours are off.

use super::super::app::App;
use crate::format::duration;
use crate::stats::Report;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

/// Shade level 0 (none) to 4 (the maximum) of `v` against `max`.
pub fn level(v: u64, max: u64) -> u8 {
    if v == 0 || max == 0 {
        return 0;
    }
    u8::try_from((u128::from(v) * 4).div_ceil(u128::from(max)).clamp(1, 4)).unwrap_or(4)
}

/// A cell's shade: `·` when it has no value, else at least `░`, so a cell whose median wait is
/// 0 s still shows that chats started then.
fn cell_level(v: Option<u64>, max: u64) -> u8 {
    v.map_or(0, |v| level(v, max).max(1))
}

/// Lines needed: a title, the hour ruler and seven days.
pub const HEIGHT: u16 = 9;

/// Width at one column per hour (`Mon ` + 24).
pub const MIN_WIDTH: u16 = 28;

pub fn draw(frame: &mut Frame, app: &App, r: &Report, area: Rect) {
    let t = app.theme;
    let wait = app.stats.heat_wait;
    // `None`: nothing to show in the cell (no chat started then, or none with a known wait).
    let values: Vec<Vec<Option<u64>>> = if wait {
        r.wait_p50_by_weekday_hour.clone()
    } else {
        r.total
            .by_weekday_hour
            .iter()
            .map(|row| row.iter().map(|&v| (v > 0).then_some(v as u64)).collect())
            .collect()
    };
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    let cw: usize = if area.width >= 4 + 48 { 2 } else { 1 };
    let top = if wait {
        format!(
            "Median wait, weekday × hour ({}) · max {}",
            r.tz,
            duration(max.try_into().unwrap_or(i64::MAX))
        )
    } else {
        format!("Chat starts, weekday × hour ({}) · max {max}", r.tz)
    };
    let mut lines = vec![Line::styled(
        crate::format::fit(&top, usize::from(area.width)),
        t.header(),
    )];
    let mut ruler = String::from("    ");
    for h in (0..24).step_by(3) {
        let label = if cw == 2 {
            format!("{h:02}")
        } else {
            h.to_string()
        };
        ruler.push_str(&format!("{label:<w$}", w = 3 * cw));
    }
    lines.push(Line::styled(ruler, t.dim()));
    for (day, row) in DAYS.iter().zip(&values) {
        let mut spans = vec![Span::styled(format!("{day} "), t.label())];
        for &v in row {
            let l = cell_level(v, max);
            let s: String = std::iter::repeat_n(SHADES[usize::from(l)], cw).collect();
            spans.push(if l == 0 {
                Span::styled(s, t.dim())
            } else {
                Span::styled(s, t.heat(l))
            });
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_scale_to_the_busiest_cell() {
        assert_eq!(level(0, 10), 0);
        assert_eq!(level(1, 10), 1);
        assert_eq!(level(3, 10), 2);
        assert_eq!(level(6, 10), 3);
        assert_eq!(level(10, 10), 4);
        assert_eq!(level(5, 0), 0);
        assert_eq!(level(u64::MAX, u64::MAX), 4, "no overflow on hostile waits");
    }

    #[test]
    fn a_known_zero_wait_is_not_an_empty_cell() {
        assert_eq!(cell_level(None, 10), 0);
        assert_eq!(cell_level(Some(0), 10), 1);
        assert_eq!(cell_level(Some(0), 0), 1);
        assert_eq!(cell_level(Some(10), 10), 4);
    }
}
