//! ISO-8601 / RFC 3339 timestamps (`2025-12-22T10:46:19.155Z`, with or without fraction or
//! offset) to Unix nanoseconds, without a date library: the web build stays small.

/// Parses a timestamp; `None` if it is not one. A missing offset means UTC.
pub(crate) fn parse_iso(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let sep = |at: usize, ok: &[u8]| b.get(at).is_some_and(|c| ok.contains(c));
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !sep(4, b"-") || !sep(7, b"-") || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return days.checked_mul(86_400_000_000_000);
    }
    if !sep(10, b"Tt ") || !sep(13, b":") || !sep(16, b":") {
        return None;
    }
    let (hour, min, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac_ns = 0i64;
    if sep(i, b".,") {
        i += 1;
        let mut scale = 100_000_000i64;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            frac_ns += i64::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let offset_s = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let oh = num(i + 1, 2)?;
            let om = match b.len() - (i + 3) {
                0 => 0,
                2 => num(i + 3, 2)?,
                3 if sep(i + 3, b":") => num(i + 4, 2)?,
                _ => return None,
            };
            let o = oh * 3600 + om * 60;
            if sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_s;
    secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_iso;

    #[test]
    fn parses_the_shapes_exporters_write() {
        // python3 -c "import datetime;print(int(datetime.datetime(2025,12,22,10,46,19,155000,tzinfo=datetime.timezone.utc).timestamp()*1e3))"
        assert_eq!(
            parse_iso("2025-12-22T10:46:19.155Z"),
            Some(1_766_400_379_155_000_000)
        );
        assert_eq!(
            parse_iso("2025-12-22T10:46:19Z"),
            Some(1_766_400_379_000_000_000)
        );
        assert_eq!(
            parse_iso("2025-12-22T12:46:19.155+02:00"),
            Some(1_766_400_379_155_000_000)
        );
        assert_eq!(
            parse_iso("2025-12-22T10:46:19.155123456789"),
            Some(1_766_400_379_155_123_456)
        );
        assert_eq!(parse_iso("1970-01-01"), Some(0));
        assert_eq!(parse_iso("2025-13-01T00:00:00Z"), None);
        assert_eq!(parse_iso("yesterday"), None);
        assert_eq!(parse_iso("2025-12-22T10:46:19.155Zjunk"), None);
    }
}
