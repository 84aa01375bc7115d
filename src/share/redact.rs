//! What a shared link leaves out by default. A link ends up in chat logs, tickets and browser
//! history, so prompts, completions, tool payloads and any other free text stay behind; what a
//! teammate needs to see the problem stays: the tree, names, timings, tokens, costs, statuses,
//! models, ids, kinds and error types.
//!
//! Attribute strings are kept only under keys known to hold structure (a whitelist: a key not
//! on it is redacted, so a new exporter's prompt attribute cannot leak by default). Redacted
//! text becomes a marker saying how long it was, and the key stays, so the shape of the span is
//! still visible.

use crate::model::{Attr, AttrValue, MetricValue, Run};

/// Whether to include free text. `Default` redacts, the safe choice for a link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RedactOptions {
    /// Keep prompts, completions, tool arguments/results and all attribute text.
    pub include_text: bool,
}

/// Keys whose string values are structure (exact match).
const KEEP_EXACT: &[&str] = &[
    "gen_ai.operation.name",
    "gen_ai.system",
    "gen_ai.provider.name",
    "gen_ai.tool.name",
    "gen_ai.agent.name",
    "gen_ai.output.type",
    "openinference.span.kind",
    "llm.model_name",
    "llm.provider",
    "llm.system",
    "tool.name",
    "service.name",
    "service.namespace",
    "service.version",
    "deployment.environment",
    "deployment.environment.name",
    "otel.status_code",
    "peer.service",
    "rpc.system",
    "rpc.service",
    "db.system",
    "langfuse.observation.type",
    "ai.operationId",
];

/// Key prefixes whose values are structure or numbers-as-text (request parameters, token counts).
const KEEP_PREFIX: &[&str] = &[
    "gen_ai.request.",
    "gen_ai.usage.",
    "llm.token_count.",
    "telemetry.sdk.",
    "otel.scope.",
];

/// Last key segments (after the final `.`, lower-cased) that name structure in any namespace:
/// `gen_ai.response.model`, `http.response.status_code`, `exception.type`, message `role`s, ….
const KEEP_LAST: &[&str] = &[
    "model",
    "model_name",
    "ls_model_name",
    "ls_model_type",
    "ls_provider",
    "provider",
    "system",
    "kind",
    "type",
    "step_type",
    "error_class",
    "status",
    "status_code",
    "level",
    "role",
    "finish_reason",
    "finish_reasons",
    "finishreason",
    "stopreason",
    "stop_reason",
    "name",
    "tool",
    "tool_name",
    "agent_name",
    "node_name",
    "function_name",
    "langgraph_node",
    "id",
    "version",
    "environment",
    "mime_type",
    "method",
    "route",
];

/// Substrings that mark personal or secret data; such keys are redacted even when their last
/// segment looks structural (`user.id`, `host.name`, `user_email`).
const DENY: &[&str] = &[
    "user",
    "email",
    "phone",
    "address",
    "password",
    "secret",
    "api_key",
    "apikey",
    "auth",
    "cookie",
    "credential",
    "host.",
    "process.",
    "url",
    ".ip",
    "_ip",
];

/// Key words under which a string holding a number is a measurement, kept like a number.
const NUMERIC_HINTS: &[&str] = &[
    "token",
    "cost",
    "count",
    "duration",
    "latency",
    "_ms",
    "step",
    "iteration",
    "temperature",
    "port",
    "retries",
];

/// Whether a string value under `key` is structure a teammate needs.
pub fn keeps_text(key: &str, value: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if DENY.iter().any(|d| lower.contains(d)) {
        return false;
    }
    let last = lower.rsplit('.').next().unwrap_or("");
    KEEP_EXACT.contains(&key)
        || KEEP_PREFIX.iter().any(|p| key.starts_with(p))
        || KEEP_LAST.contains(&last)
        || last.ends_with("_id")
        || key.rsplit('.').next().is_some_and(|l| l.ends_with("Id"))
        || (NUMERIC_HINTS.iter().any(|h| lower.contains(h))
            && value.len() <= 24
            && crate::num::parse_f64(value.trim()).is_some())
}

/// The stand-in for removed text: its length, so "a 40,000-character prompt" is still visible.
pub fn marker(text: &str) -> String {
    marker_of_len(text.chars().count() as u64)
}

/// The marker for text of `chars` characters (the share codec stores markers as this count).
pub fn marker_of_len(chars: u64) -> String {
    format!("‹redacted {chars} chars›")
}

fn is_marker(text: &str) -> bool {
    text.starts_with("‹redacted ") && text.ends_with(" chars›")
}

fn scrub(text: &mut String) {
    if !text.is_empty() && !is_marker(text) {
        *text = marker(text);
    }
}

/// Status words are codes (`MAX_ITERATIONS`, `timeout`, `STATUS_CODE_ERROR`); OTLP's status
/// message is free text and may quote user data, so only code-like words are kept.
fn scrub_unless_code(text: &mut Option<String>) {
    if let Some(t) = text {
        let code_like = t.len() <= 48
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if !code_like {
            scrub(t);
        }
    }
}

/// Replaces every string inside a value, keeping numbers, booleans, nesting and map keys.
fn scrub_value(v: &mut AttrValue) {
    match v {
        AttrValue::Str(s) => {
            let mut text = s.to_string();
            scrub(&mut text);
            *s = text.into();
        }
        AttrValue::Array(items) => items.iter_mut().for_each(scrub_value),
        AttrValue::Map(attrs) => attrs.iter_mut().for_each(|a| scrub_value(&mut a.value)),
        AttrValue::Null | AttrValue::Bool(_) | AttrValue::Int(_) | AttrValue::Float(_) => {}
    }
}

/// Redacts attributes in place: whitelisted keys keep their value (nested ones too), others
/// keep their key and numbers but lose their text.
pub fn redact_attrs(attrs: &mut [Attr]) {
    for a in attrs {
        let keep = match &a.value {
            AttrValue::Str(s) => keeps_text(&a.key, s),
            AttrValue::Array(items) => items
                .iter()
                .all(|v| v.as_str().is_some_and(|s| keeps_text(&a.key, s))),
            _ => false,
        };
        if !keep {
            scrub_value(&mut a.value);
        }
    }
}

/// A copy of `run` fit to share: see the module comment for what goes and what stays.
/// With `include_text` the run is returned unchanged.
pub fn redact(run: &Run, opts: &RedactOptions) -> Run {
    crate::pace::block_on(redact_paced(run, opts, &mut crate::pace::Pace::never()))
}

/// [`redact`], resting as `pace` says once per span.
pub async fn redact_paced(
    source: &Run,
    opts: &RedactOptions,
    pace: &mut crate::pace::Pace<'_>,
) -> Run {
    // The spans are copied one at a time, resting between (a million at once held the page).
    let mut run = source.clone_without_spans();
    run.spans.reserve_exact(source.spans.len());
    for s in &source.spans {
        run.spans.push(s.clone());
        pace.tick().await;
    }
    if opts.include_text {
        return run;
    }
    scrub_unless_code(&mut run.status_text);
    redact_attrs(&mut run.attributes);
    for s in &mut run.spans {
        pace.tick().await;
        scrub_unless_code(&mut s.status_text);
        s.error_message = None;
        if let Some(t) = &mut s.tool {
            t.arguments = None;
            t.result = None;
        }
        redact_attrs(&mut s.attrs);
        for e in &mut s.events {
            redact_attrs(&mut e.attrs);
        }
        for l in &mut s.links {
            redact_attrs(&mut l.attrs);
        }
    }
    for d in &mut run.decisions {
        d.detail = None;
        redact_attrs(&mut d.attrs);
    }
    for q in &mut run.signals {
        q.comment = None;
    }
    for f in &mut run.failures {
        scrub(&mut f.message);
    }
    for l in &mut run.logs {
        scrub(&mut l.message);
        redact_attrs(&mut l.metadata);
    }
    for m in &mut run.metrics {
        if let MetricValue::Text(t) = &mut m.value {
            if !keeps_text(&m.name, t) {
                scrub(t);
            }
        }
    }
    run
}
