//! `/invite/:token`: who invited you to which space. Visitors create an account or log in
//! (and come back here); signed-in people join with one button. Expired, withdrawn, used
//! and unknown links, and links for another email, each get a clear message.

use crate::flash::go_after_success;
use identity::contracts::UserDto;
use kernel::ErrorKind;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use watch_spaces::contracts::{InvitationPreviewDto, InvitationStatus, WatchSpacesError};

use super::server_fns::{preview_invitation, AcceptInvitation};
use crate::auth::use_current_user;
use crate::components::{action_error, form_error, FormError, ServerForm, SubmitButton};
use crate::layout::NotFound;
use crate::navigation::encode_query_value;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, preview_invitation);
    let current_user = use_current_user();

    view! {
        <Title text="You are invited"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your invitation…"</p> }>
            {move || Suspend::new(async move {
                let user = current_user.0.await.ok().flatten();
                match preview.await {
                    Ok(preview) => Either::Left(view! { <InvitationCard preview token=token() user/> }),
                    Err(error) if error.kind == ErrorKind::NotFound => {
                        Either::Right(view! { <NotFound title="We could not find that invitation" message=error.message/> }.into_any())
                    }
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.message}</p> }.into_any()),
                }
            })}
        </Transition>
    }
}

#[component]
fn InvitationCard(
    preview: InvitationPreviewDto,
    token: String,
    user: Option<UserDto>,
) -> impl IntoView {
    let next_action = match preview.status {
        InvitationStatus::Pending => EitherOf3::A(match user {
            Some(user) => Either::Left(
                view! { <JoinForm token space_name=preview.space_name.clone() user_email=user.email/> },
            ),
            None => Either::Right(sign_in_first(&token, &preview.invited_email)),
        }),
        InvitationStatus::Accepted => EitherOf3::B(closed(WatchSpacesError::InvitationAlreadyUsed)),
        InvitationStatus::Revoked => EitherOf3::B(closed(WatchSpacesError::InvitationRevoked)),
        InvitationStatus::Expired => EitherOf3::C(closed(WatchSpacesError::InvitationExpired)),
    };
    view! {
        <section class="card invite-card" aria-labelledby="invite-title">
            <div class="hero-art" aria-hidden="true">
                <span class="hero-bubble member-colour-1">{initial(&preview.invited_by_display_name)}</span>
                <span class="hero-heart">"♡"</span>
                <span class="hero-bubble member-colour-2">"?"</span>
            </div>
            <h1 id="invite-title">{preview.invited_by_display_name} " invited you to " <span class="space-name">{preview.space_name}</span></h1>
            {next_action}
        </section>
    }
}

/// "Join": then on into the space.
#[island]
fn JoinForm(token: String, space_name: String, user_email: String) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    go_after_success(accept, |space_id| Some(format!("/spaces/{space_id}")));
    view! {
        <ServerForm action=accept attr:class="form">
            <FormError error=form_error(action_error(accept))/>
            <input type="hidden" name="token" value=token/>
            <SubmitButton label=format!("Join {space_name}") pending_label="Joining…" pending=accept.pending() class="button primary large"/>
            <p class="muted">"You are logged in as " {user_email} "."</p>
        </ServerForm>
    }
}

fn sign_in_first(token: &str, invited_email: &str) -> impl IntoView {
    let next = format!("/invite/{token}");
    let register_href = format!(
        "/register?next={}&email={}",
        encode_query_value(&next),
        encode_query_value(invited_email)
    );
    let login_href = format!("/login?next={}", encode_query_value(&next));
    view! {
        <p class="lede">"This invitation is for " <strong>{invited_email.to_owned()}</strong> ". Create an account with that email, or log in if you already have one, and you will come straight back here to join."</p>
        <p class="actions">
            <a class="button primary large" href=register_href>"Create an account"</a>
            <a class="button secondary large" href=login_href>"Log in"</a>
        </p>
    }
}

fn closed(reason: WatchSpacesError) -> impl IntoView {
    view! {
        <p class="form-error" role="alert">{reason.to_string()}</p>
        <p class="actions">
            <a class="button secondary" href="/">"Back to the start"</a>
        </p>
    }
}

fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|first| first.to_uppercase().collect())
        .unwrap_or_default()
}
