//! Anomalies: each with its evidence and what it cost; clicking one marks its spans in the
//! waterfall, selects the first and scrolls to it.
//!
//! A big run can have thousands (a generated 100k-span run has 5,932), so the panel opens on a
//! count per kind, which also filters, and the first [`PAGE`] of the list; "Show more" adds pages.
//! Building every item at once held the page for 1.4–2 s at 100k spans.

use crate::analysis::anomaly::{Anomaly, AnomalyKind};
use crate::ui::more::show_more;
use crate::ui::state::AppState;
use crate::view::format;
use leptos::prelude::*;

/// Anomalies built when the panel opens, and added by each "Show more".
pub const PAGE: usize = 50;

#[component]
pub fn AnomalyPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let only = RwSignal::new(None::<AnomalyKind>);
    let shown = RwSignal::new(PAGE);
    move || {
        state.loaded.with(|l| {
        let list = &l.analyses[run_i].anomalies;
        if list.is_empty() {
            return view! { <p class="hint" data-testid="no-anomalies">"No anomalies at the current thresholds."</p> }.into_any();
        }
        let mut per_kind = [0usize; AnomalyKind::ALL.len()];
        for a in list {
            per_kind[a.kind as usize] += 1;
        }
        let want = only.get();
        let limit = shown.get();
        let matching = want.map_or(list.len(), |k| per_kind[k as usize]);
        let pick = move |k: Option<AnomalyKind>| {
            only.set(k);
            shown.set(PAGE);
        };
        let chip = move |k: Option<AnomalyKind>, label: String| view! {
            <button class="btn small" class:active=want == k aria-pressed=(want == k).to_string()
                on:click=move |_| pick(k)>{label}</button>
        };
        view! {
            <div class="anomaly-kinds" role="group" aria-label="Show anomalies of one kind" data-testid="anomaly-kinds">
                {chip(None, format!("All {}", format::count(list.len() as u64)))}
                {AnomalyKind::ALL.into_iter().filter(|&k| per_kind[k as usize] > 0).map(|k| {
                    chip(Some(k), format!("{} {}", kind_words(k), format::count(per_kind[k as usize] as u64)))
                }).collect_view()}
            </div>
            <ul class="anomalies" data-testid="anomalies">
                {list.iter().filter(|a| want.is_none_or(|k| a.kind == k)).take(limit)
                    .map(|a| item(state, run_i, a)).collect_view()}
            </ul>
            {show_more("anomaly-more", shown, matching, PAGE, "")}
        }.into_any()
    })
    }
}

fn kind_words(k: AnomalyKind) -> String {
    k.as_str().replace('_', " ")
}

/// One anomaly: kind, message, what it cost, evidence; the head marks and selects its spans.
fn item(state: AppState, run_i: usize, a: &Anomaly) -> impl IntoView {
    let spans = a.span_ids.clone();
    let waste = &a.cost;
    let cost = [
        (waste.time_ns > 0).then(|| format::duration(waste.time_ns)),
        (waste.tokens > 0).then(|| format!("{} tokens", format::count(waste.tokens))),
        (waste.cost_usd > 0.0).then(|| format::usd(waste.cost_usd)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    view! {
        <li class=format!("anomaly a-{}", a.kind.as_str()) data-kind=a.kind.as_str()>
            <button class="anomaly-head" on:click=move |_| {
                state.marked.set(spans.clone());
                if let Some(&first) = spans.first() {
                    let id = state.loaded.with_untracked(|l| l.ws.runs[run_i].spans.get(first as usize).map(|s| s.id.clone()));
                    if let Some(id) = id { state.navigate(true, move |v| v.span = Some(id)); }
                }
            }>
                <span class="anomaly-kind">{kind_words(a.kind)}</span>
                <span class="anomaly-msg">{a.message.clone()}</span>
            </button>
            {(!cost.is_empty()).then(|| view! { <p class="anomaly-cost">{format!("Spent: {}", cost.join(" · "))}</p> })}
            <ul class="evidence">{a.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
            <p class="muted">{format!("{} span(s)", a.span_ids.len())}</p>
        </li>
    }
}
