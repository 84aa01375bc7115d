//! Seed 000: the code-review agent tutorial's four files (FORMATS.md §2).
//!
//! `traces.json` makes runs (one per root span); `log.json`, `tokens.json` and `metrics.json`
//! name no run, so they become [`Pending`](super::seed_join::Pending) side records joined in
//! `seed_join` once all files are loaded.

mod side;
mod traces;

use super::seed_join::read::{root_path, Probs};
use super::ImportCtx;
use crate::model::Format;
use serde_json::Value;

/// Imports one detected seed 000 document (signature shared by all seed importers).
pub fn import(format: Format, doc: &Value, line: Option<u32>, ctx: &mut ImportCtx) {
    let mut p = Probs::new(ctx.file_name);
    let path = root_path(line);
    match format {
        Format::Seed000Traces => traces::import(doc, &path, ctx, &mut p),
        Format::Seed000Log => side::import_log(doc, &path, ctx, &mut p),
        Format::Seed000Tokens => side::import_tokens(doc, &path, ctx, &mut p),
        Format::Seed000Metrics => side::import_metrics(doc, &path, ctx, &mut p),
        other => p.error(
            &path,
            format!("{} is not a code-review agent file; skipped", other.label()),
        ),
    }
    ctx.problems.extend(p.list);
}
