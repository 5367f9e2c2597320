//! identity: platform users, their preferences, and third-party account links.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000001_identity_users",
    up: r#"
CREATE SCHEMA identity;

CREATE TABLE identity.users (
    id              uuid PRIMARY KEY,
    email           varchar(254) NOT NULL,
    password_hash   text NOT NULL,
    display_name    varchar(160) NOT NULL,
    created_at_utc  timestamptz NOT NULL,
    updated_at_utc  timestamptz NOT NULL,
    is_active       boolean NOT NULL DEFAULT true,
    -- Emails are stored normalised (trimmed, lower-case), which makes uniqueness case-insensitive.
    CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)) AND email LIKE '_%@_%'),
    CONSTRAINT users_display_name_not_blank CHECK (
        display_name = btrim(display_name) AND char_length(display_name) BETWEEN 1 AND 160),
    CONSTRAINT users_password_hash_is_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT users_updated_after_created CHECK (updated_at_utc >= created_at_utc)
);
CREATE UNIQUE INDEX users_email_key ON identity.users (email);

-- Per-user settings that are not part of the user's identity (kept out of `users` so that
-- table stays exactly the design's).
CREATE TABLE identity.user_preferences (
    user_id         uuid PRIMARY KEY REFERENCES identity.users (id) ON DELETE CASCADE,
    theme           varchar(16) NULL,
    updated_at_utc  timestamptz NOT NULL,
    CONSTRAINT user_preferences_theme_known CHECK (theme IN ('pastel', 'dark'))
);

CREATE TABLE identity.external_account_links (
    id                       uuid PRIMARY KEY,
    user_id                  uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    provider_name            varchar(32) NOT NULL,
    provider_user_id         varchar(128) NOT NULL,
    access_token_encrypted   text NOT NULL,
    refresh_token_encrypted  text NULL,
    token_expires_at_utc     timestamptz NULL,
    linked_at_utc            timestamptz NOT NULL,
    CONSTRAINT external_account_links_provider_known CHECK (provider_name IN ('anilist')),
    CONSTRAINT external_account_links_provider_user_id_not_blank CHECK (btrim(provider_user_id) <> '')
);
CREATE UNIQUE INDEX external_account_links_provider_user_key
    ON identity.external_account_links (provider_name, provider_user_id);
CREATE UNIQUE INDEX external_account_links_user_provider_key
    ON identity.external_account_links (user_id, provider_name);
"#,
    down: "DROP SCHEMA identity CASCADE;",
};
