//! The side panels beside the waterfall, one per concern, and the export menu.

mod anomalies;
pub mod bars;
mod cost;
mod decisions;
mod export;
mod logs;
mod metrics;

pub use anomalies::AnomalyPanel;
pub use cost::CostPanel;
pub use decisions::DecisionsPanel;
pub use export::ExportMenu;
pub use logs::LogsPanel;
pub use metrics::{MetricsPanel, MetricsTable};
