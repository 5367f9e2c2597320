//! "Invite someone" (owners): an email in, a link out to send however they like. The page
//! reloads once the invitation exists (so it is among the pending ones) and shows its link.

use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::{CreatedInvitationView, InviteMember};
use crate::components::{
    field_error, form_error, CopyLink, FormError, ServerForm, SubmitButton, TextField,
};
use crate::flash::reload_after_save;

#[island]
pub fn InviteForm(space_id: WatchSpaceId) -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let after = reload_after_save(invite, "invite".to_owned(), |invitation| {
        Some(invitation.clone())
    });
    let error = after.error;
    let created = move || {
        after.saved.get().map(|invitation: CreatedInvitationView| {
            view! {
                <div class="created-invitation" role="status">
                    <p>
                        "Your invitation for " <strong>{invitation.invited_email}</strong> " is ready. Send them this link; it works until "
                        {invitation.expires_on} "."
                    </p>
                    <CopyLink id="created-invitation-link".to_owned() label="Invitation link" url=invitation.url/>
                </div>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <p class="muted">"Only the person with this email can join through the link."</p>
            <ServerForm action=invite attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <TextField id="invite-email" name="email" label="Their email" input_type="email" autocomplete="off" error=field_error(error, "email") required=true/>
                <SubmitButton label="Create invitation link" pending_label="Creating link…" pending=invite.pending()/>
            </ServerForm>
            {created}
        </section>
    }
}
