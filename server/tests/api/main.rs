//! Black-box tests of the REST API: the real router on port 0 against a fresh PostgreSQL
//! database per test.

// Test support code: a failed step should fail the test loudly.
#![expect(clippy::unwrap_used)]

mod analytics;
mod anilist;
mod anilist_link;
mod anime;
mod auth;
mod exports;
mod harness;
mod imports;
mod instances;
mod platform;
mod sessions;
mod watch_spaces;
