//! Identity through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`): links
//! to accounts at other services and their tokens at rest.
#![cfg(feature = "ssr")]
#![expect(clippy::unwrap_used)]

mod external_accounts;
