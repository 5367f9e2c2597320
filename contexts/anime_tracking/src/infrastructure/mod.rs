//! AnimeTracking's persistence: sea-orm entities for the `anime_tracking` schema and the
//! repositories that load and save the `WatchSpaceAnime` aggregate and watch sessions.
//! Private to this crate; repositories take `&impl ConnectionTrait`, so the application layer
//! owns transactions.

pub mod anime_repo;
mod entities;
pub mod sessions_repo;
