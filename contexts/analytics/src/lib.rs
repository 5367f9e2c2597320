//! Analytics: shared taste and progress at a glance. Owns the PostgreSQL schema `analytics`
//! (`random_picks`: each space's latest random pick; `dashboard_snapshots`: each space's last
//! dashboard, served while nothing it was computed from changed; `space_generations` and
//! `upstream_generations`: what tells, moved by the other contexts' events inside their
//! writes' transactions); everything else is computed on read from AnimeTracking's facade
//! (tracked anime, sessions) and AniListSync's cached media (genres, episode lengths). The
//! formulas live in `domain` as pure functions.
//!
//! Public surface: `contracts` (wasm-safe DTOs and `AnalyticsError`) and, on the server
//! (`ssr`), the `Analytics` facade and its `Subscriber` to the other contexts' events.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(feature = "ssr")]
mod infrastructure;

#[cfg(feature = "ssr")]
pub use application::{Analytics, Subscriber};
