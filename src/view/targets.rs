//! The production dashboard table of seed 002: each metric against its target range and its
//! alert threshold, for one run or the mean over many. Targets and alerts are user-editable.

use crate::analysis::RunAnalysis;

/// How a metric compares with its target and alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    OnTarget,
    OffTarget,
    Alert,
    NoData,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OnTarget => "on target",
            Verdict::OffTarget => "off target",
            Verdict::Alert => "ALERT",
            Verdict::NoData => "no data",
        }
    }
}

/// Which side of the alert threshold is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertWhen {
    Above,
    Below,
}

/// One row: a metric, its target range, and the alert threshold (seed 002's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: &'static str,
    pub unit: &'static str,
    pub target_min: f64,
    pub target_max: f64,
    pub alert: f64,
    pub alert_when: AlertWhen,
}

/// Seed 002's "Agent Quality Metrics (Production Dashboard)".
pub fn default_targets() -> Vec<Target> {
    vec![
        Target {
            metric: "Avg iterations",
            unit: "",
            target_min: 4.0,
            target_max: 6.0,
            alert: 8.0,
            alert_when: AlertWhen::Above,
        },
        Target {
            metric: "Avg cost per run",
            unit: "$",
            target_min: 0.02,
            target_max: 0.05,
            alert: 0.20,
            alert_when: AlertWhen::Above,
        },
        Target {
            metric: "Avg duration",
            unit: "s",
            target_min: 10.0,
            target_max: 30.0,
            alert: 60.0,
            alert_when: AlertWhen::Above,
        },
        Target {
            metric: "Tool success rate",
            unit: "%",
            target_min: 95.0,
            target_max: 100.0,
            alert: 80.0,
            alert_when: AlertWhen::Below,
        },
    ]
}

/// A filled row.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub target: Target,
    pub value: Option<f64>,
    /// Runs that had a value for the metric.
    pub runs: usize,
    pub verdict: Verdict,
}

/// The value of each target's metric for one run, in the target's unit.
fn value_of(metric: &str, a: &RunAnalysis) -> Option<f64> {
    let s = &a.summary;
    match metric {
        "Avg iterations" => Some(s.iterations as f64),
        "Avg cost per run" => s.cost_usd(),
        "Avg duration" => Some(s.duration_ns as f64 / 1e9),
        "Tool success rate" => s.tool_success_rate.map(|r| r * 100.0),
        _ => None,
    }
}

/// Judges a value against a target.
pub fn verdict(t: &Target, v: Option<f64>) -> Verdict {
    let Some(v) = v else { return Verdict::NoData };
    let alert = match t.alert_when {
        AlertWhen::Above => v > t.alert,
        AlertWhen::Below => v < t.alert,
    };
    if alert {
        Verdict::Alert
    } else if v >= t.target_min && v <= t.target_max {
        Verdict::OnTarget
    } else {
        Verdict::OffTarget
    }
}

/// The table over some runs (one run: its values; several: the mean of those with data).
pub fn metric_rows<'a>(
    targets: &[Target],
    runs: impl Iterator<Item = &'a RunAnalysis> + Clone,
) -> Vec<MetricRow> {
    targets
        .iter()
        .map(|t| {
            let vals: Vec<f64> = runs.clone().filter_map(|a| value_of(t.metric, a)).collect();
            let value = (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64);
            MetricRow {
                target: t.clone(),
                value,
                runs: vals.len(),
                verdict: verdict(t, value),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_seed_002() {
        let t = default_targets();
        assert_eq!(verdict(&t[0], Some(5.0)), Verdict::OnTarget);
        assert_eq!(verdict(&t[0], Some(7.0)), Verdict::OffTarget);
        assert_eq!(verdict(&t[0], Some(9.0)), Verdict::Alert);
        assert_eq!(verdict(&t[3], Some(79.0)), Verdict::Alert);
        assert_eq!(verdict(&t[3], Some(97.0)), Verdict::OnTarget);
        assert_eq!(verdict(&t[1], None), Verdict::NoData);
    }
}
