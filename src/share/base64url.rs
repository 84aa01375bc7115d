//! Base64url without padding (RFC 4648 §5) and CRC-32, written here because they are a few lines
//! each and a dependency for them would grow the wasm bundle. The alphabet (`A–Z a–z 0–9 - _`)
//! needs no percent-encoding and never contains `&`, `=` or `#`, so the payload can sit in a URL
//! fragment next to the view keys as it is.

use super::ShareError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as unpadded base64url (the page packs links in pieces, [`encode_into`]).
#[cfg(test)]
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(&mut out, bytes);
    out
}

/// [`encode`], appended to `out`: bytes encoded in pieces whose lengths are multiples of 3 (all
/// but the last) make the text of one call, so long payloads can be encoded with rests between.
pub fn encode_into(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
}

fn value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes unpadded base64url; any other character, or a length no encoder produces, is an error
/// naming the position so a cut or altered link is explained rather than misread.
pub fn decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for (c, chunk) in bytes.chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            let Some(v) = value(b) else {
                let position = c * 4 + i;
                let found = text
                    .get(position..)
                    .and_then(|t| t.chars().next())
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                return Err(ShareError::NotBase64 { position, found });
            };
            n |= v << (18 - 6 * i);
        }
        // A lone last character, or unused low bits that are set, never come from an encoder:
        // the end of the link was cut or changed. Being strict here means every altered
        // character is noticed, none silently ignored.
        let unused = match chunk.len() {
            2 => (n >> 12) & 0xF,
            3 => (n >> 6) & 0x3,
            4 => 0,
            _ => 1,
        };
        if unused != 0 {
            return Err(ShareError::Checksum);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}

/// CRC-32 (IEEE) table, built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// CRC-32 of the compressed payload: raw deflate has no checksum of its own, so a changed
/// character could inflate to plausible bytes that open as a different run, or (in the stream's
/// last padding bits) be ignored. Checking the transmitted bytes catches every change.
pub fn crc32(bytes: &[u8]) -> u32 {
    !crc32_update(!0u32, bytes)
}

/// The CRC-32 register after `bytes`, from `c` (start with `!0`, finish with `!`): fed in
/// pieces, the same checksum as [`crc32`] of them all.
pub fn crc32_update(mut c: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_4648_vectors_and_round_trips() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(raw.as_bytes()), enc);
            assert_eq!(decode(enc).unwrap(), raw.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode(&encode(&all)).unwrap(), all);
        assert!(matches!(
            decode("Zm9v=="),
            Err(ShareError::NotBase64 { position: 4, .. })
        ));
        assert_eq!(decode("Zh"), Err(ShareError::Checksum));
        assert_eq!(decode("Zm9vY"), Err(ShareError::Checksum));
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn pieces_give_the_text_and_checksum_of_one_call() {
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for piece in [3, 6, 999, 3 * 1024] {
            let mut text = String::new();
            let mut c = !0u32;
            for p in bytes.chunks(piece) {
                encode_into(&mut text, p);
                c = crc32_update(c, p);
            }
            assert_eq!(text, encode(&bytes), "pieces of {piece}");
            assert_eq!(!c, crc32(&bytes), "pieces of {piece}");
        }
    }
}
