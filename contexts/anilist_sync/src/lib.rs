//! AniListSync: BloomWatch's window on AniList. Owns the PostgreSQL schema `anilist_sync`
//! (the media cache, link states, members' sync accounts, the outbox of list changes and the
//! sync log) and the only HTTP client that talks to AniList: one server-wide rate limiter,
//! single-flight and short-lived search caching, timeouts and retries, and the mapping of
//! AniList's GraphQL shapes into our DTOs. AniList owns the metadata; we only cache it, so
//! nothing else in BloomWatch breaks when AniList is slow, down or odd. Members who link
//! their AniList account (OAuth; Identity keeps the link and its sealed token) get their own
//! progress, status and (if they choose) score pushed by a worker in every server instance,
//! never delaying the write that made the change.
//!
//! Public surface: `contracts` (wasm-safe media ids, enums, DTOs, `AniListError`) and, on
//! the server (`ssr`), the `AniListSync` facade and its settings.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(all(test, feature = "ssr"))]
mod fuzz;
#[cfg(feature = "ssr")]
mod infrastructure;

#[cfg(feature = "ssr")]
pub use application::{
    AccountLinkSubscriber, AniListSettings, AniListSync, DeliveryReport, ImportTarget,
    OAuthClientSettings,
};
