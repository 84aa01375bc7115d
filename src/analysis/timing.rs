//! Self time: how long a span spent on its own, not waiting on its children. This is what points
//! at the step that is slow by itself rather than one that merely contains slow steps.

use super::tree::Tree;
use crate::model::Run;
use crate::pace::Pace;

/// Per span: its duration minus the union of its children's intervals, each clipped to the span.
/// Overlapping (parallel) children are counted once. Running spans end at the run's end.
/// O(n) after the tree's sort, since children come in start order.
pub fn self_times(run: &Run, tree: &Tree) -> Vec<i64> {
    crate::pace::block_on(self_times_paced(run, tree, &mut Pace::never()))
}

/// [`self_times`], resting as `pace` says: ~20 ms natively at a million spans, about three times
/// that in the page, where it was the longest stretch of the analysis without a look at the clock.
pub async fn self_times_paced(run: &Run, tree: &Tree, pace: &mut Pace<'_>) -> Vec<i64> {
    let n = run.spans.len().min(tree.start_ns.len());
    let (starts, ends) = (&tree.start_ns, &tree.end_ns);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (start, end) = (starts[i], ends[i]);
        let mut covered = 0i64;
        // Children are sorted by start, so one sweep merges their intervals.
        let mut cur: Option<(i64, i64)> = None;
        for &c in tree.children(i as u32) {
            let a = starts[c as usize].max(start);
            let b = ends[c as usize].min(end);
            if b <= a {
                continue;
            }
            cur = match cur {
                Some((x, y)) if a <= y => Some((x, y.max(b))),
                Some((x, y)) => {
                    covered += y - x;
                    Some((a, b))
                }
                None => Some((a, b)),
            };
        }
        if let Some((x, y)) = cur {
            covered += y - x;
        }
        out.push((end - start - covered).max(0));
        pace.tick().await;
    }
    out
}
