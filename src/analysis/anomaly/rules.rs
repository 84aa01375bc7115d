//! Threshold rules over the summary (iterations, errors, slow models and tools, long and
//! expensive runs, tool failure rate) and error cascades over the tree.

use super::loops::tool_name;
use super::{fmt_duration, fmt_usd, waste_of, Anomaly, AnomalyKind, Thresholds, Waste};
use crate::analysis::summary::RunSummary;
use crate::analysis::tree::Tree;
use crate::model::{Run, Span, SpanIdx, SpanKind, Status};
use crate::num::Fixed;
use crate::pace::Pace;
use crate::sorting;

/// The members of a (time-ordered) list that pass `f`.
async fn pick(
    run: &Run,
    list: &[SpanIdx],
    f: impl Fn(&Span) -> bool,
    pace: &mut Pace<'_>,
) -> Vec<SpanIdx> {
    let mut out = Vec::new();
    for &i in list {
        pace.tick().await;
        if f(&run.spans[i as usize]) {
            out.push(i);
        }
    }
    out
}

fn model_of(s: &Span) -> &str {
    s.model
        .as_deref()
        .unwrap_or(crate::analysis::summary::UNKNOWN_MODEL)
}

pub async fn threshold_rules(
    run: &Run,
    tree: &Tree,
    s: &RunSummary,
    t: &Thresholds,
    pace: &mut Pace<'_>,
) -> Vec<Anomaly> {
    let mut out = Vec::new();
    let mk = |kind, span_ids, message: String, evidence: Vec<String>, cost| Anomaly {
        kind,
        span_ids,
        message,
        evidence,
        cost,
    };

    if s.iterations >= t.max_iterations && t.max_iterations > 0 {
        let ids = match s.iterations_from {
            crate::analysis::summary::IterationSource::IterationSpans => s.lists.iterations.clone(),
            crate::analysis::summary::IterationSource::ModelCalls => s.lists.llm.clone(),
        };
        let mut ev = vec![format!("limit: {} iterations", t.max_iterations)];
        if let Some(st) = &run.status_text {
            ev.push(format!("run status: {st}"));
        }
        out.push(mk(
            AnomalyKind::TooManyIterations,
            ids,
            format!(
                "the agent ran {} iterations (limit {})",
                s.iterations, t.max_iterations
            ),
            ev,
            Waste::default(),
        ));
    }

    if s.error_spans > t.max_errors {
        let ids = s.lists.errors.clone();
        let mut names: Vec<&str> = Vec::with_capacity(ids.len());
        for &i in &ids {
            pace.tick().await;
            let x = &run.spans[i as usize];
            let name = match x.kind {
                SpanKind::Tool => tool_name(x),
                _ => &x.name,
            };
            if names.last() != Some(&name) {
                names.push(name);
            }
        }
        pace.point().await;
        let cost = waste_of(tree, s, &ids);
        out.push(mk(
            AnomalyKind::ManyErrors,
            ids,
            format!(
                "{} steps failed (more than {})",
                s.error_spans, t.max_errors
            ),
            vec![format!("failed: {}", names.join(", "))],
            cost,
        ));
    }

    for m in &s.models {
        let mean_ms = m.latency.mean_ns / 1e6;
        if m.latency.samples > 0 && mean_ms > t.slow_model_mean_ms {
            let ids = pick(run, &s.lists.llm, |x| model_of(x) == m.name, pace).await;
            out.push(mk(
                AnomalyKind::SlowModel,
                ids,
                format!(
                    "{} calls took {} ms on average (limit {} ms)",
                    m.name,
                    Fixed(mean_ms, 0),
                    Fixed(t.slow_model_mean_ms, 0)
                ),
                vec![format!(
                    "{} calls, p50 {}, p95 {}, max {}",
                    m.calls,
                    fmt_duration(m.latency.p50_ns),
                    fmt_duration(m.latency.p95_ns),
                    fmt_duration(m.latency.max_ns)
                )],
                Waste::default(),
            ));
        }
    }

    for tool in &s.tools {
        let p95_ms = tool.latency.p95_ns as f64 / 1e6;
        if tool.latency.samples > 0 && p95_ms > t.slow_tool_p95_ms {
            let ids = pick(run, &s.lists.tools, |x| tool_name(x) == tool.name, pace).await;
            out.push(mk(
                AnomalyKind::SlowTool,
                ids,
                format!(
                    "{} took {} at p95 (limit {})",
                    tool.name,
                    fmt_duration(tool.latency.p95_ns),
                    fmt_duration((t.slow_tool_p95_ms * 1e6) as i64)
                ),
                vec![format!(
                    "{} calls, mean {}, max {}",
                    tool.calls,
                    fmt_duration(tool.latency.mean_ns as i64),
                    fmt_duration(tool.latency.max_ns)
                )],
                Waste::default(),
            ));
        }
    }

    if s.duration_ns as f64 / 1e9 > t.long_run_s {
        out.push(mk(
            AnomalyKind::LongRun,
            Vec::new(),
            format!(
                "the run took {} (limit {})",
                fmt_duration(s.duration_ns),
                fmt_duration((t.long_run_s * 1e9) as i64)
            ),
            Vec::new(),
            Waste::default(),
        ));
    }

    if let Some(c) = s.cost_usd() {
        if c > t.max_cost_usd {
            let which = if s.computed_cost_usd.is_some() {
                "computed from the price table"
            } else {
                "as reported"
            };
            // The ten most expensive spans, dearest first (earlier spans first among equals), picked
            // in one pass: sorting every priced span was a hot spot on big runs.
            let cost = |i: SpanIdx| s.per_span.cost_usd.get(i as usize).copied().unwrap_or(0.0);
            let mut ids: Vec<SpanIdx> = Vec::with_capacity(11);
            for i in 0..run.spans.len() as SpanIdx {
                pace.tick().await;
                let c = cost(i);
                // `> 0.0` also keeps NaN out, so `>=` below orders like `total_cmp`.
                if c > 0.0 {
                    let at = ids.partition_point(|&j| cost(j) >= c);
                    if at < 10 {
                        ids.insert(at, i);
                        ids.truncate(10);
                    }
                }
            }
            let mut ev = vec![format!("cost {which}")];
            if let Some(&top) = ids.first() {
                ev.push(format!(
                    "most expensive step: {} ({})",
                    run.spans[top as usize].name,
                    fmt_usd(s.per_span.cost_usd[top as usize])
                ));
            }
            sorting::sort_by_key(&mut ids, |&i| (run.spans[i as usize].start_ns, i));
            out.push(mk(
                AnomalyKind::Expensive,
                ids,
                format!(
                    "the run cost {} (limit {})",
                    fmt_usd(c),
                    fmt_usd(t.max_cost_usd)
                ),
                ev,
                Waste::default(),
            ));
        }
    }

    if let Some(ok) = s.tool_success_rate {
        let fail = 1.0 - ok;
        if fail > t.max_tool_failure_rate {
            let failed = |x: &Span| x.status == Status::Error || x.end_ns.is_none();
            let ids = pick(run, &s.lists.tools, failed, pace).await;
            let worst: Vec<String> = s
                .tools
                .iter()
                .filter(|x| x.successes < x.calls)
                .map(|x| {
                    format!(
                        "{}: {} of {} calls not successful",
                        x.name,
                        x.calls - x.successes,
                        x.calls
                    )
                })
                .collect();
            let cost = waste_of(tree, s, &ids);
            let names: Vec<&str> = s
                .tools
                .iter()
                .filter(|x| x.successes < x.calls)
                .map(|x| x.name.as_str())
                .collect();
            out.push(mk(
                AnomalyKind::ToolFailureRate,
                ids,
                format!(
                    "{}% of tool calls did not succeed ({}; limit {}%)",
                    Fixed(fail * 100.0, 0),
                    names.join(", "),
                    Fixed(t.max_tool_failure_rate * 100.0, 0)
                ),
                worst,
                cost,
            ));
        }
    }
    out
}

/// A failing span whose parent also failed, followed up the tree as far as failures go. One
/// anomaly per failing parent chain, naming each failing child under it that has no failing
/// child itself (the likely first causes).
pub async fn error_cascades(
    run: &Run,
    tree: &Tree,
    summary: &RunSummary,
    pace: &mut Pace<'_>,
) -> Vec<Anomaly> {
    let spans = &run.spans;
    let failed = |i: SpanIdx| spans[i as usize].status == Status::Error;
    let describe = |x: SpanIdx| {
        let s = &spans[x as usize];
        match s.kind {
            SpanKind::Tool => tool_name(s).to_string(),
            _ => s.name.clone(),
        }
    };
    // Per failing parent, in the order found: (its failing leaf children, the failing chain
    // above it, from the parent up).
    let mut by_parent: Vec<(Vec<SpanIdx>, Vec<SpanIdx>)> = Vec::new();
    // Failing parent → 1 + its place in `by_parent` (0: none yet). A flat table, not a scan of
    // `by_parent` per failure: that was 100 ms at 40k failures.
    let mut place: Vec<u32> = vec![0; spans.len()];
    for &i in &summary.lists.errors {
        pace.tick().await;
        let Some(parent) = tree.parent[i as usize].filter(|&p| failed(p)) else {
            continue;
        };
        if tree.children(i).iter().any(|&c| failed(c)) {
            continue;
        }
        if let Some(&at) = place.get(parent as usize).filter(|&&at| at > 0) {
            by_parent[at as usize - 1].0.push(i);
            continue;
        }
        let mut above = vec![parent];
        let mut cur = parent;
        while let Some(p) = tree.parent[cur as usize].filter(|&p| failed(p)) {
            above.push(p);
            cur = p;
            if above.len() > 10_000 {
                break;
            }
        }
        if let Some(slot) = place.get_mut(parent as usize) {
            *slot = by_parent.len() as u32 + 1;
        }
        by_parent.push((vec![i], above));
    }
    let mut out = Vec::with_capacity(by_parent.len());
    for (leaves, above) in by_parent {
        pace.ticks(16 + (leaves.len() + above.len()) as u32).await;
        out.push({
            let cause_names: Vec<String> = leaves.iter().map(|&x| describe(x)).collect();
            let mut distinct = cause_names.clone();
            distinct.dedup();
            let causes = if leaves.len() > 1 && distinct.len() == 1 {
                format!("{} ({} times)", distinct[0], leaves.len())
            } else {
                distinct.join(" and ")
            };
            let upper: Vec<String> = above.iter().map(|&x| describe(x)).collect();
            let mut evidence = vec![format!("failure chain: {} → {}", causes, upper.join(" → "))];
            for &l in &leaves {
                let s = &spans[l as usize];
                if let Some(m) = s.error_message.as_deref().or(s.error_type.as_deref()) {
                    evidence.push(format!("{}: {m}", describe(l)));
                }
            }
            let cost = waste_of(tree, summary, &leaves);
            let mut span_ids = leaves;
            span_ids.extend(above);
            Anomaly {
                kind: AnomalyKind::ErrorCascade,
                message: format!(
                    "{causes} failed and the failure spread to {}",
                    upper.join(", then ")
                ),
                evidence,
                cost,
                span_ids,
            }
        });
    }
    out
}
