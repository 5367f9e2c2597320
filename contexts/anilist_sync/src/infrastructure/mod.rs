//! AniListSync's outside world: the AniList GraphQL API (its queries, wire shapes and
//! classification in `anilist_api`, the rate-limited HTTP client in `anilist_client`) and the
//! `anilist_sync.media_cache` table (entity and repository). Private to this crate;
//! repositories take `&impl ConnectionTrait`.

pub mod anilist_api;
pub mod anilist_client;
mod entities;
pub mod media_cache_repo;
