//! Finding the span a timed side record belongs to. Seed side files carry times but no span ids,
//! so a log line or error is linked to the innermost span that was open at that moment.

use crate::model::{Run, SpanIdx};
use std::collections::HashMap;

/// Each span's parent index (resolved from `parent_id` here, not trusted from assembly) and its
/// effective end: a never-ended span is bounded by its parent's end, so the seed 000 plan
/// "Think" that was never closed does not swallow every later record.
pub(crate) struct Spans {
    pub(crate) depth: Vec<u32>,
    pub(crate) end: Vec<Option<i64>>,
}

impl Spans {
    pub(crate) fn of(run: &Run) -> Spans {
        let n = run.spans.len();
        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, s) in run.spans.iter().enumerate() {
            by_id.entry(s.id.as_str()).or_insert(i);
        }
        let parent: Vec<Option<usize>> = run
            .spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.parent_id
                    .as_deref()
                    .and_then(|p| by_id.get(p).copied())
                    .filter(|&p| p != i)
            })
            .collect();
        let mut depth = vec![0u32; n];
        let mut end = vec![None; n];
        for i in 0..n {
            // Walk up at most n steps so a parent cycle cannot loop forever.
            let mut d = 0u32;
            let mut cur = parent[i];
            let mut bound: Option<i64> = None;
            let mut steps = 0;
            while let Some(p) = cur {
                d += 1;
                if bound.is_none() {
                    bound = run.spans[p].end_ns;
                }
                steps += 1;
                if steps > n {
                    break;
                }
                cur = parent[p];
            }
            depth[i] = d;
            end[i] = run.spans[i].end_ns.or(bound).or(run.end_ns);
        }
        Spans { depth, end }
    }

    /// The deepest span whose [start, effective end] holds `t`; ties go to the later start.
    pub(crate) fn innermost(&self, run: &Run, t: i64) -> Option<SpanIdx> {
        let mut best: Option<usize> = None;
        for (i, s) in run.spans.iter().enumerate() {
            let Some(end) = self.end[i] else { continue };
            if s.start_ns > t || end < t {
                continue;
            }
            best = match best {
                Some(b)
                    if (self.depth[b], run.spans[b].start_ns) >= (self.depth[i], s.start_ns) =>
                {
                    Some(b)
                }
                _ => Some(i),
            };
        }
        best.map(|i| i as SpanIdx)
    }
}

/// The index of the run whose bounds hold `t`, else the last run that started before `t`, else
/// the first: records before the first run (agent construction) belong to it, records between
/// runs belong to the run that follows... except when nothing follows.
pub(crate) fn run_at(bounds: &[(i64, i64)], t: i64) -> usize {
    if let Some(i) = bounds.iter().position(|&(s, e)| s <= t && t <= e) {
        return i;
    }
    if let Some(i) = bounds.iter().position(|&(s, _)| s > t) {
        return i;
    }
    bounds.len().saturating_sub(1)
}

/// A run's bounds: as stated, else the extent of its spans.
pub(crate) fn run_bounds(run: &Run) -> Option<(i64, i64)> {
    let start = run
        .start_ns
        .or_else(|| run.spans.iter().map(|s| s.start_ns).min())?;
    let end = run
        .end_ns
        .or_else(|| {
            run.spans
                .iter()
                .map(|s| s.end_ns.unwrap_or(s.start_ns))
                .max()
        })
        .unwrap_or(start);
    Some((start, end.max(start)))
}
