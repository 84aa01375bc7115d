//! Which spans are rows of the waterfall, in which order: tree order, minus collapsed subtrees,
//! narrowed by search and filters. Pure, so it is tested natively and runs in O(n) at 1M spans.

use super::fold::fold;
use crate::fasthash::FastSet;
use crate::model::{AttrValue, Span, SpanIdx, SpanKind, Status};

/// A parsed search: free text matches name, kind, status, model, tool and attribute keys and
/// values; `key=value` matches one attribute (key and value as case-insensitive substrings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    text: Needle,
    key: Option<Needle>,
}

/// A lower-cased search text. When it is ASCII (nearly always), spans are compared with it byte
/// by byte, ignoring ASCII case, without lower-casing a copy of every name and attribute: that
/// was ~15 million allocations per keystroke at a million spans.
#[derive(Debug, Clone, Default, PartialEq)]
struct Needle {
    lower: String,
    ascii: bool,
}

impl Needle {
    fn new(text: &str) -> Needle {
        let lower = fold(text);
        let ascii = lower.is_ascii();
        Needle { lower, ascii }
    }

    fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// `hay` contains this text, ignoring case. An ASCII needle can only match ASCII bytes of
    /// `hay` (UTF-8 continuation and lead bytes are never ASCII), so ASCII folding is exact
    /// there but for the one non-ASCII letter [`fold`] makes ASCII (İ, to i).
    fn found_in(&self, hay: &str) -> bool {
        if !self.ascii {
            return fold(hay).contains(self.lower.as_str());
        }
        let (h, n) = (hay.as_bytes(), self.lower.as_bytes());
        let Some((&first, rest)) = n.split_first() else {
            return true;
        };
        if h.len() < n.len() {
            return false;
        }
        let upper = first.to_ascii_uppercase();
        (0..=h.len() - n.len()).any(|i| {
            (h[i] == first || h[i] == upper)
                && h[i + 1..i + n.len()]
                    .iter()
                    .zip(rest)
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
    }

    /// An attribute value's text contains this text: strings as they are, other values as
    /// written (`42`, `true`).
    fn found_in_value(&self, v: &AttrValue) -> bool {
        match v {
            AttrValue::Str(s) => self.found_in(s),
            AttrValue::Bool(b) => self.found_in(if *b { "true" } else { "false" }),
            AttrValue::Int(i) => self.found_in(decimal(*i, &mut [0; 20])),
            other => self.found_in(&other.to_text()),
        }
    }
}

/// `i` written in decimal into `buf`, as `to_text` writes it, without allocating (token counts
/// and status codes are most of a run's non-text attributes).
fn decimal(i: i64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    let mut n = i.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

impl Query {
    pub fn parse(q: &str) -> Query {
        let q = q.trim();
        match q.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.contains(' ') => Query {
                text: Needle::new(v.trim()),
                key: Some(Needle::new(k.trim())),
            },
            _ => Query {
                text: Needle::new(q),
                key: None,
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.key.is_none()
    }

    /// Whether a span matches; case-insensitive.
    pub fn matches(&self, span: &Span) -> bool {
        let text = &self.text;
        if let Some(key) = &self.key {
            return span
                .attrs
                .iter()
                .any(|a| key.found_in(&a.key) && text.found_in_value(&a.value));
        }
        let t = text.lower.as_str();
        let has = |s: &str| text.found_in(s);
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
            || (span.id.len() == t.len() && has(&span.id))
            || span
                .attrs
                .iter()
                .any(|a| has(&a.key) || text.found_in_value(&a.value))
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
    fn narrows(&self, hits: Option<&[bool]>) -> bool {
        self.kind.is_some() || self.errors_only || (self.matches_only && hits.is_some())
    }

    fn keeps(&self, span: &Span, hit: bool) -> bool {
        self.kind.is_none_or(|k| span.kind == k)
            && (!self.errors_only || span.status == Status::Error)
            && (!self.matches_only || hit)
    }
}

/// Marks which of `spans[from..]` match `query`, one flag per span in `found`. A search is done
/// once, in pieces, apart from the row pass: over a million spans it takes about half a second
/// in the page, so the page searches piece by piece and rests between pieces, and collapsing a
/// subtree or toggling "Matches only" afterwards reads the flags instead of searching again.
pub fn find_hits(spans: &[Span], query: &Query, from: usize, found: &mut [bool]) {
    for (slot, span) in found.iter_mut().zip(spans.get(from..).unwrap_or_default()) {
        *slot = query.matches(span);
    }
}

/// [`find_hits`] over the whole run in one piece (small runs, the CLI, tests, benchmarks).
pub fn hits(spans: &[Span], query: &Query) -> Vec<bool> {
    let mut found = vec![false; spans.len()];
    find_hits(spans, query, 0, &mut found);
    found
}

/// The rows to draw and which of them match the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub rows: Vec<SpanIdx>,
    /// Span indices (not row positions) that match the search, in row order.
    pub matches: Vec<SpanIdx>,
}

/// Computes the waterfall rows. `preorder` and `depth` come from the analysis tree, `parent`
/// gives each span's parent in that tree (orphans hang under the root). `hits` are the search's
/// flags from [`find_hits`], `None` while there is no search or it is not done yet: then
/// nothing is marked as a match and "Matches only" hides nothing.
pub fn visible_rows(
    spans: &[Span],
    preorder: &[SpanIdx],
    depth: &[u32],
    parent: &[Option<SpanIdx>],
    collapsed: &FastSet<SpanIdx>,
    filter: &RowFilter,
    hits: Option<&[bool]>,
) -> Rows {
    let hit = |i: usize| hits.is_some_and(|h| h.get(i).copied().unwrap_or(false));
    // Which spans survive the filters: the kept ones plus their ancestors.
    let keep: Option<Vec<bool>> = filter.narrows(hits).then(|| {
        let mut keep = vec![false; spans.len()];
        for (i, s) in spans.iter().enumerate() {
            if filter.keeps(s, hit(i)) {
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
        if hit(idx as usize) {
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
    use proptest::prelude::*;

    proptest! {
        /// The byte-wise comparison finds exactly what lower-casing both sides finds, for
        /// ASCII and non-ASCII searches over text mixing both.
        #[test]
        fn search_text_matches_as_lower_casing_would(
            hay in "[aAbBzZ09 _.=ÉéßКкİ]{0,12}",
            needle in "[aAbBzZ09 _.=ÉéßКк]{0,4}",
        ) {
            let expected = fold(&hay).contains(&fold(&needle));
            prop_assert_eq!(Needle::new(&needle).found_in(&hay), expected);
        }
    }

    proptest! {
        #[test]
        fn integers_are_searched_as_written(i in any::<i64>()) {
            let mut buf = [0; 20];
            prop_assert_eq!(decimal(i, &mut buf), AttrValue::Int(i).to_text());
        }
    }

    #[test]
    fn search_ignores_case_in_names_and_attribute_values_of_every_type() {
        let mut s = span("Chat GPT-4o", SpanKind::Llm, None);
        s.attrs = vec![
            Attr::new("http.status_code", AttrValue::Int(503)),
            Attr::new("Région", AttrValue::Str("Île-de-France".into())),
        ];
        for (q, hit) in [
            ("chat gpt", true),
            ("GPT-4O", true),
            ("503", true),
            ("status_code=50", true),
            ("STATUS_CODE=503", true),
            ("région=ÎLE", true),
            ("île-de", true),
            ("status_code=404", false),
            ("paris", false),
        ] {
            assert_eq!(Query::parse(q).matches(&s), hit, "{q}");
        }
    }

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
        let collapsed = FastSet::from_iter([1]);
        let r = visible_rows(&s, &pre, &d, &p, &collapsed, &RowFilter::default(), None);
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
        let found = hits(&s, &filter.query);
        let r = visible_rows(&s, &pre, &d, &p, &FastSet::default(), &filter, Some(&found));
        assert_eq!(r.rows, vec![0, 3]);
        assert_eq!(r.matches, vec![3]);
        let filter = RowFilter {
            query: Query::parse("A1"),
            matches_only: true,
            ..Default::default()
        };
        let found = hits(&s, &filter.query);
        let r = visible_rows(&s, &pre, &d, &p, &FastSet::default(), &filter, Some(&found));
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
            visible_rows(&s, &pre, &d, &p, &FastSet::default(), &tools, None).rows,
            vec![0, 1, 2, 3]
        );
        let errors = RowFilter {
            errors_only: true,
            ..Default::default()
        };
        assert_eq!(
            visible_rows(&s, &pre, &d, &p, &FastSet::default(), &errors, None).rows,
            vec![0, 3]
        );
    }

    #[test]
    fn a_search_found_in_pieces_equals_one_search_and_marks_nothing_until_found() {
        let (mut s, pre, d, p) = fixture();
        for i in 0..50u32 {
            s.push(span(&format!("call {i}"), SpanKind::Llm, Some(1)));
        }
        let (mut pre, mut d, mut p) = (pre, d, p);
        for i in 4..s.len() as u32 {
            pre.insert(2, i);
            d.push(2);
            p.push(Some(1));
        }
        let query = Query::parse("call 1");
        let whole = hits(&s, &query);
        assert_eq!(whole.iter().filter(|&&h| h).count(), 11); // call 1, call 10..19
        for piece in [1, 3, 7, 64] {
            let mut found = vec![false; s.len()];
            for from in (0..s.len()).step_by(piece) {
                let to = (from + piece).min(s.len());
                find_hits(&s, &query, from, &mut found[from..to]);
            }
            assert_eq!(found, whole, "pieces of {piece}");
        }
        let filter = RowFilter {
            query,
            matches_only: true,
            ..Default::default()
        };
        let pending = visible_rows(&s, &pre, &d, &p, &FastSet::default(), &filter, None);
        assert_eq!(pending.rows.len(), s.len());
        assert!(pending.matches.is_empty());
        let done = visible_rows(&s, &pre, &d, &p, &FastSet::default(), &filter, Some(&whole));
        assert_eq!(done.matches.len(), 11);
        assert_eq!(done.rows.len(), 11 + 2); // the matches under a(1), and root(0) and a(1)
    }
}
