//! Anomalies: each with its evidence and what it cost; clicking one marks its spans in the
//! waterfall, selects the first and scrolls to it.

use crate::ui::state::AppState;
use crate::view::format;
use leptos::prelude::*;

#[component]
pub fn AnomalyPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
        let list = l.analyses[run_i].anomalies.clone();
        if list.is_empty() {
            return view! { <p class="hint" data-testid="no-anomalies">"No anomalies at the current thresholds."</p> }.into_any();
        }
        view! {
            <ul class="anomalies" data-testid="anomalies">
                {list.into_iter().map(|a| {
                    let spans = a.span_ids.clone();
                    let waste = &a.cost;
                    let cost = [
                        (waste.time_ns > 0).then(|| format::duration(waste.time_ns)),
                        (waste.tokens > 0).then(|| format!("{} tokens", format::count(waste.tokens))),
                        (waste.cost_usd > 0.0).then(|| format::usd(waste.cost_usd)),
                    ].into_iter().flatten().collect::<Vec<_>>();
                    view! {
                        <li class=format!("anomaly a-{}", a.kind.as_str()) data-kind=a.kind.as_str()>
                            <button class="anomaly-head" on:click=move |_| {
                                state.marked.set(spans.clone());
                                if let Some(&first) = spans.first() {
                                    let id = state.loaded.with_untracked(|l| l.ws.runs[run_i].spans.get(first as usize).map(|s| s.id.clone()));
                                    if let Some(id) = id { state.navigate(true, move |v| v.span = Some(id)); }
                                }
                            }>
                                <span class="anomaly-kind">{a.kind.as_str().replace('_', " ")}</span>
                                <span class="anomaly-msg">{a.message.clone()}</span>
                            </button>
                            {(!cost.is_empty()).then(|| view! { <p class="anomaly-cost">{format!("Spent: {}", cost.join(" · "))}</p> })}
                            <ul class="evidence">{a.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                            <p class="muted">{format!("{} span(s)", a.span_ids.len())}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    })
    }
}
