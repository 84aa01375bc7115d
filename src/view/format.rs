//! How numbers read on the page: durations, tokens, dollars. One place, so the header, the
//! waterfall, the panels and the CLI agree on every figure.

use crate::num::Fixed;

/// A duration in nanoseconds as a person reads it: `840 µs`, `12.3 ms`, `4.21 s`, `3m 07s`.
pub fn duration(ns: i64) -> String {
    let neg = ns < 0;
    let a = ns.unsigned_abs() as f64;
    let s = if a < 1e3 {
        format!("{} ns", Fixed(a, 0))
    } else if a < 1e6 {
        format!("{} µs", Fixed(a / 1e3, 0))
    } else if a < 1e7 {
        format!("{} ms", Fixed(a / 1e6, 2))
    } else if a < 1e8 {
        format!("{} ms", Fixed(a / 1e6, 1))
    } else if a < 1e9 {
        format!("{} ms", Fixed(a / 1e6, 0))
    } else if a < 60e9 {
        format!("{} s", Fixed(a / 1e9, 2))
    } else if a < 3600e9 {
        let secs = (a / 1e9).round() as u64;
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        let mins = (a / 60e9).round() as u64;
        format!("{}h {:02}m", mins / 60, mins % 60)
    };
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

/// A whole number with thin thousands separators: `12,345`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Dollars with enough precision for per-call costs: `$0.0151`, `$1.24`, `$1,204`.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    let body = if a == 0.0 {
        "0.00".to_string()
    } else if a < 1.0 {
        Fixed(a, 4).to_string()
    } else if a < 100.0 {
        Fixed(a, 2).to_string()
    } else {
        count(a.round() as u64)
    };
    if v < 0.0 {
        format!("-${body}")
    } else {
        format!("${body}")
    }
}

/// An optional cost: unknown reads "no price", never `$0`.
pub fn usd_opt(v: Option<f64>) -> String {
    v.map(usd).unwrap_or_else(|| "no price".into())
}

/// `1 span` / `3 spans`: the header states counts in words.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A signed delta for comparisons: `+1.20 s`, `-340 tokens`.
pub fn signed(v: f64, unit_fmt: impl Fn(f64) -> String) -> String {
    if v > 0.0 {
        format!("+{}", unit_fmt(v))
    } else {
        unit_fmt(v)
    }
}

/// Percent with no decimals unless small: `25%`, `0.5%`.
pub fn percent(frac: f64) -> String {
    let p = frac * 100.0;
    if p != 0.0 && p.abs() < 1.0 {
        format!("{}%", Fixed(p, 1))
    } else {
        format!("{}%", Fixed(p, 0))
    }
}

/// Nanoseconds since the epoch as UTC `2026-11-21 23:57:50.296`; no time-zone database needed.
pub fn timestamp(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let ms = ns.rem_euclid(1_000_000_000) / 1_000_000;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{ms:03}",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Shortens long text for a table cell, on a character boundary.
pub fn clip(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(840_000), "840 µs");
        assert_eq!(duration(1_234_567), "1.23 ms");
        assert_eq!(duration(12_340_000), "12.3 ms");
        assert_eq!(duration(4_210_000_000), "4.21 s");
        assert_eq!(duration(187_000_000_000), "3m 07s");
        assert_eq!(duration(-2_000_000_000), "-2.00 s");
    }

    #[test]
    fn money_and_counts() {
        assert_eq!(usd(0.015065), "$0.0151");
        assert_eq!(usd(0.5), "$0.5000");
        assert_eq!(usd(1.244), "$1.24");
        assert_eq!(usd(1204.4), "$1,204");
        assert_eq!(usd_opt(None), "no price");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(plural(1, "span", "spans"), "1 span");
        assert_eq!(plural(61, "span", "spans"), "61 spans");
        assert_eq!(percent(0.25), "25%");
    }

    #[test]
    fn timestamps_are_utc() {
        // 1795305439.192379 s is 2026-11-21T23:57:19.192Z.
        assert_eq!(
            timestamp(1_795_305_439_192_379_000),
            "2026-11-21 23:57:19.192"
        );
        assert_eq!(timestamp(0), "1970-01-01 00:00:00.000");
    }

    #[test]
    fn clipping_respects_characters() {
        assert_eq!(clip("héllo wörld", 5), "héllo…");
        assert_eq!(clip("short", 10), "short");
    }
}

/// The run header's sentence: `61 spans · 30 LLM calls · 30 tool calls · 2 errors`.
pub fn counts_line(spans: u64, llm: u64, tools: u64, errors: u64) -> String {
    [
        plural(spans, "span", "spans"),
        plural(llm, "LLM call", "LLM calls"),
        plural(tools, "tool call", "tool calls"),
        plural(errors, "error", "errors"),
    ]
    .join(" · ")
}

#[cfg(test)]
mod header_tests {
    #[test]
    fn counts_line_reads_in_words() {
        assert_eq!(
            super::counts_line(61, 30, 30, 2),
            "61 spans · 30 LLM calls · 30 tool calls · 2 errors"
        );
        assert_eq!(
            super::counts_line(1, 1, 0, 1),
            "1 span · 1 LLM call · 0 tool calls · 1 error"
        );
    }
}
