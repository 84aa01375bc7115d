//! The one normalized model every analysis and view reads.
//!
//! Importers (in `ingest`) turn each source format into these types and nothing else, so the
//! analysis and the UI never learn which exporter wrote a file. Times are integer nanoseconds
//! since the Unix epoch so OTLP's precision survives and arithmetic is exact.

mod attr;
mod records;
mod span;
mod text;

pub use attr::{find as find_attr, Attr, AttrValue};
pub use records::{Decision, Failure, LogEvent, Metric, MetricValue, QualitySignal};
pub use span::{flags, Span, SpanEvent, SpanKind, SpanLink, Status, ToolCall, Usage};
pub use text::{Key, Text};

use serde::{Deserialize, Serialize};

/// Index of a loaded file in [`Workspace::files`]; records keep it so every figure can be traced
/// back to the file (and line) it came from.
pub type FileId = u32;

/// Index of a span inside its run's `spans` vector. `u32` keeps a million-span run compact.
pub type SpanIdx = u32;

/// Where a record came from, so errors and details can name the file and line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: FileId,
    /// 1-based line for JSON-lines input; `None` for whole-document formats.
    pub line: Option<u32>,
}

/// The source formats Spoor understands; detected from content, never from file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Otlp,
    Jaeger,
    Langfuse,
    Seed000Traces,
    Seed000Log,
    Seed000Tokens,
    Seed000Metrics,
    Seed001AgentRun,
    Seed002ObserverTrace,
    Seed002ObserverMetrics,
    Seed002InvestigationLog,
    Seed002InvestigationResult,
    Seed002ReliabilityStats,
    Seed003Tools,
    Seed003Sessions,
    Seed003Decisions,
    Seed003Events,
    /// A run opened from a share link (`spoor::share`); no file is detected as this. (Spoor
    /// once also read a `{"spoor": 1, "run": …}` JSON document, which nothing ever wrote; reading
    /// it cost 28 KB gzip of wasm for the model's derived `Deserialize`.)
    SpoorRun,
}

impl Format {
    /// A label users recognise, used in the file list and in error messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Otlp => "OTLP JSON",
            Format::Jaeger => "Jaeger JSON",
            Format::Langfuse => "Langfuse export",
            Format::Seed000Traces => "code-review agent traces.json",
            Format::Seed000Log => "code-review agent log.json",
            Format::Seed000Tokens => "code-review agent tokens.json",
            Format::Seed000Metrics => "code-review agent metrics.json",
            Format::Seed001AgentRun => "AgentTracer run",
            Format::Seed002ObserverTrace => "SRE AgentObserver trace",
            Format::Seed002ObserverMetrics => "SRE AgentObserver metrics",
            Format::Seed002InvestigationLog => "SRE investigation log",
            Format::Seed002InvestigationResult => "SRE investigation result",
            Format::Seed002ReliabilityStats => "SRE reliability stats",
            Format::Seed003Tools => "tool recorder JSONL",
            Format::Seed003Sessions => "session profiler JSONL",
            Format::Seed003Decisions => "decision ledger JSONL",
            Format::Seed003Events => "event bus JSONL",
            Format::SpoorRun => "Spoor shared run",
        }
    }
}

/// One loaded file: what the user gave us and what we made of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub size: u64,
    /// Formats found in it (a JSON-lines file may mix several).
    pub formats: Vec<Format>,
    /// Spans this file contributed (before de-duplication across files).
    pub spans: u64,
    /// Hash of the bytes, so a file dropped twice is recognised and not loaded twice.
    #[serde(default)]
    pub content_hash: u64,
}

/// How serious a [`Problem`] is: an error means something was not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The file (or a part of it) could not be read; what was skipped is said in the message.
    Error,
    /// Loaded, but something was repaired or looks wrong (orphan parent, end before start, …).
    Warning,
}

/// A message for the user about their input: which file, where in it, what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    /// "line 3, column 14" or a JSON path such as `$.resourceSpans[0].scopeSpans[1].spans[4]`.
    pub place: Option<String>,
    pub message: String,
}

/// Run-level status, as the source states it or as derived from its spans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStatus {
    Success,
    Failure,
    /// Finished with recorded failures or degraded output (AgentTracer's `partial`,
    /// seed 000's `MAX_ITERATIONS`).
    Partial,
    /// Still running or never closed.
    Running,
    #[default]
    Unknown,
}

/// A run: one trace, session, investigation or AgentRun, with its spans and side records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Run {
    /// Stable id from the source (trace id, run id, session id); runs with the same id merge.
    pub id: String,
    pub name: String,
    pub format: Option<Format>,
    pub agent_id: Option<String>,
    pub agent_version: Option<String>,
    pub environment: Option<String>,
    pub status: RunStatus,
    /// The source's own status words (`MAX_ITERATIONS`, `partial`, …).
    pub status_text: Option<String>,
    /// Run bounds as the source states them; analysis falls back to the spans' extent.
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    pub spans: Vec<Span>,
    pub decisions: Vec<Decision>,
    pub signals: Vec<QualitySignal>,
    pub failures: Vec<Failure>,
    pub logs: Vec<LogEvent>,
    /// Metrics and summaries as the source reports them (seed 000 metrics.json, seed 002
    /// observer metrics, seed 003 session summaries, Langfuse scores with numeric values).
    pub metrics: Vec<Metric>,
    /// Totals the source reports for the whole run, kept apart from what the spans add up to
    /// so the UI can show both and the difference.
    pub reported_input_tokens: Option<u64>,
    pub reported_output_tokens: Option<u64>,
    pub reported_cost_usd: Option<f64>,
    pub attributes: Vec<Attr>,
    /// Files that contributed to this run.
    pub files: Vec<FileId>,
}

impl Run {
    /// A copy of everything but the spans, for work that copies the spans one at a time and
    /// rests between (a share link's redaction): cloning a million spans at once held the page
    /// for 0.6 s. Every field is named here, so a new one cannot be left out silently.
    pub fn clone_without_spans(&self) -> Run {
        let Run {
            id,
            name,
            format,
            agent_id,
            agent_version,
            environment,
            status,
            status_text,
            start_ns,
            end_ns,
            spans: _,
            decisions,
            signals,
            failures,
            logs,
            metrics,
            reported_input_tokens,
            reported_output_tokens,
            reported_cost_usd,
            attributes,
            files,
        } = self;
        Run {
            id: id.clone(),
            name: name.clone(),
            format: *format,
            agent_id: agent_id.clone(),
            agent_version: agent_version.clone(),
            environment: environment.clone(),
            status: *status,
            status_text: status_text.clone(),
            start_ns: *start_ns,
            end_ns: *end_ns,
            spans: Vec::new(),
            decisions: decisions.clone(),
            signals: signals.clone(),
            failures: failures.clone(),
            logs: logs.clone(),
            metrics: metrics.clone(),
            reported_input_tokens: *reported_input_tokens,
            reported_output_tokens: *reported_output_tokens,
            reported_cost_usd: *reported_cost_usd,
            attributes: attributes.clone(),
            files: files.clone(),
        }
    }
}

/// Everything loaded in the page (or given to the CLI) at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Workspace {
    pub runs: Vec<Run>,
    pub files: Vec<SourceFile>,
    pub problems: Vec<Problem>,
}

impl Workspace {
    /// Total spans across runs: the figure "span count in equals span count shown" is checked on.
    pub fn span_count(&self) -> usize {
        self.runs.iter().map(|r| r.spans.len()).sum()
    }
}
