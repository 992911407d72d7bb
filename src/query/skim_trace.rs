//! Which characters a fuzzy word matched: skim's `fuzzy_indices`, on the full score matrix with
//! the same constants and tie rules as [`super::skim`], always starting fresh.
//!
//! Why not the crate's `fuzzy_indices`: it shares the state-dependent matrix cache described in
//! [`super::skim`], so the marks it returns could disagree with the score that ranked the row.
//! Here the score of the traced path is the score [`super::skim`] gives (a test checks it), so what
//! the list marks is what matched. Only names are traced (a few dozen characters), so the full
//! matrix costs nothing worth compressing.

use super::skim::{bonuses, match_score, GAP_EXTENSION, GAP_START, NEG_INFINITY};

#[derive(Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
    /// How `m` was reached: from a match on the row above (`true`) or from a skip.
    m_match: bool,
    /// How `p` was reached: by opening a gap after a match (`true`) or extending one.
    p_match: bool,
}

const FRESH: Cell = Cell {
    m: NEG_INFINITY,
    p: NEG_INFINITY,
    bonus: 0,
    m_match: false,
    p_match: false,
};

/// The positions in `choice` (indices into the slice) that `pattern` matched, and the score;
/// `None` when it does not match. `sensitive` as in [`super::skim::Scratch::score`].
pub(crate) fn positions(
    choice: &[char],
    pattern: &[char],
    sensitive: bool,
) -> Option<(i32, Vec<usize>)> {
    if pattern.is_empty() {
        return Some((0, Vec::new()));
    }
    let first = first_matches(choice, pattern, sensitive)?;
    let cols = choice.len() + 1;
    let rows = pattern.len() + 1;
    let bonus = bonuses(choice.iter().copied());
    let mut m = vec![FRESH; rows * cols];
    for cell in &mut m[..cols] {
        cell.p = GAP_EXTENSION;
    }
    for (i, &p_ch) in pattern.iter().enumerate() {
        let (row, prev) = ((i + 1) * cols, i * cols);
        for col in first[i] + 1..cols {
            let last = col - 1;
            if let Some(score) = match_score(choice[last], p_ch, sensitive) {
                let in_place = bonus[col];
                let consecutive = m[row + last]
                    .bonus
                    .max(in_place.max(super::skim::BONUS_CONSECUTIVE));
                m[row + last].bonus = consecutive;
                let score_match = m[prev + last].m + consecutive;
                let score_skip = m[prev + last].p + in_place;
                m[row + col].m_match = score_match >= score_skip;
                m[row + col].m = score_match.max(score_skip) + score;
            } else {
                m[row + col].m = NEG_INFINITY;
                m[row + col].m_match = false;
                m[row + col].bonus = 0;
            }
            let gap_open = GAP_START + GAP_EXTENSION + m[row + last].m;
            let gap_extend = GAP_EXTENSION + m[row + last].p;
            m[row + col].p_match = gap_open >= gap_extend;
            m[row + col].p = gap_open.max(gap_extend);
        }
    }
    let last_row = (rows - 1) * cols;
    // The last of the best cells, as `Iterator::max_by_key` picks it in the crate.
    let (end, score) = (first[pattern.len() - 1]..cols)
        .map(|col| (col, m[last_row + col].m))
        .fold(
            (0, i32::MIN),
            |best, c| if c.1 >= best.1 { c } else { best },
        );
    let mut picked = Vec::with_capacity(pattern.len());
    let (mut i, mut j) = (rows - 1, end);
    let (mut track_m, mut matched) = (true, true);
    while i > 0 && j > first[0] {
        if matched {
            picked.push(j - 1);
        }
        let cell = m[i * cols + j];
        matched = if track_m { cell.m_match } else { cell.p_match };
        if track_m {
            i -= 1;
        }
        j -= 1;
        track_m = matched;
    }
    picked.reverse();
    Some((score, picked))
}

/// The first greedy match of every pattern character, or `None` when one is missing.
fn first_matches(choice: &[char], pattern: &[char], sensitive: bool) -> Option<Vec<usize>> {
    let mut first = Vec::with_capacity(pattern.len());
    let mut want = pattern.iter();
    let mut next = want.next();
    for (i, &c) in choice.iter().enumerate() {
        match next {
            Some(&p) if match_score(c, p, sensitive).is_some() => {
                first.push(i);
                next = want.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    next.is_none().then_some(first)
}
