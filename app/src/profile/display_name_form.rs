//! Changing the name the other members see.

use leptos::prelude::*;

use super::server_fns::UpdateProfile;
use crate::components::{
    action_error, field_error, form_error, FormError, SubmitButton, TextField,
};

#[component]
pub fn DisplayNameForm(current: String) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let error = action_error(save);
    let saved = super::confirm_saved_profile(save, |user| {
        format!("Saved. Your people now see you as {}.", user.display_name)
    });
    view! {
        <section class="card" aria-labelledby="display-name-title">
            <h2 id="display-name-title">"Display name"</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <TextField
                    id="profile-display-name"
                    name="display_name"
                    label="Display name"
                    autocomplete="nickname"
                    value=Some(current)
                    error=field_error(error, "displayName")
                    required=true
                />
                <SubmitButton label="Save name" pending_label="Saving…" pending=save.pending()/>
                <p class="form-success" role="status">{move || saved.get()}</p>
            </ActionForm>
        </section>
    }
}
