//! `--fail-on` conditions: what makes `spoor analyze` exit with code 1 in CI.

use spoor::analysis::{AnomalyKind, RunAnalysis};
use spoor::model::Run;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Eq => a == b,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Cost,
    Duration,
    Tokens,
    Iterations,
    Errors,
    LlmCalls,
    ToolCalls,
    Spans,
}

const METRICS: [(&str, Metric); 8] = [
    ("cost", Metric::Cost),
    ("duration", Metric::Duration),
    ("tokens", Metric::Tokens),
    ("iterations", Metric::Iterations),
    ("errors", Metric::Errors),
    ("llm_calls", Metric::LlmCalls),
    ("tool_calls", Metric::ToolCalls),
    ("spans", Metric::Spans),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Anomaly(AnomalyKind),
    AnyAnomaly,
    LoadErrors,
    Compare(Metric, Op, f64),
}

impl Condition {
    pub fn parse(s: &str) -> Result<Condition, String> {
        if let Some(k) = AnomalyKind::parse(s) {
            return Ok(Condition::Anomaly(k));
        }
        match s {
            "anomalies" | "anomaly" => return Ok(Condition::AnyAnomaly),
            "load_errors" => return Ok(Condition::LoadErrors),
            "errors" => return Ok(Condition::Compare(Metric::Errors, Op::Gt, 0.0)),
            _ => {}
        }
        let ops = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("=", Op::Eq),
        ];
        for (text, op) in ops {
            if let Some((name, value)) = s.split_once(text) {
                let metric = METRICS
                    .iter()
                    .find(|(n, _)| *n == name.trim())
                    .map(|(_, m)| *m)
                    .ok_or_else(|| {
                        format!("--fail-on: unknown figure \"{}\" in \"{s}\"", name.trim())
                    })?;
                let v: f64 = value
                    .trim()
                    .trim_start_matches('$')
                    .trim_end_matches('s')
                    .parse()
                    .map_err(|_| {
                        format!("--fail-on: \"{}\" in \"{s}\" is not a number", value.trim())
                    })?;
                return Ok(Condition::Compare(metric, op, v));
            }
        }
        Err(format!(
            "--fail-on: unknown condition \"{s}\" (an anomaly kind, anomalies, errors, load_errors, or e.g. cost>0.5)"
        ))
    }

    /// Why this condition holds for the run, or `None`.
    pub fn check(&self, run: &Run, a: &RunAnalysis) -> Option<String> {
        let s = &a.summary;
        match self {
            Condition::Anomaly(k) => a
                .anomalies
                .iter()
                .find(|x| x.kind == *k)
                .map(|x| format!("{}: {}", k.as_str(), x.message)),
            Condition::AnyAnomaly => a.anomalies.first().map(|x| {
                format!(
                    "anomalies: {} found, first: {}",
                    a.anomalies.len(),
                    x.message
                )
            }),
            Condition::LoadErrors => None,
            Condition::Compare(m, op, limit) => {
                let (value, unit, name) = match m {
                    Metric::Cost => (s.cost_usd()?, "USD", "cost"),
                    Metric::Duration => (s.duration_ns as f64 / 1e9, "s", "duration"),
                    Metric::Tokens => (s.tokens.total as f64, "", "tokens"),
                    Metric::Iterations => (s.iterations as f64, "", "iterations"),
                    Metric::Errors => (s.error_spans as f64, "", "errors"),
                    Metric::LlmCalls => (s.llm_calls as f64, "", "llm_calls"),
                    Metric::ToolCalls => (s.tool_calls as f64, "", "tool_calls"),
                    Metric::Spans => (s.spans as f64, "", "spans"),
                };
                let _ = run;
                op.holds(value, *limit).then(|| {
                    format!(
                        "{name}{}{limit}: the run has {value}{}{unit}",
                        op.as_str(),
                        if unit.is_empty() { "" } else { " " }
                    )
                })
            }
        }
    }
}
