//! Renaming a space (owners). The page reloads after a save, so its heading shows the new name.

use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::RenameSpace;
use crate::components::{field_error, form_error, FormError, ServerForm, SubmitButton, TextField};
use crate::flash::reload_after_save;

#[island]
pub fn RenameSpaceForm(space_id: WatchSpaceId, current: String) -> impl IntoView {
    let rename = ServerAction::<RenameSpace>::new();
    let after = reload_after_save(rename, "rename-space".to_owned(), |_| {
        Some("Renamed. Everyone in the space sees the new name.".to_owned())
    });
    let error = after.error;
    view! {
        <section class="card" aria-labelledby="rename-title">
            <h2 id="rename-title">"Rename this space"</h2>
            <ServerForm action=rename attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <TextField id="rename-space-name" name="name" label="Space name" autocomplete="off" value=Some(current) error=field_error(error, "name") required=true/>
                <SubmitButton label="Rename" pending_label="Renaming…" pending=rename.pending() class="button secondary"/>
                <p class="form-success" role="status">{move || after.saved.get()}</p>
            </ServerForm>
        </section>
    }
}
