//! identity: a linked account shows its owner who they are at the provider (name, avatar),
//! and its tokens can only be stored sealed (`v1.<key id>.<base64>`, see Identity's
//! token cipher), never as the token itself.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261202_000014_identity_external_account_profiles",
    up: r#"
ALTER TABLE identity.external_account_links
    ADD COLUMN provider_user_name varchar(100) NULL
        CONSTRAINT external_account_links_provider_user_name_trimmed CHECK (
            provider_user_name = btrim(provider_user_name) AND provider_user_name <> ''),
    ADD COLUMN provider_avatar_url text NULL
        CONSTRAINT external_account_links_provider_avatar_url_web CHECK (
            provider_avatar_url ~ '^https?://[^[:space:]]+$' AND char_length(provider_avatar_url) <= 2048),
    ADD CONSTRAINT external_account_links_access_token_sealed CHECK (
        access_token_encrypted ~ '^v1\.[A-Za-z0-9_-]{1,16}\.[A-Za-z0-9+/]+={0,2}$'),
    ADD CONSTRAINT external_account_links_refresh_token_sealed CHECK (
        refresh_token_encrypted ~ '^v1\.[A-Za-z0-9_-]{1,16}\.[A-Za-z0-9+/]+={0,2}$'),
    ADD CONSTRAINT external_account_links_expires_after_linking CHECK (
        token_expires_at_utc > linked_at_utc);
"#,
    down: r#"
ALTER TABLE identity.external_account_links
    DROP CONSTRAINT external_account_links_expires_after_linking,
    DROP CONSTRAINT external_account_links_refresh_token_sealed,
    DROP CONSTRAINT external_account_links_access_token_sealed,
    DROP COLUMN provider_avatar_url,
    DROP COLUMN provider_user_name;
"#,
};
