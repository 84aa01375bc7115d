//! Loops: the same tool called with the same arguments again and again (seed 002's rule), and
//! the weaker pattern of a few tools cycling (seed 000's sliding window).

use super::{fmt_duration, fmt_usd, times, Anomaly, AnomalyKind, Thresholds, Waste};
use crate::analysis::bounds::{effective_end, RunBounds};
use crate::analysis::summary::RunSummary;
use crate::analysis::tree::Tree;
use crate::model::{Run, Span, SpanIdx, SpanKind};
use std::borrow::Cow;
use std::collections::HashMap;

/// Tool-call spans in time order (start, then tree order).
pub fn calls_in_order(run: &Run, tree: &Tree) -> Vec<SpanIdx> {
    let mut v: Vec<SpanIdx> = tree
        .preorder
        .iter()
        .copied()
        .filter(|&i| run.spans[i as usize].kind == SpanKind::Tool)
        .collect();
    // Stable: equal starts keep tree order.
    v.sort_by_key(|&i| run.spans[i as usize].start_ns);
    v
}

/// The tool's name as users know it.
pub fn tool_name(s: &Span) -> &str {
    s.tool.as_ref().map(|t| t.name.as_str()).unwrap_or(&s.name)
}

/// Arguments normalized so that key order and spacing do not hide a repeat.
pub fn normalized_args(s: &Span) -> Cow<'_, str> {
    let Some(a) = s.tool.as_ref().and_then(|t| t.arguments.as_deref()) else {
        return Cow::Borrowed("");
    };
    let t = a.trim();
    if t.starts_with('{') || t.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
            // serde_json's map is ordered by key, so this sorts keys like seed 002's
            // `json.dumps(..., sort_keys=True)`.
            return Cow::Owned(v.to_string());
        }
    }
    Cow::Borrowed(t)
}

/// Sums of counted tokens and cost over spans starting in a time window, by binary search over
/// spans sorted by start.
pub struct SpentIndex {
    starts: Vec<i64>,
    tokens: Vec<u64>,
    cost: Vec<f64>,
}

impl SpentIndex {
    pub fn new(run: &Run, summary: &RunSummary) -> SpentIndex {
        let f = &summary.per_span;
        let mut idx: Vec<usize> = (0..run.spans.len())
            .filter(|&i| {
                f.tokens.get(i).copied().unwrap_or(0) > 0
                    || f.cost_usd.get(i).copied().unwrap_or(0.0) != 0.0
            })
            .collect();
        idx.sort_by_key(|&i| run.spans[i].start_ns);
        let mut tokens = vec![0u64];
        let mut cost = vec![0f64];
        for &i in &idx {
            tokens.push(tokens.last().copied().unwrap_or(0) + f.tokens[i]);
            cost.push(cost.last().copied().unwrap_or(0.0) + f.cost_usd[i]);
        }
        SpentIndex {
            starts: idx.iter().map(|&i| run.spans[i].start_ns).collect(),
            tokens,
            cost,
        }
    }

    /// Tokens and cost of spans starting in `[from, to]`.
    pub fn between(&self, from: i64, to: i64) -> (u64, f64) {
        let a = self.starts.partition_point(|&s| s < from);
        let b = self.starts.partition_point(|&s| s <= to);
        if b <= a {
            return (0, 0.0);
        }
        (self.tokens[b] - self.tokens[a], self.cost[b] - self.cost[a])
    }
}

fn waste_after_first(run: &Run, spent: &SpentIndex, ids: &[SpanIdx], b: &RunBounds) -> Waste {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return Waste::default();
    };
    let from = effective_end(&run.spans[first as usize], b);
    let to = ids
        .iter()
        .map(|&i| effective_end(&run.spans[i as usize], b))
        .max()
        .unwrap_or(from)
        .max(effective_end(&run.spans[last as usize], b));
    let (tokens, cost_usd) = spent.between(from, to);
    Waste {
        time_ns: (to - from).max(0),
        tokens,
        cost_usd,
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Seed 002: the same tool with the same arguments called `loop_min_calls` times or more.
pub fn repeated_calls(
    run: &Run,
    calls: &[SpanIdx],
    summary: &RunSummary,
    t: &Thresholds,
) -> Vec<Anomaly> {
    let mut groups: HashMap<(&str, Cow<str>), Vec<SpanIdx>> = HashMap::new();
    for &i in calls {
        let s = &run.spans[i as usize];
        groups
            .entry((tool_name(s), normalized_args(s)))
            .or_default()
            .push(i);
    }
    let mut found: Vec<_> = groups
        .into_iter()
        .filter(|(_, v)| v.len() >= t.loop_min_calls.max(2))
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|(_, v)| v[0]);
    let bounds = RunBounds::of(run);
    let spent = SpentIndex::new(run, summary);
    found
        .into_iter()
        .map(|((name, args), ids)| {
            let cost = waste_after_first(run, &spent, &ids, &bounds);
            let args_text = if args.is_empty() {
                "no arguments".to_string()
            } else {
                format!("arguments {}", short(&args, 80))
            };
            let message = format!(
                "{name} was called {} with the same {args_text}",
                times(ids.len())
            );
            let mut evidence = vec![format!(
                "after the first call: {} more calls, {} of run time, {} tokens, {}",
                ids.len() - 1,
                fmt_duration(cost.time_ns),
                cost.tokens,
                fmt_usd(cost.cost_usd)
            )];
            let failed = ids
                .iter()
                .filter(|&&i| run.spans[i as usize].status == crate::model::Status::Error)
                .count();
            if failed > 0 {
                evidence.push(format!("{failed} of these calls failed"));
            }
            Anomaly {
                kind: AnomalyKind::Loop,
                span_ids: ids,
                message,
                evidence,
                cost,
            }
        })
        .collect()
}

/// Seed 000: `possible_loop_window` consecutive tool calls using at most
/// `possible_loop_max_distinct` distinct tools. Overlapping windows merge into one stretch.
pub fn possible_loops(run: &Run, calls: &[SpanIdx], t: &Thresholds) -> Vec<Anomaly> {
    let w = t.possible_loop_window.max(2);
    if calls.len() < w {
        return Vec::new();
    }
    let names: Vec<&str> = calls
        .iter()
        .map(|&i| tool_name(&run.spans[i as usize]))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut stretches: Vec<(usize, usize)> = Vec::new(); // inclusive call positions
    for j in 0..names.len() {
        *counts.entry(names[j]).or_default() += 1;
        if j >= w {
            let out = names[j - w];
            if let Some(c) = counts.get_mut(out) {
                *c -= 1;
                if *c == 0 {
                    counts.remove(out);
                }
            }
        }
        if j + 1 >= w && counts.len() <= t.possible_loop_max_distinct {
            let start = j + 1 - w;
            match stretches.last_mut() {
                Some(last) if start <= last.1 + 1 => last.1 = j,
                _ => stretches.push((start, j)),
            }
        }
    }
    let bounds = RunBounds::of(run);
    stretches
        .into_iter()
        .map(|(a, b)| {
            let ids: Vec<SpanIdx> = calls[a..=b].to_vec();
            let mut distinct: Vec<&str> = names[a..=b].to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            let tools = distinct.join(" and ");
            let first_end = effective_end(&run.spans[ids[0] as usize], &bounds);
            let last_end = ids
                .iter()
                .map(|&i| effective_end(&run.spans[i as usize], &bounds))
                .max()
                .unwrap_or(first_end);
            let pattern: Vec<&str> = names[a..=b].iter().take(12).copied().collect();
            Anomaly {
                kind: AnomalyKind::PossibleLoop,
                message: format!("{} tool calls in a row used only {tools}", ids.len()),
                evidence: vec![
                    format!(
                        "sequence: {}{}",
                        pattern.join(", "),
                        if b + 1 - a > 12 { ", …" } else { "" }
                    ),
                    format!(
                        "rule: {w} consecutive tool calls with at most {} distinct tools",
                        t.possible_loop_max_distinct
                    ),
                ],
                cost: Waste {
                    time_ns: (last_end - first_end).max(0),
                    tokens: 0,
                    cost_usd: 0.0,
                },
                span_ids: ids,
            }
        })
        .collect()
}
