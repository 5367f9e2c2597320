//! AniListSync's rules without I/O: turning AniList's HTML descriptions into plain text, and
//! the arithmetic of AniList's request budget. Depends on nothing but std.

pub mod description;
pub mod rate_limit;
