//! Changing the password: current plus new. This browser stays logged in; the others end.

use leptos::html::Form;
use leptos::prelude::*;

use super::server_fns::UpdateProfile;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, ServerForm, SubmitButton,
};

#[island]
pub fn PasswordForm() -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let error = action_error(save);
    let form = NodeRef::<Form>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        let succeeded = matches!(save.value().get(), Some(Ok(_)));
        saved.set(succeeded);
        if succeeded {
            // Do not leave passwords sitting in the fields.
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <ServerForm action=save node_ref=form attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <PasswordField
                    id="profile-current-password"
                    name="current_password"
                    label="Current password"
                    autocomplete="current-password"
                    error=field_error(error, "currentPassword")
                />
                <PasswordField
                    id="profile-new-password"
                    name="new_password"
                    label="New password"
                    autocomplete="new-password"
                    hint="At least 10 characters. No other rules."
                    error=field_error(error, "newPassword")
                />
                <SubmitButton label="Change password" pending_label="Changing…" pending=save.pending()/>
                <p class="form-success" role="status">
                    {move || saved.get().then_some("Password changed. You stay logged in here; other devices will ask you to log in again.")}
                </p>
            </ServerForm>
        </section>
    }
}
