//! Anomalies: the things an engineer wants pointed out in a run — loops, retries, failures,
//! slowness, cost — each with the spans involved, plain-words evidence and what it wasted.
//!
//! The rules and default limits come from the seed documents' own detectors:
//! - seed 002 (`AgentObserver.check_anomalies`): the same tool with the same arguments called
//!   3+ times is a loop; investigation > 60 s; cost > $0.30; more than 3 tool failures; and its
//!   dashboard alerts when tool success rate < 80 %.
//! - seed 000 (`MetricsCollector`): 5 consecutive tool calls with at most 2 distinct tools is a
//!   *possible* loop; more than 3 errors; mean model latency > 2000 ms; its agents stop at
//!   `max_iterations = 10` (seed 002's too), which is the iteration limit used here.
//! - seed 001: retries are separate steps with `retry_of`.

mod loops;
mod retry;
mod rules;

use super::summary::RunSummary;
use super::tree::Tree;
use crate::model::{Run, SpanIdx};
use crate::num::Fixed;
use crate::pace::Pace;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    Loop,
    PossibleLoop,
    Retry,
    TooManyIterations,
    ManyErrors,
    SlowModel,
    SlowTool,
    LongRun,
    Expensive,
    ToolFailureRate,
    ErrorCascade,
}

impl AnomalyKind {
    pub const ALL: [AnomalyKind; 11] = [
        AnomalyKind::Loop,
        AnomalyKind::PossibleLoop,
        AnomalyKind::Retry,
        AnomalyKind::TooManyIterations,
        AnomalyKind::ManyErrors,
        AnomalyKind::SlowModel,
        AnomalyKind::SlowTool,
        AnomalyKind::LongRun,
        AnomalyKind::Expensive,
        AnomalyKind::ToolFailureRate,
        AnomalyKind::ErrorCascade,
    ];

    /// The snake_case name used by the CLI (`--fail-on`), the JSON and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            AnomalyKind::Loop => "loop",
            AnomalyKind::PossibleLoop => "possible_loop",
            AnomalyKind::Retry => "retry",
            AnomalyKind::TooManyIterations => "too_many_iterations",
            AnomalyKind::ManyErrors => "many_errors",
            AnomalyKind::SlowModel => "slow_model",
            AnomalyKind::SlowTool => "slow_tool",
            AnomalyKind::LongRun => "long_run",
            AnomalyKind::Expensive => "expensive",
            AnomalyKind::ToolFailureRate => "tool_failure_rate",
            AnomalyKind::ErrorCascade => "error_cascade",
        }
    }

    pub fn parse(s: &str) -> Option<AnomalyKind> {
        AnomalyKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// What an anomaly cost the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Waste {
    pub time_ns: i64,
    pub tokens: u64,
    pub cost_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    /// The spans involved, in time order (error cascades: the failing children first, then the
    /// failing ancestors from nearest to the root).
    pub span_ids: Vec<SpanIdx>,
    /// One sentence in plain words naming the tool or model.
    pub message: String,
    /// Supporting facts, one per line.
    pub evidence: Vec<String>,
    pub cost: Waste,
}

/// Limits for the threshold rules; defaults from the seeds (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Same tool + same arguments this many times or more is a loop (seed 002: 3).
    pub loop_min_calls: usize,
    /// Window of consecutive tool calls for a possible loop (seed 000: 5)…
    pub possible_loop_window: usize,
    /// …with at most this many distinct tools (seed 000: 2).
    pub possible_loop_max_distinct: usize,
    /// A run reaching this many iterations is flagged (the seeds' agents stop at 10).
    pub max_iterations: usize,
    /// More error spans than this (seed 000 and 002: 3).
    pub max_errors: usize,
    /// Mean latency of a model above this (seed 000: 2000 ms).
    pub slow_model_mean_ms: f64,
    /// p95 latency of a tool above this.
    pub slow_tool_p95_ms: f64,
    /// Run duration above this (seed 002: 60 s).
    pub long_run_s: f64,
    /// Run cost above this (seed 002: $0.30).
    pub max_cost_usd: f64,
    /// Tool failure rate above this (seed 002's dashboard: success < 80 %).
    pub max_tool_failure_rate: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            loop_min_calls: 3,
            possible_loop_window: 5,
            possible_loop_max_distinct: 2,
            max_iterations: 10,
            max_errors: 3,
            slow_model_mean_ms: 2000.0,
            slow_tool_p95_ms: 5000.0,
            long_run_s: 60.0,
            max_cost_usd: 0.30,
            max_tool_failure_rate: 0.20,
        }
    }
}

/// Finds every anomaly in a run, ordered by kind then by first span.
pub fn detect(run: &Run, tree: &Tree, summary: &RunSummary, t: &Thresholds) -> Vec<Anomaly> {
    crate::pace::block_on(detect_paced(run, tree, summary, t, &mut Pace::never()))
}

/// [`detect`], resting as `pace` says (the page's million-span runs).
pub async fn detect_paced(
    run: &Run,
    tree: &Tree,
    summary: &RunSummary,
    t: &Thresholds,
    pace: &mut Pace<'_>,
) -> Vec<Anomaly> {
    let calls = &summary.lists.tools;
    let mut out = Vec::new();
    out.extend(loops::repeated_calls(run, tree, calls, summary, t, pace).await);
    pace.point().await;
    out.extend(loops::possible_loops(tree, summary, calls, t, pace).await);
    pace.point().await;
    out.extend(retry::retries(run, tree, summary));
    pace.point().await;
    out.extend(rules::threshold_rules(run, tree, summary, t, pace).await);
    pace.point().await;
    out.extend(rules::error_cascades(run, tree, summary, pace).await);
    pace.point().await;
    crate::sorting::sort_by(&mut out, |a, b| {
        a.kind
            .cmp(&b.kind)
            .then(a.span_ids.first().cmp(&b.span_ids.first()))
    });
    out
}

/// What the given spans cost together: their durations, tokens and cost summed. The waste of a
/// retry's failed attempts, of a cascade's failing leaves and of the rules' flagged spans alike.
fn waste_of(tree: &Tree, summary: &RunSummary, ids: &[SpanIdx]) -> Waste {
    let mut w = Waste::default();
    for &i in ids {
        w.time_ns += tree.duration_ns(i);
        w.tokens += summary
            .per_span
            .tokens
            .get(i as usize)
            .copied()
            .unwrap_or(0);
        w.cost_usd += summary
            .per_span
            .cost_usd
            .get(i as usize)
            .copied()
            .unwrap_or(0.0);
    }
    w
}

/// `1.2 s`, `850 ms`: durations the way people read them.
pub(crate) fn fmt_duration(ns: i64) -> String {
    let ms = ns as f64 / 1e6;
    if ms.abs() >= 10_000.0 {
        format!("{} s", Fixed(ms / 1000.0, 1))
    } else {
        // Below 10 s whole milliseconds, so a value just over a limit never prints as the limit.
        format!("{} ms", Fixed(ms, 0))
    }
}

/// `$0.0123`.
pub(crate) fn fmt_usd(v: f64) -> String {
    if v.abs() >= 1.0 {
        format!("${}", Fixed(v, 2))
    } else {
        format!("${}", Fixed(v, 4))
    }
}

/// `1 time` / `3 times`.
pub(crate) fn times(n: usize) -> String {
    if n == 1 {
        "1 time".into()
    } else {
        format!("{n} times")
    }
}
