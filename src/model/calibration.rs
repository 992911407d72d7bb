//! Calibration: how far reviewers agree on the chats two or more of them scored. Per criterion
//! the share of chats where every reviewer gave the same value; the spread of the score (max −
//! min) averaged over chats; and per reviewer the mean difference from each chat's mean score,
//! which says who scores harder.

use super::score::Scorecard;
use serde::Serialize;
use std::collections::BTreeMap;

/// `calibrate --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Chats with scorecards from two or more reviewers.
    pub chats: usize,
    /// By criterion id (A-Z).
    pub criteria: Vec<Agreement>,
    /// The mean over chats of max − min score, in points; null when no chat has two scores.
    pub spread_mean: Option<f64>,
    /// By reviewer name (A-Z).
    pub reviewers: Vec<Offset>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub id: String,
    /// The share (0 to 1, three decimals) of chats where all its reviewers gave the same value
    /// (N/A counts as a value), over chats where two or more rated the criterion.
    pub agreement: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offset {
    pub by: String,
    /// Chats this reviewer scored among those compared.
    pub chats: usize,
    /// Mean of (their score − the chat's mean score), in points, one decimal: below 0 scores
    /// harder than the others.
    pub mean_offset: f64,
}

fn round(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

/// Calibration over each chat's scorecards (one per reviewer), keeping only those of `rubric`
/// when given.
pub fn calibrate<'a>(
    chats: impl IntoIterator<Item = &'a [Scorecard]>,
    rubric: Option<&str>,
) -> Calibration {
    let mut compared = 0usize;
    let mut agree: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut spread_sum, mut spread_n) = (0i64, 0usize);
    let mut offsets: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for cards in chats {
        let cards: Vec<&Scorecard> = cards
            .iter()
            .filter(|c| rubric.is_none_or(|r| c.rubric == r))
            .collect();
        if cards.len() < 2 {
            continue;
        }
        compared += 1;
        let ids: std::collections::BTreeSet<&str> = cards
            .iter()
            .flat_map(|c| c.items.keys().map(String::as_str))
            .collect();
        for id in ids {
            let values: Vec<_> = cards.iter().filter_map(|c| c.items.get(id)).collect();
            if values.len() < 2 {
                continue;
            }
            let e = agree.entry(id).or_default();
            e.1 += 1;
            if values.windows(2).all(|w| w[0] == w[1]) {
                e.0 += 1;
            }
        }
        let scores: Vec<(&str, i64)> = cards
            .iter()
            .filter_map(|c| Some((c.author.as_str(), c.score()?)))
            .collect();
        if scores.len() < 2 {
            continue;
        }
        let (lo, hi) = scores
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), (_, s)| {
                (lo.min(*s), hi.max(*s))
            });
        spread_sum += hi - lo;
        spread_n += 1;
        let mean = scores.iter().map(|(_, s)| *s as f64).sum::<f64>() / scores.len() as f64;
        for (by, s) in scores {
            let e = offsets.entry(by).or_default();
            e.0 += (s as f64 - mean) / 10.0;
            e.1 += 1;
        }
    }
    Calibration {
        chats: compared,
        criteria: agree
            .into_iter()
            .map(|(id, (same, n))| Agreement {
                id: id.to_string(),
                agreement: round(same as f64 / n as f64, 3),
            })
            .collect(),
        spread_mean: (spread_n > 0).then(|| round(spread_sum as f64 / 10.0 / spread_n as f64, 1)),
        reviewers: offsets
            .into_iter()
            .map(|(by, (sum, n))| Offset {
                by: by.to_string(),
                chats: n,
                mean_offset: round(sum / n as f64, 1) + 0.0,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::score::Value;

    fn card(by: &str, a: u32, b: Option<Value>) -> Scorecard {
        Scorecard {
            author: by.into(),
            at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            rubric: "qa".into(),
            items: [
                ("a".to_string(), Some(Value::Points(a))),
                ("b".to_string(), b),
            ]
            .into_iter()
            .collect(),
            max: [("a".to_string(), 4)].into_iter().collect(),
            comment: None,
        }
    }

    #[test]
    fn agreement_spread_and_who_scores_harder() {
        let c1 = [card("ann", 2, None), card("bob", 4, None)];
        let c2 = [
            card("ann", 3, Some(Value::Pass)),
            card("bob", 3, Some(Value::Pass)),
        ];
        let single = [card("ann", 1, None)];
        let cal = calibrate([&c1[..], &c2[..], &single[..]], None);
        assert_eq!(cal.chats, 2);
        assert_eq!(
            cal.criteria,
            [
                Agreement {
                    id: "a".into(),
                    agreement: 0.5
                },
                Agreement {
                    id: "b".into(),
                    agreement: 1.0
                },
            ]
        );
        // Spreads 50 and 0.
        assert_eq!(cal.spread_mean, Some(25.0));
        assert_eq!(cal.reviewers[0].by, "ann");
        assert_eq!(cal.reviewers[0].mean_offset, -12.5);
        assert_eq!(cal.reviewers[1].mean_offset, 12.5);
        assert_eq!(cal.reviewers[1].chats, 2);
        let other = calibrate([&c1[..]], Some("other"));
        assert_eq!(other.chats, 0);
        assert_eq!(other.spread_mean, None);
    }
}
