//! Langfuse trace exports: `{trace, observations}`, as the Langfuse UI and API give them.
//! Observations are spans (GENERATION, TOOL, AGENT, … and zero-length EVENTs), times are
//! ISO-8601, and `metadata` often carries the original OpenTelemetry span as a JSON string,
//! which is unpacked so the same attribute semantics apply as for OTLP files.

mod observation;
mod time;

#[cfg(test)]
mod tests;

use super::{semconv, ImportCtx};
use crate::model::{
    Attr, AttrValue, Format, Metric, MetricValue, Origin, QualitySignal, Run, Severity,
};
use observation::{add_metadata, as_text, Issue};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub(crate) use time::parse_iso;

/// Imports one Langfuse trace export as one run.
pub fn import(doc: &Value, ctx: &mut ImportCtx) {
    let Some(obj) = doc.as_object() else {
        ctx.problem(
            Severity::Error,
            Some("$".to_owned()),
            "this is not a Langfuse export: expected an object with `trace` and `observations`",
        );
        return;
    };
    // `{trace, observations}`, or a bare trace object that holds its observations.
    let (trace, trace_place) = match obj.get("trace").and_then(Value::as_object) {
        Some(t) => (t, "$.trace"),
        None => (obj, "$"),
    };
    let (observations, obs_place) = match (obj.get("observations"), trace.get("observations")) {
        (Some(Value::Array(a)), _) => (a.as_slice(), "$.observations".to_owned()),
        (_, Some(Value::Array(a))) => (a.as_slice(), format!("{trace_place}.observations")),
        _ => {
            ctx.problem(
                Severity::Warning,
                Some("$".to_owned()),
                "this Langfuse export has no `observations` list; the trace has no steps",
            );
            (&[][..], String::new())
        }
    };
    let mut run = run_of(trace, ctx);
    let fallback_start = observations
        .iter()
        .filter_map(|o| {
            o.get("startTime")
                .and_then(Value::as_str)
                .and_then(parse_iso)
        })
        .min()
        .or_else(|| {
            trace
                .get("timestamp")
                .and_then(Value::as_str)
                .and_then(parse_iso)
        })
        .unwrap_or(0);
    let mut resource = Vec::new();
    for (i, o) in observations.iter().enumerate() {
        let place = format!("{obs_place}[{i}]");
        let Some(o) = o.as_object() else {
            // Some exports list observation ids here instead of objects: nothing to show.
            if !o.is_string() {
                ctx.problem(
                    Severity::Error,
                    Some(place.clone()),
                    "this observation is not an object; it was skipped",
                );
            }
            continue;
        };
        let mut issues = Vec::new();
        run.spans.push(observation::build(
            o,
            &place,
            fallback_start,
            ctx.file,
            &mut issues,
            &mut resource,
        ));
        for issue in issues {
            let msg = match issue {
                Issue::NoId => {
                    "this observation has no id; it was given one from its place in the file"
                }
                Issue::NoStart => {
                    "this observation has no usable startTime; it is shown at the trace's start"
                }
            };
            ctx.problem(Severity::Warning, Some(place.clone()), msg);
        }
    }
    for a in resource {
        if !run.attributes.iter().any(|r| r.key == a.key) {
            run.attributes.push(a);
        }
    }
    if let Some(Value::Array(scores)) = trace.get("scores") {
        add_scores(&mut run, scores, &format!("{trace_place}.scores"), ctx);
    }
    if run.name.is_empty() {
        run.name = root_name(&run).unwrap_or_default();
    }
    run.agent_id = semconv::agent_of_run(&run);
    ctx.out.runs.push(run);
}

/// The run and its trace-level fields: name, user, session, release, version, tags,
/// environment, trace input/output, and the trace metadata's resource attributes.
fn run_of(trace: &Map<String, Value>, ctx: &ImportCtx) -> Run {
    let s = |k: &str| {
        trace
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let mut run = Run {
        id: s("id").map_or_else(|| format!("langfuse:{}", ctx.file_name), str::to_owned),
        name: s("name").unwrap_or_default().to_owned(),
        format: Some(Format::Langfuse),
        environment: s("environment").map(str::to_owned),
        agent_version: s("version").or(s("release")).map(str::to_owned),
        files: vec![ctx.file],
        ..Run::default()
    };
    let fields = [
        ("userId", "user.id"),
        ("sessionId", "session.id"),
        ("release", "release"),
        ("version", "version"),
        ("environment", "environment"),
    ];
    for (field, key) in fields {
        if let Some(v) = s(field) {
            run.attributes
                .push(Attr::new(key, AttrValue::Str(crate::model::Text::from(v))));
        }
    }
    if let Some(tags @ Value::Array(t)) = trace.get("tags") {
        if !t.is_empty() {
            run.attributes
                .push(Attr::new("tags", AttrValue::from_json(tags)));
        }
    }
    for key in ["input", "output"] {
        if let Some(v) = trace.get(key).and_then(as_text) {
            run.attributes
                .push(Attr::new(key, AttrValue::Str(crate::model::Text::from(v))));
        }
    }
    if let Some(m) = trace.get("metadata") {
        // The trace's own `attributes` repeat its root observation's; only keep the rest.
        let mut attrs = Vec::new();
        let mut resource = Vec::new();
        add_metadata(&mut attrs, m, &mut resource);
        run.attributes.extend(resource);
        run.attributes
            .extend(attrs.into_iter().filter(|a| a.key.starts_with("metadata")));
    }
    run
}

/// Scores: numeric ones are metrics (`score.<name>`, with `score.<name>.comment`); boolean
/// and categorical ones are quality signals carrying their comment.
fn add_scores(run: &mut Run, scores: &[Value], place: &str, ctx: &mut ImportCtx) {
    let origin = Origin {
        file: ctx.file,
        line: None,
    };
    let span_of: HashMap<&str, u32> = run
        .spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i as u32))
        .collect();
    for (i, sc) in scores.iter().enumerate() {
        let Some(sc) = sc.as_object() else {
            ctx.problem(
                Severity::Warning,
                Some(format!("{place}[{i}]")),
                "this score is not an object; it was skipped",
            );
            continue;
        };
        let name = sc
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("score")
            .to_owned();
        let comment = sc
            .get("comment")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let time_ns = sc
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(parse_iso);
        let data_type = sc
            .get("dataType")
            .and_then(Value::as_str)
            .unwrap_or("NUMERIC");
        let value = sc.get("value").and_then(Value::as_f64);
        let string_value = sc.get("stringValue").and_then(Value::as_str);
        let span = sc
            .get("observationId")
            .and_then(Value::as_str)
            .and_then(|id| span_of.get(id).copied());
        if data_type.eq_ignore_ascii_case("NUMERIC") {
            let Some(v) = value.filter(|v| v.is_finite()) else {
                ctx.problem(
                    Severity::Warning,
                    Some(format!("{place}[{i}]")),
                    format!("score `{name}` has no numeric value; it was skipped"),
                );
                continue;
            };
            let metric = |name: String, value| Metric {
                name,
                value,
                unit: None,
                time_ns,
                origin,
            };
            run.metrics
                .push(metric(format!("score.{name}"), MetricValue::Number(v)));
            if let Some(c) = comment {
                run.metrics.push(metric(
                    format!("score.{name}.comment"),
                    MetricValue::Text(c),
                ));
            }
            continue;
        }
        let boolean = data_type.eq_ignore_ascii_case("BOOLEAN");
        let (code, flag) = if boolean {
            let truthy = value
                .map(|v| v != 0.0)
                .or_else(|| string_value.map(|s| s.eq_ignore_ascii_case("true")));
            (name.clone(), truthy.unwrap_or(false))
        } else {
            // A category holds when it was given: the signal says which one.
            (
                format!("{name}: {}", string_value.unwrap_or_default()),
                true,
            )
        };
        run.signals.push(QualitySignal {
            signal_type: format!("langfuse.score.{}", data_type.to_ascii_lowercase()),
            code,
            value: flag,
            span,
            comment,
            origin,
            ..QualitySignal::default()
        });
    }
}

/// The name of the observation at the top of the tree (no parent, or a parent not exported).
fn root_name(run: &Run) -> Option<String> {
    let ids: std::collections::HashSet<&str> = run.spans.iter().map(|s| s.id.as_str()).collect();
    run.spans
        .iter()
        .filter(|s| s.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .min_by_key(|s| (s.parent_id.is_some(), s.start_ns))
        .map(|s| s.name.clone())
}
