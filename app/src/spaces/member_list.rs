//! The members of a space side by side: badge, role, joining date and, for owners, the
//! actions on everyone else (make owner / make member / hand the space over / remove, each
//! confirmed first).

use identity::contracts::UserId;
use leptos::prelude::*;
use watch_spaces::contracts::{MemberDto, Role, WatchSpaceId};

use super::role_label;
use super::server_fns::{ChangeMemberRole, RemoveMember, TransferOwnership};
use crate::components::{
    form_error, format_date, ConfirmStep, FormError, MemberBadge, ServerForm, SubmitButton,
};
use crate::flash::reload_after_save;

#[component]
pub fn MemberList(
    space_id: WatchSpaceId,
    members: Vec<MemberDto>,
    /// The signed-in user, who gets no actions on themselves (they leave instead).
    me: Option<UserId>,
    /// Whether the signed-in user is an owner.
    manage: bool,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">"Members"</h2>
            <ul class="member-list">
                {members
                    .iter()
                    .map(|member| {
                        let position = colour_position(&members, member);
                        let is_me = Some(member.user_id) == me;
                        let actions = (manage && !is_me).then(|| view! {
                            <MemberActions
                                space_id
                                user_id=member.user_id
                                name=member.display_name.clone()
                                role=member.role
                            />
                        });
                        view! {
                            <li class="member-row">
                                <div class="member-who">
                                    <MemberBadge name=member.display_name.clone() position with_name=true/>
                                    {is_me.then_some(view! { <span class="muted">"(you)"</span> })}
                                </div>
                                <div class="member-meta">
                                    <span class=format!("role-pill role-{}", member.role.as_str())>{role_label(member.role)}</span>
                                    <span class="muted">"Joined " {format_date(member.joined_at_utc)}</span>
                                </div>
                                {actions}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A member's colour slot: their place in joining order, so everyone keeps their colour when
/// roles change the list's order, and the first six people never share one.
fn colour_position(members: &[MemberDto], member: &MemberDto) -> usize {
    members
        .iter()
        .filter(|other| {
            (other.joined_at_utc, other.user_id) < (member.joined_at_utc, member.user_id)
        })
        .count()
}

/// Make owner / make member, hand the space over (to a member) and remove, each after a
/// confirm step; the page reloads after each, so the list shows the new roles.
#[island]
fn MemberActions(
    space_id: WatchSpaceId,
    user_id: UserId,
    name: String,
    role: Role,
) -> impl IntoView {
    let change_role = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let transfer = ServerAction::<TransferOwnership>::new();
    let transfer_error =
        reload_after_save(transfer, format!("transfer-{user_id}"), |_| None::<String>).error;
    let role_error =
        reload_after_save(change_role, format!("role-{user_id}"), |_| None::<String>).error;
    let remove_error =
        reload_after_save(remove, format!("remove-{user_id}"), |_| None::<String>).error;
    let (role_label, new_role, role_question, role_confirm) = match role {
        Role::Member => (
            "Make owner",
            Role::Owner,
            format!(
                "Make {name} an owner? Owners can invite and remove people and rename the space."
            ),
            "Yes, make owner",
        ),
        Role::Owner => (
            "Make member",
            Role::Member,
            format!("Make {name} a member instead of an owner?"),
            "Yes, make member",
        ),
    };
    view! {
        <FormError error=form_error(role_error)/>
        <FormError error=form_error(remove_error)/>
        <FormError error=form_error(transfer_error)/>
        <div class="member-actions">
            <ConfirmStep label=role_label question=role_question>
                <ServerForm action=change_role>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <input type="hidden" name="user_id" value=user_id.to_string()/>
                    <input type="hidden" name="role" value=new_role.as_str()/>
                    <SubmitButton label=role_confirm pending_label="Saving…" pending=change_role.pending() class="button primary small"/>
                </ServerForm>
            </ConfirmStep>
            {(role == Role::Member).then(|| view! {
                <ConfirmStep label="Hand over" question=format!("Make {name} the owner and become a member yourself? Only an owner can make you an owner again.")>
                    <ServerForm action=transfer>
                        <input type="hidden" name="space_id" value=space_id.to_string()/>
                        <input type="hidden" name="user_id" value=user_id.to_string()/>
                        <SubmitButton label="Yes, hand over" pending_label="Handing over…" pending=transfer.pending() class="button primary small"/>
                    </ServerForm>
                </ConfirmStep>
            })}
            <ConfirmStep label="Remove" question=format!("Remove {name} from this space? They can only come back with a new invitation.")>
                <ServerForm action=remove>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <input type="hidden" name="user_id" value=user_id.to_string()/>
                    <SubmitButton label="Yes, remove" pending_label="Removing…" pending=remove.pending() class="button danger small"/>
                </ServerForm>
            </ConfirmStep>
        </div>
    }
}
