//! Renderers: they draw plans, reports and diagnostics, and decide nothing.

pub mod human;
pub mod json;
pub mod outputs;
