//! Spoor: see what your AI agent actually did.
//!
//! Data flows one way: `ingest` (one module per source format) → `model` (one normalized
//! run/span model) → `analysis` (pure functions) → `ui` (Leptos, wasm only). Everything but `ui`
//! is plain Rust, tested and benchmarked natively.

pub mod analysis;
pub mod fasthash;
pub mod ingest;
pub mod model;
pub mod share;
pub mod sorting;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod ui;
