//! Nearest-rank percentiles: one definition for the statistics and for a chat's own reply times.

/// Nearest-rank percentile: the smallest value such that at least `pct`% of the values are ≤ it
/// (the value at rank ⌈pct/100 × n⌉ in ascending order). `None` for no values. Reorders `values`
/// (selection, linear time, instead of a full sort).
pub fn percentile(values: &mut [u64], pct: usize) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let rank = (pct * values.len()).div_ceil(100).clamp(1, values.len());
    let (_, v, _) = values.select_nth_unstable(rank - 1);
    Some(*v)
}
