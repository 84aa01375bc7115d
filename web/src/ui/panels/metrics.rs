//! Metrics: seed 002's dashboard table (iterations, cost, duration, tool success rate) against
//! targets and alert thresholds the user can edit, and the metrics the source itself reported.

use crate::analysis::RunAnalysis;
use crate::model::MetricValue;
use crate::num::{parse_f64, Fixed, Plain};
use crate::ui::state::AppState;
use crate::view::targets::{metric_rows, AlertWhen, Verdict};
use leptos::prelude::*;

#[component]
pub fn MetricsPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="panel metrics" data-testid="metrics-panel">
            <MetricsTable runs=Signal::derive(move || vec![run_i])/>
            {move || state.loaded.with(|l| {
                let metrics = l.ws.runs[run_i].metrics.clone();
                (!metrics.is_empty()).then(|| view! {
                    <h3>"Reported by the source"</h3>
                    <table class="grid small">
                        <tbody>
                            {metrics.into_iter().take(500).map(|m| view! {
                                <tr><th scope="row">{m.name}</th><td>{match m.value {
                                    MetricValue::Number(n) => format!("{}{}", trim_num(n), m.unit.map(|u| format!(" {u}")).unwrap_or_default()),
                                    MetricValue::Text(t) => t,
                                    MetricValue::Samples(v) => format!("{} samples: {}", v.len(), v.iter().take(12).map(|x| trim_num(*x)).collect::<Vec<_>>().join(", ")),
                                }}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            })}
        </div>
    }
}

fn trim_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Fixed(n, 0).to_string()
    } else {
        Fixed(n, 4).to_string().trim_end_matches('0').to_string()
    }
}

/// The targets table over the given runs (indices into the workspace), editable.
#[component]
pub fn MetricsTable(runs: Signal<Vec<usize>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let idx = runs.get();
        let targets = state.targets.get();
        let rows = state.loaded.with(|l| {
            let list: Vec<&RunAnalysis> = idx.iter().filter_map(|&i| l.analyses.get(i)).collect();
            metric_rows(&targets, list.into_iter())
        });
        view! {
            <table class="grid targets" data-testid="targets">
                <thead><tr><th>"Metric"</th><th>"Value"</th><th>"Target"</th><th>"Alert if"</th><th>""</th></tr></thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, r)| {
                        let unit = r.target.unit;
                        let show = move |v: f64| match unit { "$" => format!("${}", Fixed(v, 2)), "%" => format!("{}%", Fixed(v, 0)), "s" => format!("{} s", Fixed(v, 1)), _ => Fixed(v, 1).to_string() };
                        let cls = match r.verdict { Verdict::Alert => "v-alert", Verdict::OffTarget => "v-off", Verdict::OnTarget => "v-on", Verdict::NoData => "v-none" };
                        let edit = move |field: u8| move |ev: leptos::ev::Event| {
                            if let Some(v) = parse_f64(event_target_value(&ev).trim().trim_start_matches('$').trim_end_matches('%')) {
                                state.targets.update(|t| if let Some(t) = t.get_mut(i) {
                                    match field { 0 => t.target_min = v, 1 => t.target_max = v, _ => t.alert = v }
                                });
                            }
                        };
                        view! {
                            <tr class=cls>
                                <th scope="row">{r.target.metric}</th>
                                <td>{r.value.map(show).unwrap_or_else(|| "—".into())}</td>
                                <td class="edit">
                                    <input aria-label=format!("{} target from", r.target.metric) value=Plain(r.target.target_min).to_string() on:change=edit(0)/>
                                    "–"
                                    <input aria-label=format!("{} target to", r.target.metric) value=Plain(r.target.target_max).to_string() on:change=edit(1)/>
                                </td>
                                <td class="edit">{if r.target.alert_when == AlertWhen::Above { "> " } else { "< " }}
                                    <input aria-label=format!("{} alert threshold", r.target.metric) value=Plain(r.target.alert).to_string() on:change=edit(2)/>
                                </td>
                                <td><span class=format!("verdict {cls}")>{r.verdict.as_str()}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    }
}
