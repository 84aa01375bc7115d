//! The run view: header with the run's counts in words, toolbar (search, filters, critical
//! path, export), the waterfall and the side panels. Keyboard: ↑/↓ select, ←/→ collapse and
//! expand, `/` search, `n`/`N` next/previous match, Esc clears.

use super::details::SpanDetails;
use super::panels::{AnomalyPanel, CostPanel, DecisionsPanel, LogsPanel, MetricsPanel};
use super::search::Search;
use super::state::{flagged, span_flags, AppState};
use super::waterfall::Waterfall;
use crate::model::{SpanIdx, SpanKind};
use crate::num::Fixed;
use crate::view::format;
use crate::view::rows::{visible_rows, Query, RowFilter, Rows};
use crate::view::state::Panel;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn RunView() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        match state.current.get() {
        Some(i) => view! { <RunPage run_i=i/> }.into_any(),
        None => view! {
            <div class="empty">
                <p>{move || match state.view.with(|v| v.run.clone()) {
                    Some(id) => format!("No loaded run has the id {id}. Open its file, or pick a run from the list."),
                    None => "No run selected.".to_string(),
                }}</p>
            </div>
        }.into_any(),
    }
    }
}

#[component]
fn RunPage(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The tree's copy: `RunBounds::of` reads every span again (26 ms at a million spans).
    let bounds = state
        .loaded
        .with_untracked(|l| l.analyses[run_i].tree.bounds);

    // Span id → index, for selection by id (the URL carries ids, not indices). A scan, not a
    // map: a map of a million-span run's ids cost 40 MB of copies and held the first click for
    // ~300 ms; the scan is a few ms per selection.
    let selected_idx = Memo::new(move |_| {
        state.view.with(|v| {
            let id = v.span.as_deref()?;
            state.loaded.with(|l| {
                let spans = &l.ws.runs[run_i].spans;
                spans.iter().position(|s| s.id == id).map(|i| i as SpanIdx)
            })
        })
    });

    let filter = Memo::new(move |_| {
        state.view.with(|v| RowFilter {
            query: Query::parse(&v.query),
            kind: v.kind.as_deref().and_then(SpanKind::parse),
            errors_only: v.errors_only,
            matches_only: v.matches_only,
        })
    });
    let search = Search::new(state, run_i, filter);
    let rows: Memo<Rows> = Memo::new(move |_| {
        let f = filter.get();
        state.collapsed.with(|c| {
            state.loaded.with(|l| {
                let a = &l.analyses[run_i];
                let hits = search.flags(&f.query, l);
                visible_rows(
                    &l.ws.runs[run_i].spans,
                    &a.tree.preorder,
                    &a.tree.depth,
                    &a.tree.parent,
                    c,
                    &f,
                    hits.as_deref().map(Vec::as_slice),
                )
            })
        })
    });
    let critical = Memo::new(move |_| {
        let on = state.view.with(|v| v.critical_path);
        state.loaded.with(|l| {
            let path = if on {
                l.analyses[run_i].critical_path.as_slice()
            } else {
                &[]
            };
            span_flags(l.ws.runs[run_i].spans.len(), path.iter().copied())
        })
    });
    // The search's own flags mark the matching rows: no set of the matches is made again.
    let matches = Memo::new(move |_| {
        let query = filter.with(|f| f.query.clone());
        let loaded = state.loaded.get();
        search
            .flags(&query, &loaded)
            .unwrap_or_else(|| span_flags(0, []))
    });
    let scroll_to = RwSignal::new(None::<usize>);

    // Keep the selected row in view whenever the selection changes.
    Effect::new(move |_| {
        if let Some(idx) = selected_idx.get() {
            if let Some(pos) = rows.with_untracked(|r| r.rows.iter().position(|&x| x == idx)) {
                scroll_to.set(Some(pos));
            }
        }
    });

    let select = move |idx: SpanIdx| {
        let id = state
            .loaded
            .with_untracked(|l| l.ws.runs[run_i].spans[idx as usize].id.clone());
        state.navigate(true, move |v| v.span = Some(id));
    };
    // Next/previous match after the selection, wrapping around: one pass over the rows.
    let move_match = move |forward: bool| {
        let next = rows.with_untracked(|r| {
            let matches = matches.get_untracked();
            let cur = selected_idx
                .get_untracked()
                .and_then(|i| r.rows.iter().position(|&x| x == i));
            let n = r.rows.len();
            (1..=n)
                .map(|step| match (cur, forward) {
                    (Some(c), true) => (c + step) % n,
                    (Some(c), false) => (c + n - step % n) % n,
                    (None, true) => step - 1,
                    (None, false) => n - step,
                })
                .map(|p| r.rows[p])
                .find(|&i| flagged(&matches, i))
        });
        if let Some(next) = next {
            select(next);
        }
    };

    // Keyboard navigation on the whole page while the run is open (not while typing).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| {
                use wasm_bindgen::JsCast;
                t.dyn_into::<web_sys::Element>().ok()
            })
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
            .unwrap_or(false);
        let key = ev.key();
        if typing {
            match key.as_str() {
                "Enter" => move_match(!ev.shift_key()),
                "Escape" => super::dom::focus_by_id("wf-body"),
                _ => {}
            }
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let order = rows.with_untracked(|r| r.rows.clone());
        let cur = selected_idx.get_untracked();
        let pos = cur.and_then(|i| order.iter().position(|&x| x == i));
        match key.as_str() {
            "ArrowDown" | "j" => {
                ev.prevent_default();
                let next = pos
                    .map(|p| (p + 1).min(order.len().saturating_sub(1)))
                    .unwrap_or(0);
                if let Some(&i) = order.get(next) {
                    select(i);
                }
            }
            "ArrowUp" | "k" => {
                ev.prevent_default();
                let next = pos.map(|p| p.saturating_sub(1)).unwrap_or(0);
                if let Some(&i) = order.get(next) {
                    select(i);
                }
            }
            "ArrowLeft" | "ArrowRight" => {
                let Some(i) = cur else { return };
                ev.prevent_default();
                let (has_children, parent) = state.loaded.with_untracked(|l| {
                    let t = &l.analyses[run_i].tree;
                    (
                        !t.children(i).is_empty(),
                        t.parent.get(i as usize).copied().flatten(),
                    )
                });
                let is_collapsed = state.collapsed.with_untracked(|c| c.contains(&i));
                if key == "ArrowLeft" {
                    if has_children && !is_collapsed {
                        state.collapsed.update(|c| {
                            c.insert(i);
                        });
                    } else if let Some(p) = parent {
                        select(p);
                    }
                } else if has_children && is_collapsed {
                    state.collapsed.update(|c| {
                        c.remove(&i);
                    });
                } else if has_children {
                    if let Some(first) = state
                        .loaded
                        .with_untracked(|l| l.analyses[run_i].tree.children(i).first().copied())
                    {
                        select(first);
                    }
                }
            }
            "/" => {
                ev.prevent_default();
                super::dom::focus_by_id("search");
            }
            "n" => move_match(true),
            "N" => move_match(false),
            "Escape" => {
                state.navigate(true, |v| {
                    v.span = None;
                    v.query.clear();
                    v.matches_only = false;
                });
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class="run-page">
            {run_header(run_i)}
            {toolbar(run_i, rows, filter, search)}
            <div class="run-body">
                <div class="run-main">
                    <Waterfall run_i bounds rows critical matches scroll_to/>
                </div>
                <aside class="side-panel" aria-label="Run panels">
                    <div class="tabs" role="tablist">
                        {Panel::ALL.into_iter().map(|p| view! {
                            <button role="tab" class="tab" data-panel=p.as_str()
                                aria-selected=move || (state.panel.get() == p).to_string()
                                class:active=move || state.panel.get() == p
                                on:click=move |_| state.navigate(true, move |v| v.panel = p)>
                                {p.title()}
                                {(p == Panel::Anomalies).then(|| view! {
                                    <span class="tab-count">{move || state.loaded.with(|l| l.analyses[run_i].anomalies.len())}</span>
                                })}
                            </button>
                        }).collect_view()}
                    </div>
                    <div class="panel-body" role="tabpanel">
                        {move || match state.panel.get() {
                            Panel::Details => view! { <SpanDetails run_i selected=selected_idx/> }.into_any(),
                            Panel::Cost => view! { <CostPanel run_i/> }.into_any(),
                            Panel::Anomalies => view! { <AnomalyPanel run_i/> }.into_any(),
                            Panel::Decisions => view! { <DecisionsPanel run_i/> }.into_any(),
                            Panel::Logs => view! { <LogsPanel run_i/> }.into_any(),
                            Panel::Metrics => view! { <MetricsPanel run_i/> }.into_any(),
                        }}
                    </div>
                </aside>
            </div>
        </div>
    }
}

/// Name and counts in words, tokens, cost (reported and computed) and duration.
fn run_header(run_i: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
        let run = &l.ws.runs[run_i];
        let s = &l.analyses[run_i].summary;
        let counts = format::counts_line(s.spans as u64, s.llm_calls as u64, s.tool_calls as u64, s.error_spans as u64);
        let tokens = format!("{} tokens in · {} out", format::count(s.tokens.input), format::count(s.tokens.output));
        let cost = match (s.reported_cost_usd, s.computed_cost_usd) {
            (Some(r), Some(c)) => format!("{} reported · {} computed", format::usd(r), format::usd(c)),
            (Some(r), None) => format!("{} reported", format::usd(r)),
            (None, c) => format::usd_opt(c),
        };
        let meta: Vec<String> = [run.agent_id.clone(), run.agent_version.clone(), run.environment.clone(), run.status_text.clone()]
            .into_iter().flatten().collect();
        view! {
            <section class="run-header" data-testid="run-header">
                <h1 class="run-name">{run.name.clone()}</h1>
                <p class="run-counts" data-testid="run-counts">{counts}</p>
                <p class="run-figures">
                    <span data-testid="run-tokens">{tokens}</span>
                    <span data-testid="run-cost">{cost}</span>
                    <span data-testid="run-duration">{format::duration(s.duration_ns)}</span>
                    {(!meta.is_empty()).then(|| view! { <span class="run-meta">{meta.join(" · ")}</span> })}
                </p>
            </section>
        }
    })
    }
}

/// Runs with at least this many spans search once typing pauses for [`SEARCH_PAUSE_MS`], not on
/// every keystroke: one pass over 100k spans takes ~50 ms in the page, over a million about ten
/// times that, and a word typed at once would otherwise cost one pass per letter.
const SEARCH_AT_ONCE_BELOW: usize = 50_000;
const SEARCH_PAUSE_MS: u64 = 200;

/// Search, filters, the critical-path toggle and exports.
fn toolbar(
    run_i: usize,
    rows: Memo<Rows>,
    filter: Memo<RowFilter>,
    search: Search,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let spans = state
        .loaded
        .with_untracked(|l| l.ws.runs.get(run_i).map_or(0, |r| r.spans.len()));
    let on_typed = move |q: String| {
        if spans < SEARCH_AT_ONCE_BELOW {
            state.navigate(false, move |v| v.query = q);
            return;
        }
        // Searches only if the box still says `q`: no key came since, and Esc did not clear it.
        set_timeout(
            move || {
                let now = super::dom::document()
                    .get_element_by_id("search")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|e| e.value());
                if now.as_deref() == Some(q.as_str()) {
                    state.navigate(false, move |v| v.query = q);
                }
            },
            std::time::Duration::from_millis(SEARCH_PAUSE_MS),
        );
    };
    view! {
        <div class="toolbar" role="search">
            <input id="search" type="search" placeholder="Search spans: name, attribute value, key=value   ( / )"
                aria-label="Search spans"
                prop:value=move || state.view.with(|v| v.query.clone())
                on:input=move |ev| on_typed(event_target_value(&ev))/>
            <span class="match-count" data-testid="match-count">{move || {
                let q = filter.with(|f| f.query.clone());
                if q.is_empty() {
                    return None;
                }
                let done = state.loaded.with(|l| search.flags(&q, l).is_some());
                Some(match search.progress() {
                    _ if done => format!("{} matches", rows.with(|r| r.matches.len())),
                    Some(p) => format!("Searching… {}%", Fixed(p * 100.0, 0)),
                    None => "Searching…".to_string(),
                })
            }}</span>
            <label class="check"><input type="checkbox"
                prop:checked=move || state.view.with(|v| v.matches_only)
                on:change=move |ev| { let on = event_target_checked(&ev); state.navigate(false, move |v| v.matches_only = on); }/>"Matches only"</label>
            <select aria-label="Filter by kind" on:change=move |ev| {
                let k = event_target_value(&ev);
                state.navigate(false, move |v| v.kind = (!k.is_empty()).then_some(k));
            } prop:value=move || state.view.with(|v| v.kind.clone().unwrap_or_default())>
                <option value="">"All kinds"</option>
                {SpanKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.as_str()}</option> }).collect_view()}
            </select>
            <label class="check"><input type="checkbox"
                prop:checked=move || state.view.with(|v| v.errors_only)
                on:change=move |ev| { let on = event_target_checked(&ev); state.navigate(false, move |v| v.errors_only = on); }/>"Errors only"</label>
            <label class="check"><input type="checkbox" data-testid="critical-toggle"
                prop:checked=move || state.view.with(|v| v.critical_path)
                on:change=move |ev| { let on = event_target_checked(&ev); state.navigate(false, move |v| v.critical_path = on); }/>"Critical path"</label>
            <span class="spacer"></span>
            <super::panels::ExportMenu run_i/>
            <super::share::ShareButton run_i/>
        </div>
    }
}
