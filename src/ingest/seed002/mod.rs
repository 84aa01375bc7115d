//! Seed 002: the SRE agent's files (FORMATS.md §3): the AgentObserver trace (and its metrics),
//! the investigation log, the investigation result and the tool-reliability stats.
//!
//! Traces, logs and reliability stats become runs directly. A standalone observer-metrics object
//! and an investigation result name no run of their own in a way importers can resolve alone,
//! so they wait as [`Pending`](super::seed_join::Pending) records for `seed_join`.

mod investigation;
mod observer;
mod stats;

use super::seed_join::read::{root_path, Probs};
use super::ImportCtx;
use crate::model::Format;
use serde_json::Value;

/// Imports one detected seed 002 document (signature shared by all seed importers).
pub fn import(format: Format, doc: &Value, line: Option<u32>, ctx: &mut ImportCtx) {
    let mut p = Probs::new(ctx.file_name);
    let path = root_path(line);
    match format {
        Format::Seed002ObserverTrace => observer::import_trace(doc, &path, line, ctx, &mut p),
        Format::Seed002ObserverMetrics => observer::import_metrics(doc, &path, line, ctx, &mut p),
        Format::Seed002InvestigationLog => investigation::import_log(doc, &path, line, ctx, &mut p),
        Format::Seed002InvestigationResult => {
            investigation::import_result(doc, &path, line, ctx, &mut p)
        }
        Format::Seed002ReliabilityStats => stats::import(doc, &path, line, ctx, &mut p),
        other => p.error(
            &path,
            format!("{} is not an SRE agent file; skipped", other.label()),
        ),
    }
    ctx.problems.extend(p.list);
}
