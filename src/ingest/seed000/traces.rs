//! Seed 000 `traces.json`: a list of nested span trees, one root (`AGENT_RUN`) per `run()`.
//!
//! Mapping decisions:
//! - One root = one run, id `s000-<root span_id>` (span ids are the only ids the file has).
//! - Kinds: `AGENT_RUN`→agent, `ITERATION`→iteration, `LLM_CALL`→llm, `TOOL_CALL`→tool, and
//!   `TOOL_EXECUTION` ("Act") → **chain**: it only wraps the "Tool: x" span, so counting it as a
//!   tool call too would count every call twice.
//! - Statuses per FORMATS.md Q4 (case-folded): SUCCESS/PLAN_CREATED ok; ERROR/JSON_ERROR/
//!   INVALID_RESPONSE error; MAX_ITERATIONS and `running` unset. The source word always stays in
//!   `status_text`.
//! - When a tool raises, the seed leaves its "Tool: x" span `running` forever and puts the error
//!   on the parent Act span (Q3). The tool span is then marked **error** with the Act span's
//!   message and ends where Act ended (attribute `end_from_parent`); `status_text` stays
//!   `running` so the source's word is not lost. Without this the failed call would look like a
//!   call still in progress, and per-tool error counts would miss it.
//! - Other never-ended spans (the plan-creation Think, an iteration cut short) stay open
//!   (`end_ns: None`); their `duration_ms`, measured at save time, is kept as an attribute only.

use super::super::seed_join::clock::epoch_secs_to_ns;
use super::super::seed_join::read::{attrs_of, Obj, Probs};
use super::super::ImportCtx;
use crate::model::{
    flags, Attr, AttrValue, FileId, Format, Origin, Run, RunStatus, Span, SpanKind, Status,
    ToolCall,
};
use serde_json::Value;

/// Deeper trees than this are not produced by the seed; refusing them keeps recursion bounded.
const MAX_DEPTH: usize = 64;

pub(super) fn import(doc: &Value, path: &str, ctx: &mut ImportCtx, p: &mut Probs) {
    let Some(roots) = doc.as_array() else {
        p.error(path, "expected a list of root spans; nothing loaded");
        return;
    };
    for (i, root) in roots.iter().enumerate() {
        let rpath = format!("{path}[{i}]");
        let Some(o) = Obj::of(root, &rpath, "a root span", p) else {
            continue;
        };
        let mut spans = Vec::new();
        walk(o, None, 0, &mut spans, ctx.file, p);
        let Some(root) = spans.first() else { continue };
        let text = root.status_text.clone();
        let run = Run {
            id: format!("s000-{}", root.id),
            name: root.name.clone(),
            format: Some(Format::Seed000Traces),
            status: text.as_deref().map_or(RunStatus::Unknown, run_status),
            status_text: text,
            start_ns: Some(root.start_ns),
            end_ns: root.end_ns,
            attributes: o
                .obj("metadata", &mut Probs::new(""))
                .map(|m| attrs_of(m, &[]))
                .unwrap_or_default(),
            files: vec![ctx.file],
            spans,
            ..Run::default()
        };
        ctx.out.runs.push(run);
    }
}

fn run_status(s: &str) -> RunStatus {
    match s.to_ascii_uppercase().as_str() {
        "SUCCESS" => RunStatus::Success,
        "MAX_ITERATIONS" => RunStatus::Partial,
        "ERROR" => RunStatus::Failure,
        "RUNNING" => RunStatus::Running,
        _ => RunStatus::Unknown,
    }
}

fn span_status(s: &str) -> Status {
    match s.to_ascii_uppercase().as_str() {
        "SUCCESS" | "PLAN_CREATED" => Status::Ok,
        "ERROR" | "JSON_ERROR" | "INVALID_RESPONSE" => Status::Error,
        _ => Status::Unset,
    }
}

fn kind_of(t: &str) -> SpanKind {
    match t.to_ascii_uppercase().as_str() {
        "AGENT_RUN" => SpanKind::Agent,
        "ITERATION" => SpanKind::Iteration,
        "LLM_CALL" => SpanKind::Llm,
        "TOOL_EXECUTION" => SpanKind::Chain,
        "TOOL_CALL" => SpanKind::Tool,
        _ => SpanKind::Other,
    }
}

/// What a child needs from its parent: the tree's nesting is the truth, `parent_id` is checked.
struct ParentInfo {
    id: String,
    start_ns: i64,
}

/// Appends the span at `o` and its subtree in depth-first order; returns the span's index.
fn walk(
    o: Obj,
    parent: Option<&ParentInfo>,
    depth: usize,
    spans: &mut Vec<Span>,
    file: FileId,
    p: &mut Probs,
) -> Option<usize> {
    if depth > MAX_DEPTH {
        p.error(
            o.path,
            format!("spans nested deeper than {MAX_DEPTH} levels; this subtree is skipped"),
        );
        return None;
    }
    let id = match o.req_str("span_id", p) {
        Some(s) => s.to_string(),
        None => format!("no-id@{}", o.path),
    };
    let stated_parent = o.str("parent_id", p);
    match (parent, stated_parent) {
        (Some(pi), sp) if sp != Some(pi.id.as_str()) => p.warn(
            &o.at("parent_id"),
            format!(
                "parent_id is {} but the span is nested under {}; the nesting is used",
                sp.unwrap_or("missing"),
                pi.id
            ),
        ),
        (None, Some(sp)) => p.warn(
            &o.at("parent_id"),
            format!("a root span names parent {sp}; it is shown as a root"),
        ),
        _ => {}
    }
    let type_text = o.req_str("type", p).unwrap_or("");
    let kind = kind_of(type_text);
    let name = o.str("name", p).unwrap_or(type_text).to_string();
    let status_text = o.req_str("status", p).map(str::to_string);
    let status = status_text.as_deref().map_or(Status::Unset, span_status);

    let mut span_flags = 0u8;
    let start_ns = match o.req_f64("start_time", p).and_then(epoch_secs_to_ns) {
        Some(t) => t,
        None => {
            let fallback = parent.map_or(0, |pi| pi.start_ns);
            p.warn(
                &o.at("start_time"),
                "no usable start time; placed at its parent's start",
            );
            span_flags |= flags::BAD_NUMBER;
            fallback
        }
    };
    let mut end_ns = o.f64("end_time", p).and_then(epoch_secs_to_ns);
    if let Some(e) = end_ns.filter(|&e| e < start_ns) {
        p.warn(
            &o.at("end_time"),
            format!(
                "ends {} ms before it starts; shown as zero length",
                start_ns.saturating_sub(e) / 1_000_000
            ),
        );
        end_ns = Some(start_ns);
        span_flags |= flags::END_BEFORE_START;
    }

    let mut span = Span {
        id: id.clone(),
        parent_id: parent.map(|pi| pi.id.clone()),
        name,
        kind,
        start_ns,
        end_ns,
        status,
        status_text,
        origin: Origin { file, line: None },
        flags: span_flags,
        ..Span::default()
    };
    span.attrs.push(Attr::new(
        "seed000.type",
        AttrValue::Str(crate::model::Text::from(type_text)),
    ));
    if let Some(d) = o.f64("duration_ms", p) {
        span.attrs
            .push(Attr::new("duration_ms", AttrValue::Float(d)));
    }
    if let Some(meta) = o.obj("metadata", p) {
        let mpath = o.at("metadata");
        apply_metadata(
            &mut span,
            Obj {
                map: meta,
                path: &mpath,
            },
            p,
        );
    }
    if span.kind == SpanKind::Tool {
        let name = span
            .tool
            .as_ref()
            .map(|t| t.name.clone())
            .or_else(|| span.name.strip_prefix("Tool: ").map(str::to_string))
            .unwrap_or_else(|| span.name.clone());
        span.tool.get_or_insert_with(Default::default).name = name;
    }
    if matches!(
        span.status_text.as_deref(),
        Some("JSON_ERROR" | "INVALID_RESPONSE")
    ) {
        span.error_type = span.status_text.clone();
    }

    let me = spans.len();
    let info = ParentInfo { id, start_ns };
    spans.push(span);
    let mut children = Vec::new();
    if let Some(kids) = o.arr("children", p) {
        for (i, kid) in kids.iter().enumerate() {
            let kpath = format!("{}.children[{i}]", o.path);
            if let Some(ko) = Obj::of(kid, &kpath, "a span", p) {
                if let Some(k) = walk(ko, Some(&info), depth + 1, spans, file, p) {
                    children.push(k);
                }
            }
        }
    } else if o.raw("children").is_none() {
        p.warn(&o.at("children"), "`children` is missing; treated as none");
    }
    mark_raised_tools(spans, me, &children);
    Some(me)
}

fn apply_metadata(span: &mut Span, mo: Obj, p: &mut Probs) {
    span.usage.input = mo.u64("input_tokens", p);
    span.usage.output = mo.u64("output_tokens", p);
    span.reported_cost_usd = mo.f64("cost_usd", p).filter(|c| *c >= 0.0);
    span.error_message = mo.str("error", p).map(str::to_string);
    if let Some(t) = mo.str("tool", p) {
        span.tool = Some(Box::new(ToolCall {
            name: t.to_string(),
            ..ToolCall::default()
        }));
    }
    span.attrs.extend(attrs_of(
        mo.map,
        &["input_tokens", "output_tokens", "cost_usd", "error", "tool"],
    ));
}

/// Q3: an Act span in error whose tool span was left `running` (see the module doc).
fn mark_raised_tools(spans: &mut [Span], parent: usize, children: &[usize]) {
    let Some(act) = spans.get(parent) else { return };
    if act.kind != SpanKind::Chain || act.status != Status::Error {
        return;
    }
    let (msg, end) = (act.error_message.clone(), act.end_ns);
    for &c in children {
        let Some(tool) = spans.get_mut(c) else {
            continue;
        };
        let running = tool
            .status_text
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("running"));
        if tool.kind == SpanKind::Tool && running {
            tool.status = Status::Error;
            tool.error_message = msg.clone();
            if tool.end_ns.is_none() {
                tool.end_ns = end.map(|e| e.max(tool.start_ns));
                tool.attrs
                    .push(Attr::new("end_from_parent", AttrValue::Bool(true)));
            }
        }
    }
}
