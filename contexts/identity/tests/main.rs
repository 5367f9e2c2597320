//! Identity through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`): links
//! to accounts at other services and their tokens at rest, and login throttling.
#![cfg(feature = "ssr")]
#![expect(clippy::unwrap_used, clippy::panic)]

mod external_accounts;
mod login_throttle;
