//! Identity through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`): links
//! to accounts at other services and their tokens at rest.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod external_accounts;
