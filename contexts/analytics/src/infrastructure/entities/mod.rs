//! sea-orm entities for the `analytics` schema, one file per table.

pub mod random_picks;
