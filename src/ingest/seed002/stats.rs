//! Seed 002 `get_reliability_stats()`: tool-call counts and a failure log with no times.
//!
//! It describes a tool executor, not an investigation, so it is a run of its own named
//! "Tool reliability stats" (id derived from the content) with metrics and one failure per
//! `failure_log` entry (type `tool`, code = the `recovery` word, message `<tool>: <error>`),
//! and no spans: there are no times to place them.

use super::super::seed_join::clock::stable_id;
use super::super::seed_join::read::{flatten_metrics, Obj, Probs};
use super::super::ImportCtx;
use crate::model::{Failure, Format, Origin, Run};
use serde_json::Value;

pub(super) fn import(
    doc: &Value,
    path: &str,
    line: Option<u32>,
    ctx: &mut ImportCtx,
    p: &mut Probs,
) {
    let Some(o) = Obj::of(doc, path, "reliability stats", p) else {
        return;
    };
    let origin = Origin {
        file: ctx.file,
        line,
    };
    let text = serde_json::to_string(doc).unwrap_or_default();
    let mut run = Run {
        id: format!("s002-reliability-{}", stable_id(&[&text])),
        name: "Tool reliability stats".to_string(),
        format: Some(Format::Seed002ReliabilityStats),
        files: vec![ctx.file],
        ..Run::default()
    };
    for (k, v) in o.map.iter().filter(|(k, _)| k.as_str() != "failure_log") {
        flatten_metrics(k, v, origin, &|_| None, &mut run.metrics);
    }
    for key in ["total_calls", "successes", "failures"] {
        if o.u64(key, p).is_none() && o.raw(key).is_none() {
            p.warn(&o.at(key), format!("`{key}` is missing"));
        }
    }
    for (i, item) in o
        .req_arr("failure_log", p)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let ipath = format!("{}.failure_log[{i}]", o.path);
        let Some(f) = Obj::of(item, &ipath, "a failure entry", p) else {
            continue;
        };
        let tool = f.req_str("tool", p).unwrap_or("tool");
        let error = f.req_str("error", p).unwrap_or("");
        run.failures.push(Failure {
            failure_type: "tool".to_string(),
            code: f.str("recovery", p).unwrap_or("").to_string(),
            message: format!("{tool}: {error}"),
            origin,
            ..Failure::default()
        });
    }
    ctx.out.runs.push(run);
}
