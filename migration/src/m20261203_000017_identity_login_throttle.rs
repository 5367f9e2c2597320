//! identity: login throttling by counters (per account and address, per address, per account)
//! that an attempt locks, counts and writes back in one transaction, instead of a log of
//! failures counted before each attempt (which a burst of concurrent attempts slipped past).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261203_000017_identity_login_throttle",
    up: r#"
-- The subject is the SHA-256 of the counter's key (an email, an address, or both): the table
-- keeps no addresses or typed emails.
CREATE TABLE identity.login_throttle (
    scope               text NOT NULL
        CONSTRAINT login_throttle_scope_known CHECK (scope IN ('account_address', 'address', 'account')),
    subject             bytea NOT NULL
        CONSTRAINT login_throttle_subject_is_sha256 CHECK (octet_length(subject) = 32),
    failures            integer NOT NULL
        CONSTRAINT login_throttle_failures_not_negative CHECK (failures >= 0),
    last_attempt_at_utc timestamptz NOT NULL,
    blocked_until_utc   timestamptz NULL,
    PRIMARY KEY (scope, subject),
    CONSTRAINT login_throttle_blocks_after_an_attempt CHECK (blocked_until_utc > last_attempt_at_utc)
);
DROP TABLE identity.login_failures;
"#,
    down: r#"
CREATE TABLE identity.login_failures (
    id              uuid PRIMARY KEY,
    email           varchar(254) NOT NULL,
    client_address  varchar(64) NOT NULL,
    failed_at_utc   timestamptz NOT NULL
);
CREATE INDEX login_failures_email_idx ON identity.login_failures (email, failed_at_utc DESC);
CREATE INDEX login_failures_client_address_idx ON identity.login_failures (client_address, failed_at_utc DESC);
DROP TABLE identity.login_throttle;
"#,
};
