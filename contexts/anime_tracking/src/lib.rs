//! AnimeTracking: the heart of BloomWatch. Owns the PostgreSQL schema `anime_tracking`
//! (`watch_space_anime`, `participant_entries`, `watch_sessions`, `watch_session_attendees`):
//! which anime a space tracks, the shared status and progress, each member's own status,
//! progress and rating, and the history of watch sessions. Depends on the kernel, Identity's
//! facade (display names), WatchSpaces' facade (membership) and, through the `MediaCatalog`
//! port, AniList metadata (the snapshot taken when an anime is added). Every write publishes
//! `contracts::TrackingChanged` in its transaction (`kernel::EventSink`).
//!
//! Public surface: `contracts` and, on the server (`ssr`), the `AnimeTracking` facade and the
//! `MediaCatalog` port it needs.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(feature = "ssr")]
mod infrastructure;

#[cfg(feature = "ssr")]
pub use application::{space_export_csv, AnimeTracking, MediaCatalog};
