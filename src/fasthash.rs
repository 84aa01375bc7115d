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

/// One hash of a tool call's name and raw arguments, for grouping repeats cheaply.
pub fn call_hash(name: &str, args: &str) -> u64 {
    let mut h = Fnv::default();
    h.write(name.as_bytes());
    h.write(&[0xff]);
    h.write(args.as_bytes());
    h.finish()
}
