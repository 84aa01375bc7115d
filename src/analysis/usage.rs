//! Which spans' token usage and reported cost count, so each model call is counted once.
//!
//! Many exporters put a total on an agent or chain span that already sums its children's model
//! calls (Langfuse traces, OpenInference agents). Adding both would double the figures, so a
//! span's usage counts only where no descendant carries usage; the same rule, separately, for
//! reported cost.

use super::cost::{PriceTable, TokenCounts};
use super::tree::Tree;
use crate::fasthash::FastMap;
use crate::model::{Span, SpanIdx, Usage};
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

/// Whether a span carries a figure the cost pass reads: usage or a reported cost. The summary's
/// single pass keeps the indices of those spans (4 bytes each, not a copy of their usage: at a
/// million spans a growing list of copies reached ~64 MB, and one doubling of it held the page
/// for over 100 ms in the browser).
pub fn carries_figures(s: &Span) -> bool {
    !s.usage.is_empty() || s.reported_cost_usd.is_some()
}

/// Fills the per-span figures for the spans whose usage or reported cost counts; `rows` are the
/// spans that [`carries_figures`], in index order.
pub async fn span_figures<'a>(
    spans: &'a [Span],
    tree: &Tree,
    rows: &[SpanIdx],
    pricing: &mut Pricing<'a>,
    pace: &mut Pace<'_>,
) -> SpanFigures {
    let n = spans.len();
    let mut has_usage = vec![false; n];
    let mut has_cost = vec![false; n];
    for &i in rows {
        let s = &spans[i as usize];
        has_usage[i as usize] = !s.usage.is_empty();
        has_cost[i as usize] = s.reported_cost_usd.is_some();
    }
    let mut f = SpanFigures {
        usage_counted: counted(tree, &has_usage, pace).await,
        reported_counted: counted(tree, &has_cost, pace).await,
        tokens: vec![0; n],
        cost_usd: vec![0.0; n],
        computed_usd: vec![None; n],
    };
    for &i in rows {
        pace.tick().await;
        let s = &spans[i as usize];
        let i = i as usize;
        if f.usage_counted[i] {
            f.tokens[i] = usage_total(&s.usage);
            if priceable(&s.usage) {
                if let Some(p) = s.model.as_deref().and_then(|m| pricing.price(m)) {
                    let c = PriceTable::cost(&p, &token_counts(&s.usage));
                    f.computed_usd[i] = Some(c);
                    f.cost_usd[i] = c;
                }
            }
        }
        if f.reported_counted[i] && f.computed_usd[i].is_none() {
            f.cost_usd[i] = s.reported_cost_usd.unwrap_or(0.0);
        }
    }
    f
}
