//! One Langfuse observation → one span. Langfuse's own typed fields (type, model,
//! `usageDetails`, `costDetails`, level) are set first; the original OpenTelemetry attributes
//! carried in `metadata` are added after, and `semconv::apply` only fills what is still empty,
//! so Langfuse's word wins wherever it says something.

use super::time::parse_iso;
use crate::ingest::semconv::{self, count, money};
use crate::model::{flags, Attr, AttrValue, Origin, Span, SpanKind, Status, ToolCall, Usage};
use serde_json::{Map, Value};

/// What building a span found that the user should hear about.
pub(super) enum Issue {
    NoId,
    NoStart,
}

/// Attributes that describe the process, not the step; they go on the run.
pub(super) type Resource = Vec<Attr>;

pub(super) fn build(
    o: &Map<String, Value>,
    place: &str,
    fallback_start: i64,
    file: u32,
    issues: &mut Vec<Issue>,
    resource: &mut Resource,
) -> Span {
    let ty = o.get("type").and_then(Value::as_str).unwrap_or("SPAN");
    let mut span = Span {
        origin: Origin { file, line: None },
        name: o.get("name").map(text).unwrap_or_default(),
        kind: kind_of_type(ty),
        parent_id: o
            .get("parentObservationId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        model: o
            .get("model")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        ..Span::default()
    };
    span.id = match o.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => {
            issues.push(Issue::NoId);
            format!("langfuse:{place}")
        }
    };
    set_times(&mut span, o, ty, fallback_start, issues);
    set_level(&mut span, o);
    span.attrs.push(Attr::new(
        "langfuse.observation.type",
        AttrValue::Str(crate::model::Text::from(ty)),
    ));
    if let Some(Value::Object(u)) = o.get("usageDetails") {
        span.usage = usage_of(u, &mut span.flags);
        if !u.is_empty() {
            span.attrs.push(Attr::new(
                "langfuse.usage_details",
                AttrValue::from_json(&Value::Object(u.clone())),
            ));
        }
    }
    set_cost(&mut span, o);
    let (input, output) = (
        o.get("input").and_then(as_text),
        o.get("output").and_then(as_text),
    );
    if span.kind == SpanKind::Tool {
        span.tool = Some(Box::new(ToolCall {
            arguments: input.clone(),
            result: output.clone(),
            ..ToolCall::default()
        }));
    }
    extra_attrs(&mut span, o);
    if let Some(m) = o.get("metadata") {
        add_metadata(&mut span.attrs, m, resource);
    }
    semconv::apply(&mut span);
    if span.kind == SpanKind::Tool {
        // A span only the OTel attributes call a tool still gets Langfuse's input and output.
        let tool = span.tool.get_or_insert_with(Default::default);
        if tool.name.is_empty() {
            tool.name.clone_from(&span.name);
        }
        if tool.arguments.is_none() {
            tool.arguments = input;
        }
        if tool.result.is_none() {
            tool.result = output;
        }
    } else {
        for (key, v) in [("input", input), ("output", output)] {
            if let Some(v) = v {
                span.attrs
                    .push(Attr::new(key, AttrValue::Str(crate::model::Text::from(v))));
            }
        }
    }
    span
}

/// Langfuse observation types. SPAN and EVENT say nothing about what the step did, so the
/// OTel attributes decide (via `semconv::apply`).
pub(super) fn kind_of_type(ty: &str) -> SpanKind {
    match ty.to_ascii_uppercase().as_str() {
        "GENERATION" => SpanKind::Llm,
        "AGENT" => SpanKind::Agent,
        "TOOL" => SpanKind::Tool,
        "CHAIN" => SpanKind::Chain,
        "RETRIEVER" => SpanKind::Retrieval,
        "EMBEDDING" => SpanKind::Embedding,
        // An evaluator checks another step's output, as a guardrail does.
        "GUARDRAIL" | "EVALUATOR" => SpanKind::Guardrail,
        _ => SpanKind::Other,
    }
}

fn set_times(
    span: &mut Span,
    o: &Map<String, Value>,
    ty: &str,
    fallback: i64,
    issues: &mut Vec<Issue>,
) {
    span.start_ns = match o
        .get("startTime")
        .and_then(Value::as_str)
        .and_then(parse_iso)
    {
        Some(t) => t,
        None => {
            issues.push(Issue::NoStart);
            fallback
        }
    };
    span.end_ns = o.get("endTime").and_then(Value::as_str).and_then(parse_iso);
    // An EVENT is a point in time; without an end it is not "still running".
    if span.end_ns.is_none() && ty.eq_ignore_ascii_case("EVENT") {
        span.end_ns = Some(span.start_ns);
    }
}

fn set_level(span: &mut Span, o: &Map<String, Value>) {
    let level = o.get("level").and_then(Value::as_str).unwrap_or("DEFAULT");
    let message = o
        .get("statusMessage")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty());
    if level.eq_ignore_ascii_case("ERROR") {
        span.status = Status::Error;
        span.status_text = Some(level.to_owned());
        span.error_message = message.map(str::to_owned);
        return;
    }
    if level.eq_ignore_ascii_case("WARNING") {
        span.status_text = Some(level.to_owned());
    }
    if !level.eq_ignore_ascii_case("DEFAULT") {
        span.attrs.push(Attr::new(
            "langfuse.level",
            AttrValue::Str(crate::model::Text::from(level)),
        ));
    }
    if let Some(m) = message {
        span.attrs.push(Attr::new(
            "langfuse.status_message",
            AttrValue::Str(crate::model::Text::from(m)),
        ));
    }
}

/// `usageDetails` keys as Langfuse and its SDKs write them (OpenAI-style, Anthropic-style,
/// OpenInference-style after ingestion). Audio and other counts stay in the raw attribute.
fn usage_of(u: &Map<String, Value>, span_flags: &mut u8) -> Usage {
    let mut usage = Usage::default();
    for (key, v) in u {
        let field = match key.as_str() {
            "input" | "input_tokens" | "prompt_tokens" | "promptTokens" => &mut usage.input,
            "output" | "output_tokens" | "completion_tokens" | "completionTokens" => {
                &mut usage.output
            }
            "total" | "total_tokens" | "totalTokens" => &mut usage.total,
            "input_cached_tokens"
            | "input_cache_read"
            | "input_cache_read_tokens"
            | "cache_read_input_tokens"
            | "prompt_details.cache_read"
            | "cached_tokens" => &mut usage.cache_read,
            "input_cache_creation"
            | "input_cache_write"
            | "input_cache_creation_tokens"
            | "cache_creation_input_tokens"
            | "prompt_details.cache_write" => &mut usage.cache_write,
            "output_reasoning_tokens"
            | "output_reasoning"
            | "reasoning_tokens"
            | "completion_details.reasoning" => &mut usage.reasoning,
            _ => continue,
        };
        if v.is_null() || field.is_some() {
            continue;
        }
        match count(&AttrValue::from_json(v)) {
            Ok(n) => *field = Some(n),
            Err(semconv::Absurd) => *span_flags |= flags::BAD_NUMBER,
        }
    }
    usage
}

/// `costDetails.total` as Langfuse computed or was given it; older exports say
/// `calculatedTotalCost`. A zero `totalCost` beside empty details means "no cost known".
fn set_cost(span: &mut Span, o: &Map<String, Value>) {
    let details = o.get("costDetails").and_then(Value::as_object);
    let total = details
        .and_then(|d| d.get("total"))
        .or_else(|| o.get("calculatedTotalCost"))
        .or_else(|| {
            o.get("totalCost")
                .filter(|c| c.as_f64().is_some_and(|c| c != 0.0))
        })
        .filter(|v| !v.is_null());
    if let Some(v) = total {
        match money(&AttrValue::from_json(v)) {
            Ok(c) => span.reported_cost_usd = Some(c),
            Err(semconv::Absurd) => span.flags |= flags::BAD_NUMBER,
        }
    }
    if let Some(d) = details.filter(|d| !d.is_empty()) {
        span.attrs.push(Attr::new(
            "langfuse.cost_details",
            AttrValue::from_json(&Value::Object(d.clone())),
        ));
    }
}

/// Langfuse fields worth showing that have no place in the model.
fn extra_attrs(span: &mut Span, o: &Map<String, Value>) {
    let keep = [
        ("completionStartTime", "langfuse.completion_start_time"),
        ("modelParameters", "langfuse.model_parameters"),
        ("promptName", "langfuse.prompt.name"),
        ("promptVersion", "langfuse.prompt.version"),
        ("toolCallNames", "langfuse.tool_call_names"),
    ];
    for (field, key) in keep {
        match o.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) if m.is_empty() => {}
            Some(Value::Array(a)) if a.is_empty() => {}
            Some(v) => span.attrs.push(Attr::new(key, AttrValue::from_json(v))),
        }
    }
}

/// `metadata` is often a JSON *string* holding the original OTel span: `attributes` become the
/// span's typed attributes (never replacing one already there), `scope` names the
/// instrumentation, `resourceAttributes` describe the process (they go on the run, except
/// `service.name`, which each span keeps); anything else is kept as `metadata.<key>`.
pub(super) fn add_metadata(attrs: &mut Vec<Attr>, m: &Value, resource: &mut Resource) {
    let parsed;
    let m = match m {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => {
                parsed = v;
                &parsed
            }
            _ if s.is_empty() => return,
            _ => {
                return attrs.push(Attr::new(
                    "metadata",
                    AttrValue::Str(crate::model::Text::from(s)),
                ))
            }
        },
        Value::Null => return,
        other => other,
    };
    let Some(m) = m.as_object() else {
        return attrs.push(Attr::new("metadata", AttrValue::from_json(m)));
    };
    for (key, v) in m {
        match (key.as_str(), v) {
            ("attributes", Value::Object(a)) => {
                for (k, v) in a {
                    push_new(attrs, k, v);
                }
            }
            ("resourceAttributes", Value::Object(r)) => {
                for (k, v) in r {
                    if k == "service.name" {
                        push_new(attrs, k, v);
                    }
                    if !resource.iter().any(|a| a.key == *k) {
                        resource.push(Attr::new(k.clone(), AttrValue::from_json(v)));
                    }
                }
            }
            ("scope", Value::Object(s)) => {
                for (field, k) in [
                    ("name", "otel.scope.name"),
                    ("version", "otel.scope.version"),
                ] {
                    if let Some(v) = s.get(field) {
                        push_new(attrs, k, v);
                    }
                }
            }
            _ => push_new(attrs, &format!("metadata.{key}"), v),
        }
    }
}

fn push_new(attrs: &mut Vec<Attr>, key: &str, v: &Value) {
    if !v.is_null() && !attrs.iter().any(|a| a.key == key) {
        attrs.push(Attr::new(key, AttrValue::from_json(v)));
    }
}

/// Input and output as text: strings as written, anything else as JSON.
pub(super) fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

pub(super) fn text(v: &Value) -> String {
    as_text(v).unwrap_or_default()
}
