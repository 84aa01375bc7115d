//! Version comparison: runs grouped by agent version (or any attribute), each figure's
//! distribution per group, and the shift between two groups, as a table and small charts.

use super::panels::bars::{Bar, BarChart};
use super::state::AppState;
use crate::analysis::groups::{group, shift, Change, Group, GroupKey};
use crate::analysis::stats::Distribution;
use crate::num::Fixed;
use crate::view::format;
use leptos::prelude::*;

/// A whole number that may be negative (a delta): `-955`, `1,204`.
fn signed_count(v: f64) -> String {
    let n = format::count(v.abs().round() as u64);
    if v < -0.5 {
        format!("-{n}")
    } else {
        n
    }
}

fn key_of(s: &str) -> GroupKey {
    match s {
        "" | "agent_version" => GroupKey::AgentVersion,
        "agent_id" => GroupKey::AgentId,
        "environment" => GroupKey::Environment,
        other => GroupKey::Attribute(other.to_string()),
    }
}

#[component]
pub fn VersionsView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let groups = Memo::new(move |_| {
        let key = key_of(&state.view.with(|v| v.group_by.clone().unwrap_or_default()));
        state.loaded.with(|l| {
            let runs: Vec<_> = l.ws.runs.iter().zip(l.analyses.iter()).collect();
            group(&runs, &key)
        })
    });
    view! {
        <div class="versions-page" data-testid="versions">
            <div class="list-tools">
                <label>"Group runs by "
                    <select aria-label="Group by" prop:value=move || state.view.with(|v| v.group_by.clone().unwrap_or_else(|| "agent_version".into()))
                        on:change=move |ev| { let k = event_target_value(&ev); state.navigate(true, move |v| v.group_by = Some(k)); }>
                        <option value="agent_version">"agent version"</option>
                        <option value="agent_id">"agent id"</option>
                        <option value="environment">"environment"</option>
                        <option value="service.version">"attribute service.version"</option>
                        <option value="service.name">"attribute service.name"</option>
                    </select>
                </label>
            </div>
            {move || {
                let gs = groups.get();
                if gs.is_empty() {
                    return view! { <p class="hint">"Load runs to compare their versions."</p> }.into_any();
                }
                let shift_view = (gs.len() >= 2).then(|| {
                    let s = shift(&gs[0], &gs[1]);
                    let row = |label: &'static str, c: &Change, fmt: fn(f64) -> String| view! {
                        <tr><th scope="row">{label}</th><td>{fmt(c.mean_a)}</td><td>{fmt(c.mean_b)}</td>
                            <td>{format::signed(c.mean_delta, fmt)}{c.mean_ratio.map(|r| format!(" ({})", format::signed(r, format::percent)))}</td>
                            <td>{format::signed(c.p95_delta, fmt)}</td></tr>
                    };
                    view! {
                        <h2>{format!("{} → {}", s.a, s.b)}</h2>
                        <table class="grid small" data-testid="group-shift">
                            <thead><tr><th></th><th>{format!("mean {}", s.a)}</th><th>{format!("mean {}", s.b)}</th><th>"Δ mean"</th><th>"Δ p95"</th></tr></thead>
                            <tbody>
                                {row("Duration", &s.duration_ms, |v| format::duration((v * 1e6) as i64))}
                                {row("Iterations", &s.iterations, |v| Fixed(v, 1).to_string())}
                                {row("Cost", &s.cost_usd, format::usd)}
                                {row("Tokens", &s.tokens, signed_count)}
                                {row("Error rate", &s.error_rate, format::percent)}
                                {row("Anomalies", &s.anomalies, |v| Fixed(v, 2).to_string())}
                            </tbody>
                        </table>
                    }
                });
                let chart = |title: &'static str, pick: fn(&Group) -> Distribution, fmt: fn(f64) -> String| {
                    let bars = gs.iter().map(|g| { let d = pick(g); Bar { label: g.value.clone(), value: d.mean.max(0.0), shown: fmt(d.mean), class: "k-agent".into() } }).collect();
                    view! { <BarChart title bars/> }
                };
                view! {
                    <table class="grid small" data-testid="groups">
                        <thead><tr><th>"Group"</th><th>"Runs"</th><th>"Duration p50 / p95"</th><th>"Iterations (mean)"</th><th>"Cost (mean)"</th><th>"Tokens (mean)"</th><th>"Error rate"</th><th>"Runs with anomalies"</th></tr></thead>
                        <tbody>
                            {gs.iter().map(|g| view! {
                                <tr>
                                    <th scope="row">{g.value.clone()}</th>
                                    <td>{g.runs}</td>
                                    <td>{format!("{} / {}", format::duration((g.duration_ms.p50 * 1e6) as i64), format::duration((g.duration_ms.p95 * 1e6) as i64))}</td>
                                    <td>{Fixed(g.iterations.mean, 1).to_string()}</td>
                                    <td>{if g.cost_usd.n > 0 { format::usd(g.cost_usd.mean) } else { "no price".into() }}</td>
                                    <td>{format::count(g.tokens.mean.max(0.0) as u64)}</td>
                                    <td>{format::percent(g.error_rate.mean)}</td>
                                    <td>{format::percent(g.runs_with_anomalies)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {shift_view}
                    <div class="charts">
                        {chart("Mean duration", |g| g.duration_ms, |v| format::duration((v * 1e6) as i64))}
                        {chart("Mean cost", |g| g.cost_usd, format::usd)}
                        {chart("Mean tokens", |g| g.tokens, |v| format::count(v.max(0.0) as u64))}
                        {chart("Error rate", |g| g.error_rate, format::percent)}
                    </div>
                }.into_any()
            }}
        </div>
    }
}
