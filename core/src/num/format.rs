//! Floats to text without core's float formatting (Grisu and Dragon4 with their bignums and
//! tables, ~8 KB of the page's gzip download). The page prints floats as a fixed number of
//! decimals (durations, costs, percentages, CSS lengths) and, in share links, as the shortest
//! decimal that reads back; serde_json's shortest printer (`zmij`), already in the page for JSON,
//! gives the digits for both.

use std::fmt;

/// Prints a float with a fixed number of decimals, as `{:.N}` does, to carry in `format!`.
///
/// Rounds half away from zero on the scaled value, where `{:.N}` rounds the exact binary value
/// half to even: the two differ only on values within an ulp of a tie (`0.125` is `0.13` here,
/// `0.12` there), which a display cannot tell apart. Scaled magnitudes of 10¹⁸ and more, never a
/// duration or cost, print as their shortest decimal.
#[derive(Clone, Copy)]
pub struct Fixed(pub f64, pub u32);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(x, decimals) = *self;
        if x.is_nan() {
            return f.write_str("NaN");
        }
        let sign = if x.is_sign_negative() { "-" } else { "" };
        let scale = 10u64.pow(decimals.min(9)) as f64;
        let scaled = (x.abs() * scale).round();
        if scaled >= 1e18 {
            if x.is_infinite() {
                return write!(f, "{sign}inf");
            }
            return f.write_str(zmij::Buffer::new().format_finite(x));
        }
        let n = scaled as u64;
        let scale = scale as u64;
        if decimals == 0 {
            write!(f, "{sign}{n}")
        } else {
            let width = decimals.min(9) as usize;
            write!(f, "{sign}{}.{:0width$}", n / scale, n % scale)
        }
    }
}

/// Prints a float as `{}` does: the shortest decimal that reads back, never with an exponent.
#[derive(Clone, Copy)]
pub struct Plain(pub f64);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if !x.is_finite() || x == 0.0 {
            return match x {
                _ if x.is_nan() => f.write_str("NaN"),
                f64::INFINITY => f.write_str("inf"),
                f64::NEG_INFINITY => f.write_str("-inf"),
                _ if x.is_sign_negative() => f.write_str("-0"),
                _ => f.write_str("0"),
            };
        }
        let (m, e) = shortest_decimal(x);
        let digits = m.unsigned_abs().to_string();
        let sign = if m < 0 { "-" } else { "" };
        // The decimal point sits `point` digits into `digits`.
        let point = digits.len() as i64 + e;
        if e >= 0 {
            write!(f, "{sign}{digits}{}", "0".repeat(e as usize))
        } else if point > 0 {
            let (int, frac) = digits.split_at(point as usize);
            write!(f, "{sign}{int}.{frac}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat((-point) as usize))
        }
    }
}

/// A finite, non-zero float as the shortest decimal `m × 10^e` that reads back to it.
pub fn shortest_decimal(x: f64) -> (i64, i64) {
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(x);
    let (digits, exp) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let exp: i64 = exp.trim_start_matches('+').parse().unwrap_or(0);
    let frac = digits.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    let mut m: i64 = 0;
    for b in digits.bytes().filter(u8::is_ascii_digit) {
        m = m * 10 + i64::from(b - b'0');
    }
    let mut e = exp - frac;
    while m != 0 && m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    (if digits.starts_with('-') { -m } else { m }, e)
}

#[cfg(test)]
mod tests {
    use super::{shortest_decimal, Fixed, Plain};

    #[test]
    fn plain_prints_as_display_does() {
        let mut s: u64 = 0x1234_5678_9abc_def1;
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e21,
            1e-7,
            123456.0,
            f64::NAN,
            f64::INFINITY,
        ];
        xs.extend([
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            0.30000000000000004,
        ]);
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            xs.push(f64::from_bits(s));
            xs.push((s % 100_000) as f64 / 64.0);
        }
        // zmij and std both print the shortest decimal that reads back; where two such exist,
        // they may pick different last digits (6 of the 40,000 values here).
        let mut differ = 0;
        for x in xs {
            let (got, want) = (Plain(x).to_string(), format!("{x}"));
            if got != want {
                differ += 1;
                assert_eq!(got.len(), want.len(), "{x:e}");
                assert_eq!(
                    crate::num::parse_f64(&got).map(f64::to_bits),
                    Some(x.to_bits())
                );
            }
        }
        assert!(differ < 40, "{differ} of 40,000 differ from std");
    }

    #[test]
    fn fixed_prints_as_the_precision_format_does_away_from_ties() {
        let cases = [
            (0.0, 2),
            (-0.0, 1),
            (1.0, 0),
            (1.5, 1),
            (12.345678, 2),
            (999.996, 2),
            (0.0098025, 4),
            (-3.21, 1),
            (123456.7, 0),
            (42.0, 3),
            (1e16, 1),
            (0.000_001, 4),
            (f64::INFINITY, 2),
            (f64::NEG_INFINITY, 0),
            (f64::NAN, 2),
        ];
        for (x, d) in cases {
            let want = format!("{x:.*}", d as usize);
            assert_eq!(Fixed(x, d).to_string(), want, "{x} to {d} places");
        }
    }

    #[test]
    fn fixed_rounds_ties_away_from_zero() {
        assert_eq!(Fixed(0.5, 0).to_string(), "1");
        assert_eq!(Fixed(2.5, 0).to_string(), "3");
        assert_eq!(Fixed(-2.5, 0).to_string(), "-3");
        assert_eq!(Fixed(1e300, 2).to_string(), "1e+300");
    }

    #[test]
    fn shortest_decimal_reads_back_and_is_as_short_as_std_finds() {
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..40_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = f64::from_bits(s);
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            let (m, e) = shortest_decimal(x);
            let back = crate::num::parse_f64(&format!("{m}e{e}")).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x:e} as {m}e{e}");
            let std = format!("{x:e}");
            let std_digits = std
                .split('e')
                .next()
                .unwrap()
                .bytes()
                .filter(u8::is_ascii_digit);
            assert_eq!(
                m.unsigned_abs().to_string().len(),
                std_digits.count(),
                "{x:e}"
            );
        }
        assert_eq!(shortest_decimal(0.0098025), (98025, -7));
        assert_eq!(shortest_decimal(-1500.0), (-15, 2));
        assert_eq!(shortest_decimal(1e-300), (1, -300));
    }
}
