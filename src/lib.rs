//! Spoor: see what your AI agent actually did.
//!
//! Data flows one way: `ingest` (one module per source format) → `model` (one normalized
//! run/span model) → `analysis` (pure functions) → `ui` (Leptos, wasm only: the `spoor-web`
//! crate in `web/`). Everything but `ui` is plain Rust, tested and benchmarked natively.

pub mod analysis;
pub mod ingest;
pub mod pace;
pub mod share;
pub mod sorting;
pub mod view;

// The model and the per-span readers live in `spoor-core`, the one crate built for speed; the
// paths stay `spoor::model`, `crate::fasthash`.
pub use spoor_core::{fasthash, model, num};
