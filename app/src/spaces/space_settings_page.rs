//! `/spaces/:id/settings`: one space's settings: its members (and, for owners, managing
//! them), invitations, renaming, and leaving. Every change reloads the page, so it always
//! shows the truth.

use identity::contracts::UserId;
use kernel::ErrorKind;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use watch_spaces::contracts::{Role, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError};

use super::export_links::ExportLinks;
use super::invitation_list::InvitationList;
use super::invite_form::InviteForm;
use super::leave_space_form::LeaveSpaceForm;
use super::member_list::MemberList;
use super::rename_space_form::RenameSpaceForm;
use super::server_fns::get_space;
use super::space_header::{SpaceHeader, SpaceSection};
use crate::auth::use_current_user;
use crate::error::AppError;
use crate::layout::NotFound;
use crate::navigation::with_next;

#[component]
pub fn SpaceSettingsPage() -> impl IntoView {
    let space_id = crate::anime::use_space_id();
    let space = Resource::new(move || space_id.get(), load_space);

    view! {
        <Title text="Space settings"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your space…"</p> }>
            {move || Suspend::new(async move {
                match space.await {
                    Ok(space) => Either::Left(view! { <SpaceView space/> }),
                    Err(error) => Either::Right(space_error(error, space_id.get_untracked())),
                }
            })}
        </Transition>
    }
}

/// The space, or "not found" for an id that is not even a uuid.
pub async fn load_space(space_id: Option<WatchSpaceId>) -> Result<WatchSpaceDetailsDto, AppError> {
    match space_id {
        Some(space_id) => get_space(space_id).await,
        None => Err(AppError::from_public(&WatchSpacesError::SpaceNotFound)),
    }
}

/// How a space that cannot be shown is explained: not found (404), log in again, or the error.
pub fn space_error(error: AppError, space_id: Option<WatchSpaceId>) -> impl IntoView {
    match error.kind {
        ErrorKind::NotFound => {
            view! { <NotFound title="We could not find that space" message=error.message/> }
                .into_any()
        }
        ErrorKind::Unauthenticated => {
            let here = space_id.map_or_else(|| "/spaces".to_owned(), |id| format!("/spaces/{id}"));
            view! {
                <section class="card empty-state">
                    <h1>"Please log in again"</h1>
                    <p>{error.message}</p>
                    <p class="actions">
                        <a class="button primary" href=with_next("/login", &here)>"Log in"</a>
                    </p>
                </section>
            }
            .into_any()
        }
        _ => view! { <p class="form-error" role="alert">{error.message}</p> }.into_any(),
    }
}

#[component]
fn SpaceView(space: WatchSpaceDetailsDto) -> impl IntoView {
    let me: Option<UserId> = use_current_user().user_untracked().map(|user| user.id);
    let is_owner = space.my_role == Role::Owner;
    let member_count = space.members.len();
    let summary = format!(
        "{} · you are {}",
        if member_count == 1 {
            "Just you so far".to_owned()
        } else {
            format!("{member_count} members")
        },
        if is_owner { "an owner" } else { "a member" }
    );
    let owner_tools = is_owner.then(|| {
        view! {
            <InviteForm space_id=space.id/>
            <InvitationList space_id=space.id invitations=space.invitations.clone()/>
            <RenameSpaceForm space_id=space.id current=space.name.clone()/>
        }
    });
    view! {
        <Title text=format!("Settings · {}", space.name)/>
        <SpaceHeader space_id=space.id name=space.name.clone() current=SpaceSection::Settings lede=summary/>
        <div class="space-grid">
            <MemberList space_id=space.id members=space.members me manage=is_owner/>
            {owner_tools}
            <ExportLinks space_id=space.id/>
            <LeaveSpaceForm space_id=space.id space_name=space.name/>
        </div>
    }
}
