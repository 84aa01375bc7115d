//! Seed 003 side records joined to sessions.
//!
//! - Events and decisions name their session: each goes to the run with that id, which is
//!   created (named after the session) when sessions.jsonl is not loaded, so any of the files
//!   alone still opens.
//! - Tool calls name no session (FORMATS.md §4.1). A tool call joins the session of the
//!   `agent.tool_invoked` event for the same tool that was delivered around its start (from 2 s
//!   before to 0.5 s after: delivery is asynchronous and can land just after the tool started),
//!   preferring events whose arguments contain the call's argument and, among those, the
//!   nearest in time. Without such an event, it joins the one session whose time span holds the
//!   call. When two sessions fit equally well (concurrent sessions, same tool, same arguments)
//!   or none does, the call goes to a run "Tool calls not matched to a session" of its own with
//!   a warning: a tool call is never dropped, and never guessed into a session.
//! - Status: a session with a `session_complete` event or a `final_response` decision is a
//!   success; a session that has decisions or events but neither is a failure (the seed writes
//!   both only on success; sessions that threw still get a summary line).
//! - A `tool_selection` decision links to the session's tool span with the same arguments.

use super::clock::stable_id;
use super::read::{args_text, metric};
use super::{count_spans, warn};
use crate::model::{
    Attr, AttrValue, Decision, FileId, Format, LogEvent, Run, RunStatus, Span, SpanIdx, Status,
    Workspace,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct ToolRecord {
    pub file: FileId,
    pub file_name: String,
    /// Whether the line had a readable time (untimed calls cannot be joined by time).
    pub timed: bool,
    pub span: Span,
    /// The `args` value as written, for matching against `tool_invoked` events.
    pub args: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct DecisionRecord {
    pub file: FileId,
    pub file_name: String,
    pub session_id: Option<String>,
    /// `metadata.args` of a `tool_selection`, for linking to its tool span.
    pub args: Option<Value>,
    pub decision: Decision,
}

#[derive(Debug, Clone)]
pub enum EventKind {
    ToolInvoked {
        tool: String,
        args: Option<Value>,
    },
    SessionComplete {
        cost_usd: Option<f64>,
        steps: Option<u64>,
    },
    Other,
}

#[derive(Debug, Clone)]
pub struct EventRecord {
    pub file: FileId,
    pub file_name: String,
    pub session_id: Option<String>,
    pub kind: EventKind,
    pub log: LogEvent,
}

/// A `tool_invoked` event waiting to be claimed by a tool call.
struct Invoked {
    run: usize,
    tool: String,
    args: Option<Value>,
    time: Option<i64>,
    used: bool,
}

/// Session id → run index, creating runs for sessions only named by side files.
struct Sessions {
    index: HashMap<String, usize>,
}

impl Sessions {
    fn get(&mut self, ws: &mut Workspace, id: &str, file: FileId, format: Format) -> usize {
        if let Some(&i) = self.index.get(id) {
            if !ws.runs[i].files.contains(&file) {
                ws.runs[i].files.push(file);
            }
            return i;
        }
        ws.runs.push(Run {
            id: id.to_string(),
            name: crate::ingest::seed003::session_name(id),
            format: Some(format),
            files: vec![file],
            ..Run::default()
        });
        let i = ws.runs.len() - 1;
        self.index.insert(id.to_string(), i);
        i
    }
}

pub(crate) fn join(
    ws: &mut Workspace,
    events: Vec<EventRecord>,
    tools: Vec<ToolRecord>,
    decisions: Vec<DecisionRecord>,
) {
    if events.is_empty() && tools.is_empty() && decisions.is_empty() {
        return;
    }
    let session_runs: Vec<usize> = (0..ws.runs.len())
        .filter(|&i| ws.runs[i].format == Some(Format::Seed003Sessions))
        .collect();
    let mut sessions = Sessions {
        index: session_runs
            .iter()
            .map(|&i| (ws.runs[i].id.clone(), i))
            .collect(),
    };
    let mut touched: HashSet<usize> = HashSet::new();
    let mut completed: HashMap<usize, &'static str> = HashMap::new();
    let mut invoked = Vec::new();
    let mut no_session: Vec<(String, LogEvent)> = Vec::new();
    for ev in events {
        let Some(sid) = ev.session_id.as_deref() else {
            no_session.push((ev.file_name, ev.log));
            continue;
        };
        let r = sessions.get(ws, sid, ev.file, Format::Seed003Events);
        touched.insert(r);
        match ev.kind {
            EventKind::ToolInvoked { tool, args } => invoked.push(Invoked {
                run: r,
                tool,
                args,
                time: ev.log.time_ns,
                used: false,
            }),
            EventKind::SessionComplete { cost_usd, steps } => {
                let o = ev.log.origin;
                let m = &mut ws.runs[r].metrics;
                if let Some(c) = cost_usd {
                    m.push(metric("session_complete.cost_usd", c, Some("USD"), o));
                }
                if let Some(s) = steps {
                    m.push(metric("session_complete.steps", s as f64, None, o));
                }
                completed.insert(r, "session_complete");
            }
            EventKind::Other => {}
        }
        ws.runs[r].logs.push(ev.log);
    }
    for (file, log) in no_session {
        warn(
            ws,
            &file,
            log.origin.line.map(|l| format!("line {l}")),
            "this event names no session; it is listed under \"Events without a session\"".into(),
        );
        let i = sessions.get(
            ws,
            "s003-events-without-session",
            log.origin.file,
            Format::Seed003Events,
        );
        ws.runs[i].name = "Events without a session".to_string();
        ws.runs[i].logs.push(log);
    }
    join_tools(ws, &session_runs, &mut invoked, tools);
    for d in decisions {
        let Some(sid) = d.session_id.as_deref() else {
            warn(
                ws,
                &d.file_name,
                d.decision.origin.line.map(|l| format!("line {l}")),
                "this decision names no session; it is listed under \"Decisions without a session\"".into(),
            );
            let i = sessions.get(
                ws,
                "s003-decisions-without-session",
                d.file,
                Format::Seed003Decisions,
            );
            ws.runs[i].name = "Decisions without a session".to_string();
            ws.runs[i].decisions.push(d.decision);
            continue;
        };
        let r = sessions.get(ws, sid, d.file, Format::Seed003Decisions);
        touched.insert(r);
        let mut dec = d.decision;
        if dec.decision_type == "final_response" {
            completed.entry(r).or_insert("final_response");
        }
        if let Some(a) = &d.args {
            dec.span = link_span(&ws.runs[r], a);
        }
        ws.runs[r].decisions.push(dec);
    }
    for r in touched {
        set_status(&mut ws.runs[r], completed.get(&r).copied());
    }
}

fn set_status(run: &mut Run, completion: Option<&'static str>) {
    if run.id.starts_with("s003-") {
        return;
    }
    if run.start_ns.is_none() {
        // A session only named by side files: bound it by what it holds.
        let times = run.logs.iter().filter_map(|l| l.time_ns);
        let spans = run
            .spans
            .iter()
            .flat_map(|s| [Some(s.start_ns), s.end_ns])
            .flatten();
        let all: Vec<i64> = times.chain(spans).collect();
        run.start_ns = all.iter().copied().min();
        run.end_ns = all.iter().copied().max();
    }
    let (status, span_status, text) = match completion {
        Some(word) => (RunStatus::Success, Status::Ok, word),
        None => (RunStatus::Failure, Status::Error, "no final response"),
    };
    run.status = status;
    run.status_text = Some(text.to_string());
    if let Some(root) = run.spans.iter_mut().find(|s| s.id == "session") {
        root.status = span_status;
        root.status_text = Some(text.to_string());
    }
}

/// Whether an event's or decision's argument object holds a tool call's argument.
fn args_match(object: &Value, call: &Value) -> bool {
    if object == call {
        return true;
    }
    match object {
        Value::Object(m) => m.values().any(|v| v == call),
        _ => false,
    }
}

/// The tool span in `run` whose arguments a `tool_selection` names.
fn link_span(run: &Run, args: &Value) -> Option<SpanIdx> {
    run.spans
        .iter()
        .position(|s| {
            s.tool
                .as_ref()
                .and_then(|t| t.arguments.as_deref())
                .is_some_and(|a| {
                    args_text(args) == a || args_match(args, &Value::String(a.to_string()))
                })
        })
        .map(|i| i as SpanIdx)
}

enum Found {
    Session(usize, &'static str),
    Ambiguous(usize),
    Nothing,
}

const BEFORE: i64 = 2_000_000_000;
const AFTER: i64 = 500_000_000;
/// Two candidates closer than this to each other cannot be told apart by time.
const TIE: u64 = 50_000_000;

fn find_session(
    ws: &Workspace,
    sessions: &[usize],
    invoked: &mut [Invoked],
    t: &ToolRecord,
) -> Found {
    let name = t.span.tool.as_ref().map_or("", |c| c.name.as_str());
    let start = t.span.start_ns;
    if t.timed {
        let near: Vec<usize> = (0..invoked.len())
            .filter(|&i| {
                let e = &invoked[i];
                !e.used
                    && e.tool == name
                    && e.time.is_some_and(|et| {
                        et >= start.saturating_sub(BEFORE) && et <= start.saturating_add(AFTER)
                    })
            })
            .collect();
        let with_args: Vec<usize> = near
            .iter()
            .copied()
            .filter(|&i| match (&invoked[i].args, &t.args) {
                (Some(a), Some(c)) => args_match(a, c),
                _ => false,
            })
            .collect();
        let pool = if with_args.is_empty() {
            near
        } else {
            with_args
        };
        let mut ranked: Vec<(u64, usize)> = pool
            .iter()
            .map(|&i| (invoked[i].time.unwrap_or(start).abs_diff(start), i))
            .collect();
        crate::sorting::sort(&mut ranked);
        if let Some(&(d0, i0)) = ranked.first() {
            let rival = ranked
                .iter()
                .skip(1)
                .any(|&(d, i)| d - d0 < TIE && invoked[i].run != invoked[i0].run);
            if rival {
                return Found::Ambiguous(2);
            }
            invoked[i0].used = true;
            return Found::Session(invoked[i0].run, "agent.tool_invoked event");
        }
        let end = t.span.end_ns.unwrap_or(start);
        let holding: Vec<usize> = sessions
            .iter()
            .copied()
            .filter(|&r| {
                let run = &ws.runs[r];
                match (run.start_ns, run.end_ns) {
                    (Some(s), Some(e)) => {
                        s.saturating_sub(5_000_000) <= start && end <= e.saturating_add(5_000_000)
                    }
                    _ => false,
                }
            })
            .collect();
        return match holding.as_slice() {
            [r] => Found::Session(*r, "time overlap"),
            [] => Found::Nothing,
            many => Found::Ambiguous(many.len()),
        };
    }
    Found::Nothing
}

fn join_tools(
    ws: &mut Workspace,
    sessions: &[usize],
    invoked: &mut [Invoked],
    tools: Vec<ToolRecord>,
) {
    let mut unmatched: HashMap<FileId, usize> = HashMap::new();
    let mut unmatched_count: HashMap<FileId, (String, usize)> = HashMap::new();
    for t in tools {
        let found = find_session(ws, sessions, invoked, &t);
        let mut span = t.span;
        count_spans(ws, t.file, 1);
        if let Found::Session(r, how) = found {
            let run = &mut ws.runs[r];
            // Assembly has already resolved parents, so the index is set here too.
            let root = run.spans.iter().position(|s| s.parent_id.is_none());
            span.parent_id = root.and_then(|i| run.spans.get(i)).map(|s| s.id.clone());
            span.parent = root.map(|i| i as SpanIdx);
            span.attrs.push(Attr::new(
                "joined_by",
                AttrValue::Str(crate::model::Text::from(how)),
            ));
            if !run.files.contains(&t.file) {
                run.files.push(t.file);
            }
            run.spans.push(span);
            continue;
        }
        let place = span.origin.line.map(|l| format!("line {l}"));
        if let Found::Ambiguous(n) = found {
            warn(
                ws,
                &t.file_name,
                place,
                format!(
                    "this {} call fits {n} sessions equally well, so it is listed under \"Tool \
                     calls not matched to a session\"",
                    span.name
                ),
            );
        } else {
            unmatched_count
                .entry(t.file)
                .or_insert_with(|| (t.file_name.clone(), 0))
                .1 += 1;
        }
        let idx = match unmatched.get(&t.file) {
            Some(&i) => i,
            None => {
                let (id, name) = if sessions.is_empty() {
                    ("s003-tools", "Tool calls")
                } else {
                    (
                        "s003-tools-unmatched",
                        "Tool calls not matched to a session",
                    )
                };
                ws.runs.push(Run {
                    id: format!("{id}-{}", stable_id(&[&t.file_name])),
                    name: name.to_string(),
                    format: Some(Format::Seed003Tools),
                    files: vec![t.file],
                    ..Run::default()
                });
                unmatched.insert(t.file, ws.runs.len() - 1);
                ws.runs.len() - 1
            }
        };
        let run = &mut ws.runs[idx];
        run.start_ns = Some(run.start_ns.map_or(span.start_ns, |s| s.min(span.start_ns)));
        let e = span.end_ns.unwrap_or(span.start_ns);
        run.end_ns = Some(run.end_ns.map_or(e, |x| x.max(e)));
        run.spans.push(span);
    }
    for (_, (file, n)) in unmatched_count {
        let msg = if sessions.is_empty() {
            format!("tool calls name no session and no session summaries are loaded; {n} tool calls are shown in a run \"Tool calls\" of their own")
        } else {
            format!("{n} tool calls match no loaded session (no tool_invoked event near them, no session covering their time); they are listed under \"Tool calls not matched to a session\"")
        };
        warn(ws, &file, None, msg);
    }
}
