//! Black-box tests of the REST API: the real router on port 0 against a fresh PostgreSQL
//! database per test.

mod auth;
mod harness;
mod platform;
mod watch_spaces;
