//! AnimeTracking's rules, free of I/O: the `WatchSpaceAnime` aggregate (the AniList snapshot,
//! the shared state and every member's `ParticipantEntry`) and `WatchSession`s with what
//! recording one does to progress. Depends only on contracts (ours and the other contexts').

pub mod anime;
pub mod session;
