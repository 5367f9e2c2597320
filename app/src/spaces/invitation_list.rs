//! Open invitations (owners): who was invited, until when, the link again, and "Revoke".

use leptos::either::Either;
use leptos::prelude::*;
use watch_spaces::contracts::{InvitationDto, InvitationStatus, WatchSpaceId};

use super::server_fns::RevokeInvitation;
use crate::components::{
    action_error, form_error, format_date, ConfirmStep, CopyLink, FormError, SubmitButton,
};

#[component]
pub fn InvitationList(
    space_id: WatchSpaceId,
    invitations: Vec<InvitationDto>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let pending: Vec<InvitationDto> = invitations
        .into_iter()
        .filter(|invitation| invitation.status == InvitationStatus::Pending)
        .collect();
    let list = if pending.is_empty() {
        Either::Left(view! { <p class="muted">"No open invitations right now."</p> })
    } else {
        Either::Right(view! {
            <ul class="invitation-list">
                {pending.into_iter().map(|invitation| invitation_row(space_id, invitation, revoke)).collect_view()}
            </ul>
        })
    };
    view! {
        <section class="card" aria-labelledby="pending-title">
            <h2 id="pending-title">"Pending invitations"</h2>
            <FormError error=form_error(action_error(revoke))/>
            {list}
        </section>
    }
}

fn invitation_row(
    space_id: WatchSpaceId,
    invitation: InvitationDto,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let email = invitation.invited_email;
    view! {
        <li class="invitation-row">
            <p>
                <strong>{email.clone()}</strong>
                <span class="muted">" · until " {format_date(invitation.expires_at_utc)}</span>
            </p>
            <CopyLink id=format!("invitation-{}", invitation.id) label=format!("Link for {email}") url=invitation.url/>
            <ConfirmStep label="Revoke" question=format!("Withdraw the invitation for {email}? The link will stop working.")>
                <ActionForm action=revoke>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <input type="hidden" name="invitation_id" value=invitation.id.to_string()/>
                    <SubmitButton label="Yes, revoke" pending_label="Revoking…" pending=revoke.pending() class="button danger small"/>
                </ActionForm>
            </ConfirmStep>
        </li>
    }
}
