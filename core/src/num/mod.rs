//! Numbers to and from text without core's float tables and code (~20 KB of the page's gzip
//! download): the page parses and prints floats in only a few places, and these do it smaller.

mod format;
mod parse;

pub use format::{shortest_decimal, Fixed, Plain};
pub use parse::parse_f64;

/// `x` within `[lo, hi]`, NaN as `lo`. `f64::clamp` checks its bounds with a message that prints
/// them with core's float formatting, which would bring that back into the page's module.
#[allow(clippy::manual_clamp)]
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}
