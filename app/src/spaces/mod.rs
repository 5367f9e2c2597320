//! Watch spaces in the UI: the space selector (`/spaces`), one space's settings with members,
//! invitations, renaming and leaving (`/spaces/:id/settings`), the header shared by every page
//! inside a space, and the invitation landing page (`/invite/:token`). Server functions in
//! `server_fns.rs` call the WatchSpaces facade. A space's home, its anime, lives in `anime/`.

mod create_space_form;
mod export_links;
mod invitation_list;
mod invite_form;
mod invite_page;
mod leave_space_form;
mod member_list;
mod rename_space_form;
mod server_fns;
mod space_header;
mod space_settings_page;
mod spaces_page;

pub use invite_page::InvitePage;
pub use space_header::{SpaceHeader, SpaceSection};
pub use space_settings_page::{load_space, space_error, SpaceSettingsPage};
pub use spaces_page::SpacesPage;

use watch_spaces::contracts::Role;

/// A role as people say it.
fn role_label(role: Role) -> &'static str {
    match role {
        Role::Owner => "Owner",
        Role::Member => "Member",
    }
}
