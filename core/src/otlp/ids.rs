//! Trace and span ids: the spec's hex (any case) and the base64 that protobuf-JSON exporters
//! write, both normalized to lower-case hex so ids from different exporters match.

/// Lower-case hex of an id written as hex or base64; anything else is kept as written.
pub fn normalize(raw: &str) -> String {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let is_hex = bytes.len().is_multiple_of(2) && bytes.iter().all(u8::is_ascii_hexdigit);
    if is_hex {
        return raw.to_ascii_lowercase();
    }
    match decode_base64(raw) {
        Some(decoded) if !decoded.is_empty() => to_hex(&decoded),
        _ => raw.to_string(),
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Standard or URL-safe base64, padding optional; `None` when it is not base64.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in body.as_bytes() {
        acc = (acc << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn hex_and_base64_agree() {
        assert_eq!(normalize("5B8EFFF798038103"), "5b8efff798038103");
        // agent-prism's first span id, checked with python3 base64.b64decode(...).hex()
        assert_eq!(normalize("ziprJqtLsl8="), "ce2a6b26ab4bb25f");
        assert_eq!(
            normalize("tH12H+eb6IruQTQs3VJyaA=="),
            "b47d761fe79be88aee41342cdd527268"
        );
        assert_eq!(normalize("not an id!"), "not an id!");
    }
}
