//! The web app's entry point (built by trunk for wasm32). Natively it only points at the CLI.

#[cfg(target_arch = "wasm32")]
fn main() {
    spoor::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("spoor-web is the browser app; build it with trunk. For the CLI run `spoor`.");
}
