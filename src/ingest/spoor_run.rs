//! Spoor's own shared-run document, `{ "spoor": 1, "run": <Run> }`: what a share link carries.
//! It is already the normalized model, so it is read with serde directly.

use super::ImportCtx;
use crate::model::{Format, Run, Severity};
use serde::Deserialize;

/// The document's typed part. Read from the text rather than from the parsed `Value`: the model's
/// derived `Deserialize` is then compiled for serde_json's text reader only, not also for `Value`
/// as a deserializer (tens of KB of wasm).
#[derive(Deserialize)]
struct Doc {
    run: Run,
}

/// Reads the embedded run; its records are re-pointed at this file, since the file ids inside
/// were the sharer's. `doc` is `text` parsed.
pub fn import(text: &str, doc: &serde_json::Value, ctx: &mut ImportCtx) {
    if doc.get("run").is_none() {
        ctx.problem(
            Severity::Error,
            Some("$.run".into()),
            "the shared run has no `run`",
        );
        return;
    }
    let mut run: Run = match serde_json::from_str::<Doc>(text) {
        Ok(d) => d.run,
        Err(e) => {
            // Without the position the text reader appends: the message names the problem, the
            // place is `$.run`.
            let e = e.to_string();
            let e = e.rfind(" at line ").map_or(e.as_str(), |i| &e[..i]);
            ctx.problem(
                Severity::Error,
                Some("$.run".into()),
                format!(
                    "the shared run could not be read (made by a different Spoor version?): {e}"
                ),
            );
            return;
        }
    };
    let file = ctx.file;
    run.format.get_or_insert(Format::SpoorRun);
    run.files = vec![file];
    for span in &mut run.spans {
        span.origin.file = file;
    }
    for d in &mut run.decisions {
        d.origin.file = file;
    }
    for s in &mut run.signals {
        s.origin.file = file;
    }
    for f in &mut run.failures {
        f.origin.file = file;
    }
    for l in &mut run.logs {
        l.origin.file = file;
    }
    for m in &mut run.metrics {
        m.origin.file = file;
    }
    ctx.out.runs.push(run);
}
