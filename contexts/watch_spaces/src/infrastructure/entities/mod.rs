//! sea-orm entities for the `watch_spaces` schema, one file per table.

pub mod invitations;
pub mod watch_space_members;
pub mod watch_spaces;
