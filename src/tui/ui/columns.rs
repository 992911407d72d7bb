//! The chat list's columns: which fit at a width, and how wide each is.
//!
//! Columns give way in a fixed order (score, wrap-up, last from, first response time, longest
//! reply, department, duration, wait, rating, agents) but the one the list is sorted by never
//! does. The score, the longest reply and who spoke last are shown only when the config's
//! `columns` names them (the score and the longest reply also while the list is sorted by them).
//! Names get room up to a sensible maximum; beyond it, a name column whose text on screen is
//! still cut gets more ([`Columns::widen`]).

use crate::query::SortKey;
use crate::view::columns::Column;

/// A column that may be left out on a narrow list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Agents,
    Dept,
    WrapUp,
    Wait,
    Frt,
    Dur,
    Rating,
    /// The longest reply time.
    Reply,
    /// Who sent the last message.
    Last,
    /// Only when the config's `columns` names it, or the list is sorted by score.
    Score,
}

/// The order optional columns are drawn in (after the time and the visitor) when the config
/// names none.
const DEFAULT_ORDER: [Col; 7] = [
    Col::Agents,
    Col::Dept,
    Col::WrapUp,
    Col::Wait,
    Col::Frt,
    Col::Dur,
    Col::Rating,
];

/// Every column the viewer can show beyond the time and the visitor.
const ALL: [Col; 10] = [
    Col::Agents,
    Col::Dept,
    Col::WrapUp,
    Col::Wait,
    Col::Frt,
    Col::Dur,
    Col::Rating,
    Col::Reply,
    Col::Last,
    Col::Score,
];

impl Col {
    /// The viewer's column for one of the shared column table, if the viewer shows it.
    fn of(column: Column) -> Option<Col> {
        ALL.into_iter().find(|c| c.column() == column)
    }

    /// The column's name for the config file.
    fn column(self) -> Column {
        match self {
            Col::Agents => Column::Agents,
            Col::Dept => Column::Dept,
            Col::WrapUp => Column::WrapUp,
            Col::Wait => Column::Wait,
            Col::Frt => Column::Frt,
            Col::Dur => Column::Duration,
            Col::Rating => Column::Rating,
            Col::Reply => Column::Reply,
            Col::Last => Column::Last,
            Col::Score => Column::Score,
        }
    }
}

/// The order columns give way in.
const DROP_ORDER: [Col; 10] = [
    Col::Score,
    Col::WrapUp,
    Col::Last,
    Col::Frt,
    Col::Reply,
    Col::Dept,
    Col::Dur,
    Col::Wait,
    Col::Rating,
    Col::Agents,
];

/// The marks before the time: new (`●`) or reviewed (`✓`), tagged (`#`), then a space.
pub const BADGE: usize = 3;
/// `2026-10-31 23:57` and, on narrow lists, `10-31 23:57`.
const TIME_FULL: usize = 16;
const TIME_SHORT: usize = 11;
/// A full date from this width on.
const FULL_DATE_FROM: usize = 76;
/// Durations (`59m 59s` whole; an hour-long one drops its seconds in the narrower columns).
pub const WAIT: usize = 7;
/// First response time.
pub const FRT: usize = 7;
pub const DUR: usize = 8;
/// `5/5`.
pub const RATING: usize = 4;
/// The longest reply, a duration as the wait.
pub const REPLY: usize = 7;
/// `visitor`, `agent`, `bot`.
pub const LAST: usize = 7;
/// `100.0`.
pub const SCORE: usize = 5;
/// Minimum and maximum widths of the name columns (without the space after them).
const VISITOR: (usize, usize) = (10, 24);
const AGENTS: (usize, usize) = (8, 28);
const DEPT: (usize, usize) = (8, 20);
const WRAP_UP: (usize, usize) = (8, 20);
/// Room the names get before a wrap-up column is shown: it is the least needed column.
const NAMES_FIRST: usize = 24;

/// Which columns are shown and the widths of the text columns (0: not shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub time: usize,
    pub visitor: usize,
    pub agents: usize,
    pub dept: usize,
    /// The wrap-up category.
    pub wrap_up: usize,
    pub wait: bool,
    pub frt: bool,
    pub dur: bool,
    pub rating: bool,
    pub reply: bool,
    pub last: bool,
    pub score: bool,
    /// The optional columns shown, in the order they are drawn: the config's `columns` order,
    /// else [`DEFAULT_ORDER`] (a sorted column the config leaves out goes last).
    pub order: Vec<Col>,
}

/// The column an order is by, which must stay on screen.
fn sorted_col(sort: Option<SortKey>) -> Option<Col> {
    match sort? {
        SortKey::Wait => Some(Col::Wait),
        SortKey::Frt => Some(Col::Frt),
        SortKey::Duration => Some(Col::Dur),
        SortKey::Rating => Some(Col::Rating),
        SortKey::Agent => Some(Col::Agents),
        SortKey::Reply => Some(Col::Reply),
        SortKey::Score => Some(Col::Score),
        SortKey::Newest | SortKey::Oldest | SortKey::Visitor => None,
    }
}

impl Columns {
    /// The columns for a list `width` cells wide, sorted by `sort`, showing at most the
    /// `chosen` ones (the config file's `columns`; `None`: all). Time and visitor always stay,
    /// and so does the column the list is sorted by.
    pub fn for_width(width: usize, sort: Option<SortKey>, chosen: Option<&[Column]>) -> Columns {
        let time = if width >= FULL_DATE_FROM {
            TIME_FULL
        } else {
            TIME_SHORT
        };
        let keep = sorted_col(sort);
        // The order columns are drawn in; a rating drawn before other columns needs the space
        // after it that the last one does without.
        let mut order: Vec<Col> = match chosen {
            Some(ch) => ch.iter().filter_map(|c| Col::of(*c)).collect(),
            None => DEFAULT_ORDER.to_vec(),
        };
        order.extend(keep.filter(|k| !order.contains(k)));
        let rating_last = order.last() == Some(&Col::Rating);
        let mut shown: Vec<Col> = DROP_ORDER
            .into_iter()
            .filter(|c| {
                Some(*c) == keep
                    || chosen.map_or(DEFAULT_ORDER.contains(c), |ch| ch.contains(&c.column()))
            })
            .collect();
        let min_width = |shown: &[Col]| -> usize {
            let mut w = BADGE + time + 1 + VISITOR.0 + 1;
            for c in shown {
                w += match c {
                    Col::Agents => AGENTS.0 + 1,
                    Col::Dept => DEPT.0 + 1,
                    Col::WrapUp => WRAP_UP.0 + 1,
                    Col::Wait => WAIT + 1,
                    Col::Frt => FRT + 1,
                    Col::Dur => DUR + 1,
                    Col::Reply => REPLY + 1,
                    Col::Last => LAST + 1,
                    Col::Score => SCORE + 1,
                    // A sorted rating column's header has its mark after `RATE`.
                    Col::Rating => {
                        RATING + usize::from(keep == Some(Col::Rating)) + usize::from(!rating_last)
                    }
                };
            }
            w
        };
        for col in DROP_ORDER {
            if min_width(&shown) <= width {
                break;
            }
            if Some(col) != keep {
                shown.retain(|c| *c != col);
            }
        }
        if width < min_width(&shown) + NAMES_FIRST {
            shown.retain(|c| *c != Col::WrapUp);
        }
        let has = |c: Col| shown.contains(&c);
        // Room beyond the minimums goes to the names, a share each, up to their maximums.
        let mut spare = width.saturating_sub(min_width(&shown));
        let mut widths = [
            (VISITOR, true),
            (AGENTS, has(Col::Agents)),
            (DEPT, has(Col::Dept)),
            (WRAP_UP, has(Col::WrapUp)),
        ]
        .map(|((min, max), on)| if on { (min, max) } else { (0, 0) });
        while spare > 0 {
            let open: Vec<usize> = (0..4).filter(|&i| widths[i].0 < widths[i].1).collect();
            if open.is_empty() {
                break;
            }
            // Visitor names are the longest text in a row: they grow twice as fast.
            for i in open {
                for _ in 0..if i == 0 { 2 } else { 1 } {
                    if spare > 0 && widths[i].0 < widths[i].1 {
                        widths[i].0 += 1;
                        spare -= 1;
                    }
                }
            }
        }
        order.retain(|c| has(*c));
        Columns {
            order,
            time,
            visitor: widths[0].0,
            agents: widths[1].0,
            dept: widths[2].0,
            wrap_up: widths[3].0,
            wait: has(Col::Wait),
            frt: has(Col::Frt),
            dur: has(Col::Dur),
            rating: has(Col::Rating),
            reply: has(Col::Reply),
            last: has(Col::Last),
            score: has(Col::Score),
        }
    }

    /// The cells a row of these columns takes (one more for a sorted rating's mark).
    pub fn used(&self) -> usize {
        let names: usize = [self.agents, self.dept, self.wrap_up]
            .iter()
            .map(|w| if *w > 0 { w + 1 } else { 0 })
            .sum();
        BADGE
            + self.time
            + 1
            + self.visitor
            + 1
            + names
            + usize::from(self.wait) * (WAIT + 1)
            + usize::from(self.frt) * (FRT + 1)
            + usize::from(self.dur) * (DUR + 1)
            + usize::from(self.rating) * (RATING + 1)
            + usize::from(self.reply) * (REPLY + 1)
            + usize::from(self.last) * (LAST + 1)
            + usize::from(self.score) * (SCORE + 1)
    }

    /// Room a `width`-wide list has beyond every column's maximum goes to the name columns
    /// still cut (`wants`: the widest visitor, agents, department and wrap-up on screen), a
    /// cell each in turn: a wide terminal shows `Technical Support` whole rather than leave
    /// the room empty or spread the columns apart.
    pub fn widen(&mut self, width: usize, wants: [usize; 4]) {
        let mut spare = width.saturating_sub(self.used());
        let mut cols = [
            &mut self.visitor,
            &mut self.agents,
            &mut self.dept,
            &mut self.wrap_up,
        ];
        while spare > 0 {
            let mut grew = false;
            for (c, want) in cols.iter_mut().zip(wants) {
                if spare > 0 && **c > 0 && **c < want {
                    **c += 1;
                    spare -= 1;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
    }

    /// Whether dates are cut to `10-31 23:57`.
    pub fn short_time(&self) -> bool {
        self.time < TIME_FULL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_column_is_never_the_one_dropped() {
        for sort in SortKey::ALL {
            for width in 20..200 {
                let c = Columns::for_width(width, Some(sort), None);
                match sort {
                    SortKey::Wait => assert!(c.wait, "{width}"),
                    SortKey::Frt => assert!(c.frt, "{width}"),
                    SortKey::Duration => assert!(c.dur, "{width}"),
                    SortKey::Rating => assert!(c.rating, "{width}"),
                    SortKey::Agent => assert!(c.agents > 0, "{width}"),
                    SortKey::Reply => assert!(c.reply && !c.last, "{width}"),
                    SortKey::Score => assert!(c.score, "{width}"),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn the_score_column_shows_when_chosen_or_sorted_on() {
        assert!(!Columns::for_width(160, None, None).score);
        assert!(Columns::for_width(160, None, Some(&[Column::Score])).score);
        assert!(Columns::for_width(160, Some(SortKey::Score), None).score);
    }

    #[test]
    fn columns_give_way_in_order_and_stop_growing() {
        let wide = Columns::for_width(200, None, None);
        assert_eq!(
            (wide.visitor, wide.agents, wide.dept, wide.wrap_up),
            (24, 28, 20, 20)
        );
        assert!(wide.wait && wide.frt && wide.dur && wide.rating && !wide.short_time());
        // The wrap-up goes first (when the names would get less than their share), then the
        // department.
        let at_117 = Columns::for_width(115, None, None);
        assert!(at_117.wrap_up > 0 && at_117.visitor >= 18, "{at_117:?}");
        let at_110 = Columns::for_width(108, None, None);
        assert!(at_110.wrap_up == 0 && at_110.frt, "{at_110:?}");
        let at_100 = Columns::for_width(98, None, None);
        assert!(at_100.wrap_up == 0 && at_100.dept > 0, "{at_100:?}");
        let at_60 = Columns::for_width(58, None, None);
        assert!(at_60.short_time() && at_60.dept == 0 && !at_60.frt);
        assert!(at_60.dur && at_60.wait && at_60.rating && at_60.agents > 0);
        let at_52 = Columns::for_width(50, Some(SortKey::Wait), None);
        assert!(at_52.wait && !at_52.dur && at_52.rating);
        let at_52_by_dur = Columns::for_width(50, Some(SortKey::Duration), None);
        assert!(at_52_by_dur.dur && !at_52_by_dur.wait);
    }

    #[test]
    fn a_row_never_needs_more_than_the_width_it_has() {
        for width in 40..200 {
            for sort in [None, Some(SortKey::Wait), Some(SortKey::Agent)] {
                let c = Columns::for_width(width, sort, None);
                let used = BADGE
                    + c.time
                    + 1
                    + c.visitor
                    + 1
                    + [c.agents, c.dept, c.wrap_up]
                        .iter()
                        .map(|w| if *w > 0 { w + 1 } else { 0 })
                        .sum::<usize>()
                    + usize::from(c.wait) * (WAIT + 1)
                    + usize::from(c.frt) * (FRT + 1)
                    + usize::from(c.dur) * (DUR + 1)
                    + usize::from(c.rating) * RATING;
                assert!(used <= width.max(40), "{width} {sort:?}: {used}");
            }
        }
        let beside = Columns::for_width(123, None, None);
        assert!(beside.wrap_up > 0 && beside.dept > 0, "{beside:?}");
    }

    #[test]
    fn room_beyond_the_maximums_goes_to_cut_names() {
        let mut c = Columns::for_width(198, None, None);
        assert_eq!(c.dept, DEPT.1);
        c.widen(198, [10, 10, 26, 30]);
        assert_eq!((c.visitor, c.agents, c.dept), (24, 28, 26), "{c:?}");
        assert!(c.wrap_up > WRAP_UP.1 && c.used() <= 198, "{c:?}");
        let mut narrow = Columns::for_width(80, None, None);
        let before = narrow.clone();
        narrow.widen(80, [99, 99, 99, 99]);
        assert_eq!(narrow, before, "no room, no change");
    }

    #[test]
    fn the_config_chooses_columns_but_the_sort_column_stays() {
        let chosen = [Column::Visitor, Column::Rating];
        let c = Columns::for_width(200, None, Some(&chosen));
        assert!(c.rating && !c.wait && !c.dur && c.agents == 0 && c.dept == 0);
        assert!(c.visitor > 0 && c.time > 0);
        let by_wait = Columns::for_width(200, Some(SortKey::Wait), Some(&chosen));
        assert!(by_wait.wait && by_wait.rating && !by_wait.dur);
    }

    /// The reply and last-from columns are optional: off by default, on when named (in the
    /// config's order), and the longest reply while the list is sorted by it.
    #[test]
    fn reply_and_last_show_when_named_or_sorted_on() {
        let plain = Columns::for_width(200, None, None);
        assert!(!plain.reply && !plain.last, "{plain:?}");
        let by_reply = Columns::for_width(200, Some(SortKey::Reply), None);
        assert!(by_reply.reply && !by_reply.last);
        assert_eq!(by_reply.order.last(), Some(&Col::Reply));
        let chosen = [Column::Last, Column::Visitor, Column::Reply];
        let named = Columns::for_width(200, None, Some(&chosen));
        assert_eq!(named.order, [Col::Last, Col::Reply]);
        assert!(named.used() <= 200);
        let narrow = Columns::for_width(40, Some(SortKey::Reply), Some(&chosen));
        assert!(narrow.reply && !narrow.last, "{narrow:?}");
    }
}
