//! The run list: every loaded run with its figures, sortable and filterable; open one, or tick
//! two to compare. With several runs, an overview against the dashboard targets and the failure
//! taxonomy counts (seed 001: tool / model / retrieval / orchestration) sit above it.

use super::more::show_more;
use super::panels::MetricsTable;
use super::state::AppState;
use crate::model::RunStatus;
use crate::view::fold::fold;
use crate::view::format;
use crate::view::state::Page;
use leptos::prelude::*;

/// Runs listed when the page opens, and added by each "Show more" (in the order and filter
/// chosen). A file of 5,000 traces listed every run: 0.45 s to show the list, and seconds each
/// time the page was shown again.
pub const RUN_PAGE: usize = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Name,
    Start,
    Duration,
    Spans,
    Llm,
    Tools,
    Errors,
    Tokens,
    Cost,
    Anomalies,
}

fn status_word(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Success => "success",
        RunStatus::Failure => "failure",
        RunStatus::Partial => "partial",
        RunStatus::Running => "running",
        RunStatus::Unknown => "—",
    }
}

#[component]
pub fn RunList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort = RwSignal::new((SortKey::Start, false));
    let filter = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<String>::new());
    let shown = RwSignal::new(RUN_PAGE);

    let order = Memo::new(move |_| {
        let (key, desc) = sort.get();
        let q = fold(&filter.get());
        state.loaded.with(|l| {
            let mut idx: Vec<usize> = (0..l.ws.runs.len())
                .filter(|&i| {
                    let r = &l.ws.runs[i];
                    q.is_empty()
                        || [
                            Some(&r.name),
                            Some(&r.id),
                            r.agent_id.as_ref(),
                            r.agent_version.as_ref(),
                            r.status_text.as_ref(),
                        ]
                        .into_iter()
                        .flatten()
                        .any(|s| fold(s).contains(&q))
                })
                .collect();
            crate::sorting::sort_by(&mut idx, |&a, &b| {
                let (ra, rb) = (&l.ws.runs[a], &l.ws.runs[b]);
                let (sa, sb) = (&l.analyses[a].summary, &l.analyses[b].summary);
                let f = |x: f64, y: f64| x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                let o = match key {
                    SortKey::Name => ra.name.cmp(&rb.name),
                    SortKey::Start => sa.start_ns.cmp(&sb.start_ns),
                    SortKey::Duration => sa.duration_ns.cmp(&sb.duration_ns),
                    SortKey::Spans => sa.spans.cmp(&sb.spans),
                    SortKey::Llm => sa.llm_calls.cmp(&sb.llm_calls),
                    SortKey::Tools => sa.tool_calls.cmp(&sb.tool_calls),
                    SortKey::Errors => sa.error_spans.cmp(&sb.error_spans),
                    SortKey::Tokens => sa.tokens.total.cmp(&sb.tokens.total),
                    SortKey::Cost => {
                        f(sa.cost_usd().unwrap_or(-1.0), sb.cost_usd().unwrap_or(-1.0))
                    }
                    SortKey::Anomalies => l.analyses[a]
                        .anomalies
                        .len()
                        .cmp(&l.analyses[b].anomalies.len()),
                };
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
            idx
        })
    });

    let header = move |label: &'static str, key: SortKey| {
        view! {
            <th scope="col" aria-sort=move || { let (k, d) = sort.get(); if k == key { if d { "descending" } else { "ascending" } } else { "none" } }>
                <button class="sort" on:click=move |_| sort.update(|(k, d)| { if *k == key { *d = !*d } else { *k = key; *d = false } })>{label}</button>
            </th>
        }
    };

    let all_runs = Signal::derive(move || {
        state
            .loaded
            .with(|l| (0..l.ws.runs.len()).collect::<Vec<_>>())
    });

    view! {
        <div class="run-list-page">
            {move || {
                let n = state.loaded.with(|l| l.ws.runs.len());
                if n == 0 {
                    return view! {
                        <div class="empty" data-testid="empty">
                            <h1>"See what your agent actually did"</h1>
                            <p>"Drop trace files anywhere on this page, or use “Open files…”. OTLP JSON and JSON lines (GenAI, OpenInference, OpenLLMetry), Langfuse exports, Jaeger JSON, AgentTracer runs and the seed formats all open. Nothing leaves your browser."</p>
                        </div>
                    }.into_any();
                }
                (n > 1).then(|| view! { <Overview all_runs/> }).into_any()
            }}
            <div class="list-tools">
                <input type="search" placeholder="Filter runs" aria-label="Filter runs" on:input=move |ev| { shown.set(RUN_PAGE); filter.set(event_target_value(&ev)) }/>
                <button class="btn" data-testid="compare-picked"
                    disabled=move || picked.with(|p| p.len() != 2)
                    on:click=move |_| {
                        let p = picked.get_untracked();
                        if p.len() == 2 {
                            state.navigate(true, |v| { v.page = Page::Compare; v.run = Some(p[0].clone()); v.other = Some(p[1].clone()); v.span = None; });
                        }
                    }>{move || format!("Compare selected ({}/2)", picked.with(|p| p.len()))}</button>
            </div>
            <table class="grid runs" data-testid="run-list">
                <thead><tr>
                    <th scope="col"><span class="sr-only">"Pick"</span></th>
                    {header("Run", SortKey::Name)}
                    <th scope="col">"Agent"</th>
                    <th scope="col">"Status"</th>
                    {header("Start", SortKey::Start)}
                    {header("Duration", SortKey::Duration)}
                    {header("Spans", SortKey::Spans)}
                    {header("LLM", SortKey::Llm)}
                    {header("Tools", SortKey::Tools)}
                    {header("Errors", SortKey::Errors)}
                    {header("Tokens", SortKey::Tokens)}
                    {header("Cost", SortKey::Cost)}
                    {header("Anomalies", SortKey::Anomalies)}
                </tr></thead>
                <tbody>
                    {move || state.loaded.with(|l| order.get().into_iter().take(shown.get()).map(|i| {
                        let r = &l.ws.runs[i];
                        let a = &l.analyses[i];
                        let s = &a.summary;
                        let id = r.id.clone();
                        let id2 = r.id.clone();
                        let id3 = r.id.clone();
                        view! {
                            <tr class:failed=r.status == RunStatus::Failure>
                                <td><input type="checkbox" aria-label="Pick for comparison"
                                    prop:checked=move || picked.with(|p| p.contains(&id3))
                                    on:change=move |_| picked.update(|p| {
                                        if let Some(pos) = p.iter().position(|x| *x == id2) { p.remove(pos); } else { p.push(id2.clone()); if p.len() > 2 { p.remove(0); } }
                                    })/></td>
                                <td><button class="link run-link" on:click=move |_| state.open_run(&id)>{r.name.clone()}</button></td>
                                <td>{[r.agent_id.clone(), r.agent_version.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ")}</td>
                                <td>{r.status_text.clone().unwrap_or_else(|| status_word(r.status).into())}</td>
                                <td>{format::timestamp(s.start_ns)}</td>
                                <td>{format::duration(s.duration_ns)}</td>
                                <td>{format::count(s.spans as u64)}</td>
                                <td>{s.llm_calls}</td>
                                <td>{s.tool_calls}</td>
                                <td>{s.error_spans}</td>
                                <td>{format::count(s.tokens.total)}</td>
                                <td>{format::usd_opt(s.cost_usd())}</td>
                                <td>{a.anomalies.len()}</td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            {move || show_more("runs-more", shown, order.with(Vec::len), RUN_PAGE, " runs")}
        </div>
    }
}

/// All loaded runs against the targets, and the failure taxonomy.
#[component]
fn Overview(all_runs: Signal<Vec<usize>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let taxonomy = move || {
        state.loaded.with(|l| {
            let types = l.ws.runs.iter().flat_map(|r| &r.failures);
            crate::sorting::counts(types.map(|f| f.failure_type.clone()).collect())
        })
    };
    view! {
        <section class="overview" data-testid="overview">
            <div>
                <h2>{move || format!("All {} runs against the targets", all_runs.with(|r| r.len()))}</h2>
                <MetricsTable runs=all_runs/>
            </div>
            <div>
                <h2>"Failure taxonomy"</h2>
                {move || {
                    let t = taxonomy();
                    if t.is_empty() {
                        view! { <p class="muted">"No recorded failures."</p> }.into_any()
                    } else {
                        view! { <table class="grid small" data-testid="taxonomy"><tbody>
                            {t.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                        </tbody></table> }.into_any()
                    }
                }}
            </div>
        </section>
    }
}
