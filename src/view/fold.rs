//! Case folding for search, without std's Unicode case tables.
//!
//! `str::to_lowercase` carries a 12 KB table of every cased letter and the code to use it,
//! about 6 KB of the page's gzip download, for a search box. Folding here covers the letters of
//! the scripts agent traces are written in (Latin with its extensions, Greek, Cyrillic,
//! Armenian, Georgian, fullwidth Latin); a letter of any other script is matched as typed. Both
//! the search text and what it is looked for in are folded by this one function, so whatever it
//! covers, a match is never missed because the two sides were folded differently.

/// `c` in lower case where it is one of the covered letters (final sigma folds to σ, so a word
/// typed in capitals finds it); every other character as it is.
pub fn fold_char(c: char) -> char {
    let u = c as u32;
    let even = u.is_multiple_of(2);
    let l = match u {
        0x41..=0x5a => u + 0x20,
        0xc0..=0xde if u != 0xd7 => u + 0x20,
        0x130 => 0x69, // İ: std gives "i̇", i and a combining dot
        0x100..=0x137 | 0x14a..=0x177 | 0x1de..=0x1ef | 0x1f8..=0x21f | 0x222..=0x233 if even => {
            u + 1
        }
        0x139..=0x148 | 0x179..=0x17e | 0x1cd..=0x1dc if !even => u + 1,
        0x1f4 => 0x1f5,
        0x178 => 0xff,
        0x386 => 0x3ac,
        0x388..=0x38a => u + 37,
        0x38c => 0x3cc,
        0x38e | 0x38f => u + 63,
        0x391..=0x3ab if u != 0x3a2 => u + 0x20,
        0x3c2 => 0x3c3, // ς
        0x400..=0x40f => u + 0x50,
        0x410..=0x42f => u + 0x20,
        0x460..=0x481 | 0x48a..=0x4bf | 0x4d0..=0x52f if even => u + 1,
        0x4c0 => 0x4cf,
        0x4c1..=0x4ce if !even => u + 1,
        0x531..=0x556 => u + 0x30,
        0x10a0..=0x10c5 => u + 0x1c60,
        0x1e00..=0x1e95 | 0x1ea0..=0x1eff if even => u + 1,
        0x1e9e => 0xdf,
        0xff21..=0xff3a => u + 0x20,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// `text` with every character folded by [`fold_char`].
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::{fold, fold_char};

    /// The blocks folding covers, as (first, last) code points.
    const COVERED: [(u32, u32); 10] = [
        (0x41, 0x5a),
        (0xc0, 0x24f),
        (0x370, 0x3ff),
        (0x400, 0x52f),
        (0x531, 0x556),
        (0x10a0, 0x10c5),
        (0x1e00, 0x1eff),
        (0xff21, 0xff3a),
        (0, 0x40),
        (0x5b, 0xbf),
    ];

    /// What std lower-cases to one other character in these blocks, this folds the same, but
    /// for the few listed: letters std lower-cases to two characters or folds only in context,
    /// and the irregular pairs of Latin Extended-B and archaic Greek left as they are.
    #[test]
    fn covered_letters_fold_as_std_lower_cases_them() {
        let mut left = Vec::new();
        for &(a, b) in &COVERED {
            for c in (a..=b).filter_map(char::from_u32) {
                let std: Vec<char> = c.to_lowercase().collect();
                let got = fold_char(c);
                if std.len() == 1 && std[0] != got {
                    left.push(c as u32);
                }
            }
        }
        // Latin Extended-B beyond the regular pairs, Greek archaic letters and symbols.
        let expected_gaps = left.iter().all(|&u| {
            matches!(u, 0x181..=0x1cc | 0x1f1..=0x1f7 | 0x220 | 0x23a..=0x24e | 0x370..=0x37f)
                || matches!(u, 0x3c2 | 0x3cf..=0x3ff)
        });
        assert!(expected_gaps, "{left:x?}");
        assert!(left.len() <= 85, "{} letters left unfolded", left.len());
    }

    #[test]
    fn everything_else_is_left_as_it_is() {
        for c in ['€', '中', 'ß', 'ا', '😀', '\u{212a}', 'ſ', 'ı'] {
            assert_eq!(fold_char(c), c);
        }
    }

    #[test]
    fn words_fold() {
        assert_eq!(fold("Ошибка ВЫЗОВА"), "ошибка вызова");
        assert_eq!(fold("ΟΔΟΣ"), fold("οδος"));
        assert_eq!(fold("CAFÉ Straße"), "café straße");
        assert_eq!(fold("ŞİŞLİ"), "şişli");
        assert_eq!(fold("ÆØÅ Łódź"), "æøå łódź");
        assert_eq!(fold("Tool_Call"), "tool_call");
    }
}
