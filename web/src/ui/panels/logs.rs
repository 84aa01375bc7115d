//! Logs and events: filter by level and event type; clicking an entry jumps to its span, or to
//! its moment in the waterfall when it names no span.

use crate::analysis::bounds::RunBounds;
use crate::sorting::distinct;
use crate::ui::more::show_more;
use crate::ui::state::AppState;
use crate::view::format;
use leptos::prelude::*;

/// Entries built when the panel opens, and added by each "Show more" (it showed up to 2,000 at
/// once, and said nothing of the rest; a list item costs the page about half a millisecond).
pub const PAGE: usize = 100;

#[component]
pub fn LogsPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let level = RwSignal::new(String::new());
    let etype = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    let (levels, types) = state.loaded.with_untracked(|l| {
        let logs = &l.ws.runs[run_i].logs;
        (
            distinct(logs.iter().map(|g| g.level.clone()).collect()),
            distinct(logs.iter().map(|g| g.event_type.clone()).collect()),
        )
    });
    let jump = move |i: usize| {
        let (span, time, bounds) = state.loaded.with_untracked(|l| {
            let run = &l.ws.runs[run_i];
            let g = &run.logs[i];
            (
                g.span
                    .and_then(|s| run.spans.get(s as usize))
                    .map(|s| s.id.clone()),
                g.time_ns,
                RunBounds::of(run),
            )
        });
        if let Some(id) = span {
            state.navigate(true, move |v| v.span = Some(id));
        } else if let Some(t) = time {
            let half = (bounds.duration_ns() / 20).max(1_000_000);
            crate::ui::waterfall::set_window(state, bounds, t - half, t + half);
        }
    };
    view! {
        <div class="panel logs" data-testid="logs-panel">
            <div class="filters">
                <select aria-label="Level" on:change=move |ev| { limit.set(PAGE); level.set(event_target_value(&ev)) }>
                    <option value="">"All levels"</option>
                    {levels.into_iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view()}
                </select>
                <select aria-label="Event type" on:change=move |ev| { limit.set(PAGE); etype.set(event_target_value(&ev)) }>
                    <option value="">"All event types"</option>
                    {types.into_iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view()}
                </select>
            </div>
            {move || state.loaded.with(|l| {
                let run = &l.ws.runs[run_i];
                let start = RunBounds::of(run).start_ns;
                let (lv, ty) = (level.get(), etype.get());
                let matching: Vec<_> = run.logs.iter().enumerate()
                    .filter(|(_, g)| (lv.is_empty() || g.level == lv) && (ty.is_empty() || g.event_type == ty))
                    .collect();
                let (total, n) = (matching.len(), limit.get());
                if run.logs.is_empty() {
                    return view! { <p class="hint">"This run has no log events."</p> }.into_any();
                }
                view! {
                    <ul class="log-list">
                        {matching.into_iter().take(n).map(|(i, g)| view! {
                            <li class=format!("log lv-{}", g.level.to_ascii_lowercase())>
                                <button class="log-entry" on:click=move |_| jump(i)>
                                    <span class="muted">{g.time_ns.map(|t| format!("+{}", format::duration(t - start))).unwrap_or_default()}</span>
                                    <span class="tag">{g.level.clone()}</span>
                                    <span class="tag">{g.event_type.clone()}</span>
                                    <span>{g.message.clone()}</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                    {show_more("logs-more", limit, total, PAGE, "")}
                }.into_any()
            })}
        </div>
    }
}
