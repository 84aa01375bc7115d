//! The span tree: children in start order, depth, pre-order for the waterfall, and the repairs
//! (orphans, extra roots, cycles) made visible instead of hidden.
//!
//! Built in O(n log n) (one sort of each sibling list) with explicit stacks, so a run with a
//! 100 000-deep chain of spans does not overflow the stack.

use super::bounds::RunBounds;
use crate::model::{flags, Run, SpanIdx};
use crate::pace::Pace;
use serde::Serialize;

/// The tree of one run. Children are stored compressed (CSR): the children of span `i` are
/// `child_ids[child_offsets[i]..child_offsets[i + 1]]`, ordered by start time then index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tree {
    /// The run's root: the earliest-starting span that has no parent and is not an orphan.
    pub root: Option<SpanIdx>,
    /// Top-level spans after repair: `[root]` for any non-empty run.
    pub roots: Vec<SpanIdx>,
    /// Parent after repair (orphans and extra roots point at the root).
    pub parent: Vec<Option<SpanIdx>>,
    pub child_offsets: Vec<u32>,
    pub child_ids: Vec<SpanIdx>,
    /// Depth after repair: the root is 0.
    pub depth: Vec<u32>,
    /// Every span once, parents before children, siblings in start order: the waterfall's rows.
    pub preorder: Vec<SpanIdx>,
    /// Spans hung under the root by this repair: flagged ORPHAN by the loader, a second
    /// parentless span, or a span on a parent cycle that no root reaches. In index order.
    pub orphans: Vec<SpanIdx>,
    /// The run's extent (see [`RunBounds`]).
    pub bounds: RunBounds,
    /// Per span: start, and effective end (a running span ends at the run's end), kept here
    /// so the timing passes read two compact arrays instead of every span.
    #[serde(skip)]
    pub start_ns: Vec<i64>,
    #[serde(skip)]
    pub end_ns: Vec<i64>,
}

impl Tree {
    /// Builds the tree from the spans' resolved `parent` indices.
    pub fn build(run: &Run) -> Tree {
        crate::pace::block_on(Tree::build_paced(run, &mut Pace::never()))
    }

    /// [`build`](Self::build), resting as `pace` says (the page's million-span runs).
    pub async fn build_paced(run: &Run, pace: &mut Pace<'_>) -> Tree {
        let n = run.spans.len();
        if n == 0 {
            return Tree {
                child_offsets: vec![0],
                bounds: RunBounds::of(run),
                ..Tree::default()
            };
        }
        let spans = &run.spans;
        // One pass over the spans into compact arrays; everything after reads only these.
        let mut raw: Vec<Option<SpanIdx>> = Vec::with_capacity(n);
        let mut start_ns: Vec<i64> = Vec::with_capacity(n);
        let mut end_ns: Vec<i64> = Vec::with_capacity(n);
        let mut flagged = vec![false; n];
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for (i, s) in spans.iter().enumerate() {
            // Links that point outside the run or at the span itself are dropped.
            raw.push(s.parent.filter(|&p| (p as usize) < n && p as usize != i));
            start_ns.push(s.start_ns);
            end_ns.push(s.end_ns.unwrap_or(i64::MIN));
            lo = lo.min(s.start_ns);
            hi = hi.max(s.end_ns.unwrap_or(s.start_ns)).max(s.start_ns);
            flagged[i] = s.has_flag(flags::ORPHAN);
            pace.tick().await;
        }
        // Same rule as `RunBounds::of`, from the figures just gathered.
        let bounds = RunBounds::from_extent(run, lo, hi);
        for (e, &st) in end_ns.iter_mut().zip(&start_ns) {
            if *e == i64::MIN {
                *e = bounds.end_ns;
            }
            *e = (*e).max(st);
        }
        let is_orphan_flag = |i: usize| flagged[i];

        // The root: earliest parentless, non-orphan span; failing that, the earliest span.
        let earliest =
            |cands: &mut dyn Iterator<Item = usize>| cands.min_by_key(|&i| (start_ns[i], i));
        let root = earliest(&mut (0..n).filter(|&i| raw[i].is_none() && !is_orphan_flag(i)))
            .or_else(|| earliest(&mut (0..n).filter(|&i| raw[i].is_none())))
            .or_else(|| earliest(&mut (0..n)))
            .unwrap_or(0);

        let mut orphan_mark = vec![false; n];
        let mut parent: Vec<Option<SpanIdx>> = raw;
        parent[root] = None;
        for i in 0..n {
            if i == root {
                continue;
            }
            if parent[i].is_none() {
                parent[i] = Some(root as SpanIdx);
                orphan_mark[i] = true;
            } else if is_orphan_flag(i) {
                orphan_mark[i] = true;
            }
        }

        // Walk from the root; spans never reached sit on a parent cycle: cut the link of the
        // first unreached one (by index), hang it under the root, walk again from it.
        let mut reached = vec![false; n];
        let (mut off, mut ids) = csr(&parent, &start_ns, n, pace).await;
        mark_reachable(root, &off, &ids, &mut reached, pace).await;
        let mut cut_any = false;
        for i in 0..n {
            if !reached[i] {
                parent[i] = Some(root as SpanIdx);
                orphan_mark[i] = true;
                cut_any = true;
                // `i`'s own children list is unchanged, so the old lists still walk its new
                // subtree; the stale edge from its old parent leads back to a reached span.
                mark_reachable(i, &off, &ids, &mut reached, pace).await;
            }
        }
        if cut_any {
            let (o2, i2) = csr(&parent, &start_ns, n, pace).await;
            off = o2;
            ids = i2;
        }

        // Pre-order and depth with an explicit stack.
        let mut preorder = Vec::with_capacity(n);
        let mut depth = vec![0u32; n];
        let mut stack = vec![root as SpanIdx];
        while let Some(s) = stack.pop() {
            preorder.push(s);
            let (a, b) = (off[s as usize] as usize, off[s as usize + 1] as usize);
            for &c in ids[a..b].iter().rev() {
                depth[c as usize] = depth[s as usize] + 1;
                stack.push(c);
            }
            pace.tick().await;
        }

        Tree {
            bounds,
            start_ns,
            end_ns,
            root: Some(root as SpanIdx),
            roots: vec![root as SpanIdx],
            parent,
            child_offsets: off,
            child_ids: ids,
            depth,
            preorder,
            orphans: (0..n)
                .filter(|&i| orphan_mark[i])
                .map(|i| i as SpanIdx)
                .collect(),
        }
    }

    /// The children of `span`, in start order.
    pub fn children(&self, span: SpanIdx) -> &[SpanIdx] {
        let i = span as usize;
        match (self.child_offsets.get(i), self.child_offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.child_ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Effective duration of a span in ns (running spans end at the run's end).
    pub fn duration_ns(&self, span: SpanIdx) -> i64 {
        let i = span as usize;
        self.end_ns[i] - self.start_ns[i]
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }
}

/// Children lists in CSR form, each sorted by (start, index).
async fn csr(
    parent: &[Option<SpanIdx>],
    start_ns: &[i64],
    n: usize,
    pace: &mut Pace<'_>,
) -> (Vec<u32>, Vec<SpanIdx>) {
    let mut off = vec![0u32; n + 1];
    for p in parent.iter().flatten() {
        off[*p as usize + 1] += 1;
    }
    pace.point().await;
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let mut fill = off.clone();
    let mut ids = vec![0 as SpanIdx; off[n] as usize];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            let slot = &mut fill[*p as usize];
            ids[*slot as usize] = i as SpanIdx;
            *slot += 1;
        }
    }
    pace.point().await;
    for i in 0..n {
        let seg = &mut ids[off[i] as usize..off[i + 1] as usize];
        if seg.len() > 1 {
            sort_by_start(seg, start_ns);
            pace.ticks(seg.len().min(1 << 16) as u32).await;
        }
    }
    (off, ids)
}

/// Sorts span indices by (start, index). The children lists here and the anomaly detectors' big
/// sorts all come through this one function, so they share one copy of std's sort (bundle size)
/// and keep its speed on the hot path (see `crate::sorting` for the cold sorts).
pub fn sort_by_start(ids: &mut [SpanIdx], start_ns: &[i64]) {
    sort_by_times(ids, start_ns, start_ns);
}

/// Sorts span indices by (`first`, `second`, index): [`sort_by_start`], and the critical path's
/// children by end.
pub fn sort_by_times(ids: &mut [SpanIdx], first: &[i64], second: &[i64]) {
    let key = |c: SpanIdx| (first[c as usize], second[c as usize]);
    crate::sorting::sort_ids(ids, |a, b| key(a).cmp(&key(b)));
}

async fn mark_reachable(
    from: usize,
    off: &[u32],
    ids: &[SpanIdx],
    reached: &mut [bool],
    pace: &mut Pace<'_>,
) {
    let mut stack = vec![from as SpanIdx];
    while let Some(s) = stack.pop() {
        pace.tick().await;
        if reached[s as usize] {
            continue;
        }
        reached[s as usize] = true;
        let (a, b) = (off[s as usize] as usize, off[s as usize + 1] as usize);
        stack.extend(ids[a..b].iter().copied().filter(|&c| !reached[c as usize]));
    }
}
