//! The web app's entry point (built by trunk for wasm32). Natively it only points at the CLI.

#[cfg(target_arch = "wasm32")]
mod ui;

// The UI was written inside the `spoor` crate and names its modules as `crate::…`; re-exported
// here so it reads the same in this crate.
#[cfg(target_arch = "wasm32")]
use spoor::{analysis, fasthash, ingest, model, num, pace, share, sorting, view};

#[cfg(target_arch = "wasm32")]
fn main() {
    ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("spoor-web is the browser app; build it with trunk. For the CLI run `spoor`.");
}
