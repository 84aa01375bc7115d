//! The seeds' many ways of writing time (epoch-second floats, naive ISO, `HH:MM:SS`, `"9.7s"`)
//! turned into the model's integer nanoseconds, plus stable ids derived from content. Kept
//! dependency-free: the crate ships to WASM and needs only these few shapes.

const NS: i64 = 1_000_000_000;

/// Epoch seconds as a float (seed 000 `time.time()`) to ns. The integer and fractional parts are
/// converted apart so the float's full precision survives the multiplication.
pub(crate) fn epoch_secs_to_ns(secs: f64) -> Option<i64> {
    if !secs.is_finite() || secs.abs() > 9.0e9 {
        return None;
    }
    let whole = secs.trunc();
    let frac = secs - whole;
    Some(whole as i64 * NS + (frac * 1e9).round() as i64)
}

/// Seconds (or milliseconds) as a float duration to ns.
pub(crate) fn secs_to_ns(secs: f64) -> Option<i64> {
    if !secs.is_finite() || secs.abs() > 9.0e9 {
        return None;
    }
    Some((secs * 1e9).round() as i64)
}

pub(crate) fn ms_to_ns(ms: f64) -> Option<i64> {
    secs_to_ns(ms / 1000.0)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `HH:MM:SS[.fraction]` to ns since midnight.
pub(crate) fn time_of_day_ns(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, ':');
    let h = digits(parts.next()?)?;
    let m = digits(parts.next()?)?;
    let rest = parts.next()?;
    let (sec, frac) = match rest.split_once('.') {
        Some((a, b)) => (a, b),
        None => (rest, ""),
    };
    let sec = digits(sec)?;
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut frac_ns = 0i64;
    if !frac.is_empty() {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut scale = 100_000_000i64;
        for b in frac.bytes().take(9) {
            frac_ns += i64::from(b - b'0') * scale;
            scale /= 10;
        }
    }
    Some(((h * 60 + m) * 60 + sec) * NS + frac_ns)
}

/// ISO-8601 date-time to epoch ns. Accepts `T` or a space between date and time, an optional
/// fraction, and `Z`, `±HH:MM` or no zone at all. No zone means UTC: seed 000 writes
/// `utcnow().isoformat()` and seed 002 was generated with `TZ=UTC` (elsewhere its naive times are
/// the producer's local time, which the file does not say).
pub(crate) fn iso_to_ns(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = s.get(..10)?;
    let sep = s.get(10..11)?;
    if sep != "T" && sep != " " && sep != "t" {
        return None;
    }
    let mut dp = date.split('-');
    let y = digits(dp.next()?)?;
    let mo = digits(dp.next()?)?;
    let d = digits(dp.next()?)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let rest = s.get(11..)?;
    let (time, offset_s) = split_zone(rest)?;
    let tod = time_of_day_ns(time)?;
    // i128: a year such as 0001 is outside i64 nanoseconds; such a time is unreadable, not a panic.
    let ns = i128::from(days_from_civil(y, mo, d)) * 86_400 * i128::from(NS) + i128::from(tod)
        - i128::from(offset_s) * i128::from(NS);
    i64::try_from(ns).ok()
}

/// Splits a time from its zone suffix; returns the zone's offset east of UTC in seconds.
fn split_zone(rest: &str) -> Option<(&str, i64)> {
    if let Some(t) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((t, 0));
    }
    if let Some(pos) = rest.rfind(['+', '-']) {
        let (t, z) = rest.split_at(pos);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let z = &z[1..];
        let (hh, mm) = match z.split_once(':') {
            Some((a, b)) => (a, b),
            None if z.len() == 4 => (&z[..2], &z[2..]),
            None => (z, "0"),
        };
        return Some((t, sign * (digits(hh)? * 3600 + digits(mm)? * 60)));
    }
    Some((rest, 0))
}

/// A duration written with a unit (`"9.7s"`, `"120ms"`) in ns.
pub(crate) fn duration_text_ns(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(ms) = s.strip_suffix("ms") {
        return ms_to_ns(crate::num::parse_f64(ms.trim())?);
    }
    if let Some(sec) = s.strip_suffix('s') {
        return secs_to_ns(crate::num::parse_f64(sec.trim())?);
    }
    None
}

/// A money amount written as text (`"$0.0264"`) in USD.
pub(crate) fn dollars(s: &str) -> Option<f64> {
    let x = crate::num::parse_f64(s.trim().trim_start_matches('$').trim())?;
    x.is_finite().then_some(x)
}

/// FNV-1a (64 bit) as 16 hex digits: a stable id from content when the source gives none, the
/// same on every machine and every load, so share links and run comparisons keep working.
pub(crate) fn stable_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        // python3 -c "import calendar;print(calendar.timegm((2026,11,21,23,57,50,0,0,0)))"
        let base = 1_795_305_470i64 * NS;
        assert_eq!(iso_to_ns("2026-11-21T23:57:50"), Some(base));
        assert_eq!(
            iso_to_ns("2026-11-21T23:57:50.296034"),
            Some(base + 296_034_000)
        );
        assert_eq!(
            iso_to_ns("2026-11-21T23:57:50.296Z"),
            Some(base + 296_000_000)
        );
        assert_eq!(iso_to_ns("2026-11-22T00:57:50+01:00"), Some(base));
        assert_eq!(iso_to_ns("2026-11-21 23:57:50"), Some(base));
        assert_eq!(iso_to_ns("garbage"), None);
        assert_eq!(iso_to_ns("2026-13-21T23:57:50"), None);
    }

    #[test]
    fn units() {
        assert_eq!(duration_text_ns("9.7s"), Some(9_700_000_000));
        assert_eq!(duration_text_ns("0ms"), Some(0));
        assert_eq!(dollars("$0.0264"), Some(0.0264));
        assert_eq!(time_of_day_ns("00:01:08"), Some(68 * NS));
        assert_eq!(epoch_secs_to_ns(1.5), Some(1_500_000_000));
        assert_eq!(epoch_secs_to_ns(f64::NAN), None);
    }
}
