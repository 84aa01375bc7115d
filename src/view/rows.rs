//! Which spans are rows of the waterfall, in which order: tree order, minus collapsed subtrees,
//! narrowed by search and filters. Pure, so it is tested natively and runs in O(n) at 1M spans.

use crate::model::{Span, SpanIdx, SpanKind, Status};
use std::collections::HashSet;

/// A parsed search: free text matches name, kind, status, model, tool and attribute keys and
/// values; `key=value` matches one attribute (key and value as case-insensitive substrings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    text: String,
    key: Option<String>,
}

impl Query {
    pub fn parse(q: &str) -> Query {
        let q = q.trim();
        match q.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.contains(' ') => Query {
                text: v.trim().to_lowercase(),
                key: Some(k.trim().to_lowercase()),
            },
            _ => Query {
                text: q.to_lowercase(),
                key: None,
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.key.is_none()
    }

    /// Whether a span matches; case-insensitive.
    pub fn matches(&self, span: &Span) -> bool {
        if let Some(key) = &self.key {
            return span.attrs.iter().any(|a| {
                a.key.to_lowercase().contains(key.as_str())
                    && a.value
                        .to_text()
                        .to_lowercase()
                        .contains(self.text.as_str())
            });
        }
        let t = self.text.as_str();
        let has = |s: &str| s.to_lowercase().contains(t);
        has(&span.name)
            || span.kind.as_str() == t
            || (t == "error" && span.status == Status::Error)
            || span.status_text.as_deref().is_some_and(has)
            || span.model.as_deref().is_some_and(has)
            || span.error_message.as_deref().is_some_and(has)
            || span.tool.as_ref().is_some_and(|tc| {
                has(&tc.name)
                    || tc.arguments.as_deref().is_some_and(has)
                    || tc.result.as_deref().is_some_and(has)
            })
            || span.id.to_lowercase() == t
            || span
                .attrs
                .iter()
                .any(|a| has(&a.key) || has(&a.value.to_text()))
    }
}

/// Filters that narrow the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowFilter {
    pub query: Query,
    pub kind: Option<SpanKind>,
    pub errors_only: bool,
    /// Keep only matches (and their ancestors, so the tree still reads).
    pub matches_only: bool,
}

impl RowFilter {
    fn narrows(&self) -> bool {
        self.kind.is_some() || self.errors_only || (self.matches_only && !self.query.is_empty())
    }

    fn keeps(&self, span: &Span) -> bool {
        self.kind.is_none_or(|k| span.kind == k)
            && (!self.errors_only || span.status == Status::Error)
            && (!self.matches_only || self.query.is_empty() || self.query.matches(span))
    }
}

/// The rows to draw and which of them match the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub rows: Vec<SpanIdx>,
    /// Span indices (not row positions) that match the search, in row order.
    pub matches: Vec<SpanIdx>,
}

/// Computes the waterfall rows. `preorder` and `depth` come from the analysis tree, `parent`
/// gives each span's parent in that tree (orphans hang under the root).
pub fn visible_rows(
    spans: &[Span],
    preorder: &[SpanIdx],
    depth: &[u32],
    parent: &[Option<SpanIdx>],
    collapsed: &HashSet<SpanIdx>,
    filter: &RowFilter,
) -> Rows {
    // Which spans survive the filters: the kept ones plus their ancestors.
    let keep: Option<Vec<bool>> = filter.narrows().then(|| {
        let mut keep = vec![false; spans.len()];
        for (i, s) in spans.iter().enumerate() {
            if filter.keeps(s) {
                let mut cur = Some(i as SpanIdx);
                while let Some(c) = cur {
                    let slot = &mut keep[c as usize];
                    if *slot && c as usize != i {
                        break;
                    }
                    *slot = true;
                    cur = parent.get(c as usize).copied().flatten();
                }
            }
        }
        keep
    });
    let mut out = Rows::default();
    let mut skip_below: Option<u32> = None;
    for &idx in preorder {
        let d = depth.get(idx as usize).copied().unwrap_or(0);
        if let Some(limit) = skip_below {
            if d > limit {
                continue;
            }
            skip_below = None;
        }
        if keep.as_ref().is_some_and(|k| !k[idx as usize]) {
            continue;
        }
        out.rows.push(idx);
        if !filter.query.is_empty() && filter.query.matches(&spans[idx as usize]) {
            out.matches.push(idx);
        }
        if collapsed.contains(&idx) {
            skip_below = Some(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, AttrValue};

    fn span(name: &str, kind: SpanKind, parent: Option<u32>) -> Span {
        Span {
            name: name.into(),
            kind,
            parent,
            ..Default::default()
        }
    }

    /// root(0) → a(1) → a1(2); root → b(3, error, attr city=Paris)
    fn fixture() -> (Vec<Span>, Vec<u32>, Vec<u32>, Vec<Option<u32>>) {
        let mut b = span("b", SpanKind::Tool, Some(0));
        b.status = Status::Error;
        b.attrs
            .push(Attr::new("city", AttrValue::Str("Paris".into())));
        let spans = vec![
            span("root", SpanKind::Agent, None),
            span("a", SpanKind::Llm, Some(0)),
            span("a1", SpanKind::Tool, Some(1)),
            b,
        ];
        let parent = spans.iter().map(|s| s.parent).collect();
        (spans, vec![0, 1, 2, 3], vec![0, 1, 2, 1], parent)
    }

    #[test]
    fn collapse_hides_the_subtree_only() {
        let (s, pre, d, p) = fixture();
        let collapsed = HashSet::from([1]);
        let r = visible_rows(&s, &pre, &d, &p, &collapsed, &RowFilter::default());
        assert_eq!(r.rows, vec![0, 1, 3]);
    }

    #[test]
    fn matches_only_keeps_ancestors() {
        let (s, pre, d, p) = fixture();
        let filter = RowFilter {
            query: Query::parse("city=par"),
            matches_only: true,
            ..Default::default()
        };
        let r = visible_rows(&s, &pre, &d, &p, &HashSet::new(), &filter);
        assert_eq!(r.rows, vec![0, 3]);
        assert_eq!(r.matches, vec![3]);
        let filter = RowFilter {
            query: Query::parse("A1"),
            matches_only: true,
            ..Default::default()
        };
        let r = visible_rows(&s, &pre, &d, &p, &HashSet::new(), &filter);
        assert_eq!(r.rows, vec![0, 1, 2]);
    }

    #[test]
    fn kind_and_error_filters() {
        let (s, pre, d, p) = fixture();
        let tools = RowFilter {
            kind: Some(SpanKind::Tool),
            ..Default::default()
        };
        assert_eq!(
            visible_rows(&s, &pre, &d, &p, &HashSet::new(), &tools).rows,
            vec![0, 1, 2, 3]
        );
        let errors = RowFilter {
            errors_only: true,
            ..Default::default()
        };
        assert_eq!(
            visible_rows(&s, &pre, &d, &p, &HashSet::new(), &errors).rows,
            vec![0, 3]
        );
    }
}
