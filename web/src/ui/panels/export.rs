//! Exports of the open run, made in the browser and saved as files: the analysis as JSON, the
//! spans as CSV, the waterfall as SVG.

use crate::analysis::bounds::RunBounds;
use crate::ui::dom;
use crate::ui::state::AppState;
use leptos::prelude::*;

#[component]
pub fn ExportMenu(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let export = move |what: &'static str| {
        state.loaded.with_untracked(|l| {
            // Made a frame after the click: if the runs were replaced meanwhile, there is none.
            let (Some(run), Some(a)) = (l.ws.runs.get(run_i), l.analyses.get(run_i)) else {
                return;
            };
            let base = safe_name(&run.name);
            match what {
                "json" => {
                    let doc = serde_json::json!({
                        "run": { "id": run.id, "name": run.name, "agent_id": run.agent_id, "agent_version": run.agent_version },
                        "summary": a.summary,
                        "anomalies": a.anomalies,
                        "critical_path": a.critical_path.iter().filter_map(|&i| run.spans.get(i as usize).map(|s| s.id.clone())).collect::<Vec<_>>(),
                    });
                    dom::download(&format!("{base}.analysis.json"), "application/json", &serde_json::to_string_pretty(&doc).unwrap_or_default());
                }
                "csv" => dom::download(&format!("{base}.spans.csv"), "text/csv", &crate::view::export::spans_csv(run, a)),
                _ => dom::download(&format!("{base}.waterfall.svg"), "image/svg+xml", &crate::view::export::waterfall_svg(run, a, RunBounds::of(run))),
            }
        });
    };
    // A big run's file takes a second or more to make: say so, and let that be painted first.
    let busy = RwSignal::new(false);
    let start = move |what: &'static str| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            dom::next_frame().await;
            export(what);
            busy.set(false);
        });
    };
    view! {
        <div class="export">
            <span class="muted">{move || if busy.get() { "Preparing the file…" } else { "Export:" }}</span>
            <button class="btn small" disabled=move || busy.get() on:click=move |_| start("json")>"JSON"</button>
            <button class="btn small" disabled=move || busy.get() on:click=move |_| start("csv")>"CSV"</button>
            <button class="btn small" disabled=move || busy.get() on:click=move |_| start("svg")>"SVG"</button>
        </div>
    }
}

fn safe_name(s: &str) -> String {
    let n: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if n.is_empty() {
        "run".into()
    } else {
        n
    }
}
