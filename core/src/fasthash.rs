//! A small fast hasher for string-keyed maps over user data (span ids, trace ids, tool and
//! model names, call keys): keys come from the user's own file, not from an attacker, and
//! SipHash's DoS resistance costs more than the rest of a million-span load or summary.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes eight bytes per step (multiply, rotate) and mixes the result once in `finish`. It
/// replaced byte-at-a-time FNV-1a: a 100k-span load hashes every span id, trace id, parent id
/// and interned attribute key and value, and FNV's one multiply per byte was ~5% of the load in
/// the browser.
#[derive(Clone, Copy)]
pub struct WordHasher(u64);

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl WordHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(K).rotate_left(29);
    }
}

impl Hasher for WordHasher {
    /// A final avalanche (murmur3's), so the low bits that pick a bucket and the high bits that
    /// hashbrown keeps as a tag both depend on every input byte.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        // The length goes in with the last word, so "ab" and "ab\0" differ.
        self.mix(u64::from_le_bytes(b) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i) | 0x100);
    }

    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A set by [`WordHasher`]: std's default SipHash (and its random keys) then stays out of the
/// page's module, whose maps and sets all hash this way.
pub type FastSet<T> = std::collections::HashSet<T, BuildHasherDefault<WordHasher>>;

/// Each span id to the index of its first span: the duplicate check and the parent lookup of
/// every load use one, a million times at a million spans. A concrete type rather than a
/// `FastMap<&str, usize>` at each use, so its hashing and probing are compiled here, in the
/// crate built for speed (the rest of the library is built for size).
pub struct IdIndex<'a>(FastMap<&'a str, usize>);

impl<'a> IdIndex<'a> {
    pub fn with_capacity(n: usize) -> Self {
        let mut map = FastMap::default();
        map.reserve(n);
        IdIndex(map)
    }

    /// Records `i` as `id`'s first span unless it has one; returns the first.
    pub fn first_or_insert(&mut self, id: &'a str, i: usize) -> usize {
        *self.0.entry(id).or_insert(i)
    }

    /// The first span with this id.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

/// One hash of a tool call's name and raw arguments, for grouping repeats cheaply.
pub fn call_hash(name: &str, args: &str) -> u64 {
    let mut h = WordHasher::default();
    h.write(name.as_bytes());
    h.write(&[0xff]);
    h.write(args.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(s: &str) -> u64 {
        BuildHasherDefault::<WordHasher>::default().hash_one(s)
    }

    /// Span ids as OTLP writers make them (16 hex digits, often counting up) must spread over
    /// the buckets hashbrown picks with the low bits, and over its 7-bit tags from the top bits.
    #[test]
    fn sequential_hex_ids_spread_over_low_and_high_bits() {
        let ids: Vec<String> = (0..65_536u64)
            .map(|i| format!("{:016x}", 0x5eed_0000_0000_0000 + i))
            .collect();
        let hashes: Vec<u64> = ids.iter().map(|s| hash(s)).collect();
        let distinct: std::collections::HashSet<u64> = hashes.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len());
        let mut low = vec![0u32; 4096];
        let mut top = [0u32; 128];
        for h in &hashes {
            low[(h & 4095) as usize] += 1;
            top[(h >> 57) as usize] += 1;
        }
        // 16 per bucket and 512 per tag on average.
        assert!(low.iter().all(|&n| (2..=40).contains(&n)), "{low:?}");
        assert!(top.iter().all(|&n| (400..=630).contains(&n)), "{top:?}");
    }

    #[test]
    fn a_trailing_zero_byte_or_a_split_changes_the_hash() {
        assert_ne!(hash("ab"), hash("ab\0"));
        assert_ne!(call_hash("ab", "c"), call_hash("a", "bc"));
        assert_ne!(hash(""), hash("\0"));
    }
}
