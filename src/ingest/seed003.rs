//! Seed 003: the "four pillars" TypeScript agent's JSON-lines files (FORMATS.md §4), one
//! record per line.
//!
//! Mapping decisions:
//! - `sessions.jsonl`: one run per line, id = `sessionId`, bounds `timestamp − durationMs` to
//!   `timestamp` (the close time), the session's token and cost totals as reported totals, and a
//!   root span (id `session`, kind agent) so the tool calls joined later have a parent and the
//!   session shows as one bar. Status stays unknown until decisions or events say more.
//! - `tools.jsonl`: each line is a tool span (start = finish time − `latencyMs`; `status` error →
//!   error with `resultPreview` as the message). It names no session, so it waits as a pending
//!   record for `seed_join::join003`.
//! - `decisions.jsonl`: a decision per line (type, detail, step, metadata as attributes; a
//!   `tool_selection`'s chosen tool as `selected`), pending until joined to its session.
//! - `events.jsonl`: a log event per line (`receivedAt` as its time), pending; `tool_invoked`
//!   events are what tool calls are joined through.

use super::seed_join::clock::{iso_to_ns, stable_id};
use super::seed_join::join003::{DecisionRecord, EventKind, EventRecord, ToolRecord};
use super::seed_join::read::{args_text, attrs_of, metric, root_path, Obj, Probs};
use super::seed_join::Pending;
use super::ImportCtx;
use crate::model::{
    Attr, AttrValue, Decision, Format, LogEvent, Origin, Run, Span, SpanKind, Status, ToolCall,
};
use serde_json::Value;

/// Imports one detected seed 003 line (signature shared by all seed importers).
pub fn import(format: Format, doc: &Value, line: Option<u32>, ctx: &mut ImportCtx) {
    let mut p = Probs::new(ctx.file_name);
    let path = root_path(line);
    let origin = Origin {
        file: ctx.file,
        line,
    };
    if let Some(o) = Obj::of(doc, &path, "a record", &mut p) {
        match format {
            Format::Seed003Sessions => session(o, origin, ctx, &mut p),
            Format::Seed003Tools => tool(o, origin, ctx, &mut p),
            Format::Seed003Decisions => decision(o, origin, ctx, &mut p),
            Format::Seed003Events => event(o, origin, ctx, &mut p),
            other => p.error(
                &path,
                format!("{} is not a four-pillars record; skipped", other.label()),
            ),
        }
    }
    ctx.problems.extend(p.list);
}

/// A short, readable session label (uuids are long).
pub(crate) fn session_name(id: &str) -> String {
    format!("Session {}", id.get(..8).unwrap_or(id))
}

fn session(o: Obj, origin: Origin, ctx: &mut ImportCtx, p: &mut Probs) {
    let id = match o.req_str("sessionId", p) {
        Some(s) => s.to_string(),
        None => {
            let text = serde_json::to_string(o.map).unwrap_or_default();
            format!("s003-session-{}", stable_id(&[&text]))
        }
    };
    let end = o.req_time("timestamp", p);
    let dur = o
        .u64("durationMs", p)
        .and_then(|ms| i64::try_from(ms).ok()?.checked_mul(1_000_000));
    let start = match (end, dur) {
        (Some(e), Some(d)) => Some(e.saturating_sub(d)),
        (e, _) => e,
    };
    let mut run = Run {
        id: id.clone(),
        name: session_name(&id),
        format: Some(Format::Seed003Sessions),
        start_ns: start,
        end_ns: end,
        reported_input_tokens: o.u64("totalInputTokens", p),
        reported_output_tokens: o.u64("totalOutputTokens", p),
        reported_cost_usd: o.f64("totalCostUsd", p),
        files: vec![ctx.file],
        ..Run::default()
    };
    if let Some(d) = dur {
        run.metrics
            .push(metric("duration_ms", d as f64 / 1e6, Some("ms"), origin));
    }
    run.spans.push(Span {
        id: "session".to_string(),
        name: format!("session {id}"),
        kind: SpanKind::Agent,
        start_ns: start.unwrap_or(0),
        end_ns: end,
        origin,
        ..Span::default()
    });
    ctx.out.runs.push(run);
}

/// The record's time field: `timestamp`, else `ts`, else any field holding an ISO date-time
/// (the writer's key name is reconstructed, FORMATS.md §4.1).
fn tool_time(o: Obj, p: &mut Probs) -> Option<i64> {
    for key in ["timestamp", "ts"] {
        if o.raw(key).is_some() {
            return o.req_time(key, p);
        }
    }
    let t = o.map.values().filter_map(Value::as_str).find_map(iso_to_ns);
    if t.is_none() {
        p.warn(
            o.path,
            "no time field (`timestamp`); the tool call has no time",
        );
    }
    t
}

fn tool(o: Obj, origin: Origin, ctx: &mut ImportCtx, p: &mut Probs) {
    let name = o.req_str("toolName", p).unwrap_or("tool").to_string();
    let end = tool_time(o, p);
    let latency = o.f64("latencyMs", p).filter(|ms| *ms >= 0.0);
    let start = end.map(|e| e.saturating_sub(latency.map_or(0, |ms| (ms * 1e6) as i64)));
    let status = o.str("status", p).map(str::to_string);
    let preview = o.str("resultPreview", p).map(str::to_string);
    let args = o.raw("args").cloned();
    let failed = status.as_deref().is_some_and(|s| s != "success");
    let mut span = Span {
        id: format!("tool-{}-{}", origin.file, origin.line.unwrap_or(0)),
        name: name.clone(),
        kind: SpanKind::Tool,
        start_ns: start.unwrap_or(0),
        end_ns: end,
        status: match status.as_deref() {
            Some("success") => Status::Ok,
            Some(_) => Status::Error,
            None => Status::Unset,
        },
        status_text: status,
        error_message: if failed { preview.clone() } else { None },
        tool: Some(Box::new(ToolCall {
            name,
            call_id: None,
            arguments: args.as_ref().map(args_text),
            result: preview,
        })),
        origin,
        ..Span::default()
    };
    if let Some(ms) = latency {
        span.attrs
            .push(Attr::new("latency_ms", AttrValue::Float(ms)));
    }
    ctx.out.pending.push(Pending::S003Tool(Box::new(ToolRecord {
        file: ctx.file,
        file_name: ctx.file_name.to_string(),
        timed: end.is_some(),
        span,
        args,
    })));
}

fn decision(o: Obj, origin: Origin, ctx: &mut ImportCtx, p: &mut Probs) {
    let session_id = o.req_str("sessionId", p).map(str::to_string);
    let ty = o.req_str("type", p).unwrap_or("").to_string();
    let detail = o.str("detail", p).map(str::to_string);
    let meta = o.obj("metadata", p);
    let selected = if ty == "tool_selection" {
        detail
            .as_deref()
            .and_then(|d| d.strip_prefix("Selected "))
            .map(str::to_string)
    } else {
        None
    };
    let step = o.u64("step", p).and_then(|s| u32::try_from(s).ok());
    ctx.out
        .pending
        .push(Pending::S003Decision(Box::new(DecisionRecord {
            file: ctx.file,
            file_name: ctx.file_name.to_string(),
            session_id,
            args: meta.and_then(|m| m.get("args")).cloned(),
            decision: Decision {
                decision_type: ty,
                selected,
                step,
                detail,
                attrs: meta.map(|m| attrs_of(m, &[])).unwrap_or_default(),
                origin,
                ..Decision::default()
            },
        })));
}

fn event(o: Obj, origin: Origin, ctx: &mut ImportCtx, p: &mut Probs) {
    let name = o.req_str("event", p).unwrap_or("").to_string();
    let ppath = o.at("payload");
    let payload = o.obj("payload", p);
    let po = payload.map(|m| Obj {
        map: m,
        path: &ppath,
    });
    if payload.is_none() {
        p.warn(&ppath, "`payload` is missing");
    }
    let session_id = po
        .and_then(|x| x.req_str("sessionId", p))
        .map(str::to_string);
    let tool = po.and_then(|x| x.str("tool", p)).map(str::to_string);
    let kind = match (name.as_str(), tool) {
        ("agent.tool_invoked", Some(tool)) => EventKind::ToolInvoked {
            tool,
            args: payload.and_then(|m| m.get("args")).cloned(),
        },
        ("agent.session_complete", _) => EventKind::SessionComplete {
            cost_usd: po.and_then(|x| x.f64("cost", p)),
            steps: po.and_then(|x| x.u64("steps", p)),
        },
        _ => EventKind::Other,
    };
    let message = match &kind {
        EventKind::ToolInvoked { tool, args } => match args {
            Some(a) => format!("{tool} {}", args_text(a)),
            None => tool.clone(),
        },
        EventKind::SessionComplete { cost_usd, steps } => format!(
            "session complete: {} tool rounds, ${}",
            steps.map_or("?".to_string(), |s| s.to_string()),
            cost_usd.map_or("?".to_string(), |c| c.to_string())
        ),
        EventKind::Other => String::new(),
    };
    let log = LogEvent {
        time_ns: o.req_time("receivedAt", p),
        level: "INFO".to_string(),
        event_type: name,
        message,
        metadata: payload.map(|m| attrs_of(m, &[])).unwrap_or_default(),
        span: None,
        origin,
    };
    ctx.out
        .pending
        .push(Pending::S003Event(Box::new(EventRecord {
            file: ctx.file,
            file_name: ctx.file_name.to_string(),
            session_id,
            kind,
            log,
        })));
}
