//! The profile settings page: display name, email, password, theme and the adult-content
//! opt-in for search, each its own small form over the one `update_profile` server function
//! (Identity's facade).

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

/// After a successful save, refreshes the signed-in user everywhere (header, guards) and
/// returns the confirmation `describe` words for it.
fn confirm_saved_profile(
    save: ServerAction<UpdateProfile>,
    describe: fn(&UserDto) -> String,
) -> Signal<Option<String>> {
    let current_user = crate::auth::use_current_user();
    Effect::new(move |_| {
        if let Some(Ok(user)) = save.value().get() {
            current_user.set(user);
        }
    });
    Signal::derive(move || match save.value().get() {
        Some(Ok(user)) => Some(describe(&user)),
        _ => None,
    })
}
