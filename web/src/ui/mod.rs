//! The Leptos user interface (wasm32 only). Components read the model and analysis through
//! [`state::AppState`]; all URL-carried view state lives in [`crate::view::state::ViewState`].

mod app;
mod compare;
mod deflate;
mod details;
mod dom;
mod formats;
mod loader;
mod more;
mod panels;
mod run_list;
mod run_view;
mod search;
mod share;
mod state;
mod versions;
mod waterfall;

/// Mounts the app on the page's body and removes the boot message.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(el) = dom::document().get_element_by_id("boot-status") {
        el.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
