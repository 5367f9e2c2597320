//! Open invitations (owners): who was invited, until when, and "Revoke". The links are not
//! here: only their hashes are stored, so a link is shown once, when it is created.

use leptos::either::Either;
use leptos::prelude::*;
use watch_spaces::contracts::{InvitationDto, InvitationId, InvitationStatus, WatchSpaceId};

use super::server_fns::RevokeInvitation;
use crate::components::{
    form_error, format_date, ConfirmStep, FormError, ServerForm, SubmitButton,
};
use crate::flash::reload_after_save;

#[component]
pub fn InvitationList(space_id: WatchSpaceId, invitations: Vec<InvitationDto>) -> impl IntoView {
    let pending: Vec<InvitationDto> = invitations
        .into_iter()
        .filter(|invitation| invitation.status == InvitationStatus::Pending)
        .collect();
    let list = if pending.is_empty() {
        Either::Left(view! { <p class="muted">"No open invitations right now."</p> })
    } else {
        Either::Right(view! {
            <ul class="invitation-list">
                {pending.into_iter().map(|invitation| invitation_row(space_id, invitation)).collect_view()}
            </ul>
        })
    };
    view! {
        <section class="card" aria-labelledby="pending-title">
            <h2 id="pending-title">"Pending invitations"</h2>
            <p class="muted">"Each link is shown once, when you create it. Lost one? Revoke it and invite again for a fresh link."</p>
            {list}
        </section>
    }
}

fn invitation_row(space_id: WatchSpaceId, invitation: InvitationDto) -> impl IntoView {
    let email = invitation.invited_email;
    view! {
        <li class="invitation-row">
            <p>
                <strong>{email.clone()}</strong>
                <span class="muted">" · until " {format_date(invitation.expires_at_utc)}</span>
            </p>
            <InvitationTools space_id invitation_id=invitation.id email/>
        </li>
    }
}

/// "Revoke" after a confirm step; the page reloads once the invitation is withdrawn.
#[island]
fn InvitationTools(
    space_id: WatchSpaceId,
    invitation_id: InvitationId,
    email: String,
) -> impl IntoView {
    let revoke = ServerAction::<RevokeInvitation>::new();
    let after = reload_after_save(
        revoke,
        format!("revoke-{invitation_id}"),
        |_| None::<String>,
    );
    view! {
        <FormError error=form_error(after.error)/>
        <ConfirmStep label="Revoke" question=format!("Withdraw the invitation for {email}? The link will stop working.")>
            <ServerForm action=revoke>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="invitation_id" value=invitation_id.to_string()/>
                <SubmitButton label="Yes, revoke" pending_label="Revoking…" pending=revoke.pending() class="button danger small"/>
            </ServerForm>
        </ConfirmStep>
    }
}
