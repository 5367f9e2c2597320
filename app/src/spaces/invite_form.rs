//! "Invite someone" (owners): an email in, a link out to send however they like.

use leptos::html::Form;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::InviteMember;
use crate::components::{
    action_error, field_error, form_error, format_date, CopyLink, FormError, SubmitButton,
    TextField,
};

#[component]
pub fn InviteForm(space_id: WatchSpaceId, invite: ServerAction<InviteMember>) -> impl IntoView {
    let error = action_error(invite);
    let form = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (invite.value().get(), form.get()) {
            form.reset();
        }
    });
    let created = move || {
        invite.value().get().and_then(Result::ok).map(|invitation| {
            view! {
                <div class="created-invitation" role="status">
                    <p>
                        "Your invitation for " <strong>{invitation.invited_email}</strong> " is ready. Send them this link; it works until "
                        {format_date(invitation.expires_at_utc)} "."
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
            <ActionForm action=invite node_ref=form attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <TextField id="invite-email" name="email" label="Their email" input_type="email" autocomplete="off" error=field_error(error, "email") required=true/>
                <SubmitButton label="Create invitation link" pending_label="Creating link…" pending=invite.pending()/>
            </ActionForm>
            {created}
        </section>
    }
}
