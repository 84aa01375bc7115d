//! Loops: the same tool called with the same arguments again and again (seed 002's rule), and
//! the weaker pattern of a few tools cycling (seed 000's sliding window).

use super::{fmt_duration, fmt_usd, times, Anomaly, AnomalyKind, Thresholds, Waste};
use crate::analysis::summary::RunSummary;
use crate::analysis::tree::{sort_by_start, Tree};
use crate::fasthash::FastMap;
use crate::model::{Run, Span, SpanIdx};
use crate::pace::Pace;
use crate::sorting;
use std::borrow::Cow;

mod canonical;

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
    if (t.starts_with('{') || t.starts_with('[')) && !canonical::is_canonical(t) {
        if let Some(sorted) = canonical::sorted(t) {
            return Cow::Owned(sorted);
        }
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
    pub fn new(run: &Run, tree: &Tree, summary: &RunSummary) -> SpentIndex {
        let f = &summary.per_span;
        let mut idx: Vec<SpanIdx> = (0..run.spans.len() as SpanIdx)
            .filter(|&i| {
                f.tokens.get(i as usize).copied().unwrap_or(0) > 0
                    || f.cost_usd.get(i as usize).copied().unwrap_or(0.0) != 0.0
            })
            .collect();
        // Ascending indices, so (start, index) is the stable order by start.
        sort_by_start(&mut idx, &tree.start_ns);
        let mut tokens = vec![0u64];
        let mut cost = vec![0f64];
        for &i in &idx {
            tokens.push(tokens.last().copied().unwrap_or(0) + f.tokens[i as usize]);
            cost.push(cost.last().copied().unwrap_or(0.0) + f.cost_usd[i as usize]);
        }
        SpentIndex {
            starts: idx.iter().map(|&i| tree.start_ns[i as usize]).collect(),
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

fn waste_after_first(tree: &Tree, spent: &SpentIndex, ids: &[SpanIdx]) -> Waste {
    let Some(&first) = ids.first() else {
        return Waste::default();
    };
    let from = tree.end_ns[first as usize];
    let to = ids
        .iter()
        .map(|&i| tree.end_ns[i as usize])
        .max()
        .unwrap_or(from);
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
pub async fn repeated_calls(
    run: &Run,
    tree: &Tree,
    calls: &[SpanIdx],
    summary: &RunSummary,
    t: &Thresholds,
    pace: &mut Pace<'_>,
) -> Vec<Anomaly> {
    // Group by the hash of name + raw arguments first (computed in the summary pass), then
    // merge raw groups whose arguments normalize alike: each distinct argument text is parsed
    // once, not once per call.
    let hashes = &summary.lists.tool_call_hashes;
    let mut raw: FastMap<u64, Vec<SpanIdx>> = FastMap::default();
    for (k, &i) in calls.iter().enumerate() {
        raw.entry(hashes.get(k).copied().unwrap_or(0))
            .or_default()
            .push(i);
        pace.tick().await;
    }
    // (A 64-bit hash collision between two different calls is ignored: about one chance in
    // 10^7 for a million distinct calls.)
    let mut groups: FastMap<(&str, Cow<str>), Vec<SpanIdx>> = FastMap::default();
    // Sized once: growing re-hashes every argument text so far (20 ms at 200k distinct calls).
    groups.reserve(raw.len());
    for (_, ids) in raw {
        let s = &run.spans[ids[0] as usize];
        let args = normalized_args(s);
        // Parsing arguments costs about a nanosecond a byte, an ordinary item a few.
        pace.ticks(1 + args.len() as u32 / 4).await;
        groups.entry((tool_name(s), args)).or_default().extend(ids);
    }
    let mut found = Vec::new();
    for (k, mut v) in groups {
        if v.len() >= t.loop_min_calls.max(2) {
            sort_by_start(&mut v, &tree.start_ns);
            found.push((k, v));
        }
        pace.tick().await;
    }
    if found.is_empty() {
        return Vec::new();
    }
    sorting::sort_by_key(&mut found, |(_, v)| v[0]);
    pace.point().await;
    let spent = SpentIndex::new(run, tree, summary);
    pace.point().await;
    let mut out = Vec::with_capacity(found.len());
    for ((name, args), ids) in found {
        pace.ticks(16 + ids.len() as u32).await;
        out.push({
            let cost = waste_after_first(tree, &spent, &ids);
            let message = if args.is_empty() {
                format!(
                    "{name} was called {}, each time without recorded arguments",
                    times(ids.len())
                )
            } else {
                format!(
                    "{name} was called {} with the same arguments {}",
                    times(ids.len()),
                    short(&args, 80)
                )
            };
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
        });
    }
    out
}

/// Seed 000: `possible_loop_window` consecutive tool calls using at most
/// `possible_loop_max_distinct` distinct tools. Overlapping windows merge into one stretch.
pub async fn possible_loops(
    tree: &Tree,
    summary: &RunSummary,
    calls: &[SpanIdx],
    t: &Thresholds,
    pace: &mut Pace<'_>,
) -> Vec<Anomaly> {
    let w = t.possible_loop_window.max(2);
    let ids_of = &summary.lists.tool_name_ids;
    let names_of = &summary.lists.tool_names;
    if calls.len() < w || ids_of.len() != calls.len() {
        return Vec::new();
    }
    // Sliding window over interned tool-name ids: no hashing, no span reads.
    let mut counts = vec![0u32; names_of.len()];
    let mut distinct = 0usize;
    let mut stretches: Vec<(usize, usize)> = Vec::new(); // inclusive call positions
    for j in 0..calls.len() {
        let id = ids_of[j] as usize;
        counts[id] += 1;
        distinct += usize::from(counts[id] == 1);
        if j >= w {
            let out = ids_of[j - w] as usize;
            counts[out] -= 1;
            distinct -= usize::from(counts[out] == 0);
        }
        if j + 1 >= w && distinct <= t.possible_loop_max_distinct {
            let start = j + 1 - w;
            match stretches.last_mut() {
                Some(last) if start <= last.1 + 1 => last.1 = j,
                _ => stretches.push((start, j)),
            }
        }
        pace.tick().await;
    }
    let names: Vec<&str> = ids_of
        .iter()
        .map(|&id| names_of.get(id as usize).map(String::as_str).unwrap_or(""))
        .collect();
    let mut out = Vec::with_capacity(stretches.len());
    for (a, b) in stretches {
        pace.ticks(16 + (b - a) as u32).await;
        out.push({
            let ids: Vec<SpanIdx> = calls[a..=b].to_vec();
            let mut distinct: Vec<&str> = names[a..=b].to_vec();
            sorting::sort(&mut distinct);
            distinct.dedup();
            let tools = distinct.join(" and ");
            let first_end = tree.end_ns[ids[0] as usize];
            let last_end = ids
                .iter()
                .map(|&i| tree.end_ns[i as usize])
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
        });
    }
    out
}
