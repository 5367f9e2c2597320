//! AnimeTracking through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`) and
//! an in-memory AniList catalog: every use case's happy path and refusals, the progress and
//! session rules, concurrent writers, and the database constraints that back each rule.
#![cfg(feature = "ssr")]
#![expect(clippy::unwrap_used, clippy::panic)]

mod support;

mod add_anime;
mod caps;
mod concurrency;
mod constraints;
mod events;
mod import_entries;
mod list_anime;
mod list_space_sessions;
mod non_members;
mod participant_entries;
mod remove_anime;
mod sessions;
mod sync_media_snapshot;
mod update_anime;
