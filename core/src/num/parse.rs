//! Decimal text to `f64`, correctly rounded, without core's 10 KB table of powers of five.
//!
//! `str::parse::<f64>` reaches its answer through Eisel–Lemire, whose 128-bit power table and
//! code are ~12 KB of the page's gzip download. Spoor parses floats rarely (numeric strings in
//! attributes, floats in share links and in the formats worker's answer), so a smaller method
//! is enough: the exact fast path when mantissa and power of ten are both exact in an `f64`,
//! else decimal shifting in the manner of Go's `strconv` ("simple decimal conversion"), which
//! is exact for every input and needs no table. Links must read back bit for bit, so this is
//! held to std's answer by tests over many random inputs.

/// Decimal digits kept; a truncation past them is remembered and breaks ties upwards, which
/// Go's `strconv` shows is enough for exact rounding of an `f64`.
const MAX_DIGITS: usize = 800;
/// Most bits shifted at once, so that `9 << k` plus a carry fits in a `u64`.
const MAX_SHIFT: u32 = 60;
/// Powers of ten exact in an `f64`, for the fast path.
const EXACT: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses `text` as `str::parse::<f64>` does: same grammar (`[+-]`, digits with an optional
/// point, an optional exponent, or `inf`, `infinity`, `nan` in any case), same bits.
pub fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = match special(b) {
        Some(v) => v,
        None => Decimal::read(b)?.into_f64(),
    };
    Some(if neg { -v } else { v })
}

fn special(b: &[u8]) -> Option<f64> {
    if b.eq_ignore_ascii_case(b"inf") || b.eq_ignore_ascii_case(b"infinity") {
        Some(f64::INFINITY)
    } else if b.eq_ignore_ascii_case(b"nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// `0.d₁d₂… × 10^dp`, digits as values 0–9, no leading or trailing zeros.
struct Decimal {
    d: Vec<u8>,
    dp: i32,
    /// Non-zero digits were dropped past `MAX_DIGITS`.
    trunc: bool,
}

impl Decimal {
    fn read(b: &[u8]) -> Option<Decimal> {
        let mut dec = Decimal {
            d: Vec::new(),
            dp: 0,
            trunc: false,
        };
        let (mut i, mut seen, mut dot) = (0, false, false);
        while let Some(&c) = b.get(i) {
            match c {
                b'.' if !dot => dot = true,
                b'0'..=b'9' => {
                    seen = true;
                    if c == b'0' && dec.d.is_empty() {
                        if dot {
                            dec.dp -= 1;
                        }
                    } else {
                        if !dot {
                            dec.dp += 1;
                        }
                        if dec.d.len() < MAX_DIGITS {
                            dec.d.push(c - b'0');
                        } else if c != b'0' {
                            dec.trunc = true;
                        }
                    }
                }
                _ => break,
            }
            i += 1;
        }
        if !seen {
            return None;
        }
        if let Some(&(b'e' | b'E')) = b.get(i) {
            i += 1;
            let neg = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            let mut e: i32 = 0;
            while let Some(&c @ b'0'..=b'9') = b.get(i) {
                if e < 100_000 {
                    e = e * 10 + i32::from(c - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            dec.dp += if neg { -e } else { e };
        }
        if i != b.len() {
            return None;
        }
        dec.trim();
        Some(dec)
    }

    fn trim(&mut self) {
        while self.d.last() == Some(&0) {
            self.d.pop();
        }
    }

    /// The exact fast path: a mantissa below 2⁵³ times or over an exact power of ten is
    /// rounded once, by the one multiplication or division.
    fn fast(&self) -> Option<f64> {
        if self.trunc || self.d.len() > 15 {
            return None;
        }
        let m = self.d.iter().fold(0u64, |m, &c| m * 10 + u64::from(c)) as f64;
        let e = self.dp - self.d.len() as i32;
        match e {
            0..=22 => Some(m * EXACT[e as usize]),
            -22..=-1 => Some(m / EXACT[(-e) as usize]),
            _ => None,
        }
    }

    fn into_f64(mut self) -> f64 {
        if self.d.is_empty() || self.dp < -330 {
            return 0.0;
        }
        if self.dp > 310 {
            return f64::INFINITY;
        }
        if let Some(v) = self.fast() {
            return v;
        }
        // Bring the value into [0.5, 1) by powers of two, counting them.
        const STEP: [i32; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];
        let step = |dp: i32| STEP.get(dp.unsigned_abs() as usize).copied().unwrap_or(27);
        let mut exp: i32 = 0;
        while self.dp > 0 {
            let n = step(self.dp);
            self.shift(-n);
            exp += n;
        }
        while self.dp < 0 || (self.dp == 0 && self.d[0] < 5) {
            let n = step(self.dp);
            self.shift(n);
            exp -= n;
        }
        // Now in [1, 2) as a float's mantissa reads it.
        exp -= 1;
        const BIAS: i32 = -1023;
        if exp < BIAS + 1 {
            let n = BIAS + 1 - exp;
            self.shift(-n);
            exp += n;
        }
        if exp - BIAS >= 0x7ff {
            return f64::INFINITY;
        }
        self.shift(53);
        let mut mant = self.rounded_integer();
        if mant == 2 << 52 {
            mant >>= 1;
            exp += 1;
            if exp - BIAS >= 0x7ff {
                return f64::INFINITY;
            }
        }
        if mant & (1 << 52) == 0 {
            exp = BIAS; // subnormal
        }
        let bits = (mant & ((1 << 52) - 1)) | (((exp - BIAS) as u64 & 0x7ff) << 52);
        f64::from_bits(bits)
    }

    fn shift(&mut self, mut k: i32) {
        if self.d.is_empty() {
            return;
        }
        while k > 0 {
            let s = k.min(MAX_SHIFT as i32);
            self.shift_left(s as u32);
            k -= s;
        }
        while k < 0 {
            let s = (-k).min(MAX_SHIFT as i32);
            self.shift_right(s as u32);
            k += s;
        }
    }

    /// Multiplies by 2^k.
    fn shift_left(&mut self, k: u32) {
        let mut out = Vec::with_capacity(self.d.len() + 20);
        let mut n: u64 = 0;
        for &c in self.d.iter().rev() {
            n += u64::from(c) << k;
            out.push((n % 10) as u8);
            n /= 10;
        }
        while n > 0 {
            out.push((n % 10) as u8);
            n /= 10;
        }
        self.dp += (out.len() - self.d.len()) as i32;
        out.reverse();
        self.d = out;
        self.limit();
    }

    /// Divides by 2^k.
    fn shift_right(&mut self, k: u32) {
        let mut out = Vec::with_capacity(self.d.len() + 20);
        let mut digits = self.d.iter();
        let mut n: u64 = 0;
        let mut read: i32 = 0;
        // Take enough leading digits to make the first quotient digit.
        while n >> k == 0 {
            match digits.next() {
                Some(&c) => n = n * 10 + u64::from(c),
                None if n == 0 => {
                    self.d.clear();
                    return;
                }
                None => n *= 10,
            }
            read += 1;
        }
        self.dp -= read - 1;
        let mask = (1u64 << k) - 1;
        for &c in digits {
            out.push((n >> k) as u8);
            n = (n & mask) * 10 + u64::from(c);
        }
        while n > 0 {
            out.push((n >> k) as u8);
            n = (n & mask) * 10;
        }
        self.d = out;
        self.limit();
    }

    fn limit(&mut self) {
        if self.d.len() > MAX_DIGITS {
            self.trunc |= self.d[MAX_DIGITS..].iter().any(|&c| c != 0);
            self.d.truncate(MAX_DIGITS);
        }
        self.trim();
    }

    /// The integer part, rounded half to even (a truncated tail breaks a tie upwards).
    fn rounded_integer(&self) -> u64 {
        let Ok(dp) = usize::try_from(self.dp) else {
            return 0; // below one half
        };
        let mut n = self
            .d
            .iter()
            .take(dp)
            .fold(0u64, |n, &c| n * 10 + u64::from(c));
        for _ in self.d.len()..dp {
            n *= 10;
        }
        let up = match self.d.get(dp) {
            None => false,
            Some(&5) if dp + 1 == self.d.len() => self.trunc || (dp > 0 && self.d[dp - 1] % 2 == 1),
            Some(&c) => c >= 5,
        };
        n + u64::from(up)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn same(text: &str) {
        let want = text.parse::<f64>().ok();
        let got = parse_f64(text);
        match (want, got) {
            (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{text:?}: {g}"),
            (Some(w), Some(g)) => assert_eq!(w.to_bits(), g.to_bits(), "{text:?}: {w:e} vs {g:e}"),
            (w, g) => assert_eq!(w, g, "{text:?}"),
        }
    }

    /// A little xorshift, so the random sweep is the same on every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn edges_read_as_std_reads_them() {
        for t in [
            "0", "-0", "+0", "0.0", "1", "-1", ".5", "5.", "1.e5", ".e5", ".", "", "-", "+", "e5",
            "1e", "1e+", "1e-", "1e5x", " 1", "1 ", "1_0", "0x10", "inf", "-INF", "Infinity",
            "+infinity", "infinit", "nan", "NaN", "-nan", "+nan", "nan1", "1..2", "1.2.3", "1e5e5",
            "--1", "+-1", "0.1", "0.2", "0.30000000000000004", "123456789012345678901234567890",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "2e308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "1e-400", "1e400",
            "9007199254740993", "9007199254740992.5", "0.0098025", "98025e-7", "1e22", "1e23",
            "8.589973e9", "1e-22", "1e-23", "0.000000000000000000000000000001",
            "1e99999999999999999999", "1e-99999999999999999999", "0e99999999999",
            "2.225073858507201136057409796709131975934819546351645648023426109724822222021076945516529523908135087914149158913039621106870086438694594645527657207407820621743379988141063267329253552286881372149012981122451451889849057222307285255133155755015914397476397983411801999323962548289017107081850690630666655994938275772572015763062615449e-308",
        ] {
            same(t);
        }
        // A long decimal just either side of a halfway point, past the digits kept.
        let half = format!("9007199254740993{}", "0".repeat(900));
        same(&half);
        same(&format!("{half}1"));
        same(&format!("0.{}1", "0".repeat(1000)));
    }

    #[test]
    fn random_decimals_read_as_std_reads_them() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..40_000 {
            let digits = 1 + r.below(25) as usize;
            let mut t = String::new();
            if r.below(4) == 0 {
                t.push('-');
            }
            let point = r.below(digits as u64 + 2) as usize;
            for i in 0..digits {
                if i == point {
                    t.push('.');
                }
                t.push(char::from(b'0' + r.below(10) as u8));
            }
            if r.below(2) == 0 {
                t.push('e');
                t.push_str(&(r.below(700) as i64 - 350).to_string());
            }
            same(&t);
        }
    }

    #[test]
    fn every_shortest_float_reads_back() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..40_000 {
            let f = f64::from_bits(r.next());
            if f.is_finite() {
                same(&format!("{f:e}"));
                same(&format!("{f}"));
                same(&format!("{:.3e}", f));
            }
        }
    }

    #[test]
    fn random_text_is_refused_or_read_as_std_does() {
        let alphabet = b"0123456789.eE+-inINfaAtyY";
        let mut r = Rng(0x1234_5678_9abc_def1);
        for _ in 0..40_000 {
            let len = r.below(9) as usize;
            let t: String = (0..len)
                .map(|_| char::from(alphabet[r.below(alphabet.len() as u64) as usize]))
                .collect();
            same(&t);
        }
    }
}
