//! Span details: everything known about the selected span, shown as text (never as HTML):
//! status and error, timing, tokens and cost, tool call, typed attributes (long values fold,
//! JSON is pretty-printed), events, links, linked decisions/signals/failures/logs, and the
//! parent and children to jump to.

use super::state::AppState;
use crate::analysis::bounds::RunBounds;
use crate::model::{flags, AttrValue, SpanIdx, Status};
use crate::view::format;
use leptos::prelude::*;

/// Values longer than this start folded.
const FOLD_AT: usize = 280;

#[component]
pub fn SpanDetails(run_i: usize, selected: Memo<Option<SpanIdx>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let Some(idx) = selected.get() else {
            return view! { <p class="hint">"Select a span in the waterfall (click, or ↑/↓) to see its details."</p> }.into_any();
        };
        state
            .loaded
            .with(|l| details_view(state, l, run_i, idx))
            .into_any()
    }
}

fn details_view(state: AppState, l: &super::state::Loaded, run_i: usize, idx: SpanIdx) -> AnyView {
    let run = &l.ws.runs[run_i];
    let a = &l.analyses[run_i];
    let Some(s) = run.spans.get(idx as usize) else {
        return view! { <p>"That span is not in this run."</p> }.into_any();
    };
    let b = RunBounds::of(run);
    let end = s.end_ns.unwrap_or(b.end_ns).max(s.start_ns);
    let figures = &a.summary.per_span;
    let computed = figures.computed_usd.get(idx as usize).copied().flatten();
    let mut facts: Vec<(&str, String)> = vec![
        ("Kind", s.kind.as_str().to_string()),
        (
            "Status",
            format!(
                "{}{}",
                match s.status {
                    Status::Ok => "ok",
                    Status::Error => "error",
                    Status::Unset => "unset",
                },
                s.status_text
                    .as_ref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            ),
        ),
        (
            "Start",
            format!(
                "{} (+{})",
                format::timestamp(s.start_ns),
                format::duration(s.start_ns - b.start_ns)
            ),
        ),
        (
            "Duration",
            if s.end_ns.is_some() {
                format::duration(end - s.start_ns)
            } else {
                format!(
                    "{} so far (never ended)",
                    format::duration(end - s.start_ns)
                )
            },
        ),
        (
            "Self time",
            format::duration(a.self_times.get(idx as usize).copied().unwrap_or(0)),
        ),
        ("Span id", s.id.clone()),
    ];
    if let Some(m) = &s.model {
        facts.push(("Model", m.clone()));
    }
    if let Some(p) = &s.provider {
        facts.push(("Provider", p.clone()));
    }
    if let Some(q) = s.seq {
        facts.push(("Step", q.to_string()));
    }
    if let Some(r) = &s.retry_of {
        facts.push(("Retry of step", r.clone()));
    }
    let u = s.usage;
    let token_rows: Vec<(&str, u64)> = [
        ("Input", u.input),
        ("Output", u.output),
        ("Cache read", u.cache_read),
        ("Cache write", u.cache_write),
        ("Reasoning", u.reasoning),
        ("Total", u.total),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let cost_line = match (s.reported_cost_usd, computed) {
        (None, None) => None,
        (r, c) => Some(format!(
            "{} reported · {} computed",
            r.map(format::usd).unwrap_or_else(|| "—".into()),
            format::usd_opt(c)
        )),
    };
    let mut repairs = Vec::new();
    if s.has_flag(flags::ORPHAN) {
        repairs.push(format!(
            "Its parent {} is not in the file; shown under the run's root.",
            s.parent_id.clone().unwrap_or_default()
        ));
    }
    if s.has_flag(flags::CYCLE_CUT) {
        repairs.push("Its parent chain looped; the link was cut.".to_string());
    }
    if s.has_flag(flags::DUPLICATE_ID) {
        repairs.push("Another span has the same id.".to_string());
    }
    if s.has_flag(flags::END_BEFORE_START) {
        repairs.push(
            "The file says it ended before it started; its end was set to its start.".to_string(),
        );
    }
    if s.has_flag(flags::BAD_NUMBER) {
        repairs.push("An impossible number (negative tokens or NaN cost) was dropped.".to_string());
    }

    let parent = a.tree.parent.get(idx as usize).copied().flatten();
    let children: Vec<SpanIdx> = a.tree.children(idx).to_vec();
    let link = move |i: SpanIdx, l: &super::state::Loaded| {
        let sp = &l.ws.runs[run_i].spans[i as usize];
        let id = sp.id.clone();
        let label = format!("{} · {}", sp.kind.as_str(), sp.name);
        view! { <button class="link" on:click=move |_| { let id = id.clone(); state.navigate(true, move |v| v.span = Some(id)); }>{label}</button> }
    };
    let decisions: Vec<_> = run
        .decisions
        .iter()
        .filter(|d| d.span == Some(idx))
        .cloned()
        .collect();
    let signals: Vec<_> = run
        .signals
        .iter()
        .filter(|d| d.span == Some(idx))
        .cloned()
        .collect();
    let failures: Vec<_> = run
        .failures
        .iter()
        .filter(|d| d.span == Some(idx))
        .cloned()
        .collect();
    let logs: Vec<_> = run
        .logs
        .iter()
        .filter(|d| d.span == Some(idx))
        .cloned()
        .collect();

    view! {
        <div class="details" data-testid="span-details">
            <h2 class="details-title">{s.name.clone()}</h2>
            {(s.status == Status::Error).then(|| view! {
                <div class="error-box" data-testid="span-error">
                    <strong>{s.error_type.clone().unwrap_or_else(|| "Error".into())}</strong>
                    {s.error_message.clone().map(|m| view! { <pre class="value">{m}</pre> })}
                </div>
            })}
            {(!repairs.is_empty()).then(|| view! { <ul class="repairs">{repairs.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul> })}
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            {(!token_rows.is_empty() || cost_line.is_some()).then(|| view! {
                <h3>"Tokens & cost"</h3>
                <dl class="facts" data-testid="span-tokens">
                    {token_rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{format::count(v)}</dd> }).collect_view()}
                    {cost_line.map(|c| view! { <dt>"Cost"</dt><dd>{c}</dd> })}
                </dl>
            })}
            {s.tool.clone().map(|t| view! {
                <h3>{format!("Tool call: {}", t.name)}</h3>
                {t.call_id.map(|c| view! { <p class="muted">{format!("call id {c}")}</p> })}
                {t.arguments.map(|v| view! { <h4>"Arguments"</h4><Value text=v/> })}
                {t.result.map(|v| view! { <h4>"Result"</h4><Value text=v/> })}
            })}
            <h3>{format!("Attributes ({})", s.attrs.len())}</h3>
            <table class="attrs" data-testid="span-attrs">
                <tbody>
                {s.attrs.iter().map(|at| {
                    let ty = type_name(&at.value);
                    view! { <tr><th scope="row">{at.key.to_string()}<span class="type">{ty}</span></th><td><Value text=at.value.to_text()/></td></tr> }
                }).collect_view()}
                </tbody>
            </table>
            {(!s.events.is_empty()).then(|| view! {
                <h3>{format!("Events ({})", s.events.len())}</h3>
                <ul class="events">
                    {s.events.iter().map(|e| view! {
                        <li><span class="muted">{format!("+{}", format::duration(e.time_ns - s.start_ns))}</span>" "<strong>{e.name.clone()}</strong>
                            {e.attrs.iter().map(|at| view! { <div class="ev-attr"><span class="k">{at.key.to_string()}</span>" "<Value text=at.value.to_text()/></div> }).collect_view()}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!s.links.is_empty()).then(|| view! {
                <h3>"Links"</h3>
                <ul>{s.links.iter().map(|k| view! { <li>{format!("trace {} · span {}", k.trace_id, k.span_id)}</li> }).collect_view()}</ul>
            })}
            {(!decisions.is_empty()).then(|| view! {
                <h3>"Decisions"</h3>
                <ul>{decisions.into_iter().map(|d| view! { <li>{format!("{}: {} ({})", d.decision_type, d.selected.unwrap_or_default(), d.reason_code.unwrap_or_default())}</li> }).collect_view()}</ul>
            })}
            {(!signals.is_empty()).then(|| view! {
                <h3>"Quality signals"</h3>
                <ul>{signals.into_iter().map(|q| view! { <li>{format!("{} / {} = {}", q.signal_type, q.code, q.value)}</li> }).collect_view()}</ul>
            })}
            {(!failures.is_empty()).then(|| view! {
                <h3>"Failures"</h3>
                <ul>{failures.into_iter().map(|f| view! { <li>{format!("{} / {}: {}", f.failure_type, f.code, f.message)}</li> }).collect_view()}</ul>
            })}
            {(!logs.is_empty()).then(|| view! {
                <h3>"Log events"</h3>
                <ul>{logs.into_iter().map(|g| view! { <li>{format!("{} {}: {}", g.level, g.event_type, g.message)}</li> }).collect_view()}</ul>
            })}
            <h3>"Tree"</h3>
            <div class="tree-links">
                {parent.map(|p| view! { <div>"Parent: " {link(p, l)}</div> })}
                {(!children.is_empty()).then(|| view! {
                    <div>{format!("Children ({}): ", children.len())}
                        <ul>{children.iter().take(200).map(|&c| view! { <li>{link(c, l)}</li> }).collect_view()}</ul>
                    </div>
                })}
            </div>
        </div>
    }.into_any()
}

fn type_name(v: &AttrValue) -> &'static str {
    match v {
        AttrValue::Null => "null",
        AttrValue::Bool(_) => "bool",
        AttrValue::Int(_) => "int",
        AttrValue::Float(_) => "float",
        AttrValue::Str(_) => "string",
        AttrValue::Array(_) => "array",
        AttrValue::Map(_) => "map",
    }
}

/// A value shown as text: JSON is pretty-printed, long values start folded.
#[component]
pub fn Value(text: String) -> impl IntoView {
    let pretty = pretty_json(&text).unwrap_or(text);
    let long = pretty.chars().count() > FOLD_AT || pretty.lines().count() > 8;
    let open = RwSignal::new(!long);
    let short = format::clip(&pretty.replace('\n', " "), FOLD_AT.min(160));
    view! {
        <div class="value-wrap">
            {move || if open.get() {
                view! { <pre class="value">{pretty.clone()}</pre> }.into_any()
            } else {
                view! { <pre class="value folded">{short.clone()}</pre> }.into_any()
            }}
            {long.then(|| view! {
                <button class="btn small" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Fold" } else { "Show all" }}
                </button>
            })}
        </div>
    }
}

/// Pretty-prints text that is a JSON object or array (tool arguments often are).
fn pretty_json(text: &str) -> Option<String> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) || text.len() > 2_000_000 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    serde_json::to_string_pretty(&v).ok()
}
