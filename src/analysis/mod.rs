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
    StagedAnalysis::new(run, cfg).finish()
}

/// [`analyze_run`] one stage at a time. At a million spans the whole analysis takes over a
/// second; the page runs a stage, lets the browser paint and answer input, then runs the next,
/// so it is never frozen for the whole of it. Same stages, same order, same result.
pub struct StagedAnalysis<'a> {
    run: &'a Run,
    cfg: &'a AnalysisConfig,
    state: Stage,
}

/// What has been computed so far; each variant carries the results the next stages need.
enum Stage {
    Tree,
    SelfTimes(Tree),
    CriticalPath(Tree, Vec<i64>),
    Summary(Tree, Vec<i64>, Vec<critical_path::Section>),
    Anomalies(Tree, Vec<i64>, Vec<critical_path::Section>, Box<RunSummary>),
    Done(Box<RunAnalysis>),
}

impl<'a> StagedAnalysis<'a> {
    pub fn new(run: &'a Run, cfg: &'a AnalysisConfig) -> Self {
        StagedAnalysis {
            run,
            cfg,
            state: Stage::Tree,
        }
    }

    /// Words for the stage [`step`](Self::step) runs next, for a progress message; `None` when
    /// the analysis is complete.
    pub fn next_stage(&self) -> Option<&'static str> {
        Some(match self.state {
            Stage::Tree => "tree",
            Stage::SelfTimes(..) => "self times",
            Stage::CriticalPath(..) => "critical path",
            Stage::Summary(..) => "tokens and cost",
            Stage::Anomalies(..) => "anomalies",
            Stage::Done(_) => return None,
        })
    }

    /// Runs the next stage; `false` once the analysis is complete (nothing was run).
    pub fn step(&mut self) -> bool {
        let (run, cfg) = (self.run, self.cfg);
        self.state = match std::mem::replace(&mut self.state, Stage::Tree) {
            Stage::Tree => Stage::SelfTimes(Tree::build(run)),
            Stage::SelfTimes(tree) => {
                let self_times = timing::self_times(run, &tree);
                Stage::CriticalPath(tree, self_times)
            }
            Stage::CriticalPath(tree, self_times) => {
                let sections = critical_path::critical_sections(run, &tree);
                Stage::Summary(tree, self_times, sections)
            }
            Stage::Summary(tree, self_times, sections) => {
                let summary = Box::new(summary::summarize(run, &tree, &cfg.prices));
                Stage::Anomalies(tree, self_times, sections, summary)
            }
            Stage::Anomalies(tree, self_times, critical_sections, summary) => {
                let anomalies = anomaly::detect(run, &tree, &summary, &cfg.thresholds);
                Stage::Done(Box::new(RunAnalysis {
                    critical_path: critical_path::spans_of(&critical_sections),
                    tree,
                    self_times,
                    critical_sections,
                    summary: *summary,
                    anomalies,
                }))
            }
            done @ Stage::Done(_) => {
                self.state = done;
                return false;
            }
        };
        true
    }

    /// Runs the stages left and hands back the analysis.
    pub fn finish(mut self) -> RunAnalysis {
        loop {
            match self.state {
                Stage::Done(analysis) => return *analysis,
                other => {
                    self.state = other;
                    self.step();
                }
            }
        }
    }
}
