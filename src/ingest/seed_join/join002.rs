//! Seed 002 side records: standalone observer metrics (joined by investigation id) and
//! investigation results (joined to the investigation log whose figures they repeat).
//!
//! A result has no id and its log has no id either, but the log's `AGENT_DONE` repeats the
//! result's iterations, cost (rounded to 4 decimals) and duration (1 decimal); an incomplete
//! run's `GUARDRAIL` repeats its exact cost. A result joins the one log whose figures all agree;
//! with none or several, it becomes a run of its own and a warning says why.

use super::read::metric_number;
use super::warn;
use crate::model::{Attr, AttrValue, FileId, Format, LogEvent, Metric, Run, RunStatus, Workspace};

#[derive(Debug, Clone)]
pub struct ObserverMetrics {
    pub investigation_id: Option<String>,
    pub file: FileId,
    pub file_name: String,
    pub metrics: Vec<Metric>,
    pub anomalies: Vec<LogEvent>,
    pub cost_usd: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct InvestigationResult {
    pub file: FileId,
    pub file_name: String,
    pub answer: Option<String>,
    pub episode_id: Option<String>,
    pub iterations: Option<u64>,
    pub cost_usd: Option<f64>,
    pub duration_s: Option<f64>,
    /// `result.*` metrics.
    pub metrics: Vec<Metric>,
}

const INCOMPLETE: &str = "Investigation incomplete";

pub(crate) fn join(
    ws: &mut Workspace,
    metrics: Vec<ObserverMetrics>,
    results: Vec<InvestigationResult>,
) {
    for m in metrics {
        join_metrics(ws, m);
    }
    for r in results {
        let fits: Vec<usize> = (0..ws.runs.len())
            .filter(|&i| result_fits(&ws.runs[i], &r))
            .collect();
        match fits.as_slice() {
            [i] => attach_result(&mut ws.runs[*i], r),
            _ => own_result_run(ws, r, fits.len()),
        }
    }
}

fn add_file(run: &mut Run, file: FileId) {
    if !run.files.contains(&file) {
        run.files.push(file);
    }
}

/// Adds metrics the trace does not already show (the trace embeds the same object, so loading
/// both must not list every figure twice).
fn join_metrics(ws: &mut Workspace, m: ObserverMetrics) {
    let target = m
        .investigation_id
        .as_deref()
        .and_then(|id| ws.runs.iter().position(|r| r.id == id));
    let Some(i) = target else {
        let id = m.investigation_id.clone().unwrap_or_else(|| {
            format!("s002-metrics-{}", super::clock::stable_id(&[&m.file_name]))
        });
        warn(
            ws,
            &m.file_name,
            None,
            format!("no trace of investigation {id} is loaded; its metrics are shown as a run of their own"),
        );
        ws.runs.push(Run {
            name: id.clone(),
            id,
            format: Some(Format::Seed002ObserverMetrics),
            metrics: m.metrics,
            logs: m.anomalies,
            reported_cost_usd: m.cost_usd,
            files: vec![m.file],
            ..Run::default()
        });
        return;
    };
    let run = &mut ws.runs[i];
    add_file(run, m.file);
    for x in m.metrics {
        if !run
            .metrics
            .iter()
            .any(|y| y.name == x.name && y.value == x.value)
        {
            run.metrics.push(x);
        }
    }
    for a in m.anomalies {
        if !run
            .logs
            .iter()
            .any(|l| l.event_type == a.event_type && l.message == a.message)
        {
            run.logs.push(a);
        }
    }
    if run.reported_cost_usd.is_none() {
        run.reported_cost_usd = m.cost_usd;
    }
}

fn result_fits(run: &Run, r: &InvestigationResult) -> bool {
    if run.format != Some(Format::Seed002InvestigationLog) {
        return false;
    }
    let incomplete = r.answer.as_deref() == Some(INCOMPLETE);
    if incomplete && run.status == RunStatus::Success
        || !incomplete && run.status == RunStatus::Partial
    {
        return false;
    }
    let mut agreed = 0;
    if let (Some(a), Some(b)) = (metric_number(&run.metrics, "iterations"), r.iterations) {
        if a != b as f64 {
            return false;
        }
        agreed += 1;
    }
    if let (Some(a), Some(b)) = (metric_number(&run.metrics, "duration_s"), r.duration_s) {
        if (a - b).abs() > 0.051 {
            return false;
        }
        agreed += 1;
    }
    let cost = r.cost_usd;
    if let (Some(a), Some(b)) = (metric_number(&run.metrics, "cost_usd"), cost) {
        if (a - b).abs() > 0.000_051 {
            return false;
        }
        agreed += 1;
    } else if let (Some(a), Some(b)) = (metric_number(&run.metrics, "guardrail.cost_usd"), cost) {
        if (a - b).abs() > 1e-9 * b.abs().max(1.0) {
            return false;
        }
        agreed += 1;
    }
    agreed > 0
}

/// The `ROOT CAUSE:` line of an answer, which is what users look for first.
fn root_cause(answer: &str) -> Option<&str> {
    answer
        .lines()
        .find_map(|l| l.trim().strip_prefix("ROOT CAUSE:"))
        .map(str::trim)
}

fn attach_result(run: &mut Run, r: InvestigationResult) {
    add_file(run, r.file);
    if let Some(a) = &r.answer {
        if let Some(rc) = root_cause(a) {
            run.attributes.push(Attr::new(
                "root_cause",
                AttrValue::Str(crate::model::Text::from(rc)),
            ));
        }
        run.attributes.push(Attr::new(
            "answer",
            AttrValue::Str(crate::model::Text::from(a)),
        ));
    }
    if let Some(e) = &r.episode_id {
        run.attributes.push(Attr::new(
            "episode_id",
            AttrValue::Str(crate::model::Text::from(e)),
        ));
    }
    // The result's float is exact; the log's "$0.0268" is rounded.
    if r.cost_usd.is_some() {
        run.reported_cost_usd = r.cost_usd;
    }
    run.metrics.extend(r.metrics);
}

fn own_result_run(ws: &mut Workspace, r: InvestigationResult, tied: usize) {
    let answer = r.answer.clone().unwrap_or_default();
    let cost = r.cost_usd.map(|c| c.to_string()).unwrap_or_default();
    let headline = root_cause(&answer)
        .or_else(|| answer.lines().next())
        .unwrap_or("")
        .to_string();
    let mut run = Run {
        id: format!("s002-result-{}", super::clock::stable_id(&[&answer, &cost])),
        name: format!("Investigation result: {headline}"),
        format: Some(Format::Seed002InvestigationResult),
        status: if answer == INCOMPLETE {
            RunStatus::Partial
        } else {
            RunStatus::Success
        },
        status_text: Some(
            if answer == INCOMPLETE {
                "incomplete"
            } else {
                "answered"
            }
            .to_string(),
        ),
        files: vec![r.file],
        ..Run::default()
    };
    let file_name = r.file_name.clone();
    attach_result(&mut run, r);
    run.files.dedup();
    let why = if tied > 1 {
        format!("it matches {tied} loaded investigation logs equally well")
    } else {
        "no loaded investigation log has the same iterations, cost and duration".to_string()
    };
    warn(
        ws,
        &file_name,
        None,
        format!("{why}; the result is shown as a run of its own"),
    );
    ws.runs.push(run);
}
