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
    // A panic (a bug) is written to the console with its message and place. The JS stack that
    // console_error_panic_hook adds names only `wasm-function[n]` in a release build, which has
    // no names, and the crate cost 0.4 KB of the download.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(&info.to_string()));
    }));
    if let Some(el) = dom::document().get_element_by_id("boot-status") {
        el.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
