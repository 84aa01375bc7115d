//! Whether a JSON text is already in the form `serde_json::Value`'s `to_string` writes: compact,
//! object keys in byte order and unique, integers written plainly, strings without escapes. Most
//! agents' tool arguments are (exporters write `json.dumps(..., sort_keys=True)` or similar), so
//! the loop detector can skip parsing them: about 80 ms of WASM at a million tool calls.
//!
//! It may say no to a text that is canonical (a float, an escaped character): the text is then
//! parsed as before. It never says yes to one that is not (property test below).

/// See the module docs.
pub fn is_canonical(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    value(b, &mut i, 0) && i == b.len()
}

/// serde_json's own nesting limit is 128; deeper texts fail to parse, and are kept as written
/// either way.
const MAX_DEPTH: u32 = 100;

fn value(b: &[u8], i: &mut usize, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match b.get(*i) {
        Some(b'{') => object(b, i, depth),
        Some(b'[') => array(b, i, depth),
        Some(b'"') => string(b, i).is_some(),
        Some(b't') => literal(b, i, b"true"),
        Some(b'f') => literal(b, i, b"false"),
        Some(b'n') => literal(b, i, b"null"),
        Some(b'-' | b'0'..=b'9') => integer(b, i),
        _ => false,
    }
}

fn object(b: &[u8], i: &mut usize, depth: u32) -> bool {
    *i += 1;
    if b.get(*i) == Some(&b'}') {
        *i += 1;
        return true;
    }
    let mut previous: Option<&[u8]> = None;
    loop {
        let Some(key) = string(b, i) else {
            return false;
        };
        // Strictly increasing: sorted as serde_json's map sorts, and no duplicate (a parse
        // keeps only the last of two equal keys).
        if previous.is_some_and(|p| p >= key) || b.get(*i) != Some(&b':') {
            return false;
        }
        previous = Some(key);
        *i += 1;
        if !value(b, i, depth + 1) {
            return false;
        }
        match b.get(*i) {
            Some(b',') => *i += 1,
            Some(b'}') => {
                *i += 1;
                return true;
            }
            _ => return false,
        }
    }
}

fn array(b: &[u8], i: &mut usize, depth: u32) -> bool {
    *i += 1;
    if b.get(*i) == Some(&b']') {
        *i += 1;
        return true;
    }
    loop {
        if !value(b, i, depth + 1) {
            return false;
        }
        match b.get(*i) {
            Some(b',') => *i += 1,
            Some(b']') => {
                *i += 1;
                return true;
            }
            _ => return false,
        }
    }
}

/// A string with no escape and no control character (written back byte for byte); its content.
fn string<'a>(b: &'a [u8], i: &mut usize) -> Option<&'a [u8]> {
    if b.get(*i) != Some(&b'"') {
        return None;
    }
    let start = *i + 1;
    let len = b[start..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
    if b[start + len] != b'"' {
        return None;
    }
    *i = start + len + 1;
    Some(&b[start..start + len])
}

fn literal(b: &[u8], i: &mut usize, word: &[u8]) -> bool {
    let ok = b[*i..].starts_with(word);
    *i += word.len();
    ok
}

/// An integer as serde_json writes one: no leading zero, no `-0`, no fraction or exponent, and
/// few enough digits to be read as an integer rather than a float.
fn integer(b: &[u8], i: &mut usize) -> bool {
    let negative = b.get(*i) == Some(&b'-');
    *i += usize::from(negative);
    let from = *i;
    while b.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    let digits = &b[from..*i];
    let plain = match digits {
        [] => false,
        [b'0'] => !negative,
        [b'0', ..] => false,
        _ => digits.len() <= 18,
    };
    plain && !matches!(b.get(*i), Some(b'.' | b'e' | b'E'))
}

#[cfg(test)]
mod tests {
    use super::is_canonical;
    use proptest::prelude::*;

    fn written_back(t: &str) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(t)
            .ok()
            .map(|v| v.to_string())
    }

    #[test]
    fn agents_usual_arguments_are_canonical_and_others_are_not() {
        for t in [
            r#"{"path":"src/module_12.py"}"#,
            r#"{"limit":20,"query":"def handler_7"}"#,
            r#"{"a":[1,-2,{"b":null,"c":true}],"d":"é ü 漢"}"#,
            "[]",
            "{}",
        ] {
            assert!(is_canonical(t), "{t}");
            assert_eq!(written_back(t).as_deref(), Some(t));
        }
        for t in [
            r#"{"query":"x","limit":20}"#,
            r#"{"a": 1}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":1.5}"#,
            r#"{"a":"line\nbreak"}"#,
            r#"{"a":-0}"#,
            r#"{"a":007}"#,
            r#"{"a":1}x"#,
            r#"{"a":1"#,
        ] {
            assert!(!is_canonical(t), "{t}");
        }
    }

    proptest! {
        /// Never a yes for a text that parsing and writing back would change.
        #[test]
        fn a_canonical_text_is_what_serde_json_writes_back(t in r#"[\[\]{}",:a-c0-9.\-e \\é]{0,24}"#) {
            if is_canonical(&t) {
                prop_assert_eq!(written_back(&t), Some(t.clone()));
            }
        }

        /// What serde_json writes for integer-and-string JSON is recognised.
        #[test]
        fn serde_json_output_is_canonical(
            entries in proptest::collection::btree_map("[a-z_]{1,6}", (any::<i32>(), "[a-zA-Z0-9 /._-]{0,10}"), 0..6)
        ) {
            let v: serde_json::Value = entries
                .into_iter()
                .map(|(k, (n, s))| (k, serde_json::json!([n, s])))
                .collect::<serde_json::Map<_, _>>()
                .into();
            prop_assert!(is_canonical(&v.to_string()), "{}", v);
        }
    }
}
