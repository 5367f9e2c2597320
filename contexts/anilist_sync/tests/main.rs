//! AniListSync through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`) and
//! the in-process fake AniList: search and its caches, media by id, cached media in bulk,
//! every AniList fault the fake can inject, the rate limiter under a burst, linking members'
//! accounts, pushing their changes through the outbox, importing lists into spaces, and the database constraints that
//! back the media cache and the sync tables.
#![cfg(feature = "ssr")]
#![expect(clippy::unwrap_used, clippy::panic)]

mod support;

mod cached_media;
mod constraints;
mod faults;
mod import;
mod link;
mod media;
mod search;
mod sync;
