//! anilist_sync: imports of members' lists into spaces, as background jobs that survive a
//! reload, a crash or a restart.
//! - `import_jobs`: one per import: whose, into which space, from where, with which options,
//!   where it stands and its counts; a worker holds it under a lease it renews as it goes;
//! - `import_items`: the list as it was read (each title once, in list order), each marked
//!   done when its chunk was brought into the space, so a resumed job carries on where it
//!   stopped (bringing a chunk twice changes nothing).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261202_000016_anilist_sync_imports",
    up: r#"
CREATE TABLE anilist_sync.import_jobs (
    id                uuid PRIMARY KEY,
    watch_space_id    uuid NOT NULL REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    source            varchar(16) NOT NULL,
    source_user_name  varchar(100) NULL,
    options_jsonb     jsonb NOT NULL,
    state             varchar(16) NOT NULL,
    total             int NOT NULL DEFAULT 0,
    processed         int NOT NULL DEFAULT 0,
    added             int NOT NULL DEFAULT 0,
    changed           int NOT NULL DEFAULT 0,
    unchanged         int NOT NULL DEFAULT 0,
    error             text NULL,
    attempts          int NOT NULL DEFAULT 0,
    lease_until_utc   timestamptz NULL,
    created_at_utc    timestamptz NOT NULL,
    updated_at_utc    timestamptz NOT NULL,
    finished_at_utc   timestamptz NULL,
    CONSTRAINT import_jobs_source_known CHECK (source IN ('anilist', 'myanimelist')),
    CONSTRAINT import_jobs_source_user_name_trimmed CHECK (
        source_user_name = btrim(source_user_name) AND source_user_name <> ''),
    CONSTRAINT import_jobs_options_object CHECK (jsonb_typeof(options_jsonb) = 'object'),
    CONSTRAINT import_jobs_state_known CHECK (state IN ('queued', 'fetching', 'applying', 'done', 'failed')),
    CONSTRAINT import_jobs_counts_not_negative CHECK (
        total >= 0 AND processed >= 0 AND added >= 0 AND changed >= 0 AND unchanged >= 0 AND attempts >= 0),
    CONSTRAINT import_jobs_processed_within_total CHECK (processed <= total),
    CONSTRAINT import_jobs_finished_when_stopped CHECK (
        (state IN ('done', 'failed')) = (finished_at_utc IS NOT NULL)),
    CONSTRAINT import_jobs_failures_say_why CHECK (state <> 'failed' OR error IS NOT NULL)
);
-- The workers' claim: jobs still running, oldest first.
CREATE INDEX import_jobs_running ON anilist_sync.import_jobs (created_at_utc)
    WHERE state IN ('queued', 'fetching', 'applying');
CREATE INDEX import_jobs_member_space ON anilist_sync.import_jobs (user_id, watch_space_id, created_at_utc DESC);

CREATE TABLE anilist_sync.import_items (
    job_id            uuid NOT NULL REFERENCES anilist_sync.import_jobs (id) ON DELETE CASCADE,
    position          int NOT NULL,
    anilist_media_id  int NULL,
    mal_id            int NULL,
    title             text NULL,
    list_status       varchar(16) NOT NULL,
    progress          int NOT NULL,
    score_raw         int NULL,
    notes             text NULL,
    done              boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, position),
    CONSTRAINT import_items_position_not_negative CHECK (position >= 0),
    CONSTRAINT import_items_identified CHECK (anilist_media_id IS NOT NULL OR mal_id IS NOT NULL),
    CONSTRAINT import_items_media_id_positive CHECK (anilist_media_id > 0),
    CONSTRAINT import_items_mal_id_positive CHECK (mal_id > 0),
    CONSTRAINT import_items_list_status_known CHECK (list_status IN (
        'CURRENT', 'PLANNING', 'COMPLETED', 'DROPPED', 'PAUSED', 'REPEATING')),
    CONSTRAINT import_items_progress_not_negative CHECK (progress >= 0),
    CONSTRAINT import_items_score_raw_range CHECK (score_raw BETWEEN 0 AND 100)
);
CREATE UNIQUE INDEX import_items_job_media_key ON anilist_sync.import_items (job_id, anilist_media_id);
CREATE INDEX import_items_to_do ON anilist_sync.import_items (job_id, position) WHERE NOT done;
"#,
    down: r#"
DROP TABLE anilist_sync.import_items;
DROP TABLE anilist_sync.import_jobs;
"#,
};
