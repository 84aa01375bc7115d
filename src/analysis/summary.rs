//! The run summary: counts, duration, per-tool and per-model latency, tokens and cost — the
//! figures a user checks first, each defined once here.
//!
//! Definitions:
//! - `llm_calls` / `tool_calls`: spans of kind llm / tool. `error_spans`: status error.
//! - `iterations`: spans of kind iteration where the source has them (seed 000's `ITERATION`),
//!   else the number of model calls (each model turn is one iteration of the agent loop, as
//!   seed 002's observer counts them). `iterations_from` says which.
//! - `duration_ns`: run end − run start, from the run's own bounds widened to cover its spans.
//! - Latencies: per tool (tool name, else span name) and per model (model, else span name);
//!   running spans count as calls but have no latency. Percentiles are nearest-rank.
//! - Tool success: a tool call succeeded when it ended without error status; a never-ended tool
//!   call in a saved trace is counted as not successful (seed 000 leaves a tool's span open
//!   when the tool raised).
//! - Tokens and reported cost: once per model call (see `usage`), never summing an aggregate on
//!   an agent span on top of its children.
//! - `computed_cost_usd`: the price table applied to each counted usage with a known model; the
//!   models without a price are listed in `unpriced_models`. `None` when no call could be priced
//!   (never a misleading $0).

use super::bounds::{effective_duration, RunBounds};
use super::cost::PriceTable;
use super::stats::LatencyStats;
use super::tree::Tree;
use super::usage::{span_figures, Pricing, SpanFigures};
use crate::model::{Run, SpanKind, Status};
use serde::Serialize;
use std::collections::HashMap;

/// Where the iteration count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IterationSource {
    IterationSpans,
    ModelCalls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub kind: SpanKind,
    pub count: usize,
}

/// One tool's or one model's calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallStats {
    pub name: String,
    pub calls: usize,
    pub errors: usize,
    /// Calls that ended without error (tools: see module docs).
    pub successes: usize,
    pub latency: LatencyStats,
    /// successes / calls.
    pub success_rate: f64,
    /// Counted tokens on these calls (models only; 0 for tools).
    pub tokens: u64,
    /// Computed cost of these calls where priced (models only).
    pub cost_usd: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TokenTotals {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: u64,
    /// input + output per call, or the call's stated total where it gives no split.
    pub total: u64,
}

/// Everything summed up about one run.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub spans: usize,
    pub llm_calls: usize,
    pub tool_calls: usize,
    pub error_spans: usize,
    /// Spans that never ended.
    pub running_spans: usize,
    pub by_kind: Vec<KindCount>,
    pub iterations: usize,
    pub iterations_from: IterationSource,
    pub start_ns: i64,
    pub end_ns: i64,
    pub duration_ns: i64,
    /// Sorted by name.
    pub tools: Vec<CallStats>,
    pub models: Vec<CallStats>,
    /// All model calls together.
    pub model_latency: LatencyStats,
    /// Over all tool calls; `None` without tool calls.
    pub tool_success_rate: Option<f64>,
    pub tokens: TokenTotals,
    /// Spans whose usage was counted (one per model call that reports usage).
    pub calls_with_usage: usize,
    pub reported_cost_usd: Option<f64>,
    pub computed_cost_usd: Option<f64>,
    /// computed − reported, when both exist.
    pub cost_difference_usd: Option<f64>,
    /// Models of counted calls that have no price (`(no model)` for calls that name none).
    pub unpriced_models: Vec<String>,
    /// Per-span figures for waste and per-step deltas; not part of the JSON.
    #[serde(skip)]
    pub per_span: SpanFigures,
}

impl RunSummary {
    /// Computed cost, else reported: the cost to show when only one figure fits.
    pub fn cost_usd(&self) -> Option<f64> {
        self.computed_cost_usd.or(self.reported_cost_usd)
    }
}

#[derive(Default)]
struct Acc {
    calls: usize,
    errors: usize,
    successes: usize,
    lat: Vec<i64>,
    tokens: u64,
    cost: Option<f64>,
}

/// Summarizes a run; see the module docs for each definition.
pub fn summarize(run: &Run, tree: &Tree, prices: &PriceTable) -> RunSummary {
    let bounds = RunBounds::of(run);
    let mut pricing = Pricing::new(prices);
    let fig = span_figures(run, tree, &mut pricing);

    let mut kind_counts = [0usize; SpanKind::ALL.len()];
    let (mut errors, mut running) = (0, 0);
    let mut tools: HashMap<&str, Acc> = HashMap::new();
    let mut models: HashMap<&str, Acc> = HashMap::new();
    let mut model_lat = Vec::new();
    for (i, s) in run.spans.iter().enumerate() {
        let k = SpanKind::ALL.iter().position(|&k| k == s.kind).unwrap_or(0);
        kind_counts[k] += 1;
        errors += usize::from(s.status == Status::Error);
        running += usize::from(s.end_ns.is_none());
        let acc = match s.kind {
            SpanKind::Tool => tools
                .entry(s.tool.as_ref().map(|t| t.name.as_str()).unwrap_or(&s.name))
                .or_default(),
            SpanKind::Llm => models
                .entry(s.model.as_deref().unwrap_or(&s.name))
                .or_default(),
            _ => continue,
        };
        acc.calls += 1;
        acc.errors += usize::from(s.status == Status::Error);
        acc.successes += usize::from(s.status != Status::Error && s.end_ns.is_some());
        if s.end_ns.is_some() {
            let d = effective_duration(s, &bounds);
            acc.lat.push(d);
            if s.kind == SpanKind::Llm {
                model_lat.push(d);
            }
        }
        if s.kind == SpanKind::Llm {
            acc.tokens += fig.tokens[i];
            if let Some(c) = fig.computed_usd[i] {
                *acc.cost.get_or_insert(0.0) += c;
            }
        }
    }
    // Usage counted on non-llm spans (a tool that called a model, an agent aggregate with no
    // children reporting) still belongs to its model's tokens.
    for (i, s) in run.spans.iter().enumerate() {
        if s.kind != SpanKind::Llm && fig.usage_counted[i] {
            if let Some(m) = s.model.as_deref() {
                let acc = models.entry(m).or_default();
                acc.tokens += fig.tokens[i];
                if let Some(c) = fig.computed_usd[i] {
                    *acc.cost.get_or_insert(0.0) += c;
                }
            }
        }
    }

    let mut tokens = TokenTotals::default();
    let mut reported: Option<f64> = None;
    let mut computed: Option<f64> = None;
    let mut unpriced: Vec<String> = Vec::new();
    let mut calls_with_usage = 0;
    for (i, s) in run.spans.iter().enumerate() {
        if fig.usage_counted[i] {
            calls_with_usage += 1;
            let u = &s.usage;
            tokens.input += u.input.unwrap_or(0);
            tokens.output += u.output.unwrap_or(0);
            tokens.cache_read += u.cache_read.unwrap_or(0);
            tokens.cache_write += u.cache_write.unwrap_or(0);
            tokens.reasoning += u.reasoning.unwrap_or(0);
            tokens.total += fig.tokens[i];
            match fig.computed_usd[i] {
                Some(c) => *computed.get_or_insert(0.0) += c,
                None if u.input.is_some() || u.output.is_some() => {
                    let name = s.model.clone().unwrap_or_else(|| "(no model)".to_string());
                    if !unpriced.contains(&name) {
                        unpriced.push(name);
                    }
                }
                None => {}
            }
        }
        if fig.reported_counted[i] {
            *reported.get_or_insert(0.0) += s.reported_cost_usd.unwrap_or(0.0);
        }
    }
    unpriced.sort();
    let reported = reported.or(run.reported_cost_usd);

    let (iterations, iterations_from) = match kind_counts[7] {
        0 => (kind_counts[1], IterationSource::ModelCalls),
        n => (n, IterationSource::IterationSpans),
    };
    let tool_calls = kind_counts[2];
    let tool_ok: usize = tools.values().map(|a| a.successes).sum();
    RunSummary {
        spans: run.spans.len(),
        llm_calls: kind_counts[1],
        tool_calls,
        error_spans: errors,
        running_spans: running,
        by_kind: SpanKind::ALL
            .iter()
            .zip(kind_counts)
            .filter(|(_, c)| *c > 0)
            .map(|(&kind, count)| KindCount { kind, count })
            .collect(),
        iterations,
        iterations_from,
        start_ns: bounds.start_ns,
        end_ns: bounds.end_ns,
        duration_ns: bounds.duration_ns(),
        tools: finish(tools),
        models: finish(models),
        model_latency: LatencyStats::from_samples(&mut model_lat),
        tool_success_rate: (tool_calls > 0).then(|| tool_ok as f64 / tool_calls as f64),
        tokens,
        calls_with_usage,
        reported_cost_usd: reported,
        computed_cost_usd: computed,
        cost_difference_usd: computed.zip(reported).map(|(c, r)| c - r),
        unpriced_models: unpriced,
        per_span: fig,
    }
}

fn finish(map: HashMap<&str, Acc>) -> Vec<CallStats> {
    let mut v: Vec<CallStats> = map
        .into_iter()
        .map(|(name, mut a)| CallStats {
            name: name.to_string(),
            calls: a.calls,
            errors: a.errors,
            successes: a.successes,
            latency: LatencyStats::from_samples(&mut a.lat),
            success_rate: if a.calls == 0 {
                0.0
            } else {
                a.successes as f64 / a.calls as f64
            },
            tokens: a.tokens,
            cost_usd: a.cost,
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}
