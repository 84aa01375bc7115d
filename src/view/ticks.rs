//! Readable ticks for a time axis: steps of 1, 2 or 5 × 10ⁿ ns, so labels read `0`, `200 ms`,
//! `400 ms`… whatever the zoom.

use super::format::duration;

/// One tick: its offset from the axis start in ns and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub offset_ns: i64,
    pub label: String,
}

/// The largest power of ten at most `x` (`x > 0`), by steps: `10f64.powf(x.log10().floor())`
/// brought libm's `pow` and `log10` (3 KB of wasm) into the page for this one line.
fn power_of_ten_at_most(x: f64) -> f64 {
    let mut m = 1.0;
    while m * 10.0 <= x {
        m *= 10.0;
    }
    while m > x {
        m /= 10.0;
    }
    m
}

/// Ticks for the window `[from_ns, to_ns]` (offsets relative to `origin_ns`, the run start),
/// about `target` of them.
pub fn ticks(origin_ns: i64, from_ns: i64, to_ns: i64, target: u32) -> Vec<Tick> {
    let span = (to_ns - from_ns).max(1) as f64;
    let raw = span / target.max(1) as f64;
    let mag = power_of_ten_at_most(raw);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
        .max(1.0) as i64;
    let rel_from = from_ns - origin_ns;
    let first = rel_from.div_euclid(step) * step
        + if rel_from.rem_euclid(step) == 0 {
            0
        } else {
            step
        };
    let mut out = Vec::new();
    let mut t = first;
    while origin_ns + t <= to_ns && out.len() < 200 {
        out.push(Tick {
            offset_ns: t,
            label: if t == 0 {
                "0".into()
            } else {
                compact(&duration(t))
            },
        });
        t += step;
    }
    out
}

/// `1.00 s` → `1 s`, `2.50 ms` → `2.5 ms`: tick labels are round numbers.
fn compact(label: &str) -> String {
    match label.split_once(' ') {
        Some((num, unit)) if num.contains('.') => {
            format!("{} {unit}", num.trim_end_matches('0').trim_end_matches('.'))
        }
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_ten_as_libm_finds_them() {
        for x in [
            0.003, 0.1, 0.5, 1.0, 7.0, 10.0, 99.9, 100.0, 1234.5, 1e6, 2.5e9, 9.99e11, 1e12,
        ] {
            let want = 10f64.powf(f64::log10(x).floor());
            assert_eq!(power_of_ten_at_most(x), want, "{x}");
        }
    }

    #[test]
    fn ticks_use_round_steps() {
        let t = ticks(0, 0, 1_000_000_000, 5);
        let labels: Vec<_> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "200 ms", "400 ms", "600 ms", "800 ms", "1 s"]);
    }

    #[test]
    fn ticks_follow_a_zoomed_window() {
        let t = ticks(1000, 1000 + 2_500_000, 1000 + 3_500_000, 4);
        // A 1 ms window with ~4 ticks steps by 0.5 ms, starting on the window's edge.
        assert_eq!(t.first().map(|t| t.offset_ns), Some(2_500_000));
        assert!(t.iter().all(|t| t.offset_ns <= 3_500_000));
    }
}
