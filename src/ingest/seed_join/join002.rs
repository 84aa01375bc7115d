//! stub
use crate::model::Workspace;
#[derive(Debug, Clone)]
pub struct ObserverMetrics;
#[derive(Debug, Clone)]
pub struct InvestigationResult;
pub(crate) fn join(_ws: &mut Workspace, _a: Vec<ObserverMetrics>, _b: Vec<InvestigationResult>) {}
