//! Analytics: shared taste and progress at a glance. Owns the PostgreSQL schema `analytics`
//! (no tables yet: everything is computed on read) and reads tracked anime only through
//! AnimeTracking's facade. The formulas live in `domain` as pure functions.
//!
//! Public surface: `contracts` (wasm-safe DTOs and `AnalyticsError`) and, on the server
//! (`ssr`), the `Analytics` facade.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;

#[cfg(feature = "ssr")]
pub use application::Analytics;
