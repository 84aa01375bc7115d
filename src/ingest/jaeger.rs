//! Jaeger JSON, as the Jaeger UI downloads it and the query API serves it: `{data: [trace]}` or
//! one bare trace `{traceID, spans, processes}`. Times are microseconds; tags are typed (and
//! int64 values are sometimes strings); parents are `references`. One run per `traceID`.

mod span_fields;
mod tags;

use super::{semconv, ImportCtx};
use crate::model::{flags, Attr, AttrValue, Format, Origin, Run, Severity, Span};
use serde_json::{Map, Value};
use span_fields::{log_event, set_references, set_status};
use std::collections::HashMap;
use tags::{attr_list, json_i64, tag_attr};

/// Imports a Jaeger document into one run per trace id.
pub fn import(doc: &Value, ctx: &mut ImportCtx) {
    let mut runs = Runs::default();
    match doc {
        Value::Object(o) => match o.get("data") {
            Some(Value::Array(traces)) => {
                for (i, t) in traces.iter().enumerate() {
                    import_trace(t, &format!("$.data[{i}]"), ctx, &mut runs);
                }
            }
            Some(Value::Null) | None => import_trace(doc, "$", ctx, &mut runs),
            Some(_) => ctx.problem(
                Severity::Error,
                Some("$.data".to_owned()),
                "`data` should be a list of traces; nothing was loaded from this file",
            ),
        },
        Value::Array(traces) => {
            for (i, t) in traces.iter().enumerate() {
                import_trace(t, &format!("$[{i}]"), ctx, &mut runs);
            }
        }
        _ => ctx.problem(
            Severity::Error,
            Some("$".to_owned()),
            "this is not a Jaeger trace: expected an object with `data` or `spans`",
        ),
    }
    for mut run in runs.list {
        finish_run(&mut run);
        ctx.out.runs.push(run);
    }
}

/// Runs by trace id, in first-seen order.
#[derive(Default)]
struct Runs {
    list: Vec<Run>,
    by_id: HashMap<String, usize>,
}

impl Runs {
    fn get(&mut self, id: &str, file: u32) -> &mut Run {
        let n = self.list.len();
        let i = *self.by_id.entry(id.to_owned()).or_insert(n);
        if i == n {
            self.list.push(Run {
                id: id.to_owned(),
                format: Some(Format::Jaeger),
                files: vec![file],
                ..Run::default()
            });
        }
        &mut self.list[i]
    }
}

/// A process: its service name and tags, shared by the spans that name it.
struct Process {
    service: Option<String>,
    tags: Vec<Attr>,
}

fn process_of(v: &Value) -> Process {
    Process {
        service: v
            .get("serviceName")
            .and_then(Value::as_str)
            .map(str::to_owned),
        tags: v.get("tags").map(attr_list).unwrap_or_default(),
    }
}

fn import_trace(t: &Value, place: &str, ctx: &mut ImportCtx, runs: &mut Runs) {
    let Some(t) = t.as_object() else {
        ctx.problem(
            Severity::Error,
            Some(place.to_owned()),
            "this trace is not an object; it was skipped",
        );
        return;
    };
    let Some(spans) = t.get("spans").and_then(Value::as_array) else {
        ctx.problem(
            Severity::Error,
            Some(place.to_owned()),
            "this trace has no `spans` list; it was skipped",
        );
        return;
    };
    if let Some(Value::Array(w)) = t.get("warnings") {
        for (i, w) in w.iter().enumerate() {
            let msg = format!("Jaeger reported a warning for this trace: {}", text(w));
            ctx.problem(
                Severity::Warning,
                Some(format!("{place}.warnings[{i}]")),
                msg,
            );
        }
    }
    let processes: HashMap<&str, Process> = match t.get("processes") {
        Some(Value::Object(p)) => p.iter().map(|(k, v)| (k.as_str(), process_of(v))).collect(),
        _ => HashMap::new(),
    };
    let trace_id = t
        .get("traceID")
        .and_then(Value::as_str)
        .map(|s| hex_id(s, 32));
    // Where a span has no start time, it is placed at the trace's earliest one.
    let earliest = spans
        .iter()
        .filter_map(|s| s.get("startTime").and_then(json_i64))
        .min()
        .unwrap_or(0);
    for (i, s) in spans.iter().enumerate() {
        let sp = format!("{place}.spans[{i}]");
        let Some(s) = s.as_object() else {
            ctx.problem(
                Severity::Error,
                Some(sp.clone()),
                "this span is not an object; it was skipped",
            );
            continue;
        };
        let span_trace = s
            .get("traceID")
            .and_then(Value::as_str)
            .map(|s| hex_id(s, 32));
        let run_id = match span_trace.or_else(|| trace_id.clone()) {
            Some(id) => id,
            None => {
                let msg = "this span names no traceID; it was put in a run named after the file";
                ctx.problem(Severity::Warning, Some(sp.clone()), msg);
                format!("jaeger:{}", ctx.file_name)
            }
        };
        let span = build_span(s, &sp, &run_id, earliest, &processes, ctx);
        let run = runs.get(&run_id, ctx.file);
        if run.attributes.is_empty() {
            run.attributes = run_attributes(&processes);
        }
        run.spans.push(span);
    }
}

/// Run attributes: every service in the trace, so the run list can show who took part.
fn run_attributes(processes: &HashMap<&str, Process>) -> Vec<Attr> {
    let mut services: Vec<&str> = processes
        .values()
        .filter_map(|p| p.service.as_deref())
        .collect();
    crate::sorting::sort(&mut services);
    services.dedup();
    if services.is_empty() {
        return Vec::new();
    }
    let list = services
        .iter()
        .map(|s| AttrValue::Str(crate::model::Text::from(*s)))
        .collect();
    vec![Attr::new("jaeger.services", AttrValue::Array(list))]
}

fn build_span(
    s: &Map<String, Value>,
    place: &str,
    run_id: &str,
    earliest_us: i64,
    processes: &HashMap<&str, Process>,
    ctx: &mut ImportCtx,
) -> Span {
    let mut span = Span {
        origin: Origin {
            file: ctx.file,
            line: None,
        },
        name: s.get("operationName").map(text).unwrap_or_default(),
        ..Span::default()
    };
    span.id = match s.get("spanID").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => hex_id(id, 16),
        _ => {
            let msg = "this span has no spanID; it was given one from its place in the file";
            ctx.problem(Severity::Warning, Some(place.to_owned()), msg);
            format!("jaeger:{place}")
        }
    };
    set_times(&mut span, s, place, earliest_us, ctx);
    if let Some(tags) = s.get("tags") {
        span.attrs = tag_list(tags, &format!("{place}.tags"), ctx);
    }
    add_process(&mut span, s, processes);
    set_references(&mut span, s, run_id);
    if let Some(Value::Array(logs)) = s.get("logs") {
        span.events = logs.iter().filter_map(log_event).collect();
    }
    if let Some(Value::Array(w)) = s.get("warnings") {
        for w in w {
            let msg = format!("Jaeger reported a warning for this span: {}", text(w));
            ctx.problem(Severity::Warning, Some(place.to_owned()), msg);
        }
    }
    set_status(&mut span);
    semconv::apply(&mut span);
    span
}

fn set_times(
    span: &mut Span,
    s: &Map<String, Value>,
    place: &str,
    earliest_us: i64,
    ctx: &mut ImportCtx,
) {
    let start_us = match s.get("startTime").and_then(json_i64) {
        Some(t) => t,
        None => {
            let msg = "this span has no usable startTime; it is shown at the trace's start";
            ctx.problem(Severity::Warning, Some(place.to_owned()), msg);
            earliest_us
        }
    };
    span.start_ns = start_us.saturating_mul(1000);
    match s.get("duration").and_then(json_i64) {
        Some(d) if d >= 0 => {
            span.end_ns = Some(span.start_ns.saturating_add(d.saturating_mul(1000)))
        }
        Some(d) => {
            let msg = format!("this span's duration is negative ({d} µs); it is shown as zero");
            ctx.problem(Severity::Warning, Some(place.to_owned()), msg);
            span.end_ns = Some(span.start_ns);
            span.flags |= flags::END_BEFORE_START;
        }
        None => {
            let msg = "this span has no usable duration; it is shown as still running";
            ctx.problem(Severity::Warning, Some(place.to_owned()), msg);
        }
    }
}

fn tag_list(tags: &Value, place: &str, ctx: &mut ImportCtx) -> Vec<Attr> {
    let Some(list) = tags.as_array() else {
        ctx.problem(
            Severity::Warning,
            Some(place.to_owned()),
            "`tags` is not a list; the span's tags were not read",
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        match tag_attr(t) {
            Some(a) => out.push(a),
            None => ctx.problem(
                Severity::Warning,
                Some(format!("{place}[{i}]")),
                "this tag has no key; it was skipped",
            ),
        }
    }
    out
}

/// Adds the span's service and process tags (`process.*`), from `processID` or an inline
/// `process` object (older Jaeger API responses embed it in every span).
fn add_process(span: &mut Span, s: &Map<String, Value>, processes: &HashMap<&str, Process>) {
    let inline;
    let process = match s.get("process") {
        Some(p @ Value::Object(_)) => {
            inline = process_of(p);
            Some(&inline)
        }
        _ => s
            .get("processID")
            .and_then(Value::as_str)
            .and_then(|id| processes.get(id)),
    };
    let Some(p) = process else { return };
    if let Some(service) = &p.service {
        if !span.attrs.iter().any(|a| a.key == "service.name") {
            span.attrs.push(Attr::new(
                "service.name",
                AttrValue::Str(crate::model::Text::from(service)),
            ));
        }
    }
    for t in &p.tags {
        let key: crate::model::Key = if t.key.starts_with("process.") {
            t.key.clone()
        } else {
            format!("process.{}", t.key).into()
        };
        span.attrs.push(Attr::new(key, t.value.clone()));
    }
}

/// Names the run after its root span (whose process also describes the run) and its agent
/// after the first agent span.
fn finish_run(run: &mut Run) {
    let ids: std::collections::HashSet<&str> = run.spans.iter().map(|s| s.id.as_str()).collect();
    let root = run
        .spans
        .iter()
        .filter(|s| s.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .min_by_key(|s| (s.parent_id.is_some(), s.start_ns));
    if let Some(root) = root {
        run.name = root.name.clone();
        // The root's process describes the run, as an OTLP resource does.
        let process = root.attrs.iter().filter_map(|a| match a.key.as_str() {
            "service.name" => Some(a.clone()),
            k => k
                .strip_prefix("process.")
                .map(|k| Attr::new(k, a.value.clone())),
        });
        let process: Vec<Attr> = process.collect();
        for a in process {
            if !run.attributes.iter().any(|r| r.key == a.key) {
                run.attributes.push(a);
            }
        }
    }
    run.agent_id = semconv::agent_of_run(run);
}

/// Jaeger drops leading zeros from ids; OTLP never does. Padding hex ids back to their width
/// (16 or 32 digits, lower-case) lets the same trace from both formats merge into one run.
fn hex_id(id: &str, width: usize) -> String {
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return id.to_owned();
    }
    let width = if id.len() <= 16 {
        16
    } else {
        width.max(id.len())
    };
    format!("{:0>width$}", id.to_ascii_lowercase())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
