//! AniListSync's rules without I/O: turning AniList's HTML descriptions into plain text, the
//! arithmetic of AniList's request budget, the outbox's rules (coalescing a member's
//! changes, retries and giving up), and reading and writing MyAnimeList's XML list format.

pub mod description;
// Used by the import and export use cases (issue 12), which arrive next.
#[cfg_attr(not(test), allow(dead_code))]
pub mod mal_xml;
pub mod rate_limit;
pub mod sync_job;
