//! `/settings/profile`: the signed-in person's own settings.

use leptos::prelude::*;
use leptos_meta::Title;

use super::adult_content_form::AdultContentForm;
use super::display_name_form::DisplayNameForm;
use super::email_form::EmailForm;
use super::password_form::PasswordForm;
use super::theme_form::ThemeForm;
use crate::auth::use_current_user;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let user = use_current_user().user_untracked();
    view! {
        <Title text="Your profile"/>
        <header class="page-header">
            <h1>"Your profile"</h1>
            <p class="lede">"How you appear to your people, and how BloomWatch looks for you."</p>
            <super::SettingsNav current="/settings/profile"/>
        </header>
        {user.map(|user| {
            view! {
                <div class="settings-grid">
                    <DisplayNameForm current=user.display_name/>
                    <ThemeForm current=user.theme/>
                    <EmailForm current=user.email/>
                    <PasswordForm/>
                    <AdultContentForm current=user.show_adult_content/>
                </div>
            }
        })}
    }
}
