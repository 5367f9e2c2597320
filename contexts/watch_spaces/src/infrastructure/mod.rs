//! WatchSpaces' persistence: sea-orm entities for the `watch_spaces` schema and the
//! repositories that load and save the `WatchSpace` aggregate. Private to this crate;
//! repositories take `&impl ConnectionTrait`, so the application layer owns transactions.

mod entities;
pub mod invitations_repo;
pub mod members_repo;
pub mod spaces_repo;
