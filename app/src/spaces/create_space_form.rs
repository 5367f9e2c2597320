//! "Create a space": a name, then straight into the new space.

use crate::flash::go_after_success;
use leptos::prelude::*;

use super::server_fns::CreateSpace;
use crate::components::{
    action_error, field_error, form_error, FormError, ServerForm, SubmitButton, TextField,
};

#[island]
pub fn CreateSpaceForm() -> impl IntoView {
    let create = ServerAction::<CreateSpace>::new();
    let error = action_error(create);
    go_after_success(create, |space_id| Some(format!("/spaces/{space_id}")));
    view! {
        <section class="card" aria-labelledby="create-space-title">
            <h2 id="create-space-title">"Create a space"</h2>
            <ServerForm action=create attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <TextField
                    id="create-space-name"
                    name="name"
                    label="Space name"
                    autocomplete="off"
                    hint="Something that feels like you two, like “Sunday Night Anime”."
                    error=field_error(error, "name")
                    required=true
                />
                <SubmitButton label="Create space" pending_label="Creating…" pending=create.pending()/>
            </ServerForm>
        </section>
    }
}
