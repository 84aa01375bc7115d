//! Seed 000 side files (log.json, tokens.json, metrics.json) joined to the runs of traces.json.
//!
//! The four files of one agent instance share no id (FORMATS.md Q5), but each file holds *all*
//! runs of that instance. So a side file is first matched to a whole traces.json (a "group":
//! the runs that came from one traces file) and only then spread over that group's runs:
//! - log.json: the group whose time span holds most entries; each entry goes to the run that
//!   was running at its time (entries before the first run, such as `AGENT_INIT`, go to the
//!   first), linked to the innermost open span. `TOOL_CALL` entries give the tool spans their
//!   arguments, matched in order (checked by tool name), else by time. `AGENT_INIT`'s model
//!   names the model of every model call that has none.
//! - tokens.json: entry *k* is the *k*-th successful model call of the group (§2.3). Entries
//!   fill missing usage and cost; a disagreement is reported, the span keeps its own figures.
//! - metrics.json: the group whose iterations, successful tool calls and model-call latencies
//!   match the file's figures (latencies within 50 ms: the seed times the call a little
//!   differently from the span, by up to 17 ms in `a_success`).
//!
//! When a group holds several runs (one agent, several `run()` calls, e.g. `e_two_runs`), the
//! instance-wide aggregates (tokens summary, metrics summary/details, anomalies) are attached
//! to the **last** run only: the files were written at the end of that run and describe it
//! together with the runs before it, so copying them onto every run would count them N times.
//! That run gets a `metrics_scope` attribute saying so. Timed records (log entries, token
//! entries, metric errors) go to the run they happened in, and each run's reported token and
//! cost totals are the sums of its own token entries.
//!
//! A side file that matches no traces.json becomes a run of its own, with a warning.

use super::locate::{run_at, run_bounds, Spans};
use super::warn;
use crate::model::{
    Attr, AttrValue, Failure, FileId, Format, LogEvent, Metric, Origin, Run, SpanKind, Status,
    Workspace,
};

/// One log.json entry; `tool_call` holds (tool, arguments as JSON) for `TOOL_CALL` entries.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub event: LogEvent,
    pub agent_id: Option<String>,
    pub tool_call: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct LogFile {
    pub file: FileId,
    pub file_name: String,
    pub agent_id: Option<String>,
    /// From the `AGENT_INIT` entry's metadata.
    pub model: Option<String>,
    pub entries: Vec<LogEntry>,
}

#[derive(Debug, Clone)]
pub struct TokenEntry {
    pub time_ns: Option<i64>,
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub cost_usd: Option<f64>,
    /// JSON path, for messages.
    pub place: String,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone)]
pub struct TokensFile {
    pub file: FileId,
    pub file_name: String,
    pub model: Option<String>,
    pub total_input: Option<u64>,
    pub total_output: Option<u64>,
    pub cost_usd: Option<f64>,
    /// The summary, as `tokens.*` metrics.
    pub metrics: Vec<Metric>,
    pub entries: Vec<TokenEntry>,
}

#[derive(Debug, Clone)]
pub struct MetricsFile {
    pub file: FileId,
    pub file_name: String,
    pub metrics: Vec<Metric>,
    /// `detailed_metrics.errors[]`.
    pub failures: Vec<Failure>,
    /// `anomalies[]` as warning log events (they have no time).
    pub anomalies: Vec<LogEvent>,
    pub total_iterations: Option<u64>,
    pub total_tool_calls: Option<u64>,
    pub llm_latencies_ms: Option<Vec<f64>>,
}

/// The runs that came from one traces.json, in start order.
struct Group {
    runs: Vec<usize>,
    bounds: Vec<(i64, i64)>,
}

impl Group {
    fn extent(&self) -> (i64, i64) {
        let s = self.bounds.iter().map(|b| b.0).min().unwrap_or(0);
        let e = self.bounds.iter().map(|b| b.1).max().unwrap_or(0);
        (s, e)
    }

    fn last(&self) -> Option<usize> {
        self.runs.last().copied()
    }

    /// (run, span) of every span matching `f`, in run order then depth-first order.
    fn spans_where(
        &self,
        ws: &Workspace,
        f: impl Fn(&crate::model::Span) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for &r in &self.runs {
            for (i, s) in ws.runs[r].spans.iter().enumerate() {
                if f(s) {
                    out.push((r, i));
                }
            }
        }
        out
    }
}

/// A run's index in the workspace and its bounds.
type RunAt = (usize, (i64, i64));

fn groups(ws: &Workspace) -> Vec<Group> {
    let mut by_file: Vec<(FileId, Vec<RunAt>)> = Vec::new();
    for (i, run) in ws.runs.iter().enumerate() {
        if run.format != Some(Format::Seed000Traces) {
            continue;
        }
        let Some(b) = run_bounds(run) else { continue };
        let file = run
            .spans
            .first()
            .map(|s| s.origin.file)
            .or_else(|| run.files.first().copied())
            .unwrap_or(0);
        match by_file.iter_mut().find(|(f, _)| *f == file) {
            Some((_, v)) => v.push((i, b)),
            None => by_file.push((file, vec![(i, b)])),
        }
    }
    by_file
        .into_iter()
        .map(|(_, mut v)| {
            v.sort_by_key(|(i, b)| (b.0, *i));
            Group {
                runs: v.iter().map(|x| x.0).collect(),
                bounds: v.iter().map(|x| x.1).collect(),
            }
        })
        .collect()
}

/// The group holding most of `times` (1 s of slack each side); `Err` lists tied candidates
/// (empty when no group holds any).
fn pick_by_times(groups: &[Group], times: &[i64]) -> Result<usize, Vec<usize>> {
    const SLACK: i64 = 1_000_000_000;
    let scores: Vec<usize> = groups
        .iter()
        .map(|g| {
            let (s, e) = g.extent();
            times
                .iter()
                .filter(|&&t| t >= s - SLACK && t <= e + SLACK)
                .count()
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let tied: Vec<usize> = (0..groups.len()).filter(|&i| scores[i] == best).collect();
    match (best, tied.as_slice()) {
        (0, _) => Err(Vec::new()),
        (_, [one]) => Ok(*one),
        _ => Err(tied),
    }
}

pub(crate) fn join(
    ws: &mut Workspace,
    logs: Vec<LogFile>,
    tokens: Vec<TokensFile>,
    metrics: Vec<MetricsFile>,
) {
    let gs = groups(ws);
    for lf in logs {
        let times: Vec<i64> = lf.entries.iter().filter_map(|e| e.event.time_ns).collect();
        match pick_by_times(&gs, &times) {
            Ok(g) => join_log(ws, &gs[g], lf),
            Err(tied) => own_log_run(ws, lf, tied.len()),
        }
    }
    for tf in tokens {
        let times: Vec<i64> = tf.entries.iter().filter_map(|e| e.time_ns).collect();
        match pick_by_times(&gs, &times) {
            Ok(g) => join_tokens(ws, &gs[g], tf),
            Err(tied) => own_tokens_run(ws, tf, tied.len()),
        }
    }
    for mf in metrics {
        let fits: Vec<usize> = (0..gs.len())
            .filter(|&g| metrics_fit(ws, &gs[g], &mf))
            .collect();
        match fits.as_slice() {
            [g] => join_metrics(ws, &gs[*g], mf),
            _ => own_metrics_run(ws, mf, fits.len()),
        }
    }
}

fn add_file(run: &mut Run, file: FileId) {
    if !run.files.contains(&file) {
        run.files.push(file);
    }
}

fn mark_scope(ws: &mut Workspace, g: &Group) {
    if g.runs.len() < 2 {
        return;
    }
    let Some(last) = g.last() else { return };
    let attrs = &mut ws.runs[last].attributes;
    if !attrs.iter().any(|a| a.key == "metrics_scope") {
        attrs.push(Attr::new(
            "metrics_scope",
            AttrValue::Str(format!(
                "tokens.json and metrics.json figures cover all {} runs of this agent instance",
                g.runs.len()
            )),
        ));
    }
}

fn join_log(ws: &mut Workspace, g: &Group, lf: LogFile) {
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

fn join_tokens(ws: &mut Workspace, g: &Group, tf: TokensFile) {
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
                        let d = (end - t).abs();
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
fn token_event(e: TokenEntry, file: FileId) -> LogEvent {
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
fn metrics_fit(ws: &Workspace, g: &Group, mf: &MetricsFile) -> bool {
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

fn join_metrics(ws: &mut Workspace, g: &Group, mf: MetricsFile) {
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
                        (e <= t && t - e <= 50_000_000).then_some((e, std::cmp::Reverse(i)))
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

fn side_run(id: String, name: String, format: Format, file: FileId) -> Run {
    Run {
        id,
        name,
        format: Some(format),
        files: vec![file],
        ..Run::default()
    }
}

fn why(tied: usize, what: &str) -> String {
    if tied > 1 {
        format!("it fits {tied} loaded traces.json files equally well, so it cannot be joined to one ({what})")
    } else {
        format!("no loaded traces.json matches it ({what})")
    }
}

fn own_log_run(ws: &mut Workspace, lf: LogFile, tied: usize) {
    let key = lf.agent_id.clone().unwrap_or_else(|| lf.file_name.clone());
    let mut run = side_run(
        format!("s000-log-{key}"),
        format!("Agent log {key}"),
        Format::Seed000Log,
        lf.file,
    );
    run.agent_id = lf.agent_id.clone();
    if let Some(m) = &lf.model {
        run.attributes
            .push(Attr::new("model", AttrValue::Str(m.clone())));
    }
    let times: Vec<i64> = lf.entries.iter().filter_map(|e| e.event.time_ns).collect();
    run.start_ns = times.iter().copied().min();
    run.end_ns = times.iter().copied().max();
    run.logs = lf.entries.into_iter().map(|e| e.event).collect();
    warn(
        ws,
        &lf.file_name,
        None,
        format!(
            "{}; its entries are shown as a run of their own",
            why(tied, "by time")
        ),
    );
    ws.runs.push(run);
}

fn own_tokens_run(ws: &mut Workspace, tf: TokensFile, tied: usize) {
    let first = tf
        .entries
        .first()
        .and_then(|e| e.time_ns)
        .unwrap_or(0)
        .to_string();
    let mut run = side_run(
        format!(
            "s000-tokens-{}",
            super::clock::stable_id(&[&first, &tf.file_name])
        ),
        "Token usage".to_string(),
        Format::Seed000Tokens,
        tf.file,
    );
    run.reported_input_tokens = tf.total_input;
    run.reported_output_tokens = tf.total_output;
    run.reported_cost_usd = tf.cost_usd;
    run.metrics = tf.metrics;
    let times: Vec<i64> = tf.entries.iter().filter_map(|e| e.time_ns).collect();
    run.start_ns = times.iter().copied().min();
    run.end_ns = times.iter().copied().max();
    let file = tf.file;
    run.logs = tf
        .entries
        .into_iter()
        .map(|e| token_event(e, file))
        .collect();
    warn(
        ws,
        &tf.file_name,
        None,
        format!(
            "{}; its entries are shown as a run of their own",
            why(tied, "by time")
        ),
    );
    ws.runs.push(run);
}

fn own_metrics_run(ws: &mut Workspace, mf: MetricsFile, tied: usize) {
    let mut run = side_run(
        format!(
            "s000-metrics-{}",
            super::clock::stable_id(&[&mf.file_name, &format!("{:?}", mf.total_iterations)])
        ),
        "Agent metrics".to_string(),
        Format::Seed000Metrics,
        mf.file,
    );
    run.metrics = mf.metrics;
    run.failures = mf.failures;
    run.logs = mf.anomalies;
    warn(
        ws,
        &mf.file_name,
        None,
        format!(
            "{}; its figures are shown as a run of their own",
            why(tied, "iterations, tool calls and model-call latencies")
        ),
    );
    ws.runs.push(run);
}
