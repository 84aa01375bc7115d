//! Compare two runs: totals with deltas, the first divergence in words, and the aligned steps as
//! one table whose two waterfall columns share a time axis, so both runs scroll together.

use super::dom;
use super::more::show_more;
use super::state::AppState;
use super::state::Shared;
use crate::analysis::align::{align_analysed_paced, Alignment, RowKind};
use crate::analysis::bounds::RunBounds;
use crate::model::Status;
use crate::num::Fixed;
use crate::pace::Pace;
use crate::view::format;
use leptos::prelude::*;
use std::sync::Arc;

/// Aligned steps drawn when the page opens, and added by each "Show more"; the alignment itself
/// still counts every step. A row costs the page about 0.8 ms to build: drawing 3,000 at once
/// (the former cap) held it for 1.1 s comparing a 100,000-span run with a 20,000-span one.
pub const PAGE_ROWS: usize = 50;

#[component]
pub fn CompareView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pair = Memo::new(move |_| {
        let (a, b) = state.view.with(|v| (v.run.clone(), v.other.clone()));
        state.loaded.with(|l| {
            let ia = l.run_by_id(a.as_deref()?)?.0;
            let ib = l.run_by_id(b.as_deref()?)?.0;
            Some((ia, ib))
        })
    });
    // The alignment is made in slices (a million-span run took half a second in one piece), on
    // the loaded runs as they are when it starts; a result for another pair or another load is
    // dropped.
    let aligned = RwSignal::new(None::<(usize, usize, Shared<Alignment>)>);
    Effect::new(move |_| {
        let Some((ia, ib)) = pair.get() else {
            aligned.set(None);
            return;
        };
        let loaded = state.loaded.get();
        aligned.set(None);
        leptos::task::spawn_local(async move {
            let slice = dom::TimeSlice::new();
            let mut check = |stage: &'static str| slice.rest_if_due(stage);
            let side = |i: usize| {
                let a = &loaded.analyses[i];
                (&loaded.ws.runs[i], &a.tree, &a.summary)
            };
            let alignment =
                align_analysed_paced(side(ia), side(ib), &mut Pace::with(&mut check)).await;
            let current = pair.get_untracked() == Some((ia, ib))
                && state
                    .loaded
                    .with_untracked(|l| Arc::ptr_eq(&l.0, &loaded.0));
            if current {
                aligned.set(Some((ia, ib, Shared(Arc::new(alignment)))));
            }
        });
    });
    move || match (pair.get(), aligned.get()) {
        (None, _) => {
            view! { <p class="hint">"Pick two loaded runs in the run list to compare them."</p> }
                .into_any()
        }
        (Some(p), Some((ia, ib, alignment))) if p == (ia, ib) => {
            view! { <ComparePage ia ib alignment/> }.into_any()
        }
        (Some(_), _) => {
            view! { <p class="hint" data-testid="comparing">"Comparing the two runs…"</p> }
                .into_any()
        }
    }
}

fn status_word(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Ok) => "ok",
        Some(Status::Error) => "error",
        Some(Status::Unset) => "unset",
        None => "—",
    }
}

/// One run's side of an aligned step: its name (a link into that run at that span) and its bar
/// on the shared time axis, or a dash where the run has no such step.
fn step_cells(
    state: AppState,
    run_id: &str,
    span: Option<&crate::model::Span>,
    bounds: RunBounds,
    scale: f64,
) -> impl IntoView {
    let Some(s) = span else {
        return view! { <td class="cmp-name"><span class="muted">"—"</span></td><td class="cmp-track"></td> }.into_any();
    };
    let (run, id, kind) = (run_id.to_string(), s.id.clone(), s.kind.as_str());
    let end = s.end_ns.unwrap_or(bounds.end_ns).max(s.start_ns);
    let left = (s.start_ns - bounds.start_ns) as f64 / scale * 100.0;
    let width = ((end - s.start_ns) as f64 / scale * 100.0).max(0.3);
    let open = move |_| {
        let (run, id) = (run.clone(), id.clone());
        state.navigate(true, move |v| {
            *v = Default::default();
            v.page = crate::view::state::Page::Run;
            v.run = Some(run);
            v.span = Some(id);
        });
    };
    view! {
        <td class="cmp-name"><button class="link" on:click=open>{s.name.clone()}</button></td>
        <td class="cmp-track">
            <div class=format!("wf-bar k-{kind}") class:error=s.status == Status::Error
                style:left=format!("{}%", Fixed(left, 3)) style:width=format!("{}%", Fixed(width, 3))></div>
        </td>
    }
    .into_any()
}

#[component]
fn ComparePage(ia: usize, ib: usize, alignment: Shared<Alignment>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (name_a, name_b, id_a, id_b, ba, bb) = state.loaded.with_untracked(|l| {
        let (a, b) = (&l.ws.runs[ia], &l.ws.runs[ib]);
        (
            a.name.clone(),
            b.name.clone(),
            a.id.clone(),
            b.id.clone(),
            RunBounds::of(a),
            RunBounds::of(b),
        )
    });
    let scale = ba.duration_ns().max(bb.duration_ns()).max(1) as f64;
    let (ta, tb, td) = (
        alignment.totals_a,
        alignment.totals_b,
        alignment.totals_delta,
    );
    let int_row = |label: &'static str, a: i64, b: i64, d: i64| {
        view! {
            <tr><th scope="row">{label}</th><td>{format::count(a.max(0) as u64)}</td><td>{format::count(b.max(0) as u64)}</td>
                <td class:up=(d > 0) class:down=(d < 0)>{if d > 0 { format!("+{d}") } else { d.to_string() }}</td></tr>
        }
    };
    let shown = RwSignal::new(PAGE_ROWS);
    let total = alignment.rows.len();
    let step_base = alignment.step_base;
    let aligned = alignment.clone();
    let rows = move || {
        let limit = shown.get();
        state.loaded.with_untracked(|l| {
        let (a, b) = (&l.ws.runs[ia], &l.ws.runs[ib]);
        aligned.rows.iter().take(limit).enumerate().map(|(n, r)| {
            let sa = r.a.and_then(|i| a.spans.get(i as usize));
            let sb = r.b.and_then(|i| b.spans.get(i as usize));
            let d = r.delta;
            view! {
                <tr class=format!("cmp-row r-{}", match r.kind { RowKind::Matched => "matched", RowKind::Changed => "changed", RowKind::Added => "added", RowKind::Removed => "removed" })>
                    <td class="num">{n + step_base}</td>
                    <td><span class="tag">{match r.kind { RowKind::Matched => "=", RowKind::Changed => "~", RowKind::Added => "+", RowKind::Removed => "−" }}</span></td>
                    {step_cells(state, &id_a, sa, ba, scale)}
                    {step_cells(state, &id_b, sb, bb, scale)}
                    <td class="num">{d.latency_ns.map(|v| format::signed(v as f64, |x| format::duration(x as i64))).unwrap_or_default()}</td>
                    <td class="num">{d.tokens.map(|v| if v > 0 { format!("+{v}") } else { v.to_string() }).unwrap_or_default()}</td>
                    <td class="num">{d.cost_usd.map(|v| format::signed(v, format::usd)).unwrap_or_default()}</td>
                    <td>{if d.status_a != d.status_b { format!("{} → {}", status_word(d.status_a), status_word(d.status_b)) } else { String::new() }}</td>
                </tr>
            }
        }).collect_view()
    })
    };
    view! {
        <div class="compare-page" data-testid="compare">
            <section class="run-header">
                <h1 class="run-name">"Run A: "{name_a}" · Run B: "{name_b}</h1>
                <p class="divergence" data-testid="divergence">{alignment.first_divergence.clone().unwrap_or_else(|| "The two runs take the same steps.".into())}</p>
                <p class="muted">{format!("{} matched · {} changed · {} added · {} removed{}", alignment.matched, alignment.changed, alignment.added, alignment.removed, if alignment.approximate { " (approximate: the runs differ in too many places for an exact alignment)" } else { "" })}</p>
            </section>
            <table class="grid small totals" data-testid="compare-totals">
                <thead><tr><th></th><th>"Run A"</th><th>"Run B"</th><th>"B − A"</th></tr></thead>
                <tbody>
                    {int_row("Spans", ta.spans, tb.spans, td.spans)}
                    {int_row("LLM calls", ta.llm_calls, tb.llm_calls, td.llm_calls)}
                    {int_row("Tool calls", ta.tool_calls, tb.tool_calls, td.tool_calls)}
                    {int_row("Errors", ta.error_spans, tb.error_spans, td.error_spans)}
                    {int_row("Tokens", ta.tokens, tb.tokens, td.tokens)}
                    <tr><th scope="row">"Duration"</th><td>{format::duration(ta.duration_ns)}</td><td>{format::duration(tb.duration_ns)}</td>
                        <td data-testid="delta-duration">{format::signed(td.duration_ns as f64, |x| format::duration(x as i64))}</td></tr>
                    <tr><th scope="row">"Cost"</th><td>{format::usd_opt(ta.cost_usd)}</td><td>{format::usd_opt(tb.cost_usd)}</td>
                        <td data-testid="delta-cost">{td.cost_usd.map(|v| format::signed(v, format::usd)).unwrap_or_else(|| "—".into())}</td></tr>
                </tbody>
            </table>
            <div class="cmp-scroll">
                <table class="grid small cmp" data-testid="aligned-steps">
                    <thead><tr><th>"#"</th><th></th><th>"Run A step"</th><th class="cmp-track-h">{format!("A · 0 – {}", format::duration(scale as i64))}</th><th>"Run B step"</th><th class="cmp-track-h">"B · same axis"</th><th>"Δ latency"</th><th>"Δ tokens"</th><th>"Δ cost"</th><th>"Status"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {move || show_more("compare-more", shown, total, PAGE_ROWS, " aligned steps")}
            </div>
        </div>
    }
}
