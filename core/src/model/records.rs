//! Side records that are not spans but matter to users: decisions, quality signals, failures
//! (seed 001), log events (seeds 000/002), metrics and summaries (seeds 000/002/003).

use super::{Attr, Origin, SpanIdx};
use serde::{Deserialize, Serialize};

/// A choice the agent made and why (AgentTracer decisions, seed 003's audit ledger).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub decision_type: String,
    pub selected: Option<String>,
    pub reason_code: Option<String>,
    pub candidates: Vec<String>,
    pub confidence: Option<f64>,
    /// Step number as the source counts it.
    pub step: Option<u32>,
    /// The span this decision belongs to, when it can be linked.
    pub span: Option<SpanIdx>,
    pub detail: Option<String>,
    pub time_ns: Option<i64>,
    pub attrs: Vec<Attr>,
    pub origin: Origin,
}

/// A boolean fact about a step (AgentTracer quality signals, Langfuse boolean scores).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualitySignal {
    pub signal_type: String,
    pub code: String,
    pub value: bool,
    pub weight: Option<f64>,
    pub step: Option<u32>,
    pub span: Option<SpanIdx>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A semantic failure the source recorded (AgentTracer failures, seed 000 metric errors).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// tool / model / retrieval / orchestration (seed 001's taxonomy) or the source's word.
    pub failure_type: String,
    pub code: String,
    pub message: String,
    pub step: Option<u32>,
    pub span: Option<SpanIdx>,
    pub time_ns: Option<i64>,
    pub origin: Origin,
}

/// A log line or timeline event (seed 000 log.json, seed 002 investigation log, seed 003 events).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogEvent {
    pub time_ns: Option<i64>,
    pub level: String,
    pub event_type: String,
    pub message: String,
    pub metadata: Vec<Attr>,
    pub span: Option<SpanIdx>,
    pub origin: Origin,
}

/// A metric value as reported by the source, kept apart from what analysis computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MetricValue {
    Number(f64),
    Text(String),
    /// A list of samples (seed 000's `tool_latencies`).
    Samples(Vec<f64>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Dotted name, e.g. `tool_latencies.read_file` or `summary.avg_llm_latency_ms`.
    pub name: String,
    pub value: MetricValue,
    pub unit: Option<String>,
    pub time_ns: Option<i64>,
    pub origin: Origin,
}
