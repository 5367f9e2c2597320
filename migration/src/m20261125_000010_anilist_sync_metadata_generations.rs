//! anilist_sync: a generation number for the metadata readers derive things from (genres and
//! episode lengths). The counter row serialises the writers that bump it, so generations are
//! handed out in commit order: a reader that remembers the generation it read before deriving
//! knows that a cached media changed since exactly when its row carries a higher one.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000010_anilist_sync_metadata_generations",
    up: r#"
CREATE TABLE anilist_sync.metadata_generation (
    -- Exactly one row.
    singleton   boolean PRIMARY KEY DEFAULT true CONSTRAINT metadata_generation_singleton CHECK (singleton),
    generation  bigint NOT NULL CONSTRAINT metadata_generation_not_negative CHECK (generation >= 0)
);
INSERT INTO anilist_sync.metadata_generation (singleton, generation) VALUES (true, 0);

-- The generation in which the row was inserted or its genres or episode length last changed.
ALTER TABLE anilist_sync.media_cache
    ADD COLUMN metadata_generation bigint NOT NULL DEFAULT 0
        CONSTRAINT media_cache_metadata_generation_not_negative CHECK (metadata_generation >= 0);
ALTER TABLE anilist_sync.media_cache ALTER COLUMN metadata_generation DROP DEFAULT;
CREATE INDEX media_cache_metadata_generation_idx ON anilist_sync.media_cache (metadata_generation);
"#,
    down: r#"
ALTER TABLE anilist_sync.media_cache DROP COLUMN metadata_generation;
DROP TABLE anilist_sync.metadata_generation;
"#,
};
