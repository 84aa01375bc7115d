//! A horizontal bar chart in SVG: labels as text nodes (never HTML), values scaled to the max.

use crate::num::Plain;
use leptos::prelude::*;

/// One bar: label, value, and the value as the reader should see it.
#[derive(Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub class: String,
}

#[component]
pub fn BarChart(title: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let row_h = 22.0;
    let h = bars.len() as f64 * row_h + 4.0;
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            {if bars.is_empty() {
                view! { <p class="muted">"Nothing to show."</p> }.into_any()
            } else {
                view! {
                    <svg class="bars" viewBox=format!("0 0 340 {}", Plain(h)) width="100%" role="img" aria-label=title>
                        {bars.into_iter().enumerate().map(|(i, b)| {
                            let y = i as f64 * row_h + 2.0;
                            let w = (b.value / max * 150.0).max(1.0);
                            view! {
                                <g>
                                    <text x="0" y=px(y + 15.0) class="bar-label">{crate::view::format::clip(&b.label, 22)}</text>
                                    <rect x="120" y=px(y + 3.0) width=px(w) height=px(row_h - 6.0) class=format!("bar {}", b.class)></rect>
                                    <text x=px(124.0 + w) y=px(y + 15.0) class="bar-value">{b.shown}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }.into_any()
            }}
        </figure>
    }
}

/// An SVG length as `{}` prints it, through [`Plain`] (core's float printing stays out of the
/// page's module).
fn px(v: f64) -> String {
    Plain(v).to_string()
}
