//! The score of fuzzy-matcher 0.3.7's `SkimMatcherV2::fuzzy_match` (default configuration), computed
//! without allocating.
//!
//! Why not call the crate: its matcher keeps its score matrix in a thread-local cache and reads
//! cells a call did not write, so the same (choice, pattern) can score differently depending on what
//! the thread matched before (`"aab"` in `"aab"`: 71 on a fresh matcher, 74 after matching
//! `"A-A-A-A-A-A-A-A-A-A"`); `use_cache(false)` panics (`RefCell already borrowed`); and every call
//! allocates several vectors. This is the same algorithm, line for line (two-row compressed
//! matrix, same constants, same tie rules), with the matrix always starting fresh: the scores
//! equal those of a newly built matcher, which the differential test checks.

/// `SkimScoreConfig::default()`.
pub(super) const SCORE_MATCH: i32 = 16;
pub(super) const GAP_START: i32 = -3;
pub(super) const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
pub(super) const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const PENALTY_CASE_MISMATCH: i32 = GAP_EXTENSION * 2;
pub(super) const NEG_INFINITY: i32 = i16::MIN as i32;

#[derive(Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
}

const FRESH: Cell = Cell {
    m: NEG_INFINITY,
    p: NEG_INFINITY,
    bonus: 0,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

/// [`kind_of`] for every ASCII character, looked up instead of matched: computing the kind of
/// each character is most of the work of scoring one.
const ASCII_KINDS: [Kind; 128] = {
    let mut table = [Kind::Lower; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = kind_of(b as u8 as char);
        b += 1;
    }
    table
};

#[inline]
fn kind(c: char) -> Kind {
    match ASCII_KINDS.get(c as usize) {
        Some(&k) => k,
        None => Kind::Lower,
    }
}

const fn kind_of(c: char) -> Kind {
    match c {
        '\0' => Kind::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Kind::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Kind::SoftSep,
        '0'..='9' => Kind::Number,
        'A'..='Z' => Kind::Upper,
        _ => Kind::Lower,
    }
}

#[inline]
fn in_place_bonus(prev: Kind, cur: Kind) -> i32 {
    match (prev, cur) {
        (Kind::Empty | Kind::HardSep, _) => BONUS_HEAD,
        (Kind::SoftSep, _) => BONUS_BREAK,
        (Kind::Lower | Kind::Number, Kind::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

#[inline]
pub(super) fn match_score(c: char, p: char, sensitive: bool) -> Option<i32> {
    if sensitive {
        return (c == p).then_some(SCORE_MATCH);
    }
    if !c.eq_ignore_ascii_case(&p) {
        return None;
    }
    Some(if c == p {
        SCORE_MATCH
    } else {
        (SCORE_MATCH + PENALTY_CASE_MISMATCH).max(0)
    })
}

/// A character of the choice: a byte of an ASCII choice (no decoding) or a decoded `char`.
trait Unit: Copy {
    fn ch(self) -> char;
}

impl Unit for u8 {
    #[inline]
    fn ch(self) -> char {
        char::from(self)
    }
}

impl Unit for char {
    #[inline]
    fn ch(self) -> char {
        self
    }
}

/// A one-character pattern, in closed form: with a single pattern row the matrix reduces to the best
/// `gap_extension + in-place bonus + match score` over the matching positions.
fn single<T: Unit>(choice: &[T], p: char, sensitive: bool) -> Option<i32> {
    let mut best = None;
    let mut prev = Kind::Empty;
    for (i, c) in choice.iter().map(|c| c.ch()).enumerate() {
        let k = kind(c);
        if let Some(score) = match_score(c, p, sensitive) {
            let mut bonus = in_place_bonus(prev, k);
            if i == 0 {
                bonus *= BONUS_FIRST_CHAR_MULTIPLIER;
            }
            best = best.max(Some(GAP_EXTENSION + bonus + score));
        }
        prev = k;
    }
    best
}

/// The in-place bonus of every column (column 0 is before the first character), the first
/// character's doubled: `build_in_place_bonus`.
fn fill_bonuses(bonus: &mut Vec<i32>, choice: impl Iterator<Item = char>) {
    bonus.clear();
    bonus.push(0);
    let mut prev = Kind::Empty;
    for c in choice {
        let k = kind(c);
        bonus.push(in_place_bonus(prev, k));
        prev = k;
    }
    if let Some(first) = bonus.get_mut(1) {
        *first *= BONUS_FIRST_CHAR_MULTIPLIER;
    }
}

/// [`fill_bonuses`] into a new vector.
pub(super) fn bonuses(choice: impl Iterator<Item = char>) -> Vec<i32> {
    let mut bonus = Vec::new();
    fill_bonuses(&mut bonus, choice);
    bonus
}

/// Reusable buffers; one per thread is enough.
#[derive(Default)]
pub(crate) struct Scratch {
    choice: Vec<char>,
    pattern: Vec<char>,
    buffers: Buffers,
}

#[derive(Default)]
struct Buffers {
    first: Vec<usize>,
    bonus: Vec<i32>,
    cells: Vec<Cell>,
}

impl Scratch {
    /// `SkimMatcherV2::default()` with `respect_case()` (`sensitive`) or `ignore_case()`, then
    /// `fuzzy_match(choice, pattern)`; `choice` folded first when `fold` (see [`crate::fold::accents`]).
    pub fn score(
        &mut self,
        choice: &str,
        pattern: &str,
        sensitive: bool,
        fold: bool,
    ) -> Option<i64> {
        if pattern.is_empty() {
            return Some(0);
        }
        self.pattern.clear();
        self.pattern.extend(pattern.chars());
        let score = if !fold && choice.is_ascii() {
            self.buffers
                .run(choice.as_bytes(), &self.pattern, sensitive)
        } else {
            self.choice.clear();
            if fold {
                for c in choice.chars() {
                    crate::fold::accents::unaccent_into(c, |f| self.choice.push(f));
                }
            } else {
                self.choice.extend(choice.chars());
            }
            self.buffers.run(&self.choice, &self.pattern, sensitive)
        };
        score.map(i64::from)
    }
}

impl Buffers {
    fn run<T: Unit>(&mut self, choice: &[T], pattern: &[char], sensitive: bool) -> Option<i32> {
        if let [p] = pattern {
            return single(choice, *p, sensitive);
        }
        // First greedy match of every pattern character (`cheap_matches`).
        self.first.clear();
        let mut want = pattern.iter();
        let mut next = want.next();
        for (i, c) in choice.iter().enumerate() {
            match next {
                Some(&p) if match_score(c.ch(), p, sensitive).is_some() => {
                    self.first.push(i);
                    next = want.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        if next.is_some() {
            return None;
        }
        Some(self.matrix(choice, pattern, sensitive))
    }

    /// `build_score_matrix` in compressed mode, then the best score of the last row.
    fn matrix<T: Unit>(&mut self, choice: &[T], pattern: &[char], sensitive: bool) -> i32 {
        let Buffers {
            first,
            bonus,
            cells,
        } = self;
        let cols = choice.len() + 1;
        fill_bonuses(bonus, choice.iter().map(|c| c.ch()));
        let bonus = &bonus[..cols];
        cells.clear();
        let row0 = Cell {
            m: NEG_INFINITY,
            p: GAP_EXTENSION,
            bonus: 0,
        };
        cells.resize(cols, row0);
        cells.resize(2 * cols, FRESH);
        let (even, odd) = cells.split_at_mut(cols);

        for (i, &p_ch) in pattern.iter().enumerate() {
            // Row i + 1 is written from row i; the two rows alternate.
            let (cur_row, prev_row) = if i & 1 == 0 {
                (&mut *odd, &*even)
            } else {
                (&mut *even, &*odd)
            };
            for col in first[i] + 1..cols {
                let last = col - 1;
                if let Some(score) = match_score(choice[last].ch(), p_ch, sensitive) {
                    let in_place = bonus[col];
                    let consecutive = cur_row[last].bonus.max(in_place.max(BONUS_CONSECUTIVE));
                    cur_row[last].bonus = consecutive;
                    let score_match = prev_row[last].m + consecutive;
                    let score_skip = prev_row[last].p + in_place;
                    cur_row[col].m = score_match.max(score_skip) + score;
                } else {
                    cur_row[col].m = NEG_INFINITY;
                    cur_row[col].bonus = 0;
                }
                let gap_open = GAP_START + GAP_EXTENSION + cur_row[last].m;
                let gap_extend = GAP_EXTENSION + cur_row[last].p;
                cur_row[col].p = gap_open.max(gap_extend);
            }
        }
        let last_row = if pattern.len() & 1 == 0 { even } else { odd };
        let from = first[pattern.len() - 1];
        last_row[from..]
            .iter()
            .map(|c| c.m)
            .max()
            .unwrap_or(NEG_INFINITY)
    }
}
