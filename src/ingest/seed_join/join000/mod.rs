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

mod alone;
mod attach;

use super::locate::run_bounds;
use crate::model::{Attr, AttrValue, Failure, FileId, Format, LogEvent, Metric, Run, Workspace};
use alone::{own_log_run, own_metrics_run, own_tokens_run};
use attach::{join_log, join_metrics, join_tokens, metrics_fit};

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
            crate::sorting::sort_by_key(&mut v, |(i, b)| (b.0, *i));
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
                .filter(|&&t| t >= s.saturating_sub(SLACK) && t <= e.saturating_add(SLACK))
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
            AttrValue::Str(
                format!(
                    "tokens.json and metrics.json figures cover all {} runs of this agent instance",
                    g.runs.len()
                )
                .into(),
            ),
        ));
    }
}
