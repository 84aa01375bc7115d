//! Which spans' token usage and reported cost count, so each model call is counted once.
//!
//! Many exporters put a total on an agent or chain span that already sums its children's model
//! calls (Langfuse traces, OpenInference agents). Adding both would double the figures, so a
//! span's usage counts only where no descendant carries usage; the same rule, separately, for
//! reported cost.

use super::cost::{PriceTable, TokenCounts};
use super::tree::Tree;
use crate::fasthash::FastMap;
use crate::model::{Span, SpanIdx, SpanKind, Usage};
use crate::pace::Pace;

/// Per-span figures after the no-double-count rule.
#[derive(Debug, Clone, Default)]
pub struct SpanFigures {
    /// This span's usage counts toward the run's totals.
    pub usage_counted: Vec<bool>,
    /// This span's reported cost counts toward the run's reported total.
    pub reported_counted: Vec<bool>,
    /// Tokens counted at this span (0 where not counted).
    pub tokens: Vec<u64>,
    /// Cost at this span: computed where the model has a price, else its counted reported cost,
    /// else 0. Used for waste and per-step deltas.
    pub cost_usd: Vec<f64>,
    /// Computed cost at this span where a price was found.
    pub computed_usd: Vec<Option<f64>>,
}

/// Total tokens of one usage record: the stated total when there is no split.
pub fn usage_total(u: &Usage) -> u64 {
    match (u.input, u.output) {
        (None, None) => u.total.or(u.reasoning).unwrap_or(0),
        (i, o) => i.unwrap_or(0) + o.unwrap_or(0),
    }
}

pub fn token_counts(u: &Usage) -> TokenCounts {
    TokenCounts {
        input: u.input.unwrap_or(0),
        output: u.output.unwrap_or(0),
        cache_read: u.cache_read.unwrap_or(0),
        cache_write: u.cache_write.unwrap_or(0),
        reasoning: u.reasoning.unwrap_or(0),
        has_output: u.output.is_some(),
    }
}

/// Whether a usage record can be priced: a total alone has no input/output split.
fn priceable(u: &Usage) -> bool {
    u.input.is_some() || u.output.is_some() || u.reasoning.is_some()
}

/// Result of pricing: per-model price lookups cached by model name.
pub struct Pricing<'a> {
    table: &'a PriceTable,
    cache: FastMap<&'a str, Option<crate::analysis::cost::Price>>,
}

impl<'a> Pricing<'a> {
    pub fn new(table: &'a PriceTable) -> Self {
        Pricing {
            table,
            cache: FastMap::default(),
        }
    }

    pub fn price(&mut self, model: &'a str) -> Option<crate::analysis::cost::Price> {
        let table = self.table;
        *self
            .cache
            .entry(model)
            .or_insert_with(|| table.lookup(model).map(|(_, p)| p))
    }
}

/// Which spans count: those that carry the figure (`has`) while none of their descendants do.
/// Bottom-up over the tree's pre-order, reading only flags and parents.
async fn counted(tree: &Tree, has: &[bool], pace: &mut Pace<'_>) -> Vec<bool> {
    let n = has.len();
    let mut below = vec![false; n];
    let mut out = vec![false; n];
    for &i in tree.preorder.iter().rev() {
        pace.tick().await;
        let i = i as usize;
        out[i] = has[i] && !below[i];
        if let Some(p) = tree.parent[i] {
            below[p as usize] |= below[i] || has[i];
        }
    }
    out
}

/// What the cost figures need from a span that carries usage or a reported cost, copied out in
/// the summary's single pass so the spans are not read again.
#[derive(Debug, Clone, Copy)]
pub struct UsageRow<'a> {
    pub idx: SpanIdx,
    pub usage: Usage,
    pub reported: Option<f64>,
    pub model: Option<&'a str>,
    pub kind: SpanKind,
}

impl<'a> UsageRow<'a> {
    pub fn of(idx: SpanIdx, s: &'a Span) -> Option<UsageRow<'a>> {
        if s.usage.is_empty() && s.reported_cost_usd.is_none() {
            return None;
        }
        Some(UsageRow {
            idx,
            usage: s.usage,
            reported: s.reported_cost_usd,
            model: s.model.as_deref(),
            kind: s.kind,
        })
    }
}

/// Fills the per-span figures for the spans whose usage or reported cost counts.
pub async fn span_figures<'a>(
    n: usize,
    tree: &Tree,
    rows: &[UsageRow<'a>],
    pricing: &mut Pricing<'a>,
    pace: &mut Pace<'_>,
) -> SpanFigures {
    let mut has_usage = vec![false; n];
    let mut has_cost = vec![false; n];
    for r in rows {
        has_usage[r.idx as usize] = !r.usage.is_empty();
        has_cost[r.idx as usize] = r.reported.is_some();
    }
    let mut f = SpanFigures {
        usage_counted: counted(tree, &has_usage, pace).await,
        reported_counted: counted(tree, &has_cost, pace).await,
        tokens: vec![0; n],
        cost_usd: vec![0.0; n],
        computed_usd: vec![None; n],
    };
    for r in rows {
        pace.tick().await;
        let i = r.idx as usize;
        if f.usage_counted[i] {
            f.tokens[i] = usage_total(&r.usage);
            if priceable(&r.usage) {
                if let Some(p) = r.model.and_then(|m| pricing.price(m)) {
                    let c = PriceTable::cost(&p, &token_counts(&r.usage));
                    f.computed_usd[i] = Some(c);
                    f.cost_usd[i] = c;
                }
            }
        }
        if f.reported_counted[i] && f.computed_usd[i].is_none() {
            f.cost_usd[i] = r.reported.unwrap_or(0.0);
        }
    }
    f
}
