//! Seed 002 `AgentObserver.get_trace()`: a flat event list with offsets, no span ids.
//!
//! Mapping decisions:
//! - One run per trace, id = `investigation_id`, under a root span (kind agent) spanning
//!   `start_time` to the later of `start_time + duration_s` and the last event.
//! - Times: `start_time` has no zone. It is read as **UTC**: the fixtures were generated with
//!   `TZ=UTC`, and nothing in the file says otherwise. Event times are `start_time + offset_s`.
//! - `LLM_CALL` is logged when a model call *returns*, so it becomes an llm span that starts at
//!   the previous event and ends at its own time (attribute `start_inferred`). Its `tokens` is
//!   input+output without a split, so it fills `usage.total`; `cost` is the span's cost.
//! - `TOOL_CALL` is paired with the next `TOOL_RESULT` of the same tool (tools run one at a
//!   time) into one tool span from the call to the result. success → ok; any other result status
//!   (`partial`, `failed`, `error`) → error, the word kept in `status_text`.
//! - `ERROR` with an `iteration` is the model call of that iteration failing (the only emitter
//!   is an API error in the model loop): an llm span in error plus a model failure. An `ERROR`
//!   without one (a cost-limit stop) is a log event plus an orchestration failure.
//! - `REASONING`, `PLAN`, `DONE` and unknown types become log events; reasoning links to the
//!   model call it follows. `DONE`'s `root_cause` is also a run attribute and makes the run a
//!   success with status text `DONE`.
//! - The embedded `metrics` become run metrics (percent strings as numbers with unit `%`),
//!   `total_cost_usd` the reported cost, and each anomaly string a warning log event.

use super::super::seed_join::clock::{iso_to_ns, secs_to_ns, stable_id};
use super::super::seed_join::join002::ObserverMetrics;
use super::super::seed_join::read::{args_text, attrs_of, flatten_metrics, Obj, Probs};
use super::super::seed_join::Pending;
use super::super::ImportCtx;
use crate::model::{
    Attr, AttrValue, Failure, Format, LogEvent, Metric, Origin, Run, RunStatus, Span, SpanIdx,
    SpanKind, Status, ToolCall,
};
use serde_json::Value;

const ROOT: &str = "investigation";

pub(super) fn import_trace(
    doc: &Value,
    path: &str,
    line: Option<u32>,
    ctx: &mut ImportCtx,
    p: &mut Probs,
) {
    let Some(o) = Obj::of(doc, path, "an observer trace", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line,
    };
    let id = match o.req_str("investigation_id", p) {
        Some(id) => id.to_string(),
        None => format!(
            "s002-trace-{}",
            stable_id(&[&serde_json::to_string(doc).unwrap_or_default()])
        ),
    };
    let t0 = match o.req_str("start_time", p) {
        Some(s) => iso_to_ns(s).or_else(|| {
            p.warn(
                &o.at("start_time"),
                format!("`{s}` is not a date and time; times start at 0"),
            );
            None
        }),
        None => None,
    };
    let base = t0.unwrap_or(0);
    let mut b = Builder {
        spans: vec![Span {
            id: ROOT.to_string(),
            name: id.clone(),
            kind: SpanKind::Agent,
            start_ns: base,
            origin,
            ..Span::default()
        }],
        logs: Vec::new(),
        failures: Vec::new(),
        open_calls: Vec::new(),
        last_llm: None,
        origin,
    };
    let mut prev_t = base;
    let mut done: Option<String> = None;
    for (i, ev) in o.req_arr("events", p).into_iter().flatten().enumerate() {
        let epath = format!("{}.events[{i}]", o.path);
        let Some(eo) = Obj::of(ev, &epath, "an event", p) else {
            continue;
        };
        let t = match eo.req_f64("offset_s", p).and_then(secs_to_ns) {
            Some(off) => base.saturating_add(off),
            None => prev_t,
        };
        let ty = eo.req_str("type", p).unwrap_or("");
        match ty {
            "LLM_CALL" => b.llm(eo, i, prev_t, t, p),
            "TOOL_CALL" => b.tool_call(eo, i, t, p),
            "TOOL_RESULT" => b.tool_result(eo, i, t, p),
            "ERROR" => b.error(eo, i, prev_t, t, p),
            _ => {
                if ty == "DONE" {
                    done = Some(eo.str("root_cause", p).unwrap_or("").to_string());
                }
                b.log(eo, ty, t, p);
            }
        }
        prev_t = t.max(prev_t);
    }
    for &(_, idx) in &b.open_calls {
        let name = b.spans[idx as usize].name.clone();
        p.warn(
            &o.at("events"),
            format!("the {name} call has no TOOL_RESULT; it is shown as still open"),
        );
    }
    let end = o
        .f64("duration_s", p)
        .and_then(secs_to_ns)
        .map(|d| base.saturating_add(d))
        .unwrap_or(prev_t)
        .max(prev_t);
    let mut run = Run {
        id: id.clone(),
        name: id,
        format: Some(Format::Seed002ObserverTrace),
        start_ns: t0,
        end_ns: t0.map(|_| end),
        files: vec![ctx.file],
        ..Run::default()
    };
    b.spans[0].end_ns = Some(end);
    if let Some(cause) = done {
        run.status = RunStatus::Success;
        run.status_text = Some("DONE".to_string());
        b.spans[0].status = Status::Ok;
        b.spans[0].status_text = Some("DONE".to_string());
        run.attributes.push(Attr::new(
            "root_cause",
            AttrValue::Str(crate::model::Text::from(cause)),
        ));
    }
    let mpath = o.at("metrics");
    if let Some(m) = o.obj("metrics", p) {
        let mo = Obj {
            map: m,
            path: &mpath,
        };
        let (metrics, anomalies, cost) = read_metrics(mo, origin, p);
        run.metrics = metrics;
        run.reported_cost_usd = cost;
        b.logs.extend(anomalies);
    } else {
        p.warn(&mpath, "no `metrics`");
    }
    run.spans = b.spans;
    run.logs = b.logs;
    run.failures = b.failures;
    ctx.out.runs.push(run);
}

/// The standalone `get_metrics()` object waits to be joined to its trace by investigation id.
pub(super) fn import_metrics(
    doc: &Value,
    path: &str,
    line: Option<u32>,
    ctx: &mut ImportCtx,
    p: &mut Probs,
) {
    let Some(o) = Obj::of(doc, path, "observer metrics", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line,
    };
    let (metrics, anomalies, cost) = read_metrics(o, origin, p);
    ctx.out
        .pending
        .push(Pending::S002ObserverMetrics(ObserverMetrics {
            investigation_id: o.req_str("investigation_id", p).map(str::to_string),
            file: ctx.file,
            file_name: ctx.file_name.to_string(),
            metrics,
            anomalies,
            cost_usd: cost,
        }));
}

fn unit_of(n: &str) -> Option<&'static str> {
    if n.ends_with("_ms") {
        Some("ms")
    } else if n.ends_with("_s") {
        Some("s")
    } else if n.ends_with("cost_usd") {
        Some("USD")
    } else if n.contains("tokens") {
        Some("tokens")
    } else {
        None
    }
}

/// Metrics (all but the id and anomalies), anomalies as warning log events, total cost.
fn read_metrics(
    m: Obj,
    origin: Origin,
    p: &mut Probs,
) -> (Vec<Metric>, Vec<LogEvent>, Option<f64>) {
    let mut metrics = Vec::new();
    for (k, v) in m.map {
        if k != "investigation_id" && k != "anomalies" {
            flatten_metrics(k, v, origin, &unit_of, &mut metrics);
        }
    }
    let mut anomalies = Vec::new();
    for (i, a) in m.arr("anomalies", p).into_iter().flatten().enumerate() {
        match a.as_str() {
            Some(text) => anomalies.push(LogEvent {
                level: "WARNING".to_string(),
                event_type: "ANOMALY".to_string(),
                message: text.to_string(),
                origin,
                ..LogEvent::default()
            }),
            None => p.warn(
                &format!("{}.anomalies[{i}]", m.path),
                "an anomaly that is not text; ignored",
            ),
        }
    }
    (metrics, anomalies, m.f64("total_cost_usd", p))
}

/// Accumulates one trace's spans and records while walking its events.
struct Builder {
    spans: Vec<Span>,
    logs: Vec<LogEvent>,
    failures: Vec<Failure>,
    /// Tool calls still waiting for their result: (tool name, span index).
    open_calls: Vec<(String, SpanIdx)>,
    last_llm: Option<SpanIdx>,
    origin: Origin,
}

impl Builder {
    fn push(&mut self, span: Span) -> SpanIdx {
        self.spans.push(span);
        (self.spans.len() - 1) as SpanIdx
    }

    fn child(&self, i: usize, name: String, kind: SpanKind, start: i64) -> Span {
        Span {
            id: format!("e{i}"),
            parent_id: Some(ROOT.to_string()),
            name,
            kind,
            start_ns: start,
            origin: self.origin,
            ..Span::default()
        }
    }

    fn llm(&mut self, eo: Obj, i: usize, prev_t: i64, t: i64, p: &mut Probs) {
        let iteration = eo.u64("iteration", p);
        let name = iteration.map_or("LLM call".to_string(), |n| format!("LLM call {n}"));
        let mut s = self.child(i, name, SpanKind::Llm, prev_t.min(t));
        s.end_ns = Some(t);
        s.status = Status::Ok;
        s.usage.total = eo.u64("tokens", p);
        s.reported_cost_usd = eo.f64("cost", p);
        s.seq = iteration.and_then(|n| u32::try_from(n).ok());
        s.attrs = attrs_of(eo.map, &["time", "offset_s", "type"]);
        s.attrs
            .push(Attr::new("start_inferred", AttrValue::Bool(true)));
        self.last_llm = Some(self.push(s));
    }

    fn tool_call(&mut self, eo: Obj, i: usize, t: i64, p: &mut Probs) {
        let tool = eo.req_str("tool", p).unwrap_or("tool").to_string();
        let mut s = self.child(i, tool.clone(), SpanKind::Tool, t);
        s.tool = Some(Box::new(ToolCall {
            name: tool.clone(),
            arguments: eo.raw("args").map(args_text),
            ..ToolCall::default()
        }));
        let idx = self.push(s);
        self.open_calls.push((tool, idx));
    }

    fn tool_result(&mut self, eo: Obj, i: usize, t: i64, p: &mut Probs) {
        let tool = eo.req_str("tool", p).unwrap_or("tool").to_string();
        let status = eo.req_str("status", p).map(str::to_string);
        let latency = eo.f64("latency_ms", p);
        let idx = match self.open_calls.iter().position(|(n, _)| *n == tool) {
            Some(k) => self.open_calls.remove(k).1,
            None => {
                p.warn(
                    eo.path,
                    format!(
                        "a {tool} result with no TOOL_CALL before it; shown as its own tool span"
                    ),
                );
                let start = t.saturating_sub(latency.map_or(0, |ms| (ms * 1e6) as i64));
                let mut s = self.child(i, tool.clone(), SpanKind::Tool, start.min(t));
                s.tool = Some(Box::new(ToolCall {
                    name: tool,
                    ..ToolCall::default()
                }));
                self.push(s)
            }
        };
        let s = &mut self.spans[idx as usize];
        s.end_ns = Some(t.max(s.start_ns));
        s.status = match status.as_deref() {
            Some("success") => Status::Ok,
            Some(_) => Status::Error,
            None => Status::Unset,
        };
        if s.status == Status::Error {
            s.error_message = status.as_ref().map(|w| format!("tool returned status {w}"));
        }
        s.status_text = status;
        if let Some(ms) = latency {
            s.attrs.push(Attr::new("latency_ms", AttrValue::Float(ms)));
        }
    }

    fn error(&mut self, eo: Obj, i: usize, prev_t: i64, t: i64, p: &mut Probs) {
        let message = eo.str("error", p).map(str::to_string);
        match eo.u64("iteration", p) {
            Some(n) => {
                let mut s = self.child(i, format!("LLM call {n}"), SpanKind::Llm, prev_t.min(t));
                s.end_ns = Some(t);
                s.status = Status::Error;
                s.status_text = Some("ERROR".to_string());
                s.error_message = message.clone();
                s.seq = u32::try_from(n).ok();
                s.attrs = attrs_of(eo.map, &["time", "offset_s", "type"]);
                s.attrs
                    .push(Attr::new("start_inferred", AttrValue::Bool(true)));
                let idx = self.push(s);
                self.failures.push(Failure {
                    failure_type: "model".to_string(),
                    code: "ERROR".to_string(),
                    message: message.unwrap_or_default(),
                    step: u32::try_from(n).ok(),
                    span: Some(idx),
                    time_ns: Some(t),
                    origin: self.origin,
                });
            }
            None => {
                let reason = eo.str("reason", p).unwrap_or("error").to_string();
                let text = message.unwrap_or_else(|| match eo.f64("cost", p) {
                    Some(c) => format!("{reason} (cost ${c})"),
                    None => reason.clone(),
                });
                self.failures.push(Failure {
                    failure_type: "orchestration".to_string(),
                    code: reason,
                    message: text,
                    time_ns: Some(t),
                    origin: self.origin,
                    ..Failure::default()
                });
                self.log(eo, "ERROR", t, p);
            }
        }
    }

    fn log(&mut self, eo: Obj, ty: &str, t: i64, p: &mut Probs) {
        let message = match ty {
            "REASONING" => eo.str("thought", p).unwrap_or("").to_string(),
            "DONE" => eo.str("root_cause", p).unwrap_or("").to_string(),
            "PLAN" => eo
                .arr("steps", p)
                .map(|a| {
                    a.iter()
                        .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
            _ => eo
                .str("error", p)
                .or_else(|| eo.str("reason", p))
                .unwrap_or("")
                .to_string(),
        };
        self.logs.push(LogEvent {
            time_ns: Some(t),
            level: if ty == "ERROR" { "ERROR" } else { "INFO" }.to_string(),
            event_type: ty.to_string(),
            message,
            metadata: attrs_of(eo.map, &["offset_s", "type"]),
            span: if ty == "REASONING" {
                self.last_llm
            } else {
                None
            },
            origin: self.origin,
        });
    }
}
