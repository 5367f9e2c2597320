//! The profile settings page: display name, email, password, theme and the adult-content
//! opt-in for search, each its own small form (an island) over the one `update_profile`
//! server function (Identity's facade).

mod adult_content_form;
mod display_name_form;
mod email_form;
mod password_form;
mod profile_page;
mod server_fns;
mod theme_form;

pub use profile_page::ProfilePage;
pub use server_fns::UpdateProfile;

use identity::contracts::UserDto;
use leptos::prelude::*;

/// The confirmation `describe` words for the last successful save.
fn confirm_saved_profile(
    save: ServerAction<UpdateProfile>,
    describe: fn(&UserDto) -> String,
) -> Signal<Option<String>> {
    Signal::derive(move || match save.value().get() {
        Some(Ok(user)) => Some(describe(&user)),
        _ => None,
    })
}
