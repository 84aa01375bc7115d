//! Attaching seed 000 side files to the group of runs they were matched to.

use super::super::locate::{run_at, Spans};
use super::super::warn;
use super::{add_file, mark_scope, Group, LogFile, MetricsFile, TokenEntry, TokensFile};
use crate::model::{FileId, LogEvent, Origin, SpanKind, Status, Workspace};

pub(super) fn join_log(ws: &mut Workspace, g: &Group, lf: LogFile) {
    let spans: Vec<Spans> = g.runs.iter().map(|&r| Spans::of(&ws.runs[r])).collect();
    // Tool arguments: in order when the tool names line up, else by time.
    let tool_spans = g.spans_where(ws, |s| s.kind == SpanKind::Tool);
    let calls: Vec<(usize, &(String, String))> = lf
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.tool_call.as_ref().map(|c| (i, c)))
        .collect();
    let tool_name = |ws: &Workspace, (r, s): (usize, usize)| -> Option<String> {
        ws.runs[r].spans[s].tool.as_ref().map(|t| t.name.clone())
    };
    let in_order = calls.len() == tool_spans.len()
        && calls
            .iter()
            .zip(&tool_spans)
            .all(|((_, c), &rs)| tool_name(ws, rs).as_deref() == Some(c.0.as_str()));
    let mut unmatched_calls = 0usize;
    for (k, (i, (name, args))) in calls.iter().enumerate() {
        let target = if in_order {
            tool_spans.get(k).copied()
        } else {
            lf.entries[*i].event.time_ns.and_then(|t| {
                tool_spans.iter().copied().find(|&(r, s)| {
                    let sp = &ws.runs[r].spans[s];
                    let gi = g.runs.iter().position(|&x| x == r).unwrap_or(0);
                    let end = spans[gi].end[s].unwrap_or(sp.start_ns);
                    sp.start_ns <= t
                        && t <= end
                        && sp
                            .tool
                            .as_ref()
                            .is_some_and(|tc| tc.name == *name && tc.arguments.is_none())
                })
            })
        };
        match target.and_then(|(r, s)| ws.runs[r].spans[s].tool.as_mut()) {
            Some(tc) if tc.arguments.is_none() => tc.arguments = Some(args.clone()),
            _ => unmatched_calls += 1,
        }
    }
    if unmatched_calls > 0 {
        warn(
            ws,
            &lf.file_name,
            None,
            format!(
                "{unmatched_calls} TOOL_CALL log entries could not be matched to a tool span, so \
                 their arguments stay in the log only"
            ),
        );
    }
    for &r in &g.runs {
        let run = &mut ws.runs[r];
        add_file(run, lf.file);
        if run.agent_id.is_none() {
            run.agent_id = lf.agent_id.clone();
        }
        if let Some(m) = &lf.model {
            for s in run.spans.iter_mut().filter(|s| s.kind == SpanKind::Llm) {
                if s.model.is_none() {
                    s.model = Some(m.clone());
                }
            }
        }
    }
    for entry in lf.entries {
        let mut ev = entry.event;
        let gi = ev.time_ns.map(|t| run_at(&g.bounds, t)).unwrap_or(0);
        let Some(&r) = g.runs.get(gi) else { continue };
        ev.span = ev.time_ns.and_then(|t| spans[gi].innermost(&ws.runs[r], t));
        ws.runs[r].logs.push(ev);
    }
}

pub(super) fn join_tokens(ws: &mut Workspace, g: &Group, tf: TokensFile) {
    let calls = g.spans_where(ws, |s| s.kind == SpanKind::Llm && s.status == Status::Ok);
    let by_order = calls.len() == tf.entries.len();
    let mut used = vec![false; calls.len()];
    let mut sums: Vec<(u64, u64, f64, bool)> = vec![(0, 0, 0.0, false); g.runs.len()];
    let mut leftovers = Vec::new();
    let mut disagreements = Vec::new();
    for (k, e) in tf.entries.iter().enumerate() {
        let pick = if by_order {
            Some(k)
        } else {
            // Nearest unused successful call ending within 1 s after the entry (§2.3: entries
            // are written 0-1 ms before the span ends).
            e.time_ns.and_then(|t| {
                (0..calls.len())
                    .filter(|&c| !used[c])
                    .filter_map(|c| {
                        let (r, s) = calls[c];
                        let end = ws.runs[r].spans[s].end_ns?;
                        let d = end.abs_diff(t);
                        (d <= 1_000_000_000).then_some((d, c))
                    })
                    .min()
                    .map(|x| x.1)
            })
        };
        let Some(c) = pick else {
            leftovers.push(e.clone());
            continue;
        };
        used[c] = true;
        let (r, s) = calls[c];
        let span = &mut ws.runs[r].spans[s];
        let differs = |a: Option<u64>, b: Option<u64>| a.is_some() && b.is_some() && a != b;
        if differs(span.usage.input, e.input) || differs(span.usage.output, e.output) {
            disagreements.push(format!("{} vs span {}", e.place, span.id));
        }
        span.usage.input = span.usage.input.or(e.input);
        span.usage.output = span.usage.output.or(e.output);
        span.reported_cost_usd = span.reported_cost_usd.or(e.cost_usd);
        if let Some(m) = &tf.model {
            span.model.get_or_insert_with(|| m.clone());
        }
        let gi = g.runs.iter().position(|&x| x == r).unwrap_or(0);
        let sum = &mut sums[gi];
        sum.0 += e.input.unwrap_or(0);
        sum.1 += e.output.unwrap_or(0);
        sum.2 += e.cost_usd.unwrap_or(0.0);
        sum.3 = true;
    }
    if !disagreements.is_empty() {
        warn(
            ws,
            &tf.file_name,
            None,
            format!(
                "token counts in tokens.json differ from the traces for {} model call(s) ({}); \
                 the traces' figures are shown",
                disagreements.len(),
                disagreements.join(", ")
            ),
        );
    }
    let single = g.runs.len() == 1;
    for (gi, &r) in g.runs.iter().enumerate() {
        let run = &mut ws.runs[r];
        add_file(run, tf.file);
        let (i, o, c, any) = sums[gi];
        if single {
            run.reported_input_tokens = tf.total_input.or(any.then_some(i));
            run.reported_output_tokens = tf.total_output.or(any.then_some(o));
            run.reported_cost_usd = tf.cost_usd.or(any.then_some(c));
        } else if any {
            run.reported_input_tokens = Some(i);
            run.reported_output_tokens = Some(o);
            run.reported_cost_usd = Some(c);
        }
    }
    let Some(last) = g.last() else { return };
    mark_scope(ws, g);
    ws.runs[last].metrics.extend(tf.metrics);
    if !leftovers.is_empty() {
        warn(
            ws,
            &tf.file_name,
            None,
            format!(
                "{} tokens.json entries match no successful model call in the traces; they are \
                 listed in the log of run {}",
                leftovers.len(),
                ws.runs[last].name
            ),
        );
        let file = tf.file;
        ws.runs[last]
            .logs
            .extend(leftovers.into_iter().map(|e| token_event(e, file)));
    }
}

/// A tokens.json entry shown as a log line (when it has no model call to attach to).
pub(super) fn token_event(e: TokenEntry, file: FileId) -> LogEvent {
    LogEvent {
        time_ns: e.time_ns,
        level: "INFO".to_string(),
        event_type: "token usage".to_string(),
        message: format!(
            "{} input / {} output tokens, ${}",
            e.input.map_or("?".into(), |x| x.to_string()),
            e.output.map_or("?".into(), |x| x.to_string()),
            e.cost_usd.map_or("?".into(), |x| x.to_string()),
        ),
        metadata: e.attrs,
        span: None,
        origin: Origin { file, line: None },
    }
}

/// Whether metrics.json's figures are this group's: every figure the file has must agree.
pub(super) fn metrics_fit(ws: &Workspace, g: &Group, mf: &MetricsFile) -> bool {
    let mut checked = 0;
    if let Some(n) = mf.total_iterations {
        checked += 1;
        if g.spans_where(ws, |s| s.kind == SpanKind::Iteration).len() as u64 != n {
            return false;
        }
    }
    if let Some(n) = mf.total_tool_calls {
        checked += 1;
        let ok = g.spans_where(ws, |s| s.kind == SpanKind::Tool && s.status == Status::Ok);
        if ok.len() as u64 != n {
            return false;
        }
    }
    if let Some(lat) = &mf.llm_latencies_ms {
        checked += 1;
        let calls = g.spans_where(ws, |s| s.kind == SpanKind::Llm && s.status == Status::Ok);
        if calls.len() != lat.len() {
            return false;
        }
        for (&(r, s), &ms) in calls.iter().zip(lat) {
            let Some(d) = ws.runs[r].spans[s].duration_ns() else {
                return false;
            };
            if (d as f64 / 1e6 - ms).abs() > 50.0 {
                return false;
            }
        }
    }
    checked > 0
}

pub(super) fn join_metrics(ws: &mut Workspace, g: &Group, mf: MetricsFile) {
    let Some(last) = g.last() else { return };
    mark_scope(ws, g);
    let spans: Vec<Spans> = g.runs.iter().map(|&r| Spans::of(&ws.runs[r])).collect();
    for &r in &g.runs {
        add_file(&mut ws.runs[r], mf.file);
    }
    for mut f in mf.failures {
        let gi = f
            .time_ns
            .map(|t| run_at(&g.bounds, t))
            .unwrap_or(g.runs.len() - 1);
        let Some(&r) = g.runs.get(gi) else { continue };
        let run = &ws.runs[r];
        f.span = f.time_ns.and_then(|t| {
            spans[gi].innermost(run, t).or_else(|| {
                // Errors are recorded just after the failing span ended: take the error span
                // that ended last, within 50 ms before.
                run.spans
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.status == Status::Error)
                    .filter_map(|(i, s)| {
                        let e = s.end_ns?;
                        (e <= t && t.saturating_sub(e) <= 50_000_000)
                            .then_some((e, std::cmp::Reverse(i)))
                    })
                    .max()
                    .map(|(_, std::cmp::Reverse(i))| i as u32)
            })
        });
        ws.runs[r].failures.push(f);
    }
    let run = &mut ws.runs[last];
    run.metrics.extend(mf.metrics);
    run.logs.extend(mf.anomalies);
}
