//! Scorecards and their arithmetic: what one reviewer gave each criterion of a rubric, the
//! scorecard's score, and a chat's score over its reviewers. Plain data and pure functions, so
//! the query language, stats, export and the journals all compute the same number.
//!
//! Scores are kept in tenths (`833` is 83.3) so that rounding happens once, exactly, in integers:
//! no two machines can disagree on a float's last digit.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// What a reviewer gave one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// Points out of the criterion's maximum.
    Points(u32),
    /// An auto-fail criterion met.
    Pass,
    /// An auto-fail criterion failed: the scorecard scores 0.
    Fail,
}

/// One reviewer's scorecard on a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub author: String,
    pub at: DateTime<Utc>,
    /// The rubric's name (`rubrics/NAME.toml`, or a rubric file's stem).
    pub rubric: String,
    /// Every criterion of the rubric: its value, `None` for N/A.
    pub items: BTreeMap<String, Option<Value>>,
    /// The most each points criterion gives, as the rubric said when the card was recorded: the
    /// score stays what it was even if the rubric changes later.
    pub max: BTreeMap<String, u32>,
    pub comment: Option<String>,
}

impl Scorecard {
    /// The score in tenths: [`score_tenths`] over the items.
    pub fn score(&self) -> Option<i64> {
        score_tenths(
            self.items
                .iter()
                .filter_map(|(id, v)| Some((v.as_ref()?, self.max.get(id).copied()))),
        )
    }
}

/// Score = points earned ÷ points possible × 100, rounded half up to one decimal, in tenths.
/// Items are (value, maximum) for every criterion not N/A. A failed auto-fail criterion gives 0;
/// no item at all gives `None`; only passed auto-fail criteria (nothing to lose) give 100.
pub fn score_tenths<'a>(items: impl IntoIterator<Item = (&'a Value, Option<u32>)>) -> Option<i64> {
    let (mut earned, mut possible, mut any) = (0i64, 0i64, false);
    for (value, max) in items {
        any = true;
        match value {
            Value::Fail => return Some(0),
            Value::Pass => {}
            Value::Points(p) => {
                let max = i64::from(max.unwrap_or(0));
                earned += i64::from(*p).min(max);
                possible += max;
            }
        }
    }
    if !any {
        return None;
    }
    if possible == 0 {
        return Some(1000);
    }
    // round(earned / possible × 1000), half up, in integers.
    Some((earned * 2000 + possible) / (2 * possible))
}

/// The mean of some scores in tenths, rounded half up; `None` when there are none.
pub fn mean_tenths(scores: impl IntoIterator<Item = i64>) -> Option<i64> {
    let (mut sum, mut n) = (0i64, 0i64);
    for s in scores {
        sum += s;
        n += 1;
    }
    (n > 0).then(|| (sum * 2 + n).div_euclid(2 * n))
}

/// The mean of `n` scores summing to `sum` (tenths), rounded half up; `None` when `n` is 0.
pub fn mean_tenths_of(sum: i64, n: usize) -> Option<i64> {
    let n = i64::try_from(n).ok().filter(|n| *n > 0)?;
    Some((sum * 2 + n).div_euclid(2 * n))
}

/// A chat's score: the mean of its reviewers' scorecards that have a score (each reviewer's
/// latest only: the journal merge keeps one per reviewer).
pub fn chat_score(cards: &[Scorecard]) -> Option<i64> {
    mean_tenths(cards.iter().filter_map(Scorecard::score))
}

/// Tenths as the number shown and written to JSON: `833` is `83.3`.
pub fn as_number(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// One value as text: `2/3`, `pass`, `fail`, `n/a`.
pub fn item_text(v: Option<Value>, max: Option<u32>) -> String {
    match v {
        None => "n/a".into(),
        Some(Value::Pass) => "pass".into(),
        Some(Value::Fail) => "fail".into(),
        Some(Value::Points(p)) => format!("{p}/{}", max.unwrap_or(p)),
    }
}

/// Tenths as text: `83.3`, `100.0`, `-2.5`.
pub fn shown(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card(items: &[(&str, Option<Value>, u32)]) -> Scorecard {
        Scorecard {
            author: "a".into(),
            at: DateTime::<Utc>::UNIX_EPOCH,
            rubric: "qa".into(),
            items: items
                .iter()
                .map(|(id, v, _)| (id.to_string(), *v))
                .collect(),
            max: items
                .iter()
                .filter(|(_, _, m)| *m > 0)
                .map(|(id, _, m)| (id.to_string(), *m))
                .collect(),
            comment: None,
        }
    }

    #[test]
    fn points_over_possible_rounded_to_one_decimal() {
        let c = card(&[
            ("a", Some(Value::Points(2)), 2),
            ("b", Some(Value::Points(1)), 2),
            ("c", Some(Value::Points(2)), 2),
        ]);
        assert_eq!(c.score(), Some(833));
        assert_eq!(shown(833), "83.3");
        // 2/3 = 66.666… → 66.7
        let c = card(&[("a", Some(Value::Points(2)), 3)]);
        assert_eq!(c.score(), Some(667));
    }

    #[test]
    fn na_is_left_out_of_both_sides() {
        let c = card(&[("a", Some(Value::Points(1)), 1), ("b", None, 4)]);
        assert_eq!(c.score(), Some(1000));
    }

    #[test]
    fn all_na_has_no_score_and_a_fail_is_zero() {
        assert_eq!(card(&[("a", None, 2), ("b", None, 0)]).score(), None);
        let c = card(&[
            ("a", Some(Value::Points(2)), 2),
            ("x", Some(Value::Fail), 0),
        ]);
        assert_eq!(c.score(), Some(0));
        let c = card(&[
            ("a", Some(Value::Points(2)), 2),
            ("x", Some(Value::Pass), 0),
        ]);
        assert_eq!(c.score(), Some(1000));
    }

    #[test]
    fn chat_score_is_the_mean_of_scored_cards() {
        let a = card(&[("a", Some(Value::Points(1)), 2)]);
        let b = card(&[("a", Some(Value::Points(2)), 2)]);
        let none = card(&[("a", None, 2)]);
        assert_eq!(chat_score(&[a.clone(), b, none.clone()]), Some(750));
        assert_eq!(chat_score(&[none]), None);
        assert_eq!(chat_score(&[]), None);
        assert_eq!(chat_score(&[a]), Some(500));
    }

    fn value() -> impl Strategy<Value = (Option<Value>, u32)> {
        prop_oneof![
            (1u32..6).prop_flat_map(|m| (0..=m).prop_map(move |p| (Some(Value::Points(p)), m))),
            (1u32..6).prop_map(|m| (None, m)),
            Just((Some(Value::Pass), 0)),
            Just((None, 0)),
            Just((Some(Value::Fail), 0)),
        ]
    }

    proptest! {
        /// Any card: the score is within 0..=100, is 0 exactly when a criterion failed (or nothing
        /// was earned), `None` exactly when every item is N/A, and matches the float formula.
        #[test]
        fn score_rules(items in prop::collection::vec(value(), 0..8)) {
            let named: Vec<(String, Option<Value>, u32)> = items
                .iter()
                .enumerate()
                .map(|(i, (v, m))| (format!("c{i}"), *v, *m))
                .collect();
            let refs: Vec<(&str, Option<Value>, u32)> =
                named.iter().map(|(id, v, m)| (id.as_str(), *v, *m)).collect();
            let c = card(&refs);
            let given: Vec<_> = items.iter().filter(|(v, _)| v.is_some()).collect();
            let score = c.score();
            if given.is_empty() {
                prop_assert_eq!(score, None);
                return Ok(());
            }
            let s = score.unwrap();
            prop_assert!((0..=1000).contains(&s));
            if given.iter().any(|(v, _)| *v == Some(Value::Fail)) {
                prop_assert_eq!(s, 0);
                return Ok(());
            }
            let (earned, possible) = given.iter().fold((0u32, 0u32), |(e, p), (v, m)| match v {
                Some(Value::Points(x)) => (e + x, p + m),
                _ => (e, p),
            });
            let want = if possible == 0 { 1000 } else {
                (f64::from(earned) / f64::from(possible) * 1000.0 + 1e-9).round() as i64
            };
            prop_assert_eq!(s, want);
        }

        /// Two reviewers: the chat's score lies between theirs, and is symmetric.
        #[test]
        fn two_reviewers_mean(a in 0i64..=1000, b in 0i64..=1000) {
            let m = mean_tenths([a, b]).unwrap();
            prop_assert!(a.min(b) <= m && m <= a.max(b));
            prop_assert_eq!(Some(m), mean_tenths([b, a]));
        }
    }
}
