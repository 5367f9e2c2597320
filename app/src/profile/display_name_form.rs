//! Changing the name the other members see. The page reloads after a save, so the header
//! shows the new name too.

use leptos::prelude::*;

use super::server_fns::UpdateProfile;
use crate::components::{field_error, form_error, FormError, ServerForm, SubmitButton, TextField};
use crate::flash::reload_after_save;

#[island]
pub fn DisplayNameForm(current: String) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let after = reload_after_save(save, "display-name".to_owned(), |user| {
        Some(format!(
            "Saved. Your people now see you as {}.",
            user.display_name
        ))
    });
    let error = after.error;
    let saved = after.saved;
    view! {
        <section class="card" aria-labelledby="display-name-title">
            <h2 id="display-name-title">"Display name"</h2>
            <ServerForm action=save attr:class="form" attr:novalidate=true>
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
            </ServerForm>
        </section>
    }
}
