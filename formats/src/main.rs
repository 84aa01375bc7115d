//! Spoor's formats module: a web worker that reads the files the page's own module leaves to it
//! (every format but OTLP: Jaeger, Langfuse, the seed formats) and answers with what they hold,
//! through `spoor::ingest::handoff`. The page starts it only when such a file (or the demo) is
//! opened, so most visits never download these importers; and it reads on its own thread.
//!
//! Natively this binary does nothing: it exists to be built for wasm32 by trunk
//! (`data-type="worker"` in `index.html`).

#[cfg(target_arch = "wasm32")]
mod worker;

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
