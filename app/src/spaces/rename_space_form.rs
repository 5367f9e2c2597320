//! Renaming a space (owners).

use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::RenameSpace;
use crate::components::{
    action_error, field_error, form_error, FormError, SubmitButton, TextField,
};

#[component]
pub fn RenameSpaceForm(
    space_id: WatchSpaceId,
    current: String,
    rename: ServerAction<RenameSpace>,
) -> impl IntoView {
    let error = action_error(rename);
    let saved = move || {
        matches!(rename.value().get(), Some(Ok(_)))
            .then_some("Renamed. Everyone in the space sees the new name.")
    };
    view! {
        <section class="card" aria-labelledby="rename-title">
            <h2 id="rename-title">"Rename this space"</h2>
            <ActionForm action=rename attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <TextField id="rename-space-name" name="name" label="Space name" autocomplete="off" value=Some(current) error=field_error(error, "name") required=true/>
                <SubmitButton label="Rename" pending_label="Renaming…" pending=rename.pending() class="button secondary"/>
                <p class="form-success" role="status">{saved}</p>
            </ActionForm>
        </section>
    }
}
