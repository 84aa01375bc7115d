//! What `spoor analyze` prints: a readable summary per run, or the same figures as JSON for CI.

use serde_json::{json, Value};
use spoor::analysis::RunAnalysis;
use spoor::model::{Run, Severity, Workspace};
use std::fmt::Write;

fn ms(ns: i64) -> f64 {
    (ns as f64 / 1e6 * 1000.0).round() / 1000.0
}

fn ids(run: &Run, idx: &[u32]) -> Vec<String> {
    idx.iter()
        .filter_map(|&i| run.spans.get(i as usize).map(|s| s.id.clone()))
        .collect()
}

/// One run as JSON: the figures CI scripts check.
pub fn run_json(run: &Run, a: &RunAnalysis) -> Value {
    let s = &a.summary;
    let calls = |v: &[spoor::analysis::summary::CallStats]| -> Vec<Value> {
        v.iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "calls": c.calls,
                    "errors": c.errors,
                    "success_rate": c.success_rate,
                    "mean_ms": (c.latency.mean_ns / 1e3).round() / 1e3,
                    "p50_ms": ms(c.latency.p50_ns),
                    "p95_ms": ms(c.latency.p95_ns),
                    "max_ms": ms(c.latency.max_ns),
                    "tokens": c.tokens,
                    "cost_usd": c.cost_usd,
                })
            })
            .collect()
    };
    json!({
        "id": run.id,
        "name": run.name,
        "format": run.format.map(|f| f.label()),
        "status": format!("{:?}", run.status).to_lowercase(),
        "agent_version": run.agent_version,
        "spans": s.spans,
        "llm_calls": s.llm_calls,
        "tool_calls": s.tool_calls,
        "error_spans": s.error_spans,
        "running_spans": s.running_spans,
        "iterations": s.iterations,
        "input_tokens": s.tokens.input,
        "output_tokens": s.tokens.output,
        "cache_read_tokens": s.tokens.cache_read,
        "cache_write_tokens": s.tokens.cache_write,
        "reasoning_tokens": s.tokens.reasoning,
        "total_tokens": s.tokens.total,
        "tokens_from_run": s.tokens_from_run,
        "cost_usd": s.computed_cost_usd,
        "reported_cost_usd": s.reported_cost_usd,
        "cost_difference_usd": s.cost_difference_usd,
        "unpriced_models": s.unpriced_models,
        "duration_ms": ms(s.duration_ns),
        "tool_success_rate": s.tool_success_rate,
        "tools": calls(&s.tools),
        "models": calls(&s.models),
        "critical_path": ids(run, &a.critical_path),
        "orphans": ids(run, &a.tree.orphans),
        "anomalies": a.anomalies.iter().map(|x| json!({
            "kind": x.kind.as_str(),
            "span_ids": ids(run, &x.span_ids),
            "message": x.message,
            "evidence": x.evidence,
            "waste": {
                "time_ms": ms(x.cost.time_ns),
                "tokens": x.cost.tokens,
                "cost_usd": x.cost.cost_usd,
            },
        })).collect::<Vec<_>>(),
    })
}

/// The whole output of `--json`.
pub fn workspace_json(ws: &Workspace, analyses: &[RunAnalysis]) -> Value {
    let problems = |sev: Severity| -> Vec<Value> {
        ws.problems
            .iter()
            .filter(|p| p.severity == sev)
            .map(|p| json!({"file": p.file, "place": p.place, "message": p.message}))
            .collect()
    };
    json!({
        "runs": ws.runs.iter().zip(analyses).map(|(r, a)| run_json(r, a)).collect::<Vec<_>>(),
        "errors": problems(Severity::Error),
        "warnings": problems(Severity::Warning),
    })
}

fn usd(v: Option<f64>) -> String {
    match v {
        Some(v) if v.abs() >= 1.0 => format!("${v:.2}"),
        Some(v) => format!("${v:.4}"),
        None => "unknown".into(),
    }
}

fn dur(ns: i64) -> String {
    let ms = ns as f64 / 1e6;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

/// The readable summary.
pub fn workspace_text(ws: &Workspace, analyses: &[RunAnalysis]) -> String {
    let mut o = String::new();
    let files: Vec<&str> = ws.files.iter().map(|f| f.name.as_str()).collect();
    let _ = writeln!(
        o,
        "{} file(s), {} run(s), {} span(s)",
        files.len(),
        ws.runs.len(),
        ws.span_count()
    );
    for p in &ws.problems {
        let sev = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = p
            .place
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default();
        let _ = writeln!(o, "  {sev}: {}{place}: {}", p.file, p.message);
    }
    for (run, a) in ws.runs.iter().zip(analyses) {
        let s = &a.summary;
        let _ = writeln!(o);
        let title = if run.name.is_empty() {
            &run.id
        } else {
            &run.name
        };
        let _ = writeln!(o, "Run {title}");
        let _ = writeln!(o, "  id            {}", run.id);
        if let Some(f) = run.format {
            let _ = writeln!(o, "  format        {}", f.label());
        }
        let status = run
            .status_text
            .clone()
            .unwrap_or_else(|| format!("{:?}", run.status).to_lowercase());
        let _ = writeln!(o, "  status        {status}");
        let _ = writeln!(o, "  duration      {}", dur(s.duration_ns));
        let _ = writeln!(
            o,
            "  spans         {} ({} model calls, {} tool calls, {} errors, {} never ended)",
            s.spans, s.llm_calls, s.tool_calls, s.error_spans, s.running_spans
        );
        let _ = writeln!(o, "  iterations    {}", s.iterations);
        let _ = writeln!(
            o,
            "  tokens        {} in, {} out, {} total (cache read {}, cache write {}, reasoning {})",
            s.tokens.input,
            s.tokens.output,
            s.tokens.total,
            s.tokens.cache_read,
            s.tokens.cache_write,
            s.tokens.reasoning
        );
        let mut cost = format!(
            "computed {}, reported {}",
            usd(s.computed_cost_usd),
            usd(s.reported_cost_usd)
        );
        if let Some(d) = s.cost_difference_usd {
            let _ = write!(cost, ", difference {}", usd(Some(d)));
        }
        if !s.unpriced_models.is_empty() {
            let _ = write!(cost, "; no price for {}", s.unpriced_models.join(", "));
        }
        let _ = writeln!(o, "  cost          {cost}");
        for (label, list) in [("model", &s.models), ("tool", &s.tools)] {
            for c in list.iter().filter(|c| c.calls > 0) {
                let _ = writeln!(
                    o,
                    "  {label:<5} {:<24} {:>4} calls {:>3} errors  p50 {:>9}  p95 {:>9}  max {:>9}",
                    c.name,
                    c.calls,
                    c.errors,
                    dur(c.latency.p50_ns),
                    dur(c.latency.p95_ns),
                    dur(c.latency.max_ns)
                );
            }
        }
        let path: Vec<String> = a
            .critical_path
            .iter()
            .take(12)
            .map(|&i| run.spans[i as usize].name.clone())
            .collect();
        let more = if a.critical_path.len() > 12 {
            " → …"
        } else {
            ""
        };
        let _ = writeln!(o, "  critical path {}{more}", path.join(" → "));
        if a.anomalies.is_empty() {
            let _ = writeln!(o, "  anomalies     none");
        }
        for x in &a.anomalies {
            let _ = writeln!(o, "  [{}] {}", x.kind.as_str(), x.message);
            for e in &x.evidence {
                let _ = writeln!(o, "      {e}");
            }
        }
    }
    o
}
