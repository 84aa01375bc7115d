//! Joins side files that name no run (seed 000 log/tokens/metrics, seed 002 logs and results,
//! seed 003 tools/decisions/events) to the runs they belong to, by time, order or session id.

/// A side batch waiting to be joined to a run once every file is assembled.
#[derive(Debug, Clone)]
pub enum Pending {}
