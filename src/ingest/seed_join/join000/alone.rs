//! Seed 000 side files that match no loaded traces.json: each becomes a run of its own, so
//! nothing a user dropped disappears, and a warning says why it stands apart.

use super::super::clock::stable_id;
use super::super::warn;
use super::attach::token_event;
use super::{LogFile, MetricsFile, TokensFile};
use crate::model::{Attr, AttrValue, FileId, Format, Run, Workspace};

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

pub(super) fn own_log_run(ws: &mut Workspace, lf: LogFile, tied: usize) {
    let key = lf.agent_id.clone().unwrap_or_else(|| lf.file_name.clone());
    let mut run = side_run(
        format!("s000-log-{key}"),
        format!("Agent log {key}"),
        Format::Seed000Log,
        lf.file,
    );
    run.agent_id = lf.agent_id.clone();
    if let Some(m) = &lf.model {
        run.attributes.push(Attr::new(
            "model",
            AttrValue::Str(crate::model::Text::from(m)),
        ));
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

pub(super) fn own_tokens_run(ws: &mut Workspace, tf: TokensFile, tied: usize) {
    let first = tf
        .entries
        .first()
        .and_then(|e| e.time_ns)
        .unwrap_or(0)
        .to_string();
    let mut run = side_run(
        format!("s000-tokens-{}", stable_id(&[&first, &tf.file_name])),
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

pub(super) fn own_metrics_run(ws: &mut Workspace, mf: MetricsFile, tied: usize) {
    let mut run = side_run(
        format!(
            "s000-metrics-{}",
            stable_id(&[&mf.file_name, &format!("{:?}", mf.total_iterations)])
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
