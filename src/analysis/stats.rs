//! Small statistics shared by summaries and groups. Percentiles are nearest-rank (the smallest
//! sample with at least p% of samples at or below it), so every reported figure is a value that
//! actually occurred, which is what users check against their own logs.

use serde::Serialize;

/// The nearest-rank percentile `p` (0–100) of `sorted` (ascending). `None` for no samples.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// Latency figures over a set of calls, in ns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LatencyStats {
    /// Calls with a measured duration (running spans have none and are left out).
    pub samples: usize,
    pub total_ns: i64,
    pub mean_ns: f64,
    pub p50_ns: i64,
    pub p95_ns: i64,
    pub max_ns: i64,
}

impl LatencyStats {
    /// Sorts `samples` in place and computes the figures.
    pub fn from_samples(samples: &mut [i64]) -> LatencyStats {
        if samples.is_empty() {
            return LatencyStats::default();
        }
        crate::sorting::sort_i64(samples);
        let total: i64 = samples.iter().sum();
        LatencyStats {
            samples: samples.len(),
            total_ns: total,
            mean_ns: total as f64 / samples.len() as f64,
            p50_ns: nearest_rank(samples, 50.0).unwrap_or(0),
            p95_ns: nearest_rank(samples, 95.0).unwrap_or(0),
            max_ns: *samples.last().unwrap_or(&0),
        }
    }
}

/// A distribution of one figure across runs (used by groups).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Distribution {
    pub n: usize,
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

impl Distribution {
    /// Ignores NaN samples (a figure a run does not have).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Distribution {
        let mut v: Vec<f64> = values.into_iter().filter(|x| !x.is_nan()).collect();
        if v.is_empty() {
            return Distribution::default();
        }
        crate::sorting::sort_by(&mut v, |a, b| a.total_cmp(b));
        let n = v.len();
        Distribution {
            n,
            mean: v.iter().sum::<f64>() / n as f64,
            p50: nearest_rank(&v, 50.0).unwrap_or(0.0),
            p95: nearest_rank(&v, 95.0).unwrap_or(0.0),
            min: v[0],
            max: v[n - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_matches_definition() {
        let v: Vec<i64> = (1..=20).collect();
        assert_eq!(nearest_rank(&v, 50.0), Some(10));
        assert_eq!(nearest_rank(&v, 95.0), Some(19));
        assert_eq!(nearest_rank(&v, 100.0), Some(20));
        assert_eq!(nearest_rank(&[7i64], 95.0), Some(7));
        assert_eq!(nearest_rank::<i64>(&[], 50.0), None);
        let v = [1i64, 2, 3, 4];
        assert_eq!(nearest_rank(&v, 50.0), Some(2));
        assert_eq!(nearest_rank(&v, 95.0), Some(4));
    }
}
