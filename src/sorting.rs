//! Sorting, through one std sort instantiation for the whole page.
//!
//! Why: every `sort_by`/`sort_by_key` call with its own closure or element type monomorphizes a
//! full copy of std's sort (quicksort, driftsort, small-sort networks: 2–6 KB of wasm each). With
//! ~25 call sites that was ~118 KB of the web bundle's wasm. Here every sort is one unstable
//! sort of `u32` positions through a `&mut dyn FnMut` comparator, ties broken by position (so
//! the order is stable), then the positions are applied; only that small glue is generic. The
//! hot sorts of a big load (children by start, the critical path's children by end, latency
//! samples) come here too, as [`sort_ids`]: the `dyn` call per comparison costs them little
//! next to a second copy of the sort (measured with `cargo bench --bench analysis`).

use std::cmp::Ordering;

/// The one comparator sort, over positions; equal items keep their order of position.
#[inline(never)]
fn sort_positions(pos: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    pos.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
}

/// Sorts span indices (or any `u32` ids) in place by `cmp`, equal ones by id: the hot sorts'
/// way in, with no copy of the items.
pub fn sort_ids(ids: &mut [u32], mut cmp: impl FnMut(u32, u32) -> Ordering) {
    sort_positions(ids, &mut cmp);
}

/// Moves `v[perm[k]]` to position `k`, following cycles with swaps, so no `T: Clone` is needed.
/// `perm` is left as the identity.
fn apply<T>(v: &mut [T], perm: &mut [u32]) {
    for start in 0..perm.len() {
        let mut k = start;
        while perm[k] as usize != start {
            let src = perm[k] as usize;
            perm[k] = k as u32;
            v.swap(k, src);
            k = src;
        }
        perm[k] = k as u32;
    }
}

/// Stable sort by key, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort by a comparator, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    assert!(v.len() <= u32::MAX as usize);
    let mut perm: Vec<u32> = (0..v.len() as u32).collect();
    sort_positions(&mut perm, &mut |a, b| cmp(&v[a as usize], &v[b as usize]));
    apply(v, &mut perm);
}

/// Natural order, like `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Integers in ascending order, by radix (a byte a pass, skipping bytes all values share): the
/// latency samples of a big run, hundreds of thousands of them, sorted in linear time without a
/// copy of std's sort for `i64`.
pub fn sort_i64(v: &mut [i64]) {
    // Flipping the sign bit orders two's complement values as unsigned ones.
    let key = |x: i64| (x as u64) ^ (1 << 63);
    let mut buf = vec![0i64; v.len()];
    let (mut from, mut to): (&mut [i64], &mut [i64]) = (v, &mut buf);
    let mut in_buf = false;
    for shift in (0..64).step_by(8) {
        let mut count = [0usize; 256];
        for &x in from.iter() {
            count[(key(x) >> shift) as usize & 0xff] += 1;
        }
        if count.contains(&from.len()) {
            continue; // every value has this byte: the pass would change nothing
        }
        let mut at = 0;
        for c in count.iter_mut() {
            let n = *c;
            *c = at;
            at += n;
        }
        for &x in from.iter() {
            let b = (key(x) >> shift) as usize & 0xff;
            to[count[b]] = x;
            count[b] += 1;
        }
        std::mem::swap(&mut from, &mut to);
        in_buf = !in_buf;
    }
    if in_buf {
        to.copy_from_slice(from);
    }
}

/// The distinct values, in order: what collecting into a `BTreeSet` gives, without a B-tree's
/// code (~5 KB of the page's gzip download for its few small uses).
pub fn distinct<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    sort(&mut items);
    items.dedup();
    items
}

/// How many times each distinct value occurs, values in order (a `BTreeMap` of counts).
pub fn counts<T: Ord>(mut items: Vec<T>) -> Vec<(T, usize)> {
    sort(&mut items);
    let mut out: Vec<(T, usize)> = Vec::new();
    for item in items {
        match out.last_mut() {
            Some((last, n)) if *last == item => *n += 1,
            _ => out.push((item, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test needs no dependency.
    fn numbers(n: usize, seed: u64, modulo: u64) -> Vec<u64> {
        let mut s = seed | 1;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                s % modulo
            })
            .collect()
    }

    #[test]
    fn integers_sort_as_std_sorts_them() {
        for (n, modulo) in [
            (0, 1),
            (1, 5),
            (2, 2),
            (1000, 7),
            (3000, 1 << 40),
            (5000, u64::MAX),
        ] {
            let mut v: Vec<i64> = numbers(n, 11, modulo)
                .into_iter()
                .enumerate()
                .map(|(i, x)| if i % 3 == 0 { -(x as i64) } else { x as i64 })
                .collect();
            v.extend([i64::MIN, i64::MAX, 0, -1]);
            let mut want = v.clone();
            want.sort();
            sort_i64(&mut v);
            assert_eq!(v, want, "{n} numbers below {modulo}");
        }
    }

    #[test]
    fn same_order_as_std() {
        for (n, modulo) in [
            (0, 1),
            (1, 5),
            (2, 2),
            (17, 4),
            (100, 10),
            (3000, 50),
            (3000, 1 << 40),
        ] {
            let raw = numbers(n, n as u64 + modulo, modulo);
            // (key, payload) with many equal keys: stability shows in the payload order.
            let items: Vec<(i64, u32)> = raw
                .iter()
                .enumerate()
                .map(|(i, &x)| (x as i64 - (modulo / 2) as i64, (n - i) as u32 % 7))
                .collect();

            let mut a = items.clone();
            a.sort_by_key(|x| x.0);
            let mut b = items.clone();
            sort_by_key(&mut b, |x| x.0);
            assert_eq!(a, b);

            let mut a = items.clone();
            // Descending payload, then key: a comparator that is not a plain key.
            let desc = |x: &(i64, u32), y: &(i64, u32)| y.1.cmp(&x.1).then(x.0.cmp(&y.0));
            a.sort_by(desc);
            let mut b = items.clone();
            sort_by(&mut b, desc);
            assert_eq!(a, b);

            let mut a: Vec<String> = raw.iter().map(|x| format!("s{x}")).collect();
            let mut b = a.clone();
            a.sort();
            sort(&mut b);
            assert_eq!(a, b);
        }
    }
}
