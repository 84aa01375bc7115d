//! Joins side files that name no run (seed 000 log/tokens/metrics, seed 002 logs and results,
//! seed 003 tools/decisions/events) to the runs they belong to, by time, order or session id.
//!
//! Importers cannot join these themselves: a side file and its runs can arrive in any order and
//! in different files, so the records wait as [`Pending`] until every file is assembled. A record
//! that cannot be joined is never dropped: it becomes (part of) a run of its own, and an
//! ambiguous join also raises a warning naming the record.
//!
//! Also home to the small readers the four seed importers share (`read`: JSON access that
//! reports instead of panicking; `clock`: the seeds' time and unit formats).

pub(crate) mod clock;
pub(crate) mod join000;
pub(crate) mod join002;
pub(crate) mod join003;
pub(crate) mod locate;
pub(crate) mod read;

use crate::model::{Problem, Severity, Workspace};

/// A side batch waiting to be joined to a run once every file is assembled.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Seed 000 `log.json`: every entry of one file (one agent instance, all its runs).
    S000Log(join000::LogFile),
    /// Seed 000 `tokens.json`: per-call entries matched to model calls by order.
    S000Tokens(join000::TokensFile),
    /// Seed 000 `metrics.json`: aggregates over all runs of one agent instance.
    S000Metrics(join000::MetricsFile),
    /// Seed 002 standalone `get_metrics()` object, joined by investigation id.
    S002ObserverMetrics(join002::ObserverMetrics),
    /// Seed 002 `investigate()` return value, joined to its investigation log by figures.
    S002Result(join002::InvestigationResult),
    /// Seed 003 `tools.jsonl` line: a tool span looking for its session.
    S003Tool(Box<join003::ToolRecord>),
    /// Seed 003 `decisions.jsonl` line: names its session.
    S003Decision(Box<join003::DecisionRecord>),
    /// Seed 003 `events.jsonl` line: names its session.
    S003Event(Box<join003::EventRecord>),
}

/// Joins every pending side record to the workspace's runs (see the module doc). Call once,
/// after all files are assembled; runs it creates join `ws.runs` in start order.
pub fn join(ws: &mut Workspace, pending: Vec<Pending>) {
    let mut logs = Vec::new();
    let mut tokens = Vec::new();
    let mut metrics = Vec::new();
    let mut obs_metrics = Vec::new();
    let mut results = Vec::new();
    let mut tools = Vec::new();
    let mut decisions = Vec::new();
    let mut events = Vec::new();
    for p in pending {
        match p {
            Pending::S000Log(x) => logs.push(x),
            Pending::S000Tokens(x) => tokens.push(x),
            Pending::S000Metrics(x) => metrics.push(x),
            Pending::S002ObserverMetrics(x) => obs_metrics.push(x),
            Pending::S002Result(x) => results.push(x),
            Pending::S003Tool(x) => tools.push(*x),
            Pending::S003Decision(x) => decisions.push(*x),
            Pending::S003Event(x) => events.push(*x),
        }
    }
    let before = ws.runs.len();
    join000::join(ws, logs, tokens, metrics);
    join002::join(ws, obs_metrics, results);
    join003::join(ws, events, tools, decisions);
    // Runs created here (side records that matched nothing) take their place in start order,
    // the order assembly leaves the workspace in. The sort is stable.
    if ws.runs.len() > before {
        crate::sorting::sort_by(&mut ws.runs, crate::ingest::assemble::by_start);
    }
}

/// A warning raised while joining, naming the side file and the record.
pub(crate) fn warn(ws: &mut Workspace, file: &str, place: Option<String>, message: String) {
    ws.problems.push(Problem {
        severity: Severity::Warning,
        file: file.to_string(),
        place,
        message,
    });
}

/// Counts spans a join added for a file, keeping "span count in equals span count shown"
/// checkable per file.
pub(crate) fn count_spans(ws: &mut Workspace, file: crate::model::FileId, n: usize) {
    if let Some(f) = ws.files.get_mut(file as usize) {
        f.spans += n as u64;
    }
}
