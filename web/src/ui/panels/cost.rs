//! Cost & tokens: totals (reported and computed, and the difference), then by model, by tool and
//! by kind, as bar charts.

use super::bars::{Bar, BarChart};
use crate::ui::state::AppState;
use crate::view::format;
use leptos::prelude::*;

#[component]
pub fn CostPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
        let s = &l.analyses[run_i].summary;
        let t = &s.tokens;
        let by_model: Vec<Bar> = s.models.iter().map(|m| Bar {
            label: m.name.clone(),
            value: m.cost_usd.unwrap_or(0.0).max(m.tokens as f64 * 1e-9),
            shown: format!("{} · {} tok", format::usd_opt(m.cost_usd), format::count(m.tokens)),
            class: "k-llm".into(),
        }).collect();
        let by_tool: Vec<Bar> = s.tools.iter().map(|c| Bar {
            label: c.name.clone(),
            value: c.latency.total_ns as f64,
            shown: format!("{} calls · {}", c.calls, format::duration(c.latency.total_ns)),
            class: "k-tool".into(),
        }).collect();
        let by_kind: Vec<Bar> = s.by_kind.iter().filter(|k| k.count > 0).map(|k| Bar {
            label: k.kind.as_str().into(),
            value: k.count as f64,
            shown: format::count(k.count as u64),
            class: format!("k-{}", k.kind.as_str()),
        }).collect();
        let rows: Vec<(&str, String)> = vec![
            ("Input tokens", format::count(t.input)),
            ("Output tokens", format::count(t.output)),
            ("Cache read", format::count(t.cache_read)),
            ("Cache write", format::count(t.cache_write)),
            ("Reasoning", format::count(t.reasoning)),
            ("Reported cost", s.reported_cost_usd.map(format::usd).unwrap_or_else(|| "not reported".into())),
            ("Computed cost", format::usd_opt(s.computed_cost_usd)),
            ("Difference", s.cost_difference_usd.map(|d| format::signed(d, format::usd)).unwrap_or_else(|| "—".into())),
        ];
        let unpriced = s.unpriced_models.clone();
        view! {
            <div class="panel cost-panel" data-testid="cost-panel">
                <dl class="facts">{rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
                {(!unpriced.is_empty()).then(|| view! {
                    <p class="muted">{format!("No price for: {}. Their calls are not in the computed cost.", unpriced.join(", "))}</p>
                })}
                <BarChart title="By model (cost)" bars=by_model/>
                <BarChart title="By tool (time)" bars=by_tool/>
                <BarChart title="Spans by kind" bars=by_kind/>
                <h3>"Per tool"</h3>
                <CallTable calls=s.tools.clone()/>
                <h3>"Per model"</h3>
                <CallTable calls=s.models.clone()/>
            </div>
        }
    })
    }
}

#[component]
fn CallTable(calls: Vec<crate::analysis::summary::CallStats>) -> impl IntoView {
    view! {
        <table class="grid small">
            <thead><tr><th>"Name"</th><th>"Calls"</th><th>"Errors"</th><th>"Mean"</th><th>"p50"</th><th>"p95"</th><th>"Max"</th><th>"Tokens"</th></tr></thead>
            <tbody>
                {calls.into_iter().map(|c| view! {
                    <tr>
                        <td>{c.name}</td><td>{c.calls}</td><td>{c.errors}</td>
                        <td>{format::duration(c.latency.mean_ns as i64)}</td>
                        <td>{format::duration(c.latency.p50_ns)}</td>
                        <td>{format::duration(c.latency.p95_ns)}</td>
                        <td>{format::duration(c.latency.max_ns)}</td>
                        <td>{format::count(c.tokens)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
