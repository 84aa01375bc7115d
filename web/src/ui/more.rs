//! "Show more" for long lists: a list of thousands of items built at once holds the page for
//! seconds (a DOM item costs about half a millisecond), so lists open on one page of items and
//! grow by a page per click, always saying how many there are.

use crate::view::format;
use leptos::prelude::*;

/// The button under a list showing `shown` of `total` items (none once all are shown); a click
/// shows `page` more. Reads `shown` tracked, so a closure calling it follows the count. `what`
/// names the items where "shown" alone would be unclear (" runs").
pub fn show_more(
    testid: &'static str,
    shown: RwSignal<usize>,
    total: usize,
    page: usize,
    what: &'static str,
) -> Option<impl IntoView> {
    let n = shown.get().min(total);
    (total > n).then(|| {
        let label = format!(
            "Show {} more ({} of {}{what} shown)",
            page.min(total - n),
            format::count(n as u64),
            format::count(total as u64)
        );
        view! {
            <button class="btn" data-testid=testid on:click=move |_| shown.update(|s| *s += page)>{label}</button>
        }
    })
}
