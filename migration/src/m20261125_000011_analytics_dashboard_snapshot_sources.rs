//! analytics: a dashboard snapshot keeps, besides its fingerprint, what it needs to tell cheaply
//! whether it is still current, so a read neither re-digests AniList's cache nor re-encodes
//! the payload: the AniList media it was computed from and AniListSync's metadata generation
//! at the time, and the people it names who were no longer members (whose names can change
//! without changing the fingerprint). The payload is kept as the JSON text it is served as.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000011_analytics_dashboard_snapshot_sources",
    up: r#"
-- Snapshots are derived data: the next read recomputes them.
DELETE FROM analytics.dashboard_snapshots;
ALTER TABLE analytics.dashboard_snapshots
    ALTER COLUMN payload TYPE json USING payload::json,
    ADD COLUMN anilist_media_ids integer[] NOT NULL
        CONSTRAINT dashboard_snapshots_media_ids_positive CHECK (0 < ALL (anilist_media_ids)),
    ADD COLUMN metadata_generation bigint NOT NULL
        CONSTRAINT dashboard_snapshots_metadata_generation_not_negative CHECK (metadata_generation >= 0),
    -- [[user id, name shown], ...] for the people shown who were not members.
    ADD COLUMN former_members_named jsonb NOT NULL
        CONSTRAINT dashboard_snapshots_former_members_named_array CHECK (jsonb_typeof(former_members_named) = 'array');
-- Read on every dashboard request: stored uncompressed, so reading it costs no decompression.
ALTER TABLE analytics.dashboard_snapshots ALTER COLUMN payload SET STORAGE EXTERNAL;
"#,
    down: r#"
DELETE FROM analytics.dashboard_snapshots;
ALTER TABLE analytics.dashboard_snapshots
    DROP COLUMN former_members_named,
    DROP COLUMN metadata_generation,
    DROP COLUMN anilist_media_ids,
    ALTER COLUMN payload TYPE jsonb USING payload::jsonb,
    ALTER COLUMN payload SET STORAGE EXTENDED;
"#,
};
