//! Seed 001: AgentTracer runs (FORMATS.md §5; a format of our own design, one run object or a
//! list of them).
//!
//! Mapping decisions:
//! - Each run gets a synthetic root span (id `root`, kind agent, named `<agent_id>
//!   <agent_version>`, bounds = the run's `started_at`/`ended_at`): steps are a flat list, and a
//!   root gives the waterfall one bar for the whole run and the steps a common parent.
//!   Root status: success → ok, failure → error, partial → unset (the run itself is `Partial`).
//! - Steps become spans with id = `seq` (as text) and `Span::seq`; `retry_of` is the retried
//!   step's span id. Kinds: plan → planning, retrieval → retrieval, tool → tool, respond → llm
//!   when its metadata names a model (it is the model call that writes the answer), else chain;
//!   any other step type → other. A plan step's model and tokens are kept on its planning span.
//! - `metadata` keys are kept as attributes; `model`, `input_tokens`/`output_tokens`,
//!   `tool_name` and `error_class` also fill the span's model, usage, tool call and error type.
//! - Failures, decisions and quality signals keep `step_seq` as `step` and link `span` to that
//!   step's span (index in `Run::spans`); a failure's message also becomes its span's error
//!   message when the span has none.

use super::seed_join::clock::{iso_to_ns, stable_id};
use super::seed_join::read::{attrs_of, kind_of, root_path, Obj, Probs};
use super::ImportCtx;
use crate::model::{
    Decision, Failure, Format, Origin, QualitySignal, Run, RunStatus, Span, SpanIdx, SpanKind,
    Status, ToolCall,
};
use serde_json::Value;
use std::collections::HashMap;

/// Imports one detected AgentTracer document (signature shared by all seed importers).
pub fn import(format: Format, doc: &Value, line: Option<u32>, ctx: &mut ImportCtx) {
    let mut p = Probs::new(ctx.file_name);
    let path = root_path(line);
    if format != Format::Seed001AgentRun {
        p.error(
            &path,
            format!("{} is not an AgentTracer run; skipped", format.label()),
        );
    } else {
        let origin = Origin {
            file: ctx.file,
            line,
        };
        match doc {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let ipath = format!("{path}[{i}]");
                    if let Some(run) = import_run(item, &ipath, origin, &mut p) {
                        ctx.out.runs.push(run);
                    }
                }
            }
            other => {
                if let Some(run) = import_run(other, &path, origin, &mut p) {
                    ctx.out.runs.push(run);
                }
            }
        }
    }
    ctx.problems.extend(p.list);
}

fn run_status(s: &str) -> RunStatus {
    match s {
        "success" => RunStatus::Success,
        "failure" => RunStatus::Failure,
        "partial" => RunStatus::Partial,
        "running" => RunStatus::Running,
        _ => RunStatus::Unknown,
    }
}

fn import_run(v: &Value, path: &str, origin: Origin, p: &mut Probs) -> Option<Run> {
    let o = Obj::of(v, path, "an AgentTracer run", p)?;
    let agent = o.req_str("agent_id", p).unwrap_or("agent");
    let version = o.req_str("agent_version", p);
    let id = match o.req_str("run_id", p) {
        Some(id) => id.to_string(),
        None => {
            let text = serde_json::to_string(v).unwrap_or_default();
            format!("s001-{}", stable_id(&[&text]))
        }
    };
    let name = match version {
        Some(ver) => format!("{agent} {ver}"),
        None => agent.to_string(),
    };
    let status_text = o.req_str("status", p).map(str::to_string);
    let status = status_text
        .as_deref()
        .map_or(RunStatus::Unknown, run_status);
    let mut run = Run {
        id,
        name: name.clone(),
        format: Some(Format::Seed001AgentRun),
        agent_id: o.str("agent_id", p).map(str::to_string),
        agent_version: version.map(str::to_string),
        environment: o.str("environment", p).map(str::to_string),
        status,
        status_text: status_text.clone(),
        start_ns: o.req_time("started_at", p),
        end_ns: o.req_time("ended_at", p),
        files: vec![origin.file],
        ..Run::default()
    };

    let mut spans = vec![Span {
        id: "root".to_string(),
        name,
        kind: SpanKind::Agent,
        start_ns: run.start_ns.unwrap_or(0),
        end_ns: run.end_ns,
        status: match status {
            RunStatus::Success => Status::Ok,
            RunStatus::Failure => Status::Error,
            _ => Status::Unset,
        },
        status_text,
        origin,
        ..Span::default()
    }];
    let mut by_seq: HashMap<u32, SpanIdx> = HashMap::new();
    for (i, sv) in o.req_arr("steps", p).into_iter().flatten().enumerate() {
        let spath = format!("{path}.steps[{i}]");
        let Some(so) = Obj::of(sv, &spath, "a step", p) else {
            continue;
        };
        let span = step_span(so, origin, p);
        if let Some(seq) = span.seq {
            match by_seq.entry(seq) {
                std::collections::hash_map::Entry::Occupied(_) => p.warn(
                    &so.at("seq"),
                    format!("step {seq} appears twice; records naming it link to the first"),
                ),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(spans.len() as SpanIdx);
                }
            }
        }
        spans.push(span);
    }
    if run.start_ns.is_none() {
        let first = spans.iter().skip(1).map(|s| s.start_ns).min();
        run.start_ns = first;
        spans[0].start_ns = first.unwrap_or(0);
    }
    run.spans = spans;
    side_records(o, &mut run, &by_seq, origin, p);
    Some(run)
}

fn step_span(so: Obj, origin: Origin, p: &mut Probs) -> Span {
    let seq = so.u64("seq", p).and_then(|s| u32::try_from(s).ok());
    if seq.is_none() && so.raw("seq").is_none() {
        p.warn(&so.at("seq"), "`seq` is missing");
    }
    let step_type = so.req_str("step_type", p).unwrap_or("");
    let meta = so.obj("metadata", p);
    let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
    let model = meta_str("model").map(str::to_string);
    let kind = match step_type {
        "plan" => SpanKind::Planning,
        "retrieval" => SpanKind::Retrieval,
        "tool" => SpanKind::Tool,
        "respond" if model.is_some() => SpanKind::Llm,
        "respond" => SpanKind::Chain,
        _ => SpanKind::Other,
    };
    let name = so.str("name", p).unwrap_or(step_type).to_string();
    let status_text = so.req_str("status", p).map(str::to_string);
    let start = so.str("started_at", p).and_then(iso_to_ns);
    let end = so.str("ended_at", p).and_then(iso_to_ns);
    let latency = so.f64("latency_ms", p);
    let start_ns = match (start, end, latency) {
        (Some(s), _, _) => s,
        (None, Some(e), Some(ms)) => e.saturating_sub((ms * 1e6) as i64),
        _ => {
            p.warn(
                &so.at("started_at"),
                "no usable start time; placed at time 0",
            );
            0
        }
    };
    let mut span = Span {
        id: seq.map_or_else(|| format!("step@{}", so.path), |s| s.to_string()),
        parent_id: Some("root".to_string()),
        name: name.clone(),
        kind,
        start_ns,
        end_ns: end.or_else(|| latency.map(|ms| start_ns.saturating_add((ms * 1e6) as i64))),
        status: match status_text.as_deref() {
            Some("success") => Status::Ok,
            Some("failure") => Status::Error,
            _ => Status::Unset,
        },
        status_text,
        model,
        seq,
        retry_of: so.u64("retry_of", p).map(|r| r.to_string()),
        origin,
        ..Span::default()
    };
    if let Some(e) = span.end_ns.filter(|&e| e < span.start_ns) {
        p.warn(
            &so.at("ended_at"),
            "the step ends before it starts; shown as zero length",
        );
        span.end_ns = Some(span.start_ns.max(e));
        span.flags |= crate::model::flags::END_BEFORE_START;
    }
    span.attrs.push(crate::model::Attr::new(
        "step_type",
        crate::model::AttrValue::Str(crate::model::Text::from(step_type)),
    ));
    if let Some(ms) = latency {
        span.attrs.push(crate::model::Attr::new(
            "latency_ms",
            crate::model::AttrValue::Float(ms),
        ));
    }
    if let Some(m) = meta {
        let mpath = so.at("metadata");
        let mo = Obj {
            map: m,
            path: &mpath,
        };
        span.usage.input = mo.u64("input_tokens", p);
        span.usage.output = mo.u64("output_tokens", p);
        span.error_type = mo.str("error_class", p).map(str::to_string);
        if kind == SpanKind::Tool || m.contains_key("tool_name") {
            span.tool = Some(Box::new(ToolCall {
                name: mo.str("tool_name", p).unwrap_or(&name).to_string(),
                ..ToolCall::default()
            }));
        }
        span.attrs.extend(attrs_of(m, &[]));
    } else if kind == SpanKind::Tool {
        span.tool = Some(Box::new(ToolCall {
            name,
            ..ToolCall::default()
        }));
    }
    span
}

/// `step_seq` to (step, span index), warning when it names no step.
fn link(o: Obj, by_seq: &HashMap<u32, SpanIdx>, p: &mut Probs) -> (Option<u32>, Option<SpanIdx>) {
    let step = o.u64("step_seq", p).and_then(|s| u32::try_from(s).ok());
    let span = step.and_then(|s| by_seq.get(&s).copied());
    if let (Some(s), None) = (step, span) {
        p.warn(
            &o.at("step_seq"),
            format!("names step {s}, which the run does not have"),
        );
    }
    (step, span)
}

fn each<'v>(o: Obj<'v>, key: &str, what: &str, p: &mut Probs, mut f: impl FnMut(Obj, &mut Probs)) {
    for (i, v) in o.arr(key, p).into_iter().flatten().enumerate() {
        let ipath = format!("{}.{key}[{i}]", o.path);
        if let Some(io) = Obj::of(v, &ipath, what, p) {
            f(io, p);
        }
    }
}

fn side_records(
    o: Obj,
    run: &mut Run,
    by_seq: &HashMap<u32, SpanIdx>,
    origin: Origin,
    p: &mut Probs,
) {
    each(o, "failures", "a failure", p, |f, p| {
        let (step, span) = link(f, by_seq, p);
        let message = f.str("message", p).unwrap_or("").to_string();
        if let Some(s) = span.and_then(|i| run.spans.get_mut(i as usize)) {
            if s.error_message.is_none() && !message.is_empty() {
                s.error_message = Some(message.clone());
            }
        }
        run.failures.push(Failure {
            failure_type: f.req_str("failure_type", p).unwrap_or("").to_string(),
            code: f.req_str("failure_code", p).unwrap_or("").to_string(),
            message,
            step,
            span,
            time_ns: span
                .and_then(|i| run.spans.get(i as usize))
                .and_then(|s| s.end_ns),
            origin,
        });
    });
    each(o, "decisions", "a decision", p, |d, p| {
        let (step, span) = link(d, by_seq, p);
        let candidates = d
            .arr("candidates", p)
            .map(|a| {
                a.iter()
                    .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        run.decisions.push(Decision {
            decision_type: d.req_str("decision_type", p).unwrap_or("").to_string(),
            selected: d.str("selected", p).map(str::to_string),
            reason_code: d.str("reason_code", p).map(str::to_string),
            candidates,
            confidence: d.f64("confidence", p),
            step,
            span,
            origin,
            ..Decision::default()
        });
    });
    each(o, "quality_signals", "a quality signal", p, |q, p| {
        let (step, span) = link(q, by_seq, p);
        let value = match q.raw("value") {
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                p.warn(
                    &q.at("value"),
                    format!("`value` should be true or false but is {}", kind_of(other)),
                );
                None
            }
            None => {
                p.warn(&q.at("value"), "`value` is missing");
                None
            }
        };
        let Some(value) = value else {
            p.warn(
                q.path,
                "a quality signal without a true/false value is not shown",
            );
            return;
        };
        run.signals.push(QualitySignal {
            signal_type: q.req_str("signal_type", p).unwrap_or("").to_string(),
            code: q.req_str("signal_code", p).unwrap_or("").to_string(),
            value,
            weight: q.f64("weight", p),
            step,
            span,
            comment: None,
            origin,
        });
    });
}
