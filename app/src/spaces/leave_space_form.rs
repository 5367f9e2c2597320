//! "Leave space", for everyone, after a confirm step. The last owner is told to promote
//! someone first (the error comes from the server, in its words).

use crate::flash::go_after_success;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::LeaveSpace;
use crate::components::{
    action_error, form_error, ConfirmStep, FormError, ServerForm, SubmitButton,
};

#[island]
pub fn LeaveSpaceForm(space_id: WatchSpaceId, space_name: String) -> impl IntoView {
    let leave = ServerAction::<LeaveSpace>::new();
    go_after_success(leave, |()| Some("/spaces".to_owned()));
    view! {
        <section class="card danger-zone" aria-labelledby="leave-title">
            <h2 id="leave-title">"Leave this space"</h2>
            <p class="muted">"You can come back later only with a new invitation from an owner."</p>
            <FormError error=form_error(action_error(leave))/>
            <ConfirmStep label="Leave space" question=format!("Leave {space_name}?") class="button danger">
                <ServerForm action=leave>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <SubmitButton label="Yes, leave" pending_label="Leaving…" pending=leave.pending() class="button danger small"/>
                </ServerForm>
            </ConfirmStep>
        </section>
    }
}
