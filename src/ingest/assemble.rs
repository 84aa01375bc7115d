//! Assembly: merges the runs of newly read files into the workspace (runs with the same id are
//! one run, wherever their spans came from), drops exact copies of spans a second file repeats,
//! resolves parents, and repairs what cannot be drawn (orphans, cycles, ends before starts,
//! absurd numbers), flagging every repair on the span and telling the user once per kind.
//!
//! Incremental: only runs touched by the new files are re-resolved, and a repair already
//! reported when an earlier file was loaded is not reported again.

use super::{repair, Fragment};
use crate::fasthash::{FastMap, IdIndex};
use crate::model::{flags, Format, Run, RunStatus, Span, SpanIdx, Status, Workspace};
use crate::pace::Pace;

/// Merges fragments into `ws` and returns their side records for `seed_join::join`.
pub fn merge(ws: &mut Workspace, fragments: Vec<Fragment>) -> Vec<super::seed_join::Pending> {
    crate::pace::block_on(merge_paced(ws, fragments, &mut Pace::never()))
}

/// [`merge`], resting as `pace` says: a touched run's checks take about a second at a million
/// spans, and the page rests between slices of them so it can paint.
pub async fn merge_paced(
    ws: &mut Workspace,
    fragments: Vec<Fragment>,
    pace: &mut Pace<'_>,
) -> Vec<super::seed_join::Pending> {
    let (touched, pending) = absorb_fragments(ws, fragments);
    let mut report = repair::Report::default();
    for (idx, old_len) in touched {
        let Some(run) = ws.runs.get_mut(idx) else {
            continue;
        };
        let parents = drop_copies_and_flag_duplicates(run, old_len, &mut report, pace).await;
        pace.point().await;
        for span in run.spans.iter_mut().skip(old_len) {
            repair::check_span(span, &run.id, &mut report);
            pace.tick().await;
        }
        resolve_parents(run, &mut report, parents, pace).await;
        fill_run(run, pace).await;
    }
    ws.problems.extend(report.into_problems(&ws.files));
    crate::sorting::sort_by(&mut ws.runs, by_start);
    pending
}

/// Moves the fragments' runs into `ws` (runs with one id become one run). Returns the touched
/// runs, each as (index in `ws.runs`, span count before this batch), and the side records.
fn absorb_fragments(
    ws: &mut Workspace,
    fragments: Vec<Fragment>,
) -> (Vec<(usize, usize)>, Vec<super::seed_join::Pending>) {
    let mut index: FastMap<String, usize> = ws
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let mut touched: Vec<(usize, usize)> = Vec::new();
    let mut pending = Vec::new();
    for fragment in fragments {
        pending.extend(fragment.pending);
        for run in fragment.runs {
            let idx = match index.get(&run.id) {
                Some(&i) => i,
                None => {
                    index.insert(run.id.clone(), ws.runs.len());
                    ws.runs.push(Run {
                        id: run.id.clone(),
                        ..Run::default()
                    });
                    ws.runs.len() - 1
                }
            };
            if !touched.iter().any(|&(i, _)| i == idx) {
                touched.push((idx, ws.runs[idx].spans.len()));
            }
            if let Some(target) = ws.runs.get_mut(idx) {
                absorb(target, run);
            }
        }
    }
    (touched, pending)
}

/// The run list's order: by start, runs without a start last. One function for both places that
/// sort runs, so they share one copy of the sort's glue code.
pub(crate) fn by_start(a: &Run, b: &Run) -> std::cmp::Ordering {
    let key = |r: &Run| (r.start_ns.is_none(), r.start_ns.unwrap_or(0));
    key(a).cmp(&key(b))
}

/// Moves `run`'s records into `target`, keeping side records pointing at the right spans.
fn absorb(target: &mut Run, mut run: Run) {
    let offset = target.spans.len() as SpanIdx;
    // Attributes (OTLP: the resource) that disagree with the run's stay with their spans.
    let conflict = run.attributes.iter().any(|a| {
        target
            .attributes
            .iter()
            .any(|t| t.key == a.key && t.value != a.value)
    });
    if conflict && !target.spans.is_empty() {
        for span in &mut run.spans {
            for a in &run.attributes {
                let key = format!("resource.{}", a.key);
                if !span.attrs.iter().any(|s| s.key == key) {
                    span.attrs
                        .push(crate::model::Attr::new(key, a.value.clone()));
                }
            }
        }
    }
    for a in run.attributes {
        if !target.attributes.iter().any(|t| t.key == a.key) {
            target.attributes.push(a);
        }
    }
    let shift = |span: &mut Option<SpanIdx>| {
        if let Some(s) = span {
            *s += offset;
        }
    };
    run.decisions.iter_mut().for_each(|d| shift(&mut d.span));
    run.signals.iter_mut().for_each(|d| shift(&mut d.span));
    run.failures.iter_mut().for_each(|d| shift(&mut d.span));
    run.logs.iter_mut().for_each(|d| shift(&mut d.span));
    if target.spans.is_empty() {
        target.spans = std::mem::take(&mut run.spans); // a new run: no copy
    } else {
        target.spans.append(&mut run.spans);
    }
    target.decisions.append(&mut run.decisions);
    target.signals.append(&mut run.signals);
    target.failures.append(&mut run.failures);
    target.logs.append(&mut run.logs);
    target.metrics.append(&mut run.metrics);

    if target.name.is_empty() {
        target.name = run.name;
    }
    target.format = target.format.or(run.format);
    fill(&mut target.agent_id, run.agent_id);
    fill(&mut target.agent_version, run.agent_version);
    fill(&mut target.environment, run.environment);
    fill(&mut target.status_text, run.status_text);
    if target.status == RunStatus::Unknown {
        target.status = run.status;
    }
    target.start_ns = min_some(target.start_ns, run.start_ns);
    target.end_ns = target.end_ns.max(run.end_ns);
    fill(&mut target.reported_input_tokens, run.reported_input_tokens);
    fill(
        &mut target.reported_output_tokens,
        run.reported_output_tokens,
    );
    fill(&mut target.reported_cost_usd, run.reported_cost_usd);
    for f in run.files {
        if !target.files.contains(&f) {
            target.files.push(f);
        }
    }
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Spans from `old_len` on are new. A new span with the id of an earlier one is dropped when it
/// is an exact copy from another file (two exports of the same trace overlap); otherwise both
/// are kept and flagged.
/// Returns each span's parent looked up by id (see [`parent_lookup`]) when no span was removed,
/// so the parents need not be looked up in a second map of every id (a million at 1M spans).
async fn drop_copies_and_flag_duplicates(
    run: &mut Run,
    old_len: usize,
    report: &mut repair::Report,
    pace: &mut Pace<'_>,
) -> Option<Vec<Option<usize>>> {
    let mut first = IdIndex::with_capacity(run.spans.len());
    let mut copies: Vec<(usize, usize)> = Vec::new(); // (dropped, kept)
    let mut dups: Vec<(usize, usize)> = Vec::new();
    for (i, s) in run.spans.iter().enumerate() {
        pace.tick().await;
        let j = first.first_or_insert(&s.id, i);
        if j == i {
            continue;
        }
        if i < old_len {
            continue; // both were there before: already handled
        }
        match run.spans.get(j) {
            Some(kept) if kept.origin.file != s.origin.file && same_content(kept, s) => {
                copies.push((i, j))
            }
            _ => dups.push((j, i)),
        }
    }
    pace.point().await;
    let parents = if copies.is_empty() {
        Some(parent_lookup(&run.spans, &first, pace).await)
    } else {
        None
    };
    drop(first);
    for &(j, i) in &dups {
        for k in [j, i] {
            if let Some(s) = run.spans.get_mut(k) {
                s.flags |= flags::DUPLICATE_ID;
            }
        }
        if let Some(s) = run.spans.get(i) {
            report.add(repair::Kind::DuplicateId, &run.id, s);
        }
    }
    if copies.is_empty() {
        return parents;
    }
    // Say so: a span count in must equal a span count shown, or the difference be explained.
    for &(i, _) in &copies {
        if let Some(s) = run.spans.get(i) {
            report.add(repair::Kind::Copy, &run.id, s);
        }
    }
    // Remove the copies, then re-point side records at the surviving spans.
    let mut map: Vec<Option<SpanIdx>> = Vec::with_capacity(run.spans.len());
    let mut dropped = vec![false; run.spans.len()];
    for &(i, _) in &copies {
        if let Some(d) = dropped.get_mut(i) {
            *d = true;
        }
    }
    let mut next: SpanIdx = 0;
    for &d in &dropped {
        map.push((!d).then_some(next));
        if !d {
            next += 1;
        }
    }
    for &(i, kept) in &copies {
        let target = map.get(kept).copied().flatten();
        if let Some(slot) = map.get_mut(i) {
            *slot = target;
        }
    }
    let mut keep = dropped.iter().map(|d| !d);
    run.spans.retain(|_| keep.next().unwrap_or(true));
    let remap = |span: &mut Option<SpanIdx>| {
        *span = span.and_then(|s| map.get(s as usize).copied().flatten());
    };
    run.decisions.iter_mut().for_each(|d| remap(&mut d.span));
    run.signals.iter_mut().for_each(|d| remap(&mut d.span));
    run.failures.iter_mut().for_each(|d| remap(&mut d.span));
    run.logs.iter_mut().for_each(|d| remap(&mut d.span));
    None
}

/// Each span's parent by id, from a map of each id to its first span: `Some(usize::MAX)` for no
/// parent id, `None` for a parent id no span has.
async fn parent_lookup(
    spans: &[Span],
    first: &IdIndex<'_>,
    pace: &mut Pace<'_>,
) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(spans.len());
    for s in spans {
        out.push(match s.parent_id.as_deref() {
            Some(p) => first.get(p),
            None => Some(usize::MAX),
        });
        pace.tick().await;
    }
    out
}

/// The same span in every field but where it was read from (and what loading derived).
fn same_content(a: &Span, b: &Span) -> bool {
    let mut b = b.clone();
    b.origin = a.origin;
    b.parent = a.parent;
    b.flags = a.flags;
    *a == b
}

/// Resolves every span's parent index; flags (and reports once) orphans and cut cycles.
async fn resolve_parents(
    run: &mut Run,
    report: &mut repair::Report,
    known: Option<Vec<Option<usize>>>,
    pace: &mut Pace<'_>,
) {
    let n = run.spans.len();
    let was: Vec<u8> = run.spans.iter().map(|s| s.flags).collect();
    let parents: Vec<Option<usize>> = match known {
        Some(known) => known,
        None => {
            let mut first = IdIndex::with_capacity(n);
            for (i, s) in run.spans.iter().enumerate() {
                first.first_or_insert(&s.id, i);
                pace.tick().await;
            }
            parent_lookup(&run.spans, &first, pace).await
        }
    };
    // usize::MAX marks "no parent id"; None marks "parent id not found".
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(n);
    for (s, p) in run.spans.iter_mut().zip(&parents) {
        pace.tick().await;
        s.flags &= !(flags::ORPHAN | flags::CYCLE_CUT);
        match p {
            Some(usize::MAX) => parent.push(None),
            Some(i) => parent.push(Some(*i)),
            None => {
                s.flags |= flags::ORPHAN;
                parent.push(None);
            }
        }
    }
    cut_cycles(&mut parent, &mut run.spans, pace).await;
    for (i, s) in run.spans.iter_mut().enumerate() {
        pace.tick().await;
        s.parent = parent.get(i).copied().flatten().map(|p| p as SpanIdx);
        let before = was.get(i).copied().unwrap_or(0);
        for (flag, kind) in [
            (flags::ORPHAN, repair::Kind::Orphan),
            (flags::CYCLE_CUT, repair::Kind::CycleCut),
        ] {
            if s.flags & flag != 0 && before & flag == 0 {
                report.add(kind, &run.id, s);
            }
        }
    }
}

/// Cuts one link in every parent loop (including a span that is its own parent), in O(n).
async fn cut_cycles(parent: &mut [Option<usize>], spans: &mut [Span], pace: &mut Pace<'_>) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut cur = start;
        while state.get(cur) == Some(&NEW) {
            state[cur] = ON_PATH;
            path.push(cur);
            match parent.get(cur).copied().flatten() {
                Some(p) if state.get(p) == Some(&ON_PATH) => {
                    parent[cur] = None;
                    if let Some(s) = spans.get_mut(cur) {
                        s.flags |= flags::CYCLE_CUT;
                    }
                    break;
                }
                Some(p) => cur = p,
                None => break,
            }
        }
        for &i in &path {
            state[i] = DONE;
        }
        path.clear();
        pace.tick().await;
    }
}

/// Fills what the source did not state from the spans: name, bounds, status.
async fn fill_run(run: &mut Run, pace: &mut Pace<'_>) {
    let derived = run.format == Some(Format::Otlp);
    // One pass: the earliest span without a parent id, else without a resolved parent (first
    // of equals), and the spans' extent.
    let (mut by_id, mut by_link): (Option<&Span>, Option<&Span>) = (None, None);
    let (mut lo, mut hi): (Option<i64>, Option<i64>) = (None, None);
    for s in &run.spans {
        let earlier = |best: Option<&Span>| best.is_none_or(|b| s.start_ns < b.start_ns);
        if s.parent_id.is_none() && earlier(by_id) {
            by_id = Some(s);
        }
        if s.parent.is_none() && earlier(by_link) {
            by_link = Some(s);
        }
        lo = Some(lo.map_or(s.start_ns, |v| v.min(s.start_ns)));
        let end = s.end_ns.unwrap_or(s.start_ns);
        hi = Some(hi.map_or(end, |v| v.max(end)));
        pace.tick().await;
    }
    if let Some(root) = by_id.or(by_link) {
        let (name, status, end) = (root.name.clone(), root.status, root.end_ns);
        if run.name.is_empty() || derived {
            run.name = name;
        }
        if run.status == RunStatus::Unknown || derived {
            run.status = match (status, end) {
                (Status::Error, _) => RunStatus::Failure,
                (_, None) => RunStatus::Running,
                (Status::Ok, _) => RunStatus::Success,
                _ => RunStatus::Unknown,
            };
        }
    }
    if run.start_ns.is_none() || derived {
        run.start_ns = lo;
    }
    if run.end_ns.is_none() || derived {
        run.end_ns = hi;
    }
}
