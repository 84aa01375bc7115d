//! Seed 002 `investigation_log` (a timeline with `HH:MM:SS` times) and `investigate()`'s result.
//!
//! Mapping decisions for the log:
//! - One run per file. The file has no id, so the run id is derived from its content (the
//!   `AGENT_START` task and the first time): the same file always gets the same id.
//! - `time` has **no date** (local wall-clock time). Times are placed on day 0 (1970-01-01) as if
//!   UTC, rolling over to the next day when the clock goes back by more than 12 hours (a run past
//!   midnight); a warning says so, and the run carries `time_has_no_date = true`.
//! - `TOOL_CALL` is paired with the next `TOOL_RESULT` or `TOOL_ERROR` of the same tool into a
//!   tool span (from the call to the later of the result and call + `latency`). `args` is kept
//!   as written: it is cut at 80 characters and may not be valid JSON (`args_complete = false`).
//! - Every other entry becomes a log event, so the timeline is complete; in addition
//!   `API_ERROR` becomes a model failure. `AGENT_DONE` makes the run a success and gives metrics
//!   (`iterations`, `cost_usd` from `"$0.0268"`, `duration_s` from `"9.7s"`) and the reported
//!   cost; `AGENT_INCOMPLETE` makes it partial. A `GUARDRAIL` before it is recorded as the
//!   run's `stopped_by` attribute (the seed then still says `max_iterations`) and its cost as
//!   `guardrail.cost_usd`, which is also the reported cost when there is no `AGENT_DONE`.
//!
//! The result (`answer`, `iterations`, `cost`, `duration`) names no investigation: it waits as
//! a pending record and `seed_join` attaches it to the log whose figures it matches.

use super::super::seed_join::clock::{dollars, duration_text_ns, stable_id, time_of_day_ns};
use super::super::seed_join::join002::InvestigationResult;
use super::super::seed_join::read::{attrs_of, metric, Obj, Probs};
use super::super::seed_join::Pending;
use super::super::ImportCtx;
use crate::model::{
    Attr, AttrValue, Failure, Format, LogEvent, Origin, Run, RunStatus, Span, SpanIdx, SpanKind,
    Status, ToolCall,
};
use serde_json::Value;

const DAY_NS: i64 = 86_400 * 1_000_000_000;

/// Entry times on day 0, rolling over at midnight; an unreadable time repeats the previous one.
fn entry_times(items: &[Value], path: &str, p: &mut Probs) -> Vec<i64> {
    let mut out = Vec::with_capacity(items.len());
    let mut day = 0i64;
    let mut prev: Option<i64> = None;
    for (i, item) in items.iter().enumerate() {
        let text = item.get("time").and_then(Value::as_str);
        let t = match text.and_then(time_of_day_ns) {
            Some(tod) => {
                if prev.is_some_and(|pt| tod.saturating_add(day) < pt.saturating_sub(DAY_NS / 2)) {
                    day = day.saturating_add(DAY_NS);
                }
                tod.saturating_add(day)
            }
            None => {
                if item.is_object() {
                    p.warn(
                        &format!("{path}[{i}].time"),
                        "no readable `time` (HH:MM:SS); the previous entry's time is used",
                    );
                }
                prev.unwrap_or(0)
            }
        };
        prev = Some(t);
        out.push(t);
    }
    out
}

pub(super) fn import_log(
    doc: &Value,
    path: &str,
    line: Option<u32>,
    ctx: &mut ImportCtx,
    p: &mut Probs,
) {
    let Some(items) = doc.as_array() else {
        p.error(path, "expected a list of log entries; nothing loaded");
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line,
    };
    let times = entry_times(items, path, p);
    let task = items
        .iter()
        .find(|e| e.get("event").and_then(Value::as_str) == Some("AGENT_START"))
        .and_then(|e| e.get("task"))
        .and_then(Value::as_str);
    let first_time = items
        .first()
        .and_then(|e| e.get("time"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = task.map_or("Investigation".to_string(), |t| {
        format!("Investigation: {t}")
    });
    let start = times.iter().copied().min().unwrap_or(0);
    let end = times.iter().copied().max().unwrap_or(start);
    let mut run = Run {
        id: format!("s002-log-{}", stable_id(&[task.unwrap_or(""), first_time])),
        name: name.clone(),
        format: Some(Format::Seed002InvestigationLog),
        start_ns: Some(start),
        end_ns: Some(end),
        files: vec![ctx.file],
        attributes: vec![Attr::new("time_has_no_date", AttrValue::Bool(true))],
        ..Run::default()
    };
    run.spans.push(Span {
        id: "investigation".to_string(),
        name,
        kind: SpanKind::Agent,
        start_ns: start,
        end_ns: Some(end),
        origin,
        ..Span::default()
    });
    if !items.is_empty() {
        p.warn(
            path,
            "times in this file have no date (only HH:MM:SS); they are shown on 1 January 1970, UTC",
        );
    }
    let mut open: Vec<(String, SpanIdx)> = Vec::new();
    let mut guardrail: Option<String> = None;
    for (i, item) in items.iter().enumerate() {
        let ipath = format!("{path}[{i}]");
        let Some(o) = Obj::of(item, &ipath, "a log entry", p) else {
            continue;
        };
        let t = times.get(i).copied().unwrap_or(start);
        let event = o.req_str("event", p).unwrap_or("").to_string();
        match event.as_str() {
            "TOOL_CALL" => {
                let tool = o.req_str("tool", p).unwrap_or("tool").to_string();
                let args = o.str("args", p).map(str::to_string);
                let mut s = Span {
                    id: format!("e{i}"),
                    parent_id: Some("investigation".to_string()),
                    name: tool.clone(),
                    kind: SpanKind::Tool,
                    start_ns: t,
                    origin,
                    ..Span::default()
                };
                if let Some(a) = &args {
                    let complete = serde_json::from_str::<Value>(a).is_ok();
                    s.attrs
                        .push(Attr::new("args_complete", AttrValue::Bool(complete)));
                }
                s.tool = Some(Box::new(ToolCall {
                    name: tool.clone(),
                    arguments: args,
                    ..ToolCall::default()
                }));
                run.spans.push(s);
                open.push((tool, (run.spans.len() - 1) as SpanIdx));
                continue;
            }
            "TOOL_RESULT" | "TOOL_ERROR" => {
                close_tool(&mut run, &mut open, o, &event, i, t, origin, p);
                continue;
            }
            "API_ERROR" => run.failures.push(Failure {
                failure_type: "model".to_string(),
                code: "API_ERROR".to_string(),
                message: o.str("error", p).unwrap_or("").to_string(),
                time_ns: Some(t),
                origin,
                ..Failure::default()
            }),
            "GUARDRAIL" => {
                let reason = o.str("reason", p).unwrap_or("guardrail");
                guardrail = Some(format!("GUARDRAIL {reason}"));
                if let Some(c) = o.f64("cost", p) {
                    run.metrics
                        .push(metric("guardrail.cost_usd", c, Some("USD"), origin));
                    run.reported_cost_usd.get_or_insert(c);
                }
            }
            "AGENT_DONE" => {
                run.status = RunStatus::Success;
                run.status_text = Some(event.clone());
                if let Some(n) = o.u64("iterations", p) {
                    run.metrics
                        .push(metric("iterations", n as f64, None, origin));
                }
                if let Some(c) = o
                    .str("cost", p)
                    .and_then(dollars)
                    .or_else(|| o.f64("cost", p))
                {
                    run.metrics.push(metric("cost_usd", c, Some("USD"), origin));
                    run.reported_cost_usd = Some(c);
                }
                if let Some(d) = o.str("duration", p).and_then(duration_text_ns) {
                    run.metrics
                        .push(metric("duration_s", d as f64 / 1e9, Some("s"), origin));
                }
            }
            "AGENT_INCOMPLETE" => {
                run.status = RunStatus::Partial;
                run.status_text = Some(event.clone());
                if let Some(g) = guardrail.take() {
                    run.attributes.push(Attr::new(
                        "stopped_by",
                        AttrValue::Str(crate::model::Text::from(g)),
                    ));
                }
            }
            _ => {}
        }
        run.logs.push(LogEvent {
            time_ns: Some(t),
            level: match event.as_str() {
                "API_ERROR" => "ERROR",
                "GUARDRAIL" | "AGENT_INCOMPLETE" => "WARNING",
                _ => "INFO",
            }
            .to_string(),
            message: log_message(o, &event, p),
            event_type: event,
            metadata: attrs_of(o.map, &["time", "event"]),
            span: None,
            origin,
        });
    }
    for (tool, _) in &open {
        p.warn(
            path,
            format!("the {tool} call has no result; it is shown as still open"),
        );
    }
    let root = &mut run.spans[0];
    root.status = match run.status {
        RunStatus::Success => Status::Ok,
        _ => Status::Unset,
    };
    root.status_text = run.status_text.clone();
    ctx.out.runs.push(run);
}

fn log_message(o: Obj, event: &str, p: &mut Probs) -> String {
    let s = |k: &str, p: &mut Probs| o.str(k, p).unwrap_or("").to_string();
    match event {
        "AGENT_START" => s("task", p),
        "REASONING" => s("thought", p),
        "API_ERROR" => s("error", p),
        "MEMORY_STORED" => format!("stored episode {}", s("episode_id", p)),
        "MEMORY_RECALL" => match o.u64("episodes_found", p) {
            Some(n) => format!("{n} past episodes found"),
            None => String::new(),
        },
        "GUARDRAIL" | "AGENT_INCOMPLETE" => s("reason", p),
        "AGENT_DONE" => format!(
            "done after {} iterations, cost {}, {}",
            o.raw("iterations")
                .map_or("?".to_string(), |v| v.to_string()),
            s("cost", p),
            s("duration", p)
        ),
        _ => String::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn close_tool(
    run: &mut Run,
    open: &mut Vec<(String, SpanIdx)>,
    o: Obj,
    event: &str,
    i: usize,
    t: i64,
    origin: Origin,
    p: &mut Probs,
) {
    let tool = o.req_str("tool", p).unwrap_or("tool").to_string();
    let idx = match open.iter().position(|(n, _)| *n == tool) {
        Some(k) => open.remove(k).1 as usize,
        None => {
            p.warn(
                o.path,
                format!("a {tool} {event} with no TOOL_CALL before it; shown as its own tool span"),
            );
            run.spans.push(Span {
                id: format!("e{i}"),
                parent_id: Some("investigation".to_string()),
                name: tool.clone(),
                kind: SpanKind::Tool,
                start_ns: t,
                tool: Some(Box::new(ToolCall {
                    name: tool.clone(),
                    ..ToolCall::default()
                })),
                origin,
                ..Span::default()
            });
            run.spans.len() - 1
        }
    };
    let latency = o.str("latency", p).and_then(duration_text_ns);
    let Some(s) = run.spans.get_mut(idx) else {
        return;
    };
    s.end_ns = Some(t.max(s.start_ns.saturating_add(latency.unwrap_or(0))));
    if let Some(l) = latency {
        s.attrs
            .push(Attr::new("latency_ms", AttrValue::Float(l as f64 / 1e6)));
    }
    if event == "TOOL_ERROR" {
        s.status = Status::Error;
        s.status_text = Some(event.to_string());
        s.error_message = o.str("error", p).map(str::to_string);
    } else {
        let st = o.str("status", p).map(str::to_string);
        s.status = match st.as_deref() {
            Some("success") => Status::Ok,
            Some(_) => Status::Error,
            None => Status::Unset,
        };
        s.status_text = st;
    }
}

pub(super) fn import_result(
    doc: &Value,
    path: &str,
    line: Option<u32>,
    ctx: &mut ImportCtx,
    p: &mut Probs,
) {
    let Some(o) = Obj::of(doc, path, "an investigation result", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line,
    };
    let answer = o.req_str("answer", p).map(str::to_string);
    let iterations = o
        .req_f64("iterations", p)
        .filter(|x| *x >= 0.0)
        .map(|x| x as u64);
    let cost = o.req_f64("cost", p);
    let duration_s = o.req_f64("duration", p);
    let mut metrics = Vec::new();
    if let Some(n) = iterations {
        metrics.push(metric("result.iterations", n as f64, None, origin));
    }
    if let Some(c) = cost {
        metrics.push(metric("result.cost_usd", c, Some("USD"), origin));
    }
    if let Some(d) = duration_s {
        metrics.push(metric("result.duration_s", d, Some("s"), origin));
    }
    if let Some(n) = o.f64("past_cases_used", p) {
        metrics.push(metric("result.past_cases_used", n, None, origin));
    }
    ctx.out
        .pending
        .push(Pending::S002Result(InvestigationResult {
            file: ctx.file,
            file_name: ctx.file_name.to_string(),
            answer,
            episode_id: o.str("episode_id", p).map(str::to_string),
            iterations,
            cost_usd: cost,
            duration_s,
            metrics,
        }));
}
