//! The span: one timed step of an agent run (model call, tool call, iteration, …).

use super::{Attr, Origin, SpanIdx};
use serde::{Deserialize, Serialize};

/// What a span does, derived from the source's own semantics (GenAI operation names,
/// OpenInference span kinds, Langfuse observation types, seed step types).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum SpanKind {
    Agent,
    Llm,
    Tool,
    Retrieval,
    Embedding,
    Chain,
    Planning,
    Iteration,
    Guardrail,
    #[default]
    Other,
}

impl SpanKind {
    pub const ALL: [SpanKind; 10] = [
        SpanKind::Agent,
        SpanKind::Llm,
        SpanKind::Tool,
        SpanKind::Retrieval,
        SpanKind::Embedding,
        SpanKind::Chain,
        SpanKind::Planning,
        SpanKind::Iteration,
        SpanKind::Guardrail,
        SpanKind::Other,
    ];

    /// Lower-case name used in the UI, CSS classes, URLs and the CLI's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Agent => "agent",
            SpanKind::Llm => "llm",
            SpanKind::Tool => "tool",
            SpanKind::Retrieval => "retrieval",
            SpanKind::Embedding => "embedding",
            SpanKind::Chain => "chain",
            SpanKind::Planning => "planning",
            SpanKind::Iteration => "iteration",
            SpanKind::Guardrail => "guardrail",
            SpanKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SpanKind> {
        SpanKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// Outcome of a span. The source's own words are kept in `Span::status_text`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Ok,
    Error,
    #[default]
    Unset,
}

/// Token counts of one model call (or, on an agent/chain span, an aggregate the source reports).
/// `None` means "not reported", which is different from zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub cache_read: Option<u64>,
    pub cache_write: Option<u64>,
    pub reasoning: Option<u64>,
    /// A total the source states without a split (OpenLLMetry `llm.usage.total_tokens`).
    pub total: Option<u64>,
}

impl Usage {
    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }
}

/// A tool invocation's name, arguments and result (or previews of them), as text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub name: String,
    pub call_id: Option<String>,
    pub arguments: Option<String>,
    pub result: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanEvent {
    pub time_ns: i64,
    pub name: String,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanLink {
    pub trace_id: String,
    pub span_id: String,
    pub attrs: Vec<Attr>,
}

/// Bits in [`Span::flags`]: repairs the loader made, so the UI can flag them and never hide them.
pub mod flags {
    /// The parent id pointed nowhere; the span hangs under the run's root.
    pub const ORPHAN: u8 = 1;
    /// The parent chain looped; this span's parent link was cut.
    pub const CYCLE_CUT: u8 = 2;
    /// Another span had the same id; this one was kept under its own index.
    pub const DUPLICATE_ID: u8 = 4;
    /// The source said it ended before it started; the end was set to the start.
    pub const END_BEFORE_START: u8 = 8;
    /// A number was absurd (negative tokens, NaN cost) and was dropped.
    pub const BAD_NUMBER: u8 = 16;
}

/// One span. Kept flat and owned so a run is one contiguous `Vec<Span>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The source's id (hex, uuid, seed `seq`), unique within the run after loading.
    pub id: String,
    pub parent_id: Option<String>,
    /// Resolved parent index, filled in when the run is assembled.
    pub parent: Option<SpanIdx>,
    pub name: String,
    pub kind: SpanKind,
    pub start_ns: i64,
    /// `None` while the span is still running (or was never ended).
    pub end_ns: Option<i64>,
    pub status: Status,
    /// The source's own status words (`MAX_ITERATIONS`, `JSON_ERROR`, `timeout`, …).
    pub status_text: Option<String>,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub model: Option<String>,
    pub provider: Option<String>,
    pub usage: Usage,
    /// Cost in USD as the source reports it.
    pub reported_cost_usd: Option<f64>,
    /// Boxed: most spans are not tool calls, and an empty slot costs a pointer, not four strings.
    pub tool: Option<Box<ToolCall>>,
    /// The step number for step-based sources (AgentTracer `seq`, seed 003 `step`).
    pub seq: Option<u32>,
    /// The step this one retries (AgentTracer `retry_of`), as a span id.
    pub retry_of: Option<String>,
    pub attrs: Vec<Attr>,
    pub events: Vec<SpanEvent>,
    pub links: Vec<SpanLink>,
    pub origin: Origin,
    pub flags: u8,
}

impl Span {
    /// Duration in ns; a running span has none (the UI draws it open-ended).
    pub fn duration_ns(&self) -> Option<i64> {
        self.end_ns.map(|e| e - self.start_ns)
    }

    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}
