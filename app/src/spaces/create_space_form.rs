//! "Create a space": a name, then straight into the new space.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::server_fns::CreateSpace;
use crate::components::{
    action_error, field_error, form_error, FormError, SubmitButton, TextField,
};

#[component]
pub fn CreateSpaceForm() -> impl IntoView {
    let create = ServerAction::<CreateSpace>::new();
    let error = action_error(create);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(space)) = create.value().get() {
            navigate(&format!("/spaces/{}", space.id), Default::default());
        }
    });
    view! {
        <section class="card" aria-labelledby="create-space-title">
            <h2 id="create-space-title">"Create a space"</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
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
            </ActionForm>
        </section>
    }
}
