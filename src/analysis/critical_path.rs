//! The critical path: the chain of work that decided when the run finished. Shortening anything
//! off this path does not make the run faster; shortening something on it does.
//!
//! Definition as in Jaeger UI (`TracePage/CriticalPath`): start at the root's end, descend into
//! the last-finishing child, recursively; when a span has no child finishing before the point
//! reached, the span itself owns the time back to its start, and the walk returns to the parent
//! looking for the child that finished last *before* that start. Children are first clipped to
//! their parent's interval (children wholly outside it, and their subtrees, are dropped), as
//! Jaeger's `sanitizeOverFlowingChildren` does.
//!
//! Differences from Jaeger, on purpose:
//! - A child ending exactly where the returning child starts is eligible (Jaeger compares
//!   strictly, which hands a back-to-back sibling's time to the parent; steps recorded with
//!   millisecond clocks touch all the time). Zero-length children at that point are not.
//! - Running spans (no end) end at the run's end (see [`super::bounds`]).
//! - Iterative, with a per-span cursor over children sorted by end: O(n log n) overall even for
//!   a span with 100 000 children, and no recursion.

use super::tree::Tree;
use crate::model::{Run, SpanIdx};
use crate::pace::Pace;
use serde::Serialize;

/// A stretch of time on the critical path owned by one span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Section {
    pub span: SpanIdx,
    pub start_ns: i64,
    pub end_ns: i64,
}

/// The spans on the critical path, in time order (each once, at its first section).
pub fn critical_path(run: &Run, tree: &Tree) -> Vec<SpanIdx> {
    let sections = critical_sections(run, tree);
    crate::pace::block_on(spans_of(&sections, &mut Pace::never()))
}

/// Distinct spans of time-ordered sections, in order of first appearance.
pub async fn spans_of(sections: &[Section], pace: &mut Pace<'_>) -> Vec<SpanIdx> {
    // A flag per span index rather than a hash set: a million-span run's path can have two
    // million sections.
    let n = sections
        .iter()
        .map(|s| s.span as usize + 1)
        .max()
        .unwrap_or(0);
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for s in sections {
        if !std::mem::replace(&mut seen[s.span as usize], true) {
            out.push(s.span);
        }
        pace.tick().await;
    }
    out
}

/// The critical path as sections in time order. Empty for an empty run.
pub fn critical_sections(run: &Run, tree: &Tree) -> Vec<Section> {
    crate::pace::block_on(critical_sections_paced(run, tree, &mut Pace::never()))
}

/// [`critical_sections`], resting as `pace` says (the page's million-span runs).
pub async fn critical_sections_paced(run: &Run, tree: &Tree, pace: &mut Pace<'_>) -> Vec<Section> {
    let Some(root) = tree.root else {
        return Vec::new();
    };
    let n = run.spans.len().min(tree.start_ns.len());

    // Clip every span to its (clipped) parent, parents first; drop what falls outside.
    let mut start = vec![0i64; n];
    let mut end = vec![0i64; n];
    let mut kept = vec![false; n];
    for &i in &tree.preorder {
        pace.tick().await;
        let (mut a, mut b) = (tree.start_ns[i as usize], tree.end_ns[i as usize]);
        match tree.parent[i as usize] {
            None => kept[i as usize] = true,
            Some(p) if kept[p as usize] => {
                let (pa, pb) = (start[p as usize], end[p as usize]);
                if b <= pa || a >= pb {
                    // Wholly outside; a zero-length parent keeps nothing either.
                    continue;
                }
                a = a.max(pa);
                b = b.min(pb);
                kept[i as usize] = true;
            }
            Some(_) => continue,
        }
        start[i as usize] = a;
        end[i as usize] = b;
    }

    // Kept children of each span sorted by (end, start): a cursor walks them backwards.
    let mut by_end: Vec<SpanIdx> = Vec::with_capacity(n);
    let mut off = vec![0u32; n + 1];
    for i in 0..n {
        let from = by_end.len();
        by_end.extend(
            tree.children(i as SpanIdx)
                .iter()
                .copied()
                .filter(|&c| kept[c as usize]),
        );
        super::tree::sort_by_times(&mut by_end[from..], &end, &start);
        off[i + 1] = by_end.len() as u32;
        pace.tick().await;
    }
    // Exclusive upper bound of still-eligible children, per span (relative to `off[span]`).
    let mut cursor: Vec<u32> = (0..n).map(|i| off[i + 1] - off[i]).collect();

    // Sized once for the most sections there can be: every step either descends into a child
    // (each span at most once, as cursors only move back) or climbs back out of one, and pushes
    // at most one section. A million-span run has about two million; growing the list to that by
    // doubling copied ~24 MB in one piece and held the page ~90 ms in the browser.
    let mut out = Vec::with_capacity(2 * n);
    let mut cur = root as usize;
    let mut limit = end[cur];
    loop {
        // Last-finishing eligible child: end <= limit, and not a zero-length child at limit.
        let base = off[cur] as usize;
        let mut k = cursor[cur] as usize;
        while k > 0 {
            let c = by_end[base + k - 1] as usize;
            if end[c] < limit || (end[c] == limit && start[c] < limit) {
                break;
            }
            k -= 1;
        }
        if k > 0 {
            let c = by_end[base + k - 1] as usize;
            cursor[cur] = (k - 1) as u32;
            if end[c] != limit {
                out.push(Section {
                    span: cur as SpanIdx,
                    start_ns: end[c],
                    end_ns: limit,
                });
            }
            cur = c;
            limit = end[c];
        } else {
            cursor[cur] = 0;
            if start[cur] != limit {
                out.push(Section {
                    span: cur as SpanIdx,
                    start_ns: start[cur],
                    end_ns: limit,
                });
            }
            match tree.parent[cur] {
                Some(p) if cur != root as usize => {
                    limit = start[cur];
                    cur = p as usize;
                }
                _ => break,
            }
        }
        pace.tick().await;
    }
    out.reverse();
    out.shrink_to_fit();
    out
}
