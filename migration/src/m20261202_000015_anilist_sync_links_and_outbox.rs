//! anilist_sync: what linking and pushing to AniList needs besides Identity's link row.
//! - `oauth_states`: the one-time `state` of a link in progress (only its SHA-256), bound to
//!   the user, for ten minutes, deleted when used;
//! - `sync_accounts`: per linked member, their AniList user, score format, the switches of
//!   what is pushed, and whether the link still works (AniList refused the token: paused);
//! - `sync_exclusions`: titles a member keeps off their AniList list;
//! - `sync_jobs`: the outbox. A row is written in the transaction of the change it carries
//!   (only the fields that change touched), delivered by a worker in any server instance and
//!   then marked; older pending rows of the same member and title are superseded by one
//!   delivery of the newest values;
//! - `sync_log`: every attempt, as the design lays it out (payloads without tokens).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261202_000015_anilist_sync_links_and_outbox",
    up: r#"
CREATE TABLE anilist_sync.oauth_states (
    state_hash      bytea PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    created_at_utc  timestamptz NOT NULL,
    expires_at_utc  timestamptz NOT NULL,
    CONSTRAINT oauth_states_hash_is_sha256 CHECK (octet_length(state_hash) = 32),
    CONSTRAINT oauth_states_expire_after_creation CHECK (expires_at_utc > created_at_utc)
);
CREATE INDEX oauth_states_expires_at ON anilist_sync.oauth_states (expires_at_utc);

CREATE TABLE anilist_sync.sync_accounts (
    user_id             uuid PRIMARY KEY REFERENCES identity.users (id) ON DELETE CASCADE,
    anilist_user_id     int NOT NULL,
    score_format        varchar(16) NULL,
    push_progress       boolean NOT NULL DEFAULT true,
    push_status         boolean NOT NULL DEFAULT true,
    push_score          boolean NOT NULL DEFAULT false,
    expired_reason      text NULL,
    last_synced_at_utc  timestamptz NULL,
    updated_at_utc      timestamptz NOT NULL,
    CONSTRAINT sync_accounts_anilist_user_id_positive CHECK (anilist_user_id > 0),
    CONSTRAINT sync_accounts_score_format_known CHECK (score_format IN (
        'POINT_100', 'POINT_10_DECIMAL', 'POINT_10', 'POINT_5', 'POINT_3')),
    CONSTRAINT sync_accounts_expired_reason_not_blank CHECK (btrim(expired_reason) <> '')
);

CREATE TABLE anilist_sync.sync_exclusions (
    user_id           uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    anilist_media_id  int NOT NULL,
    excluded_at_utc   timestamptz NOT NULL,
    PRIMARY KEY (user_id, anilist_media_id),
    CONSTRAINT sync_exclusions_media_id_positive CHECK (anilist_media_id > 0)
);

CREATE TABLE anilist_sync.sync_jobs (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id               uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    anilist_media_id      int NOT NULL,
    watch_space_anime_id  uuid NULL,
    list_status           varchar(16) NULL,
    progress              int NULL,
    score_raw             int NULL,
    state                 varchar(16) NOT NULL DEFAULT 'pending',
    attempts              int NOT NULL DEFAULT 0,
    next_attempt_at_utc   timestamptz NOT NULL,
    last_error            text NULL,
    created_at_utc        timestamptz NOT NULL,
    finished_at_utc       timestamptz NULL,
    CONSTRAINT sync_jobs_media_id_positive CHECK (anilist_media_id > 0),
    CONSTRAINT sync_jobs_list_status_known CHECK (list_status IN (
        'CURRENT', 'PLANNING', 'COMPLETED', 'DROPPED', 'PAUSED', 'REPEATING')),
    CONSTRAINT sync_jobs_progress_not_negative CHECK (progress >= 0),
    CONSTRAINT sync_jobs_score_raw_range CHECK (score_raw BETWEEN 0 AND 100),
    CONSTRAINT sync_jobs_carry_a_change CHECK (
        list_status IS NOT NULL OR progress IS NOT NULL OR score_raw IS NOT NULL),
    CONSTRAINT sync_jobs_state_known CHECK (state IN (
        'pending', 'delivered', 'superseded', 'failed', 'cancelled')),
    CONSTRAINT sync_jobs_attempts_not_negative CHECK (attempts >= 0),
    CONSTRAINT sync_jobs_finished_unless_pending CHECK ((state = 'pending') = (finished_at_utc IS NULL)),
    CONSTRAINT sync_jobs_failures_say_why CHECK (state <> 'failed' OR last_error IS NOT NULL)
);
-- The worker's claim: due pending jobs, oldest first.
CREATE INDEX sync_jobs_due ON anilist_sync.sync_jobs (next_attempt_at_utc) WHERE state = 'pending';
-- A member's title: its pending jobs to coalesce, its newest job for the sync chip.
CREATE INDEX sync_jobs_member_media ON anilist_sync.sync_jobs (user_id, anilist_media_id, id DESC);

CREATE TABLE anilist_sync.sync_log (
    id                      uuid PRIMARY KEY,
    user_id                 uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    watch_space_anime_id    uuid NULL,
    anilist_media_id        int NULL,
    provider_name           varchar(32) NOT NULL,
    operation_name          varchar(64) NOT NULL,
    status                  varchar(16) NOT NULL,
    reason                  text NULL,
    request_payload_jsonb   jsonb NULL,
    response_payload_jsonb  jsonb NULL,
    created_at_utc          timestamptz NOT NULL,
    CONSTRAINT sync_log_provider_known CHECK (provider_name IN ('anilist')),
    CONSTRAINT sync_log_operation_not_blank CHECK (btrim(operation_name) <> ''),
    CONSTRAINT sync_log_status_known CHECK (status IN (
        'succeeded', 'will_retry', 'failed', 'link_expired', 'cancelled')),
    CONSTRAINT sync_log_media_id_positive CHECK (anilist_media_id > 0)
);
CREATE INDEX sync_log_user_created ON anilist_sync.sync_log (user_id, created_at_utc DESC);
CREATE INDEX sync_log_anime_created ON anilist_sync.sync_log (watch_space_anime_id, created_at_utc DESC);
CREATE INDEX sync_log_created ON anilist_sync.sync_log (created_at_utc);
"#,
    down: r#"
DROP TABLE anilist_sync.sync_log;
DROP TABLE anilist_sync.sync_jobs;
DROP TABLE anilist_sync.sync_exclusions;
DROP TABLE anilist_sync.sync_accounts;
DROP TABLE anilist_sync.oauth_states;
"#,
};
