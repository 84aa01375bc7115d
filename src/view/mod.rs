//! View logic without the DOM: what the page shows, computed as plain Rust so it is tested
//! natively. The `ui` module only turns these values into elements and events into calls.

pub mod export;
pub mod fold;
pub mod format;
pub mod minimap;
pub mod palette;
pub mod rows;
pub mod state;
pub mod targets;
pub mod ticks;
