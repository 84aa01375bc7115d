//! The run summary: counts, duration, per-tool and per-model latency, tokens and cost — the
//! figures a user checks first, each defined once here.
//!
//! Definitions:
//! - `llm_calls` / `tool_calls`: spans of kind llm / tool. `error_spans`: status error.
//! - `iterations`: spans of kind iteration where the source has them (seed 000's `ITERATION`),
//!   else the number of model calls (each model turn is one iteration of the agent loop, as
//!   seed 002's observer counts them). `iterations_from` says which.
//! - `duration_ns`: run end − run start, from the run's own bounds widened to cover its spans.
//! - Latencies: per tool (tool name, else span name) and per model (calls naming no model share
//!   the `(unknown model)` bucket);
//!   running spans count as calls but have no latency. Percentiles are nearest-rank.
//! - Tool success: a tool call succeeded when it ended without error status; a never-ended tool
//!   call in a saved trace is counted as not successful (seed 000 leaves a tool's span open
//!   when the tool raised).
//! - Tokens and reported cost: once per model call (see `usage`), never summing an aggregate on
//!   an agent span on top of its children. When no span reports usage, the run's own stated
//!   token totals are used (`tokens_from_run`).
//! - `computed_cost_usd`: the price table applied to each counted usage with a known model; the
//!   models without a price are listed in `unpriced_models`. `None` when no call could be priced
//!   (never a misleading $0).

use super::cost::PriceTable;
use super::stats::LatencyStats;
use super::tree::Tree;
use super::usage::{carries_figures, span_figures, Pricing, SpanFigures};
use crate::fasthash::{call_hash, FastMap};
use crate::model::{Run, SpanIdx, SpanKind, Status};
use crate::pace::Pace;
use crate::sorting;
use serde::Serialize;

/// The model bucket for calls that name no model.
pub const UNKNOWN_MODEL: &str = "(unknown model)";

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
    /// `tokens` are the run's own stated totals, because no span reports usage.
    pub tokens_from_run: bool,
    pub reported_cost_usd: Option<f64>,
    pub computed_cost_usd: Option<f64>,
    /// computed − reported, when both exist.
    pub cost_difference_usd: Option<f64>,
    /// Models of counted calls that have no price (`(no model)` for calls that name none).
    pub unpriced_models: Vec<String>,
    /// Per-span figures for waste and per-step deltas; not part of the JSON.
    #[serde(skip)]
    pub per_span: SpanFigures,
    /// Span indices by role, for the anomaly rules; not part of the JSON.
    #[serde(skip)]
    pub lists: SpanLists,
}

impl RunSummary {
    /// Computed cost, else reported: the cost to show when only one figure fits.
    pub fn cost_usd(&self) -> Option<f64> {
        self.computed_cost_usd.or(self.reported_cost_usd)
    }
}

/// Span indices by role, each in time order (start, then index): lets the anomaly rules visit
/// only the spans they concern instead of scanning the whole run again.
#[derive(Debug, Clone, Default)]
pub struct SpanLists {
    pub llm: Vec<SpanIdx>,
    pub tools: Vec<SpanIdx>,
    pub iterations: Vec<SpanIdx>,
    pub errors: Vec<SpanIdx>,
    /// Aligned with `tools`: an id per distinct tool name (ids index `tool_names`).
    pub tool_name_ids: Vec<u32>,
    pub tool_names: Vec<String>,
    /// Aligned with `tools`: a hash of tool name + raw arguments, to find repeats cheaply.
    pub tool_call_hashes: Vec<u64>,
    /// Some span names the attempt it retries (seed 001's `retry_of`).
    pub has_retry_links: bool,
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

fn kind_index(k: SpanKind) -> usize {
    SpanKind::ALL.iter().position(|&x| x == k).unwrap_or(0)
}

/// Summarizes a run; see the module docs for each definition.
pub fn summarize(run: &Run, tree: &Tree, prices: &PriceTable) -> RunSummary {
    crate::pace::block_on(summarize_paced(run, tree, prices, &mut Pace::never()))
}

/// [`summarize`], resting as `pace` says (the page's million-span runs).
pub async fn summarize_paced(
    run: &Run,
    tree: &Tree,
    prices: &PriceTable,
    pace: &mut Pace<'_>,
) -> RunSummary {
    let bounds = tree.bounds;
    let n = run.spans.len();
    let mut kind_counts = [0usize; SpanKind::ALL.len()];
    let mut running = 0;
    let mut tool_accs: Vec<Acc> = Vec::new();
    let mut models: FastMap<&str, Acc> = FastMap::default();
    let mut model_lat = Vec::new();
    let mut lists = SpanLists::default();
    let mut usage_rows: Vec<SpanIdx> = Vec::new();
    let mut tool_ids: FastMap<&str, u32> = FastMap::default();
    // (start, span, tool name id, call hash) per tool call, sorted afterwards.
    let mut tool_calls_raw: Vec<(i64, SpanIdx, u32, u64)> = Vec::new();

    // The one pass that reads every span.
    for (i, s) in run.spans.iter().enumerate() {
        pace.tick().await;
        let idx = i as SpanIdx;
        kind_counts[kind_index(s.kind)] += 1;
        running += usize::from(s.end_ns.is_none());
        lists.has_retry_links |= s.retry_of.is_some();
        if carries_figures(s) {
            usage_rows.push(idx);
        }
        if s.status == Status::Error {
            lists.errors.push(idx);
        }
        let acc = match s.kind {
            SpanKind::Iteration => {
                lists.iterations.push(idx);
                continue;
            }
            SpanKind::Tool => {
                let name = s.tool.as_ref().map(|t| t.name.as_str()).unwrap_or(&s.name);
                let args = s
                    .tool
                    .as_ref()
                    .and_then(|t| t.arguments.as_deref())
                    .unwrap_or("");
                let next = tool_ids.len() as u32;
                let id = *tool_ids.entry(name).or_insert(next);
                if id == next {
                    tool_accs.push(Acc::default());
                }
                tool_calls_raw.push((s.start_ns, idx, id, call_hash(name, args)));
                &mut tool_accs[id as usize]
            }
            SpanKind::Llm => {
                lists.llm.push(idx);
                models
                    .entry(s.model.as_deref().unwrap_or(UNKNOWN_MODEL))
                    .or_default()
            }
            _ => continue,
        };
        acc.calls += 1;
        acc.errors += usize::from(s.status == Status::Error);
        acc.successes += usize::from(s.status != Status::Error && s.end_ns.is_some());
        if s.end_ns.is_some() {
            let d = tree.duration_ns(idx);
            acc.lat.push(d);
            if s.kind == SpanKind::Llm {
                model_lat.push(d);
            }
        }
    }

    // Tokens and cost: only the spans whose usage or reported cost counts are read again.
    pace.point().await;
    let mut pricing = Pricing::new(prices);
    let fig = span_figures(&run.spans, tree, &usage_rows, &mut pricing, pace).await;
    pace.point().await;
    let mut tokens = TokenTotals::default();
    let mut reported: Option<f64> = None;
    let mut computed: Option<f64> = None;
    let mut unpriced: Vec<String> = Vec::new();
    let mut calls_with_usage = 0;
    for &idx in &usage_rows {
        pace.tick().await;
        let i = idx as usize;
        let s = &run.spans[i];
        if fig.reported_counted[i] {
            *reported.get_or_insert(0.0) += s.reported_cost_usd.unwrap_or(0.0);
        }
        if !fig.usage_counted[i] {
            continue;
        }
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
                let name = s.model.as_deref().unwrap_or("(no model)");
                if !unpriced.iter().any(|m| m == name) {
                    unpriced.push(name.to_string());
                }
            }
            None => {}
        }
        // A model's tokens: its calls, and usage counted on other spans that name it (an
        // agent aggregate whose children report nothing).
        let key = match (s.kind, s.model.as_deref()) {
            (SpanKind::Llm, m) => Some(m.unwrap_or(UNKNOWN_MODEL)),
            (_, Some(m)) => Some(m),
            _ => None,
        };
        if let Some(k) = key {
            let acc = models.entry(k).or_default();
            acc.tokens += fig.tokens[i];
            if let Some(c) = fig.computed_usd[i] {
                *acc.cost.get_or_insert(0.0) += c;
            }
        }
    }
    sorting::sort(&mut unpriced);
    let reported = reported.or(run.reported_cost_usd);
    // No span reports usage but the run states totals (seed 003 session summaries): show those.
    let tokens_from_run = calls_with_usage == 0
        && (run.reported_input_tokens.is_some() || run.reported_output_tokens.is_some());
    if tokens_from_run {
        tokens.input = run.reported_input_tokens.unwrap_or(0);
        tokens.output = run.reported_output_tokens.unwrap_or(0);
        tokens.total = tokens.input + tokens.output;
    }
    let starts = &tree.start_ns;
    for list in [&mut lists.llm, &mut lists.iterations, &mut lists.errors] {
        // Stable: equal starts keep index order.
        sorting::sort_by_key(list, |&i| starts[i as usize]);
        pace.point().await;
    }
    sorting::sort_by_key(&mut tool_calls_raw, |&(st, i, _, _)| (st, i));
    pace.point().await;
    lists.tools = tool_calls_raw.iter().map(|t| t.1).collect();
    lists.tool_name_ids = tool_calls_raw.iter().map(|t| t.2).collect();
    lists.tool_call_hashes = tool_calls_raw.iter().map(|t| t.3).collect();
    let mut names: Vec<(u32, &str)> = tool_ids.iter().map(|(k, v)| (*v, *k)).collect();
    sorting::sort(&mut names);
    lists.tool_names = names.iter().map(|(_, k)| k.to_string()).collect();
    let tools: FastMap<&str, Acc> = names.iter().map(|(_, k)| *k).zip(tool_accs).collect();

    let errors = lists.errors.len();
    let llm_calls = kind_counts[kind_index(SpanKind::Llm)];
    let (iterations, iterations_from) = match kind_counts[kind_index(SpanKind::Iteration)] {
        0 => (llm_calls, IterationSource::ModelCalls),
        n => (n, IterationSource::IterationSpans),
    };
    let tool_calls = kind_counts[kind_index(SpanKind::Tool)];
    let tool_ok: usize = tools.values().map(|a| a.successes).sum();
    pace.point().await;
    let tools = finish(tools);
    pace.point().await;
    let models = finish(models);
    pace.point().await;
    let model_latency = LatencyStats::from_samples(&mut model_lat);
    RunSummary {
        spans: n,
        llm_calls,
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
        tools,
        models,
        model_latency,
        tool_success_rate: (tool_calls > 0).then(|| tool_ok as f64 / tool_calls as f64),
        tokens,
        calls_with_usage,
        tokens_from_run,
        reported_cost_usd: reported,
        computed_cost_usd: computed,
        cost_difference_usd: computed.zip(reported).map(|(c, r)| c - r),
        unpriced_models: unpriced,
        per_span: fig,
        lists,
    }
}

fn finish(map: FastMap<&str, Acc>) -> Vec<CallStats> {
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
    sorting::sort_by(&mut v, |a, b| a.name.cmp(&b.name));
    v
}
