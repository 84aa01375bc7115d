//! The parts of a Jaeger span that need more than a copy: `references` (parent and links),
//! `logs` (events) and the tags that say it failed.

use super::hex_id;
use super::tags::{attr_list, json_i64};
use crate::model::{Attr, AttrValue, Span, SpanEvent, SpanLink, Status};
use serde_json::{Map, Value};

/// `CHILD_OF` is the parent; `FOLLOWS_FROM` is a link, and the parent when there is no
/// `CHILD_OF` (Jaeger draws it that way). Other `CHILD_OF`s, and references into other
/// traces, become links.
pub(super) fn set_references(span: &mut Span, s: &Map<String, Value>, run_id: &str) {
    let mut follows = None;
    if let Some(Value::Array(refs)) = s.get("references") {
        for r in refs {
            let Some(target) = r
                .get("spanID")
                .and_then(Value::as_str)
                .map(|id| hex_id(id, 16))
            else {
                continue;
            };
            let trace = r
                .get("traceID")
                .and_then(Value::as_str)
                .map(|t| hex_id(t, 32));
            let same_trace = trace.as_deref().is_none_or(|t| t == run_id);
            let ty = r
                .get("refType")
                .and_then(Value::as_str)
                .unwrap_or("CHILD_OF");
            let child_of = ty.eq_ignore_ascii_case("CHILD_OF");
            if child_of && same_trace && span.parent_id.is_none() {
                span.parent_id = Some(target);
                continue;
            }
            if !child_of && same_trace && follows.is_none() {
                follows = Some(target.clone());
            }
            span.links.push(SpanLink {
                trace_id: trace.unwrap_or_else(|| run_id.to_owned()),
                span_id: target,
                attrs: vec![Attr::new(
                    "jaeger.ref_type",
                    AttrValue::Str(crate::model::Text::from(ty)),
                )],
            });
        }
    }
    if span.parent_id.is_none() {
        span.parent_id = follows.or_else(|| {
            s.get("parentSpanID")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty() && p.chars().any(|c| c != '0'))
                .map(|p| hex_id(p, 16))
        });
    }
}

/// A log becomes an event named by its `event` field (how OTel events are written to Jaeger),
/// else its `message`, else "log".
pub(super) fn log_event(log: &Value) -> Option<SpanEvent> {
    let log = log.as_object()?;
    let attrs = log.get("fields").map(attr_list).unwrap_or_default();
    let name = ["event", "message"]
        .iter()
        .find_map(|k| attrs.iter().find(|a| a.key == *k))
        .map(|a| a.value.to_text())
        .unwrap_or_else(|| "log".to_owned());
    let time_ns = log
        .get("timestamp")
        .and_then(json_i64)
        .unwrap_or(0)
        .saturating_mul(1000);
    Some(SpanEvent {
        time_ns,
        name,
        attrs,
    })
}

/// `error=true` or `otel.status_code=ERROR` fail the span; `otel.status_description` (or an
/// `error` log's message) says why.
pub(super) fn set_status(span: &mut Span) {
    for a in &span.attrs {
        match a.key.as_str() {
            "error" if is_true(&a.value) => span.status = Status::Error,
            "otel.status_code" => {
                let code = a.value.to_text();
                if code.eq_ignore_ascii_case("ERROR") {
                    span.status = Status::Error;
                } else if code.eq_ignore_ascii_case("OK") && span.status != Status::Error {
                    span.status = Status::Ok;
                }
                span.status_text = Some(code);
            }
            "otel.status_description" => span.error_message = Some(a.value.to_text()),
            _ => {}
        }
    }
    if span.status == Status::Error && span.error_message.is_none() {
        span.error_message = span
            .events
            .iter()
            .filter(|e| e.name == "error")
            .find_map(|e| {
                e.attrs
                    .iter()
                    .find(|a| a.key == "message" || a.key == "error.object")
            })
            .map(|a| a.value.to_text());
    }
}

fn is_true(v: &AttrValue) -> bool {
    match v {
        AttrValue::Bool(b) => *b,
        AttrValue::Str(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}
