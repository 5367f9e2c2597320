//! AniListSync's rules without I/O: turning AniList's HTML descriptions into plain text, the
//! arithmetic of AniList's request budget, the outbox's rules (coalescing a member's
//! changes, retries and giving up), what an import brings in, and reading and writing
//! MyAnimeList's XML list format.

pub mod description;
pub mod import_plan;
// The export half arrives with the exports (issue 12).
pub mod mal_xml;
pub mod rate_limit;
pub mod sync_job;
