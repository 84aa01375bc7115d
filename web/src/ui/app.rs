//! The page frame: top bar, load status and problems, and the page the view state names.

use super::loader;
use super::run_list::RunList;
use super::run_view::RunView;
use super::state::{AppState, Theme};
use crate::model::Severity;
use crate::num::Plain;
use crate::view::state::Page;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);

    // Back/forward and pasted links change the fragment: follow them.
    let h = window_event_listener(leptos::ev::popstate, move |_| state.sync_from_url());
    let h2 = window_event_listener(leptos::ev::hashchange, move |_| state.sync_from_url());
    on_cleanup(move || {
        h.remove();
        h2.remove();
    });

    // Theme: a class on <html> so CSS variables switch everywhere.
    Effect::new(move |_| {
        let dark = state.theme.get() == Theme::Dark;
        if let Some(root) = super::dom::document().document_element() {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    });

    // First load: a shared run or hosted file the link names; otherwise the built-in demo, so a
    // newcomer sees a run at once.
    if !super::share::load_incoming(state) {
        loader::load_demo(state);
    }

    view! {
        {loader::drop_zone()}
        <header class="topbar">
            <a class="brand" href="#" on:click=move |ev| {
                ev.prevent_default();
                state.navigate(true, |v| *v = Default::default());
            }>
                <span class="logo" aria-hidden="true"></span>"Spoor"
            </a>
            <nav class="topnav">
                <button class="btn" class:active=move || state.page.get() == Page::Runs
                    on:click=move |_| state.navigate(true, |v| v.page = Page::Runs)>
                    {move || format!("Runs ({})", state.loaded.with(|l| l.ws.runs.len()))}
                </button>
                <button class="btn" class:active=move || state.page.get() == Page::Versions
                    on:click=move |_| state.navigate(true, |v| v.page = Page::Versions)>"Versions"</button>
            </nav>
            <div class="topbar-actions">
                {loader::open_button()}
                <button class="btn" on:click=move |_| loader::load_demo(state)>"Demo run"</button>
                <button class="btn" title="Clear everything loaded" on:click=move |_| loader::clear(state)>"Clear"</button>
                <button class="btn icon" data-testid="theme-toggle"
                    aria-label=move || if state.theme.get() == Theme::Dark { "Switch to light theme" } else { "Switch to dark theme" }
                    on:click=move |_| state.theme.update(|t| *t = if *t == Theme::Dark { Theme::Light } else { Theme::Dark })>
                    {move || if state.theme.get() == Theme::Dark { "☀" } else { "☾" }}
                </button>
            </div>
        </header>
        {load_status()}
        {problems()}
        <main class="main">
            {move || match state.page.get() {
                Page::Runs => view! { <RunList/> }.into_any(),
                Page::Run => view! { <RunView/> }.into_any(),
                Page::Compare => view! { <super::compare::CompareView/> }.into_any(),
                Page::Versions => view! { <super::versions::VersionsView/> }.into_any(),
            }}
        </main>
    }
}

/// A progress bar while files load.
fn load_status() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        {move || state.loading.get().map(|(msg, frac)| view! {
            <div class="loading" role="status" data-testid="loading">
                <span>{msg}</span>
                <progress max="1" value=Plain(frac).to_string()></progress>
            </div>
        })}
    }
}

/// Per-file problems: errors (something was not loaded) and warnings (repairs), each naming the
/// file, the place and what is wrong.
fn problems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = RwSignal::new(false);
    view! {
        {move || {
            let problems = state.loaded.with(|l| l.ws.problems.clone());
            if problems.is_empty() {
                return None;
            }
            let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
            let warnings = problems.len() - errors;
            let has_errors = errors > 0;
            let shown: Vec<_> = if open.get() { problems.clone() } else {
                problems.iter().filter(|p| p.severity == Severity::Error).take(5).cloned().collect()
            };
            Some(view! {
                <section class="problems" class:has-errors=has_errors role="alert" data-testid="problems">
                    <div class="problems-head">
                        <strong>{format!("{errors} error{} · {warnings} warning{}", if errors == 1 { "" } else { "s" }, if warnings == 1 { "" } else { "s" })}</strong>
                        <button class="btn small" on:click=move |_| open.update(|o| *o = !*o)>
                            {move || if open.get() { "Hide details" } else { "Show all" }}
                        </button>
                    </div>
                    <ul>
                        {shown.into_iter().map(|p| view! {
                            <li class=if p.severity == Severity::Error { "error" } else { "warning" }>
                                <span class="file">{p.file}</span>
                                {p.place.map(|pl| view! { <span class="place">{pl}</span> })}
                                <span class="msg">{p.message}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
}
