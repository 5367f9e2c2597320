//! AniListSync's rules without I/O: turning AniList's HTML descriptions into plain text, the
//! arithmetic of AniList's request budget, and the outbox's rules (coalescing a member's
//! changes, retries and giving up).

pub mod description;
pub mod rate_limit;
pub mod sync_job;
