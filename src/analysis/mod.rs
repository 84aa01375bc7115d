//! Analysis: pure functions over the model, one concern per module.
//!
//! Nothing here knows which exporter wrote a run, and nothing here touches the web: the page and
//! the `spoor` CLI call the same [`analyze_run`], so a figure on screen and a figure in the CLI's
//! JSON can never disagree.
//!
//! Conventions shared by every module:
//! - A span that never ended (`end_ns == None`) is treated as ending at the run's end
//!   ([`bounds::RunBounds`]): a step that was still running when the trace was written took at
//!   least that long, and drawing it to the end is what every trace viewer does.
//! - Latency statistics use nearest-rank percentiles ([`stats`]).

pub mod align;
pub mod anomaly;
pub mod bounds;
pub mod cost;
pub mod critical_path;
pub mod groups;
pub mod stats;
pub mod summary;
pub mod timing;
pub mod tree;
mod usage;

use crate::model::{Run, SpanIdx};
use serde::Serialize;

pub use anomaly::{Anomaly, AnomalyKind, Thresholds, Waste};
pub use cost::{Price, PriceTable};
pub use summary::RunSummary;
pub use tree::Tree;

/// What an analysis needs besides the run: prices and anomaly limits, both user-adjustable.
#[derive(Debug, Clone)]
pub struct AnalysisConfig {
    pub prices: PriceTable,
    pub thresholds: Thresholds,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            prices: PriceTable::bundled(),
            thresholds: Thresholds::default(),
        }
    }
}

/// Everything the UI and the CLI show about one run, computed in one pass over it.
#[derive(Debug, Clone, Serialize)]
pub struct RunAnalysis {
    pub tree: Tree,
    /// Per span: time not covered by any child, in ns.
    pub self_times: Vec<i64>,
    /// Spans on the critical path, in time order.
    pub critical_path: Vec<SpanIdx>,
    /// The critical path as timed sections, in time order (a span can own several).
    pub critical_sections: Vec<critical_path::Section>,
    pub summary: RunSummary,
    pub anomalies: Vec<Anomaly>,
}

/// The one call the UI and CLI make: tree, self times, critical path, summary and anomalies.
pub fn analyze_run(run: &Run, cfg: &AnalysisConfig) -> RunAnalysis {
    let tree = Tree::build(run);
    let self_times = timing::self_times(run, &tree);
    let critical_sections = critical_path::critical_sections(run, &tree);
    let critical_path = critical_path::spans_of(&critical_sections);
    let summary = summary::summarize(run, &tree, &cfg.prices);
    let anomalies = anomaly::detect(run, &tree, &summary, &cfg.thresholds);
    RunAnalysis {
        tree,
        self_times,
        critical_path,
        critical_sections,
        summary,
        anomalies,
    }
}
