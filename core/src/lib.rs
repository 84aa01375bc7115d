//! What every load runs once per span, in a crate of its own so it alone keeps the speed
//! optimization while the rest of `spoor` is built for size (see the workspace `Cargo.toml`):
//! the normalized [`model`], the OTLP wire reader ([`otlp`]) and the GenAI semantic
//! conventions ([`semconv`]). `spoor` re-exports these; use them through it.

pub mod fasthash;
pub mod model;
pub mod num;
pub mod otlp;
pub mod semconv;
