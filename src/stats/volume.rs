//! Chat starts over time, per day or (over a short range) per hour, in the report's zone.

use chrono::{DateTime, NaiveDateTime};

/// At most this many buckets are kept (the newest): ten years of days.
pub const MAX_BUCKETS: usize = 3660;

/// Spans up to this many hours are shown per hour, longer ones per day.
const HOURLY_UP_TO: i64 = 72;

const HOUR_MS: i64 = 3_600_000;

/// Contiguous counts of chat starts from `start` on, one per hour or per day (empty ones too).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Volume {
    pub hourly: bool,
    /// Wall-clock time (in the report's zone) the first bucket begins at.
    pub start: Option<NaiveDateTime>,
    pub counts: Vec<usize>,
}

impl Volume {
    /// From the wall-clock start times (milliseconds, as if the wall clock were UTC).
    pub fn build(walls: &[i64]) -> Volume {
        let (Some(&lo), Some(&hi)) = (walls.iter().min(), walls.iter().max()) else {
            return Volume::default();
        };
        let hourly = hi.div_euclid(HOUR_MS) - lo.div_euclid(HOUR_MS) < HOURLY_UP_TO;
        let width = if hourly { HOUR_MS } else { 24 * HOUR_MS };
        let last = hi.div_euclid(width);
        let first = lo.div_euclid(width).max(last - (MAX_BUCKETS as i64 - 1));
        let mut counts = vec![0; usize::try_from(last - first + 1).unwrap_or(0)];
        for &w in walls {
            if let Ok(i) = usize::try_from(w.div_euclid(width) - first) {
                counts[i] += 1;
            }
        }
        Volume {
            hourly,
            start: DateTime::from_timestamp_millis(first.saturating_mul(width))
                .map(|t| t.naive_utc()),
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_hour_over_a_short_range_per_day_over_a_long_one() {
        let h = HOUR_MS;
        let v = Volume::build(&[10 * h, 10 * h + 5, 12 * h]);
        assert!(v.hourly);
        assert_eq!(v.counts, vec![2, 0, 1]);
        assert_eq!(v.start.unwrap().to_string(), "1970-01-01 10:00:00");
        let v = Volume::build(&[0, 24 * h, 5 * 24 * h + 1]);
        assert!(!v.hourly);
        assert_eq!(v.counts, vec![1, 1, 0, 0, 0, 1]);
        assert_eq!(Volume::build(&[]), Volume::default());
    }

    #[test]
    fn far_apart_dates_keep_the_newest_buckets() {
        let v = Volume::build(&[i64::MIN / 2, 0, 10_000 * 24 * HOUR_MS]);
        assert_eq!(v.counts.len(), MAX_BUCKETS);
        assert_eq!(v.counts.iter().sum::<usize>(), 1);
    }
}
