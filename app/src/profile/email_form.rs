//! Changing the login email: needs the current password.

use leptos::prelude::*;

use super::server_fns::UpdateProfile;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, ServerForm, SubmitButton,
    TextField,
};

#[island]
pub fn EmailForm(current: String) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let error = action_error(save);
    let saved = super::confirm_saved_profile(save, |user| {
        format!("Done. You now log in with {}.", user.email)
    });
    view! {
        <section class="card" aria-labelledby="email-title">
            <h2 id="email-title">"Email"</h2>
            <ServerForm action=save attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <TextField
                    id="profile-email"
                    name="email"
                    label="Email"
                    input_type="email"
                    autocomplete="email"
                    value=Some(current)
                    error=field_error(error, "email")
                    required=true
                />
                <PasswordField
                    id="profile-email-current-password"
                    name="current_password"
                    label="Current password"
                    autocomplete="current-password"
                    hint="To keep your account yours, confirm it is really you."
                    error=field_error(error, "currentPassword")
                />
                <SubmitButton label="Change email" pending_label="Saving…" pending=save.pending()/>
                <p class="form-success" role="status">{move || saved.get()}</p>
            </ServerForm>
        </section>
    }
}
