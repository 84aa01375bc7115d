//! Attribute semantics shared by the OpenTelemetry-family importers (OTLP, Jaeger, Langfuse):
//! OpenTelemetry GenAI conventions (all versions), OpenInference, OpenLLMetry, the Vercel AI
//! SDK and LangSmith's OTel bridge. Each exporter spells "this was a model call with 1,840
//! input tokens" differently; this module is the one place that knows all the spellings.

mod kind;
mod scan;

use crate::model::{find_attr, Run, Span, SpanKind};

pub use scan::{count, money, Absurd};

/// Fills a span's semantic fields (kind, model, provider, usage, cost, tool call, error) from
/// its attributes and name, so every OTel-family importer agrees on what a span means.
///
/// Only fields still empty are filled: an importer that knows better (Langfuse's typed
/// `model`, a Jaeger `error` tag) sets them first. Runs on every span of a million-span file,
/// so it is one pass over the attributes that allocates only for values it copies.
pub fn apply(span: &mut Span) {
    let scan = scan::Scan::of(&span.attrs);
    scan.fill(span);
    if span.error_type.is_none() || span.error_message.is_none() {
        fill_error_from_exception_event(span);
    }
}

/// The agent a span stands for (`gen_ai.agent.name`, else `gen_ai.agent.id`), used by
/// importers to name a run's agent.
pub fn agent_of(span: &Span) -> Option<&str> {
    ["gen_ai.agent.name", "gen_ai.agent.id"]
        .iter()
        .find_map(|key| {
            find_attr(&span.attrs, key)
                .and_then(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
        })
}

/// The agent a run belongs to: the first agent span that names one. Jaeger and Langfuse carry no
/// run-level agent name, so both importers take it from the spans the same way.
pub fn agent_of_run(run: &Run) -> Option<String> {
    run.spans
        .iter()
        .filter(|s| s.kind == SpanKind::Agent)
        .find_map(agent_of)
        .map(str::to_owned)
}

/// OTel records exceptions as span events named `exception`; the first one names the error.
fn fill_error_from_exception_event(span: &mut Span) {
    let Some(ev) = span.events.iter().find(|e| e.name == "exception") else {
        return;
    };
    let get = |key: &str| {
        find_attr(&ev.attrs, key)
            .map(|v| v.to_text())
            .filter(|s| !s.is_empty())
    };
    let (ty, msg) = (get("exception.type"), get("exception.message"));
    if span.error_type.is_none() {
        span.error_type = ty;
    }
    if span.error_message.is_none() {
        span.error_message = msg;
    }
}
