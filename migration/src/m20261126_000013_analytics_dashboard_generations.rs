//! analytics: what a dashboard snapshot depends on, kept by Analytics itself from the events
//! the other contexts publish inside their writes' transactions, so one statement on
//! Analytics' own tables tells whether a snapshot is current and whether the reader may see it:
//! - `space_generations`: bumped by every AnimeTracking write in the space and every change of
//!   its members or roles (no row: generation 0);
//! - `upstream_generations`: one row, bumped by every display name change anywhere, and
//!   raised to AniListSync's metadata generation whenever cached genres or lengths change;
//! - each snapshot records the generations it was computed at, the day, the members allowed
//!   to read it, the people it names and the AniList media it used, under an id that names
//!   its payload for good (a server may keep the payload in memory under that id).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261126_000013_analytics_dashboard_generations",
    up: r#"
CREATE TABLE analytics.space_generations (
    watch_space_id  uuid PRIMARY KEY
        CONSTRAINT space_generations_space_fkey REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    generation      bigint NOT NULL
        CONSTRAINT space_generations_generation_positive CHECK (generation >= 1)
);

CREATE TABLE analytics.upstream_generations (
    singleton            boolean PRIMARY KEY DEFAULT true
        CONSTRAINT upstream_generations_one_row CHECK (singleton),
    names_generation     bigint NOT NULL DEFAULT 0
        CONSTRAINT upstream_generations_names_not_negative CHECK (names_generation >= 0),
    metadata_generation  bigint NOT NULL DEFAULT 0
        CONSTRAINT upstream_generations_metadata_not_negative CHECK (metadata_generation >= 0)
);
INSERT INTO analytics.upstream_generations DEFAULT VALUES;

CREATE SEQUENCE analytics.dashboard_snapshot_ids AS bigint;

-- Snapshots are derived data: the next read recomputes them.
DELETE FROM analytics.dashboard_snapshots;
ALTER TABLE analytics.dashboard_snapshots
    DROP COLUMN fingerprint,
    DROP COLUMN former_members_named,
    ADD COLUMN snapshot_id bigint NOT NULL DEFAULT nextval('analytics.dashboard_snapshot_ids')
        CONSTRAINT dashboard_snapshots_snapshot_id_unique UNIQUE,
    ADD COLUMN space_generation bigint NOT NULL
        CONSTRAINT dashboard_snapshots_space_generation_not_negative CHECK (space_generation >= 0),
    ADD COLUMN names_generation bigint NOT NULL
        CONSTRAINT dashboard_snapshots_names_generation_not_negative CHECK (names_generation >= 0),
    ADD COLUMN computed_on date NOT NULL,
    ADD COLUMN member_ids uuid[] NOT NULL
        CONSTRAINT dashboard_snapshots_member_ids_present CHECK (cardinality(member_ids) >= 1),
    -- {"user id": "name shown", ...} for everyone the payload names.
    ADD COLUMN people_named jsonb NOT NULL
        CONSTRAINT dashboard_snapshots_people_named_object CHECK (jsonb_typeof(people_named) = 'object');
ALTER SEQUENCE analytics.dashboard_snapshot_ids OWNED BY analytics.dashboard_snapshots.snapshot_id;
"#,
    down: r#"
DELETE FROM analytics.dashboard_snapshots;
ALTER TABLE analytics.dashboard_snapshots
    DROP COLUMN people_named,
    DROP COLUMN member_ids,
    DROP COLUMN computed_on,
    DROP COLUMN names_generation,
    DROP COLUMN space_generation,
    DROP COLUMN snapshot_id,
    ADD COLUMN fingerprint text NOT NULL,
    ADD COLUMN former_members_named jsonb NOT NULL
        CONSTRAINT dashboard_snapshots_former_members_named_array CHECK (jsonb_typeof(former_members_named) = 'array');
DROP TABLE analytics.upstream_generations;
DROP TABLE analytics.space_generations;
"#,
};
