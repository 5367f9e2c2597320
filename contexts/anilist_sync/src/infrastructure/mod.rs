//! AniListSync's outside world: the AniList GraphQL API (its queries, wire shapes and
//! classification in `anilist_api`, the rate-limited HTTP client in `anilist_client`), its
//! OAuth endpoints (`anilist_oauth`) and the `anilist_sync` tables (the media cache, link
//! states, sync accounts, the outbox, the sync log, import jobs). Private to this crate; repositories take
//! `&impl ConnectionTrait`.

pub mod anilist_api;
pub mod anilist_client;
pub mod anilist_oauth;
mod entities;
pub mod import_jobs_repo;
pub mod media_cache_repo;
pub mod oauth_states_repo;
pub mod sync_accounts_repo;
pub mod sync_jobs_repo;
pub mod sync_log_repo;
