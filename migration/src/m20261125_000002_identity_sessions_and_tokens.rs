//! identity: browser sessions (the axum-login session store), API access tokens, and the
//! login-failure log that throttling reads.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000002_identity_sessions_and_tokens",
    up: r#"
-- Browser sessions live in PostgreSQL so a restart logs nobody out and instances can share them.
CREATE TABLE identity.sessions (
    id              varchar(64) PRIMARY KEY,
    data            jsonb NOT NULL,
    expires_at_utc  timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at_utc_idx ON identity.sessions (expires_at_utc);

-- API bearer tokens: only a SHA-256 of the random secret is stored.
CREATE TABLE identity.api_tokens (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL,
    created_at_utc  timestamptz NOT NULL,
    expires_at_utc  timestamptz NOT NULL,
    revoked_at_utc  timestamptz NULL,
    CONSTRAINT api_tokens_hash_is_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT api_tokens_expire_after_creation CHECK (expires_at_utc > created_at_utc),
    CONSTRAINT api_tokens_revoked_after_creation CHECK (revoked_at_utc IS NULL OR revoked_at_utc >= created_at_utc)
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON identity.api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON identity.api_tokens (user_id);

-- One row per failed login; throttling counts recent rows per account and per client address.
CREATE TABLE identity.login_failures (
    id              uuid PRIMARY KEY,
    email           varchar(254) NOT NULL,
    client_address  varchar(64) NOT NULL,
    failed_at_utc   timestamptz NOT NULL
);
CREATE INDEX login_failures_email_idx ON identity.login_failures (email, failed_at_utc DESC);
CREATE INDEX login_failures_client_address_idx ON identity.login_failures (client_address, failed_at_utc DESC);
"#,
    down: "DROP TABLE identity.login_failures; DROP TABLE identity.api_tokens; DROP TABLE identity.sessions;",
};
