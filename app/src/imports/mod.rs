//! Bringing a member's own list into a space (`/spaces/:id/import`): from AniList or a
//! MyAnimeList export, previewed before anything is written, then imported by a background
//! job whose progress the page follows. Server functions in `server_fns.rs` call AniListSync.

mod import_options;
mod import_page;
mod import_preview;
mod import_progress;
mod mal_file_import;
mod server_fns;

pub use import_page::ImportPage;

use watch_spaces::contracts::WatchSpaceId;

/// The import page of a space.
pub fn import_path(space_id: WatchSpaceId) -> String {
    format!("/spaces/{space_id}/import")
}
