//! sea-orm entities for the `anilist_sync` schema, one file per table.

pub mod media_cache;
