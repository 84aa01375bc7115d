//! Decisions and quality signals per step: what the agent chose, why (reason codes), among
//! which candidates, how confident; and which quality facts held. Failures beside them.

use crate::sorting::distinct;
use crate::ui::state::AppState;
use crate::view::format;
use leptos::prelude::*;

/// Indices of one step's decisions, signals and failures.
type StepRecords = (Vec<usize>, Vec<usize>, Vec<usize>);

#[component]
pub fn DecisionsPanel(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
        let run = &l.ws.runs[run_i];
        if run.decisions.is_empty() && run.signals.is_empty() && run.failures.is_empty() {
            return view! { <p class="hint">"This run records no decisions, quality signals or failures."</p> }.into_any();
        }
        // Group by step; records without a step go last.
        let mut keys = distinct(run.decisions.iter().map(|d| d.step).chain(run.signals.iter().map(|q| q.step)).chain(run.failures.iter().map(|f| f.step)).collect());
        if keys.first() == Some(&None) {
            keys.rotate_left(1);
        }
        let at = |steps: &mut dyn Iterator<Item = Option<u32>>, step| steps.enumerate().filter(|(_, s)| *s == step).map(|(i, _)| i).collect::<Vec<usize>>();
        let steps: Vec<(Option<u32>, StepRecords)> = keys.into_iter().map(|step| {
            let ds = at(&mut run.decisions.iter().map(|d| d.step), step);
            let qs = at(&mut run.signals.iter().map(|q| q.step), step);
            let fs = at(&mut run.failures.iter().map(|f| f.step), step);
            (step, (ds, qs, fs))
        }).collect();
        let select_step = move |step: u32| {
            let id = state.loaded.with_untracked(|l| l.ws.runs[run_i].spans.iter().find(|s| s.seq == Some(step)).map(|s| s.id.clone()));
            if let Some(id) = id { state.navigate(true, move |v| v.span = Some(id)); }
        };
        view! {
            <div class="panel decisions" data-testid="decisions-panel">
                {steps.into_iter().map(|(step, (ds, qs, fs))| view! {
                    <section class="step">
                        <h3>{match step {
                            Some(n) => view! { <button class="link" on:click=move |_| select_step(n)>{format!("Step {n}")}</button> }.into_any(),
                            None => view! { <span>"Run-level"</span> }.into_any(),
                        }}</h3>
                        {ds.into_iter().map(|i| { let d = &run.decisions[i]; view! {
                            <div class="decision">
                                <span class="tag">{d.decision_type.clone()}</span>
                                <strong>{d.selected.clone().unwrap_or_else(|| d.detail.clone().unwrap_or_default())}</strong>
                                {d.reason_code.clone().map(|r| view! { <span class="reason">{format!("because {r}")}</span> })}
                                {d.confidence.map(|c| view! { <span class="muted">{format!("confidence {}", format::percent(c))}</span> })}
                                {(!d.candidates.is_empty()).then(|| view! { <div class="muted">{format!("candidates: {}", d.candidates.join(", "))}</div> })}
                            </div>
                        }}).collect_view()}
                        {qs.into_iter().map(|i| { let q = &run.signals[i]; view! {
                            <div class="signal" class:sig-true=q.value>
                                <span class="tag">{q.signal_type.clone()}</span>
                                {format!("{} = {}", q.code, q.value)}
                                {q.weight.map(|w| view! { <span class="muted">{format!(" weight {}", crate::num::Plain(w))}</span> })}
                                {q.comment.clone().map(|c| view! { <div class="muted">{c}</div> })}
                            </div>
                        }}).collect_view()}
                        {fs.into_iter().map(|i| { let f = &run.failures[i]; view! {
                            <div class="failure">
                                <span class="tag err">{format!("{} failure", f.failure_type)}</span>
                                <strong>{f.code.clone()}</strong>" "{f.message.clone()}
                            </div>
                        }}).collect_view()}
                    </section>
                }).collect_view()}
            </div>
        }.into_any()
    })
    }
}
