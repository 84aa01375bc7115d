//! stub
use crate::model::Workspace;
#[derive(Debug, Clone)]
pub struct ToolRecord;
#[derive(Debug, Clone)]
pub struct DecisionRecord;
#[derive(Debug, Clone)]
pub struct EventRecord;
pub(crate) fn join(
    _ws: &mut Workspace,
    _a: Vec<EventRecord>,
    _b: Vec<ToolRecord>,
    _c: Vec<DecisionRecord>,
) {
}
