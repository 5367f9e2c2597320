//! Identity's rules, free of I/O: the user aggregate, login throttling, access tokens, links to
//! accounts at other services.

pub mod access_token;
pub mod external_link;
pub mod login_throttle;
pub mod user;
