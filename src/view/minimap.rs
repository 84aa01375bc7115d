//! The minimap as a few rectangles, whatever the run's size: spans are binned into a grid of
//! pixel cells (rows × columns) with difference arrays, O(spans + cells), and each cell takes the
//! colour of its most common kind (red where an error covers it). A 100k-span run becomes at most
//! a few thousand rectangles instead of 100k canvas calls.

use crate::model::{Span, SpanIdx, SpanKind, Status};
use crate::num::clamp;

/// One horizontal run of same-coloured cells in pixel row `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Strip {
    pub y: u32,
    pub x0: u32,
    pub x1: u32,
    /// `None` means error (drawn red); otherwise the kind.
    pub kind: Option<SpanKind>,
}

/// Bins `rows` (spans in waterfall order) into a `width` × `height` grid over `[t0, t1]`.
pub fn strips(
    spans: &[Span],
    rows: &[SpanIdx],
    t0: i64,
    t1: i64,
    width: u32,
    height: u32,
) -> Vec<Strip> {
    let (w, h) = (width.max(1) as usize, height.max(1) as usize);
    let layers = SpanKind::ALL.len() + 1; // last layer: errors
    let mut diff = vec![0i32; layers * h * (w + 1)];
    let n = rows.len().max(1);
    let len = (t1 - t0).max(1) as f64;
    for (i, &idx) in rows.iter().enumerate() {
        let Some(s) = spans.get(idx as usize) else {
            continue;
        };
        let end = s.end_ns.unwrap_or(t1).max(s.start_ns);
        let x0 = clamp(
            (((s.start_ns - t0) as f64 / len) * w as f64).floor(),
            0.0,
            (w - 1) as f64,
        );
        let x0 = x0 as usize;
        let x1 = (((end - t0) as f64 / len) * w as f64).floor();
        let x1 = clamp(x1, x0 as f64, (w - 1) as f64) as usize;
        let y = i * h / n;
        let layer = if s.status == Status::Error {
            layers - 1
        } else {
            s.kind as usize
        };
        let base = (layer * h + y) * (w + 1);
        diff[base + x0] += 1;
        diff[base + x1 + 1] -= 1;
    }
    let mut out = Vec::new();
    let mut counts = vec![0i32; layers];
    for y in 0..h {
        counts.iter_mut().for_each(|c| *c = 0);
        let mut current: Option<(u32, Option<SpanKind>)> = None;
        for x in 0..=w {
            let cell = if x < w {
                for (layer, c) in counts.iter_mut().enumerate() {
                    *c += diff[(layer * h + y) * (w + 1) + x];
                }
                colour_of(&counts)
            } else {
                None
            };
            if current.map(|(_, k)| k) != cell {
                if let Some((x0, kind)) = current.take() {
                    let (y, x1) = (y as u32, x as u32);
                    out.push(Strip { y, x0, x1, kind });
                }
                current = cell.map(|kind| (x as u32, kind));
            }
        }
    }
    out
}

/// A cell's colour from its per-layer span counts: `None` when empty, `Some(None)` for an
/// error, else the most common kind.
fn colour_of(counts: &[i32]) -> Option<Option<SpanKind>> {
    let (errors, kinds) = counts.split_last()?;
    if *errors > 0 {
        return Some(None);
    }
    let (best, count) = kinds.iter().enumerate().max_by_key(|(_, c)| **c)?;
    (*count > 0).then(|| SpanKind::ALL.get(best).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: SpanKind, start: i64, end: i64, error: bool) -> Span {
        Span {
            kind,
            start_ns: start,
            end_ns: Some(end),
            status: if error { Status::Error } else { Status::Ok },
            ..Default::default()
        }
    }

    #[test]
    fn spans_become_strips_per_pixel_row() {
        let spans = vec![
            span(SpanKind::Agent, 0, 100, false),
            span(SpanKind::Llm, 0, 50, false),
            span(SpanKind::Tool, 50, 100, true),
        ];
        // Three rows on three pixel rows, ten columns.
        let s = strips(&spans, &[0, 1, 2], 0, 100, 10, 3);
        assert_eq!(
            s,
            vec![
                Strip {
                    y: 0,
                    x0: 0,
                    x1: 10,
                    kind: Some(SpanKind::Agent)
                },
                Strip {
                    y: 1,
                    x0: 0,
                    x1: 6,
                    kind: Some(SpanKind::Llm)
                },
                Strip {
                    y: 2,
                    x0: 5,
                    x1: 10,
                    kind: None
                },
            ]
        );
    }

    #[test]
    fn a_hundred_thousand_spans_make_few_strips() {
        let spans: Vec<Span> = (0..100_000)
            .map(|i| span(SpanKind::Llm, i * 10, i * 10 + 5, false))
            .collect();
        let rows: Vec<SpanIdx> = (0..100_000).collect();
        let s = strips(&spans, &rows, 0, 1_000_000, 1000, 40);
        assert!(s.len() <= 40 * 2, "{}", s.len());
    }
}
