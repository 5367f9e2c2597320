//! AniListSync: BloomWatch's window on AniList. Owns the PostgreSQL schema `anilist_sync`
//! (the media cache) and the only HTTP client that talks to AniList: one server-wide rate
//! limiter, single-flight and short-lived search caching, timeouts and retries, and the
//! mapping of AniList's GraphQL shapes into our DTOs. AniList owns the metadata; we only
//! cache it, so nothing else in BloomWatch breaks when AniList is slow, down or odd.
//!
//! Public surface: `contracts` (wasm-safe media ids, enums, DTOs, `AniListError`) and, on
//! the server (`ssr`), the `AniListSync` facade and its settings.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(feature = "ssr")]
mod infrastructure;

#[cfg(feature = "ssr")]
pub use application::{AniListSettings, AniListSync};
