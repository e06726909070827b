//! Summary statistics over simulated paths, in whole cents: mean, standard deviation,
//! percentiles and shared-range histograms.
//!
//! Inputs are integer cents (`i64`), so the mean is exact before its final rounding and the
//! percentiles are values that really occurred. The standard deviation is the sample one
//! (divisor `n - 1`, 0 for a single path), computed in `f64` by two passes and rounded to the
//! cent; every step is plain IEEE arithmetic, so the same inputs give the same output on every
//! platform.

use crate::engine::num::{Money, MONEY_UNITS_PER_USD};

const UNITS_PER_CENT: i128 = MONEY_UNITS_PER_USD / 100;

/// An amount rounded to the nearest cent (halves away from zero), saturating at the `i64` range.
pub fn to_cents(m: Money) -> i64 {
    let u = m.units();
    let half = UNITS_PER_CENT / 2;
    let c = if u >= 0 {
        (u + half) / UNITS_PER_CENT
    } else {
        (u - half) / UNITS_PER_CENT
    };
    c.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Whole cents as an amount.
pub fn from_cents(cents: i64) -> Money {
    Money::from_units(cents as i128 * UNITS_PER_CENT)
}

/// Mean, standard deviation and the 5th, 50th and 95th percentiles of a sample.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Arithmetic mean, rounded to the cent.
    pub mean: Money,
    /// Sample standard deviation, rounded to the cent.
    pub stdev: Money,
    /// Standard error of the mean, `stdev / √n`, rounded to the cent: how far the mean of this
    /// many paths typically lands from the model's true mean.
    pub stderr: Money,
    /// 5th percentile (nearest rank): the edge of the worst 5% of outcomes.
    pub p05: Money,
    /// Median (nearest rank).
    pub p50: Money,
    /// 95th percentile (nearest rank).
    pub p95: Money,
}

/// Mean of integer values, rounded to the nearest integer (halves away from zero); 0 when empty.
pub fn mean(values: &[i64]) -> i64 {
    if values.is_empty() {
        return 0;
    }
    let n = values.len() as i128;
    let sum: i128 = values.iter().map(|&v| v as i128).sum();
    let q = if sum >= 0 {
        (2 * sum + n) / (2 * n)
    } else {
        (2 * sum - n) / (2 * n)
    };
    q as i64
}

/// Sample standard deviation (divisor `n - 1`) in `f64`, `None` below 2 values.
fn sample_sd(values: &[i64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let m = values.iter().map(|&v| v as f64).sum::<f64>() / n;
    let ss: f64 = values
        .iter()
        .map(|&v| (v as f64 - m) * (v as f64 - m))
        .sum();
    Some((ss / (n - 1.0)).sqrt())
}

/// Sample standard deviation (divisor `n - 1`), rounded to the nearest integer; 0 below 2 values.
pub fn stdev(values: &[i64]) -> i64 {
    sample_sd(values).map_or(0, |sd| sd.round() as i64)
}

/// Standard error of the mean, `stdev / √n` (sample stdev), rounded to the nearest integer; 0
/// below 2 values.
pub fn stderr(values: &[i64]) -> i64 {
    sample_sd(values).map_or(0, |sd| (sd / (values.len() as f64).sqrt()).round() as i64)
}

/// The `p`-th percentile (0 to 100) of sorted values by the nearest-rank method: the smallest
/// value with at least `p`% of the sample at or below it. 0 when empty.
pub fn percentile(sorted: &[i64], p: u32) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    let rank = (p.min(100) as usize * n).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// A 95% interval for the `p`-th percentile of the population a sorted sample came from: the
/// order statistics at ranks `n p ∓ 1.96 √(n p (1 - p))` (normal approximation to the binomial).
/// `(0, 0)` when empty.
pub fn percentile_interval(sorted: &[i64], p: u32) -> (i64, i64) {
    if sorted.is_empty() {
        return (0, 0);
    }
    let n = sorted.len() as f64;
    let q = p.min(100) as f64 / 100.0;
    let half = 1.96 * (n * q * (1.0 - q)).sqrt();
    let rank = |r: f64| (r.round().max(1.0) as usize).min(sorted.len()) - 1;
    (sorted[rank(n * q - half)], sorted[rank(n * q + half)])
}

impl Stats {
    /// The statistics of values in cents.
    pub fn of_cents(values: &[i64]) -> Stats {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        Stats {
            mean: from_cents(mean(values)),
            stdev: from_cents(stdev(values)),
            stderr: from_cents(stderr(values)),
            p05: from_cents(percentile(&sorted, 5)),
            p50: from_cents(percentile(&sorted, 50)),
            p95: from_cents(percentile(&sorted, 95)),
        }
    }
}

/// Counts per bin over a range shared by several samples, so their histograms line up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    /// Left edge of the first bin, in cents.
    pub lo: i64,
    /// Width of every bin, in cents (at least 1).
    pub width: i64,
    /// Counts per sample, per bin: `counts[sample][bin]`.
    pub counts: Vec<Vec<u32>>,
}

impl Histogram {
    /// `bins` equal bins (at least 1) spanning every value of every sample.
    pub fn shared(samples: &[&[i64]], bins: usize) -> Histogram {
        let bins = bins.max(1);
        let all = samples.iter().flat_map(|s| s.iter().copied());
        let (lo, hi) = all.fold((i64::MAX, i64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = if lo > hi { (0, 0) } else { (lo, hi) };
        let span = (hi as i128 - lo as i128 + 1).max(1);
        let width = ((span + bins as i128 - 1) / bins as i128).clamp(1, i64::MAX as i128) as i64;
        let counts = samples
            .iter()
            .map(|s| {
                let mut c = vec![0u32; bins];
                for &v in s.iter() {
                    let i = ((v as i128 - lo as i128) / width as i128) as usize;
                    c[i.min(bins - 1)] += 1;
                }
                c
            })
            .collect();
        Histogram { lo, width, counts }
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.counts.first().map_or(0, |c| c.len())
    }

    /// The `[left, right)` edges of bin `i`, in cents.
    pub fn edges(&self, i: usize) -> (i64, i64) {
        let l = self.lo.saturating_add(self.width.saturating_mul(i as i64));
        (l, l.saturating_add(self.width))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_cents() {
        assert_eq!(to_cents(Money::from_units(150_000_000)), 2);
        assert_eq!(to_cents(Money::from_units(-150_000_000)), -2);
        assert_eq!(to_cents(Money::from_units(149_999_999)), 1);
        assert_eq!(to_cents(Money::usd(-1485)), -148_500);
        assert_eq!(from_cents(-148_500), Money::usd(-1485));
    }

    #[test]
    fn moments_and_percentiles() {
        let v: Vec<i64> = (1..=20).collect();
        assert_eq!(mean(&v), 11); // 10.5 rounds away from zero
        assert_eq!(mean(&[-1, -2]), -2);
        assert_eq!(stdev(&v), 6); // sqrt(35) = 5.92
        assert_eq!(stdev(&[7]), 0);
        assert_eq!(stderr(&v), 1); // 5.92 / sqrt(20) = 1.32
        assert_eq!(stderr(&[7]), 0);
        assert_eq!(percentile(&v, 5), 1);
        assert_eq!(percentile(&v, 50), 10);
        assert_eq!(percentile(&v, 95), 19);
        assert_eq!(percentile(&v, 100), 20);
        assert_eq!(percentile(&[], 50), 0);
        let s = Stats::of_cents(&[300, 100, 200]);
        assert_eq!(
            (s.mean, s.p50, s.stdev),
            (from_cents(200), from_cents(200), from_cents(100))
        );
    }

    #[test]
    fn percentile_intervals_bracket_the_percentile() {
        let v: Vec<i64> = (1..=2000).collect();
        let (lo, hi) = percentile_interval(&v, 5);
        assert!(
            lo < percentile(&v, 5) && percentile(&v, 5) < hi,
            "{lo} {hi}"
        );
        assert_eq!((lo, hi), (81, 119));
        assert_eq!(percentile_interval(&[], 5), (0, 0));
        assert_eq!(percentile_interval(&[3], 5), (3, 3));
    }

    #[test]
    fn histogram_covers_every_value_once() {
        let a = [-5i64, 0, 3, 9];
        let b = [10i64, 10];
        let h = Histogram::shared(&[&a, &b], 4);
        assert_eq!(h.bins(), 4);
        assert_eq!((h.lo, h.width), (-5, 4));
        assert_eq!(h.counts[0].iter().sum::<u32>(), 4);
        assert_eq!(h.counts[1], vec![0, 0, 0, 2]);
        assert_eq!(h.edges(1), (-1, 3));
        let empty = Histogram::shared(&[&[]], 3);
        assert_eq!(empty.counts, vec![vec![0, 0, 0]]);
    }
}
