//! WatchSpaces' rules, free of I/O: the `WatchSpace` aggregate (members with roles, at least
//! one owner) and its invitations. Depends only on contracts (ours and Identity's).

pub mod invitation;
pub mod space;
