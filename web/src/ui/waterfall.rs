//! The interactive waterfall: one row per span in tree order, bars on a shared time axis,
//! virtualized so only the visible rows exist in the DOM (100k+ spans scroll smoothly).
//! Zoom: Ctrl/⌘+wheel or drag a range on the axis or the minimap; Shift+wheel pans; Reset.

use super::state::{flagged, AppState, SpanFlags};
use crate::analysis::bounds::RunBounds;
use crate::model::{flags, SpanIdx, Status};
use crate::num::{clamp, Fixed, Plain};
use crate::view::format;
use crate::view::rows::Rows;
use crate::view::ticks::ticks;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Row height in px; CSS uses the same value (`--row-h`).
pub const ROW_H: f64 = 24.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 8;

/// The visible time window in absolute ns.
pub fn window_of(state: AppState, bounds: RunBounds) -> (i64, i64) {
    let zoom = state.view.with(|v| v.zoom);
    match zoom {
        Some((a, b)) => (bounds.start_ns + a, bounds.start_ns + b.max(a + 1)),
        None => (bounds.start_ns, bounds.end_ns.max(bounds.start_ns + 1)),
    }
}

/// Sets the zoom window (absolute ns), clamped to the run; the whole run clears it.
pub fn set_window(state: AppState, bounds: RunBounds, from: i64, to: i64) {
    let len = bounds.duration_ns().max(1);
    let min_len = 1_000i64.min(len);
    let (mut a, mut b) = (
        from.min(to) - bounds.start_ns,
        from.max(to) - bounds.start_ns,
    );
    if b - a < min_len {
        let mid = (a + b) / 2;
        a = mid - min_len / 2;
        b = a + min_len;
    }
    if a < 0 {
        b -= a;
        a = 0;
    }
    if b > len {
        a = (a - (b - len)).max(0);
        b = len;
    }
    let zoom = if a <= 0 && b >= len {
        None
    } else {
        Some((a, b))
    };
    state.navigate(false, |v| v.zoom = zoom);
}

fn pct(t: i64, w: (i64, i64)) -> f64 {
    (t - w.0) as f64 / (w.1 - w.0).max(1) as f64 * 100.0
}

/// Static facts about one row, read once when the row is created.
struct RowInfo {
    idx: SpanIdx,
    id: String,
    name: String,
    kind: &'static str,
    depth: u32,
    has_children: bool,
    start: i64,
    end: i64,
    open: bool,
    error: bool,
    repaired: bool,
    tooltip: String,
    label: String,
}

fn row_info(state: AppState, run_i: usize, idx: SpanIdx, bounds: RunBounds) -> Option<RowInfo> {
    state.loaded.with_untracked(|l| {
        let run = l.ws.runs.get(run_i)?;
        let a = l.analyses.get(run_i)?;
        let s = run.spans.get(idx as usize)?;
        let end = s.end_ns.unwrap_or(bounds.end_ns).max(s.start_ns);
        let dur = format::duration(end - s.start_ns);
        let tokens = span_tokens(s);
        let computed = a
            .summary
            .per_span
            .computed_usd
            .get(idx as usize)
            .copied()
            .flatten();
        let cost = s.reported_cost_usd.or(computed);
        let mut tip = format!(
            "{}\n{} · {}{}",
            s.name,
            s.kind.as_str(),
            dur,
            if s.end_ns.is_none() {
                " (still running)"
            } else {
                ""
            }
        );
        if tokens > 0 {
            tip.push_str(&format!("\n{} tokens", format::count(tokens)));
        }
        if let Some(c) = cost {
            tip.push_str(&format!("\n{}", format::usd(c)));
        }
        if let Some(m) = &s.error_message {
            tip.push_str(&format!("\nerror: {}", format::clip(m, 160)));
        }
        Some(RowInfo {
            idx,
            id: s.id.clone(),
            name: s.name.clone(),
            kind: s.kind.as_str(),
            depth: a.tree.depth.get(idx as usize).copied().unwrap_or(0),
            has_children: !a.tree.children(idx).is_empty(),
            start: s.start_ns,
            end,
            open: s.end_ns.is_none(),
            error: s.status == Status::Error,
            repaired: s.flags
                & (flags::ORPHAN
                    | flags::CYCLE_CUT
                    | flags::DUPLICATE_ID
                    | flags::END_BEFORE_START)
                != 0,
            label: dur,
            tooltip: tip,
        })
    })
}

/// Tokens a span itself reports (its own usage, aggregate or not), for the tooltip.
pub fn span_tokens(s: &crate::model::Span) -> u64 {
    match (s.usage.input, s.usage.output) {
        (None, None) => s.usage.total.unwrap_or(0),
        (i, o) => i.unwrap_or(0) + o.unwrap_or(0),
    }
}

/// The waterfall for the open run. `rows` are the rows to show (tree order, filtered).
#[component]
pub fn Waterfall(
    run_i: usize,
    bounds: RunBounds,
    rows: Memo<Rows>,
    critical: Memo<SpanFlags>,
    matches: Memo<SpanFlags>,
    scroll_to: RwSignal<Option<usize>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_h = RwSignal::new(600.0f64);
    let body: NodeRef<leptos::html::Div> = NodeRef::new();

    // Keep the viewport height current.
    let measure = move || {
        if let Some(el) = body.get_untracked() {
            viewport_h.set(el.client_height() as f64);
        }
    };
    Effect::new(move |_| {
        if body.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Scroll a row into view when asked (keyboard, search, anomaly clicks).
    Effect::new(move |_| {
        if let Some(pos) = scroll_to.get() {
            if let Some(el) = body.get_untracked() {
                let top = pos as f64 * ROW_H;
                let h = el.client_height() as f64;
                let cur = el.scroll_top() as f64;
                if top < cur || top + ROW_H > cur + h {
                    el.set_scroll_top((top - h / 3.0).max(0.0) as i32);
                }
            }
            scroll_to.set(None);
        }
    });

    let slice = Memo::new(move |_| {
        let total = rows.with(|r| r.rows.len());
        let first = ((scroll_top.get() / ROW_H) as usize).saturating_sub(OVERSCAN);
        let count = (viewport_h.get() / ROW_H) as usize + 2 * OVERSCAN + 1;
        let last = (first + count).min(total);
        rows.with(|r| (first..last).map(|p| (p, r.rows[p])).collect::<Vec<_>>())
    });

    let win = Memo::new(move |_| window_of(state, bounds));
    let hover = RwSignal::new(None::<(String, f64, f64)>);

    view! {
        <div class="waterfall" data-testid="waterfall">
            {minimap(run_i, bounds, rows, win)}
            {axis(bounds, win)}
            <div class="wf-body" id="wf-body" node_ref=body tabindex="0" role="tree" aria-label="Span tree"
                data-testid="wf-body"
                on:scroll=move |ev| {
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        scroll_top.set(el.scroll_top() as f64);
                    }
                }
                on:wheel=move |ev: web_sys::WheelEvent| {
                    let (w0, w1) = win.get_untracked();
                    if ev.ctrl_key() || ev.meta_key() {
                        ev.prevent_default();
                        let frac = cursor_frac(&ev);
                        // The browser's exp: libm's would be 0.6 KB of wasm for this one call.
                        let factor = js_sys::Math::exp(ev.delta_y() * 0.002);
                        let t = w0 as f64 + (w1 - w0) as f64 * frac;
                        let a = t - (t - w0 as f64) * factor;
                        let b = t + (w1 as f64 - t) * factor;
                        set_window(state, bounds, a as i64, b as i64);
                    } else if ev.shift_key() || ev.delta_x().abs() > ev.delta_y().abs() {
                        let d = if ev.shift_key() { ev.delta_y() } else { ev.delta_x() };
                        if state.view.with_untracked(|v| v.zoom.is_some()) {
                            ev.prevent_default();
                            let shift = ((w1 - w0) as f64 * d / 1000.0) as i64;
                            set_window(state, bounds, w0 + shift, w1 + shift);
                        }
                    }
                }>
                <div class="wf-spacer" style:height=move || format!("{}px", Plain(rows.with(|r| r.rows.len()) as f64 * ROW_H))>
                    <For each=move || slice.get() key=|(p, i)| (*p, *i) let:item>
                        {
                            let (pos, idx) = item;
                            row_info(state, run_i, idx, bounds).map(|info| view! {
                                <Row info pos win critical matches hover/>
                            })
                        }
                    </For>
                </div>
            </div>
            {move || hover.get().map(|(text, x, y)| view! {
                <div class="wf-tooltip" role="tooltip" style:left=format!("{}px", Plain(x + 14.0)) style:top=format!("{}px", Plain(y + 14.0))>{text}</div>
            })}
        </div>
    }
}

/// Where the cursor is across the bar area, 0..1 (the bar area starts after the name column).
fn cursor_frac(ev: &web_sys::MouseEvent) -> f64 {
    let Some(el) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return 0.5;
    };
    let rect = el.get_bounding_client_rect();
    let name_w = name_column_px(rect.width());
    let x = (ev.client_x() as f64 - rect.left() - name_w) / (rect.width() - name_w).max(1.0);
    clamp(x, 0.0, 1.0)
}

/// Width of the name column; CSS uses `min(40%, 420px)` too.
pub fn name_column_px(total: f64) -> f64 {
    (total * 0.4).min(420.0)
}

#[component]
fn Row(
    info: RowInfo,
    pos: usize,
    win: Memo<(i64, i64)>,
    critical: Memo<SpanFlags>,
    matches: Memo<SpanFlags>,
    hover: RwSignal<Option<(String, f64, f64)>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let RowInfo {
        idx,
        id: span_id,
        name,
        kind,
        depth,
        has_children,
        start,
        end,
        open,
        error,
        repaired,
        tooltip,
        label,
    } = info;
    let sid = span_id.clone();
    let selected = Memo::new(move |_| state.view.with(|v| v.span.as_deref() == Some(sid.as_str())));
    let collapsed = Memo::new(move |_| state.collapsed.with(|c| c.contains(&idx)));
    let is_match = Memo::new(move |_| state.marked.with(|m| m.contains(&idx)));
    let is_search_hit = Memo::new(move |_| matches.with(|m| flagged(m, idx)));
    let on_crit = Memo::new(move |_| critical.with(|c| flagged(c, idx)));
    let tip = tooltip.clone();
    let select_id = span_id.clone();
    view! {
        <div class="wf-row" role="treeitem" id=format!("row-{idx}") data-span=span_id.clone()
            attr:aria-level=depth + 1
            aria-selected=move || selected.get().to_string()
            aria-expanded=move || has_children.then(|| (!collapsed.get()).to_string())
            class:selected=move || selected.get()
            class:error=error
            class:critical=move || on_crit.get()
            class:marked=move || is_match.get()
            class:match=move || is_search_hit.get()
            style:top=format!("{}px", Plain(pos as f64 * ROW_H))
            on:click=move |_| {
                let id = select_id.clone();
                state.navigate(true, move |v| { v.span = Some(id); });
            }>
            <div class="wf-name" style:padding-left=format!("{}px", 6 + depth.min(40) * 14)>
                {has_children.then(|| view! {
                    <button class="twisty" tabindex="-1" aria-label=move || if collapsed.get() { "Expand" } else { "Collapse" }
                        on:click=move |ev| {
                            ev.stop_propagation();
                            state.collapsed.update(|c| if !c.remove(&idx) { c.insert(idx); });
                        }>
                        {move || if collapsed.get() { "▸" } else { "▾" }}
                    </button>
                })}
                <span class=format!("kind-badge k-{kind}")>{kind}</span>
                <span class="wf-label">{name}</span>
                {error.then(|| view! { <span class="err-mark" title="error">"!"</span> })}
                {repaired.then(|| view! { <span class="warn-mark" title="repaired on load: see the span's details">"⚠"</span> })}
            </div>
            <div class="wf-track">
                <div class=format!("wf-bar k-{kind}") class:open=open class:error=error
                    style:left=move || format!("{}%", Fixed(pct(start, win.get()), 4))
                    style:width=move || { let w = win.get(); format!("{}%", Fixed((pct(end, w) - pct(start, w)).max(0.15), 4)) }
                    on:mouseenter=move |ev: web_sys::MouseEvent| hover.set(Some((tip.clone(), ev.client_x() as f64, ev.client_y() as f64)))
                    on:mouseleave=move |_| hover.set(None)>
                </div>
                <span class="wf-dur" class:inside=move || label_inside(end, win.get())
                    style:left=move || label_left(start, end, win.get())>{label}</span>
            </div>
        </div>
    }
}

/// Whether the duration label must sit inside its bar (no room to its right).
fn label_inside(end: i64, w: (i64, i64)) -> bool {
    pct(end, w) > 88.0
}

/// Where the duration label goes: right of the bar, or inside its left edge when the bar runs
/// to the right edge of the view.
fn label_left(start: i64, end: i64, w: (i64, i64)) -> String {
    if label_inside(end, w) {
        format!("{}%", Fixed(pct(start, w).max(0.0), 4))
    } else {
        format!("{}%", Fixed(pct(end, w).max(0.0), 4))
    }
}

/// The time axis with readable ticks; drag across it to zoom into a range.
fn axis(bounds: RunBounds, win: Memo<(i64, i64)>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let drag = RwSignal::new(None::<(f64, f64)>);
    let track: NodeRef<leptos::html::Div> = NodeRef::new();
    let frac_at = move |x: f64| -> f64 {
        track
            .get_untracked()
            .map(|el| {
                let r = el.get_bounding_client_rect();
                clamp((x - r.left()) / r.width().max(1.0), 0.0, 1.0)
            })
            .unwrap_or(0.0)
    };
    view! {
        <div class="wf-axis">
            <div class="wf-axis-name">
                <button class="btn small" data-testid="zoom-reset" on:click=move |_| state.navigate(false, |v| v.zoom = None)
                    disabled=move || state.view.with(|v| v.zoom.is_none())>"Reset zoom"</button>
            </div>
            <div class="wf-axis-track" node_ref=track data-testid="axis"
                on:mousedown=move |ev| { let f = frac_at(ev.client_x() as f64); drag.set(Some((f, f))); }
                on:mousemove=move |ev| { if let Some((a, _)) = drag.get_untracked() { drag.set(Some((a, frac_at(ev.client_x() as f64)))); } }
                on:mouseup=move |_| {
                    if let Some((a, b)) = drag.get_untracked() {
                        drag.set(None);
                        if (a - b).abs() > 0.005 {
                            let (w0, w1) = win.get_untracked();
                            let at = |f: f64| w0 + ((w1 - w0) as f64 * f) as i64;
                            set_window(state, bounds, at(a.min(b)), at(a.max(b)));
                        }
                    }
                }
                on:mouseleave=move |_| drag.set(None)>
                {move || {
                    let (w0, w1) = win.get();
                    ticks(bounds.start_ns, w0, w1, 8).into_iter().map(|t| {
                        let left = pct(bounds.start_ns + t.offset_ns, (w0, w1));
                        view! { <span class="tick" style:left=format!("{}%", Fixed(left, 3))>{t.label}</span> }
                    }).collect_view()
                }}
                {move || drag.get().map(|(a, b)| view! {
                    <div class="axis-select" style:left=format!("{}%", Plain(a.min(b) * 100.0)) style:width=format!("{}%", Plain((a - b).abs() * 100.0))></div>
                })}
            </div>
        </div>
    }
}

/// A minimap of the whole run (drawn on a canvas: cheap at any size); drag on it to zoom, and
/// the current window is shown over it.
fn minimap(
    run_i: usize,
    bounds: RunBounds,
    rows: Memo<Rows>,
    win: Memo<(i64, i64)>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        rows.track();
        state.theme.track();
        // Drawn in a task of its own: over a million rows it takes tens of milliseconds, which
        // the first paint of the run page need not wait for. (The rows or the run may be gone by
        // then: nothing is drawn.)
        leptos::task::spawn_local(async move {
            super::dom::yield_now().await;
            rows.try_with_untracked(|r| {
                state.loaded.with_untracked(|l| {
                    if let Some(run) = l.ws.runs.get(run_i) {
                        draw_minimap(&c, run, &r.rows, bounds);
                    }
                })
            });
        });
    });
    let drag = RwSignal::new(None::<(f64, f64)>);
    let frac_at = move |ev: &web_sys::MouseEvent| -> f64 {
        ev.current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| {
                let r = el.get_bounding_client_rect();
                clamp(
                    (ev.client_x() as f64 - r.left()) / r.width().max(1.0),
                    0.0,
                    1.0,
                )
            })
            .unwrap_or(0.0)
    };
    let at = move |f: f64| bounds.start_ns + (bounds.duration_ns() as f64 * f) as i64;
    view! {
        <div class="wf-minimap-row">
            <div class="wf-axis-name minimap-label">"Whole run · " {format::duration(bounds.duration_ns())}</div>
            <div class="wf-minimap" data-testid="minimap"
                on:mousedown=move |ev| { let f = frac_at(&ev); drag.set(Some((f, f))); }
                on:mousemove=move |ev| { if let Some((a, _)) = drag.get_untracked() { drag.set(Some((a, frac_at(&ev)))); } }
                on:mouseup=move |ev| {
                    if let Some((a, b)) = drag.get_untracked() {
                        drag.set(None);
                        if (a - b).abs() > 0.005 {
                            set_window(state, bounds, at(a.min(b)), at(a.max(b)));
                        } else {
                            // A click recentres the current window there.
                            let f = frac_at(&ev);
                            let (w0, w1) = win.get_untracked();
                            let half = (w1 - w0) / 2;
                            set_window(state, bounds, at(f) - half, at(f) + half);
                        }
                    }
                }
                on:mouseleave=move |_| drag.set(None)>
                <canvas node_ref=canvas width="1000" height="40"></canvas>
                {move || {
                    let (w0, w1) = win.get();
                    let full = (bounds.start_ns, bounds.end_ns.max(bounds.start_ns + 1));
                    let l = pct(w0, full);
                    let w = pct(w1, full) - l;
                    (w < 99.9).then(|| view! { <div class="minimap-window" style:left=format!("{}%", Plain(l)) style:width=format!("{}%", Plain(w))></div> })
                }}
                {move || drag.get().map(|(a, b)| view! {
                    <div class="axis-select" style:left=format!("{}%", Plain(a.min(b) * 100.0)) style:width=format!("{}%", Plain((a - b).abs() * 100.0))></div>
                })}
            </div>
        </div>
    }
}

fn draw_minimap(
    c: &web_sys::HtmlCanvasElement,
    run: &crate::model::Run,
    rows: &[SpanIdx],
    b: RunBounds,
) {
    let Ok(Some(ctx)) = c.get_context("2d") else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    let (w, h) = (c.width(), c.height());
    ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
    let strips = crate::view::minimap::strips(&run.spans, rows, b.start_ns, b.end_ns, w, h);
    let row_h = (h as f64 / rows.len().max(1) as f64).max(1.0);
    for s in strips {
        let color = match s.kind {
            Some(k) => crate::view::palette::kind_color(k),
            None => "#e5534b",
        };
        ctx.set_fill_style_str(color);
        ctx.fill_rect(s.x0 as f64, s.y as f64, (s.x1 - s.x0).max(1) as f64, row_h);
    }
}
