//! sea-orm entities for the `anime_tracking` schema, one file per table.

pub mod participant_entries;
pub mod watch_session_attendees;
pub mod watch_sessions;
pub mod watch_space_anime;
