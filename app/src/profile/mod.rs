//! The profile settings page: display name, email, password, theme and the adult-content
//! opt-in for search, each its own small form (an island) over the one `update_profile`
//! server function (Identity's facade); and the tabs between the settings pages.

mod adult_content_form;
mod display_name_form;
mod email_form;
mod password_form;
mod profile_page;
mod server_fns;
mod theme_form;

pub use profile_page::ProfilePage;
pub use server_fns::UpdateProfile;

/// The settings pages, each linked from the others.
const SETTINGS_PAGES: [(&str, &str); 2] = [
    ("/settings/profile", "Profile"),
    (
        crate::linked_accounts::LINKED_ACCOUNTS_PATH,
        "Linked accounts",
    ),
];

/// The tabs between the settings pages; `current` is the path of the one shown.
#[component]
pub fn SettingsNav(current: &'static str) -> impl IntoView {
    view! {
        <nav class="settings-nav" aria-label="Settings">
            {SETTINGS_PAGES
                .into_iter()
                .map(|(href, label)| {
                    let here = (href == current).then_some("page");
                    view! { <a href=href aria-current=here>{label}</a> }
                })
                .collect_view()}
        </nav>
    }
}

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
