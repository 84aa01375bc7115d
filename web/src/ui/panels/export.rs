//! Exports of the open run, made in the browser and saved as files: the analysis as JSON, the
//! spans as CSV, the waterfall as SVG.

use crate::analysis::bounds::RunBounds;
use crate::analysis::RunAnalysis;
use crate::model::Run;
use crate::pace::Pace;
use crate::ui::dom;
use crate::ui::state::AppState;
use leptos::prelude::*;

#[component]
pub fn ExportMenu(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    // A big run's file takes a second or more to make: say so, let that be painted first, and
    // make it in slices (the CSV) so the page is not frozen meanwhile.
    let busy = RwSignal::new(false);
    let start = move |what: &'static str| {
        busy.set(true);
        // The run clicked on, held until its file is made even if other files replace it.
        let loaded = state.loaded.get_untracked();
        leptos::task::spawn_local(async move {
            dom::next_frame().await;
            if let (Some(run), Some(a)) = (loaded.ws.runs.get(run_i), loaded.analyses.get(run_i)) {
                export(run, a, what).await;
            }
            let _ = busy.try_set(false);
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

async fn export(run: &Run, a: &RunAnalysis, what: &str) {
    let base = safe_name(&run.name);
    match what {
        "json" | "csv" => {
            let slice = dom::TimeSlice::new();
            let mut check = |stage: &'static str| slice.rest_if_due(stage);
            let mut pace = Pace::with(&mut check);
            let (parts, name, mime) = if what == "json" {
                let parts = crate::view::export::analysis_json_paced(run, a, &mut pace).await;
                (parts, format!("{base}.analysis.json"), "application/json")
            } else {
                let parts = crate::view::export::spans_csv_paced(run, a, &mut pace).await;
                (parts, format!("{base}.spans.csv"), "text/csv")
            };
            dom::download(&name, mime, &parts).await;
        }
        _ => {
            let svg = crate::view::export::waterfall_svg(run, a, RunBounds::of(run));
            dom::download(&format!("{base}.waterfall.svg"), "image/svg+xml", &[svg]).await;
        }
    }
}

fn safe_name(s: &str) -> String {
    let n: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || !(c.is_ascii() || c.is_control()) {
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
