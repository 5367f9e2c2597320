//! Identity's rules, free of I/O: the user aggregate, login throttling, access tokens.

pub mod access_token;
pub mod login_throttle;
pub mod user;
