//! Groups of runs (by agent version, or any attribute) and how their figures shifted, so a
//! release can be judged on many runs rather than on one lucky or unlucky trace.

use super::stats::Distribution;
use super::RunAnalysis;
use crate::model::{find_attr, Run};
use serde::Serialize;

/// What to group runs by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    AgentVersion,
    AgentId,
    Environment,
    /// A run attribute, e.g. `service.version`.
    Attribute(String),
}

/// Label of runs that lack the grouping value.
pub const NONE_LABEL: &str = "(none)";

impl GroupKey {
    pub fn value_of(&self, run: &Run) -> String {
        let v = match self {
            GroupKey::AgentVersion => run.agent_version.clone(),
            GroupKey::AgentId => run.agent_id.clone(),
            GroupKey::Environment => run.environment.clone(),
            GroupKey::Attribute(k) => find_attr(&run.attributes, k).map(|v| v.to_text()),
        };
        v.unwrap_or_else(|| NONE_LABEL.to_string())
    }
}

/// One group's distributions; each is over its runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub value: String,
    pub runs: usize,
    pub run_ids: Vec<String>,
    pub duration_ms: Distribution,
    pub iterations: Distribution,
    /// Over runs that have a cost (computed, else reported).
    pub cost_usd: Distribution,
    pub tokens: Distribution,
    /// Per run: error spans / spans.
    pub error_rate: Distribution,
    /// Per run: number of anomalies.
    pub anomalies: Distribution,
    /// Share of runs with at least one error span.
    pub runs_with_errors: f64,
    /// Share of runs with at least one anomaly.
    pub runs_with_anomalies: f64,
}

/// Groups analysed runs by `key`, groups in order of first appearance.
pub fn group(runs: &[(&Run, &RunAnalysis)], key: &GroupKey) -> Vec<Group> {
    let mut order: Vec<String> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, (run, _)) in runs.iter().enumerate() {
        let v = key.value_of(run);
        match order.iter().position(|x| *x == v) {
            Some(p) => members[p].push(i),
            None => {
                order.push(v);
                members.push(vec![i]);
            }
        }
    }
    order
        .into_iter()
        .zip(members)
        .map(|(value, idx)| {
            let sel: Vec<&(&Run, &RunAnalysis)> = idx.iter().map(|&i| &runs[i]).collect();
            let n = sel.len();
            let share = |f: &dyn Fn(&RunAnalysis) -> bool| {
                sel.iter().filter(|(_, a)| f(a)).count() as f64 / n.max(1) as f64
            };
            Group {
                runs: n,
                run_ids: sel.iter().map(|(r, _)| r.id.clone()).collect(),
                duration_ms: Distribution::of(
                    sel.iter().map(|(_, a)| a.summary.duration_ns as f64 / 1e6),
                ),
                iterations: Distribution::of(sel.iter().map(|(_, a)| a.summary.iterations as f64)),
                cost_usd: Distribution::of(
                    sel.iter()
                        .map(|(_, a)| a.summary.cost_usd().unwrap_or(f64::NAN)),
                ),
                tokens: Distribution::of(sel.iter().map(|(_, a)| a.summary.tokens.total as f64)),
                error_rate: Distribution::of(
                    sel.iter()
                        .map(|(_, a)| a.summary.error_spans as f64 / a.summary.spans.max(1) as f64),
                ),
                anomalies: Distribution::of(sel.iter().map(|(_, a)| a.anomalies.len() as f64)),
                runs_with_errors: share(&|a| a.summary.error_spans > 0),
                runs_with_anomalies: share(&|a| !a.anomalies.is_empty()),
                value,
            }
        })
        .collect()
}

/// How one figure moved from group A to group B.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Change {
    pub mean_a: f64,
    pub mean_b: f64,
    /// mean_b − mean_a.
    pub mean_delta: f64,
    /// (mean_b − mean_a) / mean_a; `None` when mean_a is 0.
    pub mean_ratio: Option<f64>,
    pub p50_delta: f64,
    pub p95_delta: f64,
}

impl Change {
    fn of(a: &Distribution, b: &Distribution) -> Change {
        Change {
            mean_a: a.mean,
            mean_b: b.mean,
            mean_delta: b.mean - a.mean,
            mean_ratio: (a.mean != 0.0).then(|| (b.mean - a.mean) / a.mean),
            p50_delta: b.p50 - a.p50,
            p95_delta: b.p95 - a.p95,
        }
    }
}

/// The shift between two groups (B relative to A).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShift {
    pub a: String,
    pub b: String,
    pub duration_ms: Change,
    pub iterations: Change,
    pub cost_usd: Change,
    pub tokens: Change,
    pub error_rate: Change,
    pub anomalies: Change,
    pub runs_with_errors_delta: f64,
    pub runs_with_anomalies_delta: f64,
}

pub fn shift(a: &Group, b: &Group) -> GroupShift {
    GroupShift {
        a: a.value.clone(),
        b: b.value.clone(),
        duration_ms: Change::of(&a.duration_ms, &b.duration_ms),
        iterations: Change::of(&a.iterations, &b.iterations),
        cost_usd: Change::of(&a.cost_usd, &b.cost_usd),
        tokens: Change::of(&a.tokens, &b.tokens),
        error_rate: Change::of(&a.error_rate, &b.error_rate),
        anomalies: Change::of(&a.anomalies, &b.anomalies),
        runs_with_errors_delta: b.runs_with_errors - a.runs_with_errors,
        runs_with_anomalies_delta: b.runs_with_anomalies - a.runs_with_anomalies,
    }
}
