//! A small FNV-1a hasher for string-keyed maps over user data (span ids, trace ids, tool and
//! model names, call keys): keys come from the user's own file, not from an attacker, and
//! SipHash's DoS resistance costs more than the rest of a million-span load or summary.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

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
    let mut h = Fnv::default();
    h.write(name.as_bytes());
    h.write(&[0xff]);
    h.write(args.as_bytes());
    h.finish()
}
