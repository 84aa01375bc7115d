//! Run comparison: line two runs' steps up and say where they part ways.
//!
//! Each run's steps are its spans in tree pre-order, keyed by kind + name + tool name. The two
//! key sequences are aligned with Myers' diff (a shortest edit script, O((N+M)·D)), after
//! trimming the common prefix and suffix, so two 10 000-step runs that differ in a few places
//! align in milliseconds. When they differ in more than `MAX_EDITS` places the remainder is paired
//! position by position instead (documented fallback: still a full table, never a hang).

use super::cost::PriceTable;
use super::summary::{summarize, RunSummary};
use super::tree::Tree;
use crate::fasthash::FastMap;
use crate::model::{Run, Span, SpanIdx, SpanKind, Status};
use crate::pace::{block_on, Pace, Paced};
use serde::Serialize;

/// Edit budget for the exact alignment; its frontiers take about 4·MAX_EDITS² bytes (16 MB).
const MAX_EDITS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Same step, nothing notable changed.
    Matched,
    /// Same step, but its status or its latency or tokens changed a lot.
    Changed,
    /// Only in run B.
    Added,
    /// Only in run A.
    Removed,
}

/// B − A for one step (`None` where a side lacks the figure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StepDelta {
    pub latency_ns: Option<i64>,
    pub tokens: Option<i64>,
    pub cost_usd: Option<f64>,
    pub status_a: Option<Status>,
    pub status_b: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignRow {
    pub kind: RowKind,
    pub a: Option<SpanIdx>,
    pub b: Option<SpanIdx>,
    pub delta: StepDelta,
}

/// Whole-run figures side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Totals {
    pub spans: i64,
    pub llm_calls: i64,
    pub tool_calls: i64,
    pub error_spans: i64,
    pub duration_ns: i64,
    pub tokens: i64,
    pub cost_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub rows: Vec<AlignRow>,
    pub totals_a: Totals,
    pub totals_b: Totals,
    /// B − A.
    pub totals_delta: Totals,
    pub matched: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    /// Where the runs first differ, in a sentence: the first added, removed or differently ending
    /// step, else the first step whose latency or tokens changed a lot; `None` when all match.
    pub first_divergence: Option<String>,
    /// True when the runs differed too much for an exact alignment and the tail was paired by
    /// position.
    pub approximate: bool,
    /// The step number of `rows[0]`: 0 when both runs are one tree under a shared root (the run
    /// itself is "step 0", so its steps count from 1 as the agent counted them), else 1.
    pub step_base: usize,
}

/// Aligns two runs with the bundled prices.
pub fn align(a: &Run, b: &Run) -> Alignment {
    align_with(a, b, &PriceTable::bundled())
}

/// What makes two steps the same step: kind, name and tool name; the root only by its kind.
#[derive(PartialEq, Eq, Hash)]
enum StepKey<'a> {
    Root(SpanKind),
    Step(SpanKind, &'a str, &'a str),
}

/// Each step's key as a small integer, the same for equal keys across both runs, so the diff
/// compares integers. Keys are borrowed: a string made per span cost more than all the rest.
async fn intern<'a>(
    ids: &mut FastMap<StepKey<'a>, u32>,
    run: &'a Run,
    tree: &Tree,
    pace: &mut Pace<'_>,
) -> Vec<u32> {
    let mut keys = Vec::with_capacity(tree.preorder.len());
    for &i in &tree.preorder {
        let s = &run.spans[i as usize];
        // The root is the run itself: its name often carries the version being compared.
        let k = if Some(i) == tree.root {
            StepKey::Root(s.kind)
        } else {
            StepKey::Step(s.kind, &s.name, s.tool.as_ref().map_or("", |t| &t.name))
        };
        let n = ids.len() as u32;
        keys.push(*ids.entry(k).or_insert(n));
        pace.tick().await;
    }
    keys
}

fn totals(s: &RunSummary) -> Totals {
    Totals {
        spans: s.spans as i64,
        llm_calls: s.llm_calls as i64,
        tool_calls: s.tool_calls as i64,
        error_spans: s.error_spans as i64,
        duration_ns: s.duration_ns,
        tokens: s.tokens.total as i64,
        cost_usd: s.cost_usd(),
    }
}

/// Aligns two runs with the given prices (for per-step and total cost deltas).
pub fn align_with(a: &Run, b: &Run, prices: &PriceTable) -> Alignment {
    let (ta, tb) = (Tree::build(a), Tree::build(b));
    let (sa, sb) = (summarize(a, &ta, prices), summarize(b, &tb, prices));
    align_analysed((a, &ta, &sa), (b, &tb, &sb))
}

/// One run with its tree and summary, as [`align_analysed`] takes it.
pub type Analysed<'a> = (&'a Run, &'a Tree, &'a RunSummary);

/// [`align_with`] over trees and summaries already made: the page has them for every loaded
/// run, and building them again was most of comparing two big runs.
pub fn align_analysed(a: Analysed<'_>, b: Analysed<'_>) -> Alignment {
    block_on(align_analysed_paced(a, b, &mut Pace::never()))
}

/// [`align_analysed`], resting as `pace` says: comparing a million-span run held the page for
/// about half a second in one piece.
pub fn align_analysed_paced<'a, 'p: 'a>(
    a: Analysed<'a>,
    b: Analysed<'a>,
    pace: &'a mut Pace<'p>,
) -> Paced<'a, Alignment> {
    Box::pin(align_paced(a, b, pace))
}

async fn align_paced(
    (a, ta, sa): Analysed<'_>,
    (b, tb, sb): Analysed<'_>,
    pace: &mut Pace<'_>,
) -> Alignment {
    // Intern keys so the diff compares integers.
    pace.enter("keys").await;
    let mut ids = FastMap::default();
    let ka = intern(&mut ids, a, ta, pace).await;
    let kb = intern(&mut ids, b, tb, pace).await;
    pace.enter("diff").await;
    let (ops, approximate) = diff(&ka, &kb);
    pace.enter("rows").await;

    let mut rows = Vec::with_capacity(ops.len());
    let (mut matched, mut changed, mut added, mut removed) = (0, 0, 0, 0);
    for op in ops {
        pace.tick().await;
        let row = match op {
            Op::Both(i, j) => {
                let (x, y) = (ta.preorder[i], tb.preorder[j]);
                let (xs, ys) = (&a.spans[x as usize], &b.spans[y as usize]);
                let la = ta.duration_ns(x);
                let lb = tb.duration_ns(y);
                let tka = sa.per_span.tokens[x as usize] as i64;
                let tkb = sb.per_span.tokens[y as usize] as i64;
                let big = |p: i64, q: i64, floor: i64| {
                    let d = (q - p).abs();
                    d >= floor && d * 2 >= p.abs().max(q.abs())
                };
                let is_changed =
                    xs.status != ys.status || big(la, lb, 100_000_000) || big(tka, tkb, 100);
                let kind = if is_changed {
                    RowKind::Changed
                } else {
                    RowKind::Matched
                };
                AlignRow {
                    kind,
                    a: Some(x),
                    b: Some(y),
                    delta: StepDelta {
                        latency_ns: Some(lb - la),
                        tokens: Some(tkb - tka),
                        cost_usd: Some(
                            sb.per_span.cost_usd[y as usize] - sa.per_span.cost_usd[x as usize],
                        ),
                        status_a: Some(xs.status),
                        status_b: Some(ys.status),
                    },
                }
            }
            Op::OnlyA(i) => {
                let x = ta.preorder[i];
                let xs = &a.spans[x as usize];
                AlignRow {
                    kind: RowKind::Removed,
                    a: Some(x),
                    b: None,
                    delta: StepDelta {
                        status_a: Some(xs.status),
                        ..StepDelta::default()
                    },
                }
            }
            Op::OnlyB(j) => {
                let y = tb.preorder[j];
                let ys = &b.spans[y as usize];
                AlignRow {
                    kind: RowKind::Added,
                    a: None,
                    b: Some(y),
                    delta: StepDelta {
                        status_b: Some(ys.status),
                        ..StepDelta::default()
                    },
                }
            }
        };
        match row.kind {
            RowKind::Matched => matched += 1,
            RowKind::Changed => changed += 1,
            RowKind::Added => added += 1,
            RowKind::Removed => removed += 1,
        }
        rows.push(row);
    }
    let step_base = usize::from(!shared_root(&rows, ta, tb));
    let first_divergence = divergence(a, b, &rows, ta, tb, step_base);
    let (x, y) = (totals(sa), totals(sb));
    Alignment {
        totals_delta: Totals {
            spans: y.spans - x.spans,
            llm_calls: y.llm_calls - x.llm_calls,
            tool_calls: y.tool_calls - x.tool_calls,
            error_spans: y.error_spans - x.error_spans,
            duration_ns: y.duration_ns - x.duration_ns,
            tokens: y.tokens - x.tokens,
            cost_usd: y.cost_usd.zip(x.cost_usd).map(|(q, p)| q - p),
        },
        totals_a: x,
        totals_b: y,
        rows,
        matched,
        changed,
        added,
        removed,
        first_divergence,
        approximate,
        step_base,
    }
}

/// Whether the first row pairs the single roots of both runs.
fn shared_root(rows: &[AlignRow], ta: &Tree, tb: &Tree) -> bool {
    let single = |t: &Tree| t.roots.len() == 1;
    match rows.first() {
        Some(r) => {
            single(ta)
                && single(tb)
                && r.a.is_some()
                && r.a == ta.roots.first().copied()
                && r.b == tb.roots.first().copied()
        }
        None => false,
    }
}

/// What a step did, as a verb phrase: "called search_docs", "asked gpt-4o".
fn did(s: &Span) -> String {
    match s.kind {
        SpanKind::Tool => format!(
            "called {}",
            s.tool.as_ref().map(|t| t.name.as_str()).unwrap_or(&s.name)
        ),
        SpanKind::Llm => match &s.model {
            Some(m) => format!("asked {m} ({})", s.name),
            None => format!("asked the model ({})", s.name),
        },
        k => format!("ran {} {}", k.as_str(), s.name),
    }
}

fn divergence(
    a: &Run,
    b: &Run,
    rows: &[AlignRow],
    ta: &Tree,
    tb: &Tree,
    step_base: usize,
) -> Option<String> {
    // A different step or a different outcome first; a step that only got slower or used more
    // tokens counts when nothing else differs.
    let structural = |r: &AlignRow| {
        r.kind == RowKind::Added
            || r.kind == RowKind::Removed
            || (r.kind == RowKind::Changed && r.delta.status_a != r.delta.status_b)
    };
    let pos = rows
        .iter()
        .position(structural)
        .or_else(|| rows.iter().position(|r| r.kind != RowKind::Matched))?;
    let step = pos + step_base;
    let r = &rows[pos];
    let next = rows.get(pos + 1);
    Some(match r.kind {
        RowKind::Removed => {
            let xs = &a.spans[r.a? as usize];
            match next.filter(|n| n.kind == RowKind::Added).and_then(|n| n.b) {
                Some(y) => format!(
                    "step {step}: run A {}, run B {}",
                    did(xs),
                    did(&b.spans[y as usize])
                ),
                None => format!("step {step}: run A {}, run B has no such step", did(xs)),
            }
        }
        RowKind::Added => {
            let ys = &b.spans[r.b? as usize];
            match next
                .filter(|n| n.kind == RowKind::Removed)
                .and_then(|n| n.a)
            {
                Some(x) => format!(
                    "step {step}: run A {}, run B {}",
                    did(&a.spans[x as usize]),
                    did(ys)
                ),
                None => format!("step {step}: run B {}, run A has no such step", did(ys)),
            }
        }
        RowKind::Changed => {
            let (xs, ys) = (&a.spans[r.a? as usize], &b.spans[r.b? as usize]);
            let word = |s: Status| match s {
                Status::Error => "failed",
                Status::Ok => "succeeded",
                Status::Unset => "ended without status",
            };
            if xs.status != ys.status {
                format!(
                    "step {step}: both runs {}; it {} in run A and {} in run B",
                    did(xs),
                    word(xs.status),
                    word(ys.status)
                )
            } else {
                format!(
                    "step {step}: both runs {}; it took {} in run A and {} in run B ({} vs {} tokens)",
                    did(xs),
                    super::anomaly::fmt_duration(ta.duration_ns(r.a?)),
                    super::anomaly::fmt_duration(tb.duration_ns(r.b?)),
                    xs.usage.input.unwrap_or(0) + xs.usage.output.unwrap_or(0),
                    ys.usage.input.unwrap_or(0) + ys.usage.output.unwrap_or(0)
                )
            }
        }
        RowKind::Matched => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Both(usize, usize),
    OnlyA(usize),
    OnlyB(usize),
}

/// Shortest edit script between `a` and `b`; `true` if the fallback was used.
fn diff(a: &[u32], b: &[u32]) -> (Vec<Op>, bool) {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<Op> = (0..pre).map(|i| Op::Both(i, i)).collect();
    let (mid, approx) = match myers(ma, mb, MAX_EDITS) {
        Some(m) => (m, false),
        None => (by_position(ma, mb), true),
    };
    ops.extend(mid.into_iter().map(|op| match op {
        Op::Both(i, j) => Op::Both(i + pre, j + pre),
        Op::OnlyA(i) => Op::OnlyA(i + pre),
        Op::OnlyB(j) => Op::OnlyB(j + pre),
    }));
    let (sa, sb) = (a.len() - suf, b.len() - suf);
    ops.extend((0..suf).map(|k| Op::Both(sa + k, sb + k)));
    (ops, approx)
}

/// Pairs equal keys at the same position; differing ones become removed + added.
fn by_position(a: &[u32], b: &[u32]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(a.len().max(b.len()) * 2);
    for k in 0..a.len().max(b.len()) {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => ops.push(Op::Both(k, k)),
            (x, y) => {
                if x.is_some() {
                    ops.push(Op::OnlyA(k));
                }
                if y.is_some() {
                    ops.push(Op::OnlyB(k));
                }
            }
        }
    }
    ops
}

/// Myers' greedy algorithm keeping each round's frontier for the backtrack. `None` when more
/// than `max_d` edits are needed.
fn myers(a: &[u32], b: &[u32], max_d: usize) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    // Every script has at least |n − m| edits: past the budget, do not spend it to find out.
    if n.abs_diff(m) > max_d {
        return None;
    }
    let max = (n + m) as usize;
    let limit = max.min(max_d);
    let off = limit as isize + 1;
    let mut v = vec![0isize; 2 * limit + 3];
    let mut trace: Vec<Vec<i32>> = Vec::new();
    let mut found = None;
    'outer: for d in 0..=limit as isize {
        trace.push(
            v[(off - d).max(0) as usize..=(off + d) as usize]
                .iter()
                .map(|&x| x as i32)
                .collect(),
        );
        let mut k = -d;
        while k <= d {
            let idx = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'outer;
            }
            k += 2;
        }
    }
    let dfound = found?;
    // Backtrack through the saved frontiers (trace[d] holds v before round d).
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=dfound).rev() {
        let vd = &trace[d as usize];
        let get = |k: isize| vd[(k + d) as usize] as isize;
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Both(x as usize, y as usize));
        }
        if x == prev_x {
            y -= 1;
            ops.push(Op::OnlyB(y as usize));
        } else {
            x -= 1;
            ops.push(Op::OnlyA(x as usize));
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        ops.push(Op::Both(x as usize, y as usize));
    }
    ops.reverse();
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &[u32], b: &[u32]) -> Vec<Op> {
        let (ops, _) = diff(a, b);
        // Replaying the script rebuilds both sequences.
        let ra: Vec<u32> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Both(i, _) | Op::OnlyA(i) => Some(a[*i]),
                _ => None,
            })
            .collect();
        let rb: Vec<u32> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Both(_, j) | Op::OnlyB(j) => Some(b[*j]),
                _ => None,
            })
            .collect();
        assert_eq!(ra, a);
        assert_eq!(rb, b);
        for o in &ops {
            if let Op::Both(i, j) = o {
                assert_eq!(a[*i], b[*j]);
            }
        }
        ops
    }

    #[test]
    fn myers_finds_shortest_scripts() {
        let ops = check(&[1, 2, 3, 4, 5], &[1, 2, 9, 4, 5]);
        assert_eq!(ops.iter().filter(|o| !matches!(o, Op::Both(..))).count(), 2);
        check(&[], &[1, 2]);
        check(&[1, 2], &[]);
        check(&[1, 2, 3, 1, 2, 2, 1], &[3, 2, 1, 2, 1, 3]);
        let ops = check(&[7, 1, 2, 3], &[1, 2, 3, 8]);
        assert_eq!(ops.iter().filter(|o| matches!(o, Op::Both(..))).count(), 3);
    }
}
