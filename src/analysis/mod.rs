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
use crate::pace::{Pace, Paced};
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
    crate::pace::block_on(analyze(run, cfg, &mut Pace::never()))
}

/// [`analyze_run`] with a [`Pace`]: at a million spans the analysis takes over a second, and the
/// page rests between slices of it (and names the stage in its progress message) so it is never
/// frozen for the whole of it. Same code, same result: `analyze_run` is this with a pace that
/// never rests.
pub fn analyze_run_paced<'a, 'p: 'a>(
    run: &'a Run,
    cfg: &'a AnalysisConfig,
    pace: &'a mut Pace<'p>,
) -> Paced<'a, RunAnalysis> {
    Box::pin(analyze(run, cfg, pace))
}

async fn analyze(run: &Run, cfg: &AnalysisConfig, pace: &mut Pace<'_>) -> RunAnalysis {
    pace.enter(STAGES[0]).await;
    let tree = Tree::build_paced(run, pace).await;
    pace.enter(STAGES[1]).await;
    let self_times = timing::self_times_paced(run, &tree, pace).await;
    pace.enter(STAGES[2]).await;
    let critical_sections = critical_path::critical_sections_paced(run, &tree, pace).await;
    let critical_path = critical_path::spans_of(&critical_sections, pace).await;
    pace.enter(STAGES[3]).await;
    let summary = summary::summarize_paced(run, &tree, &cfg.prices, pace).await;
    pace.enter(STAGES[4]).await;
    let anomalies = anomaly::detect_paced(run, &tree, &summary, &cfg.thresholds, pace).await;
    RunAnalysis {
        tree,
        self_times,
        critical_path,
        critical_sections,
        summary,
        anomalies,
    }
}

/// The analysis's stages in order, as [`analyze_run_paced`] names them to its pace: words for a
/// progress message ("Analysing 1,000,000 spans… anomalies").
pub const STAGES: [&str; 5] = [
    "tree",
    "self times",
    "critical path",
    "tokens and cost",
    "anomalies",
];
