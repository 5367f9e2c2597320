//! Analytics through its public facade, on real PostgreSQL (`TEST_DATABASE_URL`), the real
//! Identity, WatchSpaces, AnimeTracking and AniListSync facades and the fake AniList: the
//! dashboard's fixed number of SQL statements, its snapshots (never stale after any write),
//! and the random pick's memory per space.
#![cfg(feature = "ssr")]
#![expect(clippy::unwrap_used)]

mod support;

mod dashboard;
mod random_pick;
mod snapshots;
