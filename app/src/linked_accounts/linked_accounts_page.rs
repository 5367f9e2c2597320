//! `/settings/linked-accounts`: the member's AniList link. Unlinked: what linking does and the
//! button that starts it. Linked: who they are on AniList, when the link expires (a
//! warning from 30 days before), the switches of what is pushed, unlinking, and the sync
//! history. AniList sends the browser back here with the outcome in `?anilist=`.

use anilist_sync::contracts::{AniListAccountDto, AniListLinkDto, SyncSwitchesDto};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server_fns::{
    get_linked_accounts, StartAnilistLink, UnlinkAnilist, UpdateAnilistSwitches,
};
use super::sync_history::SyncHistory;
use super::LINKED_ACCOUNTS_PATH;
use crate::components::{
    action_error, form_error, format_date, format_date_time, ConfirmStep, FormError, ServerForm,
    SubmitButton,
};
use crate::flash::{go_after_success, reload_after_save};
use crate::profile::SettingsNav;

#[component]
pub fn LinkedAccountsPage() -> impl IntoView {
    let outcome = use_query_map()
        .read_untracked()
        .get("anilist")
        .and_then(|outcome| outcome_message(&outcome));
    let view = Resource::new(|| (), |()| get_linked_accounts());
    view! {
        <Title text="Linked accounts"/>
        <header class="page-header">
            <h1>"Linked accounts"</h1>
            <p class="lede">"Keep your own AniList list in step with what you watch here. Only you see this page."</p>
            <SettingsNav current=LINKED_ACCOUNTS_PATH/>
        </header>
        {outcome.map(|(message, good)| {
            view! { <p class=if good { "banner is-good" } else { "banner is-bad" } role="status">{message}</p> }
        })}
        <Transition fallback=|| view! { <p class="loading">"Checking your AniList link…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => Either::Left(view! {
                        <div class="settings-grid">
                            <AniListCard account=view.account/>
                        </div>
                        <SyncHistory attempts=view.history/>
                    }),
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.message}</p> }),
                }
            })}
        </Transition>
    }
}

/// What AniList's return means, and whether it is good news.
fn outcome_message(outcome: &str) -> Option<(&'static str, bool)> {
    Some(match outcome {
        "linked" => ("AniList is linked 🌸 Your changes will show up on your AniList list.", true),
        "unlinked" => ("AniList is unlinked, and its token deleted. Nothing more is sent.", true),
        "denied" => ("AniList did not grant access, so nothing was linked. You can try again any time.", false),
        "expired" => ("That AniList sign-in had expired or was already used. Please start again.", false),
        "taken" => ("That AniList account is already linked to another BloomWatch account. Unlink it there, or sign in to AniList as someone else.", false),
        "unavailable" => ("AniList could not be reached just now. Please try again in a little while.", false),
        "unconfigured" => ("This BloomWatch server has no AniList client configured, so AniList cannot be linked here.", false),
        "failed" => ("Something went wrong on our side while linking. Please try again.", false),
        _ => return None,
    })
}

#[component]
fn AniListCard(account: AniListAccountDto) -> impl IntoView {
    let body = match (account.client_configured, account.link) {
        (false, None) => Either::Left(view! {
            <p>"This BloomWatch server has no AniList client configured, so AniList accounts cannot be linked here. Everything else works as usual."</p>
            <p class="field-hint">"Whoever runs this server can set ANILIST_CLIENT_ID and ANILIST_CLIENT_SECRET to turn it on."</p>
        }.into_any()),
        (_, None) => Either::Left(view! {
            <p>"Link your AniList account and what you change here (your own progress, your status, and, if you like, your score) is sent to your AniList list. Your notes never are, and the others in your spaces never see your AniList."</p>
            <ConnectAniList label="Connect AniList".to_owned()/>
        }.into_any()),
        (configured, Some(link)) => Either::Right(view! { <LinkedAniList link configured/> }),
    };
    view! {
        <section class="card linked-account" aria-labelledby="anilist-title">
            <h2 id="anilist-title">"AniList"</h2>
            {body}
        </section>
    }
}

#[component]
fn LinkedAniList(link: AniListLinkDto, configured: bool) -> impl IntoView {
    let name = link
        .name
        .clone()
        .unwrap_or_else(|| format!("AniList user #{}", link.anilist_user_id));
    let state = match (&link.expired_reason, link.relink_in_days) {
        (Some(reason), _) => view! {
            <p class="sync-state is-bad" role="status">
                <strong>"Your link has expired: "</strong>{reason.clone()}
                " Sync is paused and nothing is lost; link again to pick up where it stopped."
            </p>
        }
        .into_any(),
        (None, Some(days)) => view! {
            <p class="sync-state is-waiting" role="status">
                {match days {
                    0 => "Your AniList link expires today: link again to keep syncing.".to_owned(),
                    1 => "Re-link AniList within a day to keep syncing.".to_owned(),
                    days => format!("Re-link AniList in the next {days} days to keep syncing (AniList links last a year)."),
                }}
            </p>
        }
        .into_any(),
        (None, None) => view! { <p class="sync-state is-good">"Syncing your changes."</p> }.into_any(),
    };
    let needs_relink = link.expired_reason.is_some() || link.relink_in_days.is_some();
    let facts = [
        Some(format!("Linked since {}", format_date(link.linked_at_utc))),
        link.token_expires_at_utc
            .map(|at| format!("link valid until {}", format_date(at))),
        link.score_format
            .map(|format| format!("scores shown {} on AniList", format.label())),
        Some(match link.last_synced_at_utc {
            Some(at) => format!("last synced {}", format_date_time(at)),
            None => "nothing synced yet".to_owned(),
        }),
        (link.pending_changes > 0).then(|| match link.pending_changes {
            1 => "1 change waiting".to_owned(),
            count => format!("{count} changes waiting"),
        }),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <div class="linked-account-who">
            {link.avatar_url.clone().map(|src| view! { <img class="linked-avatar" src=src alt="" width="56" height="56"/> })}
            <div>
                <p class="linked-name"><strong>{name}</strong></p>
                <p class="muted">{facts}</p>
            </div>
        </div>
        {state}
        {(needs_relink && configured).then(|| view! { <ConnectAniList label="Link AniList again".to_owned()/> })}
        <SyncSwitchesForm current=link.switches/>
        <UnlinkAniList/>
    }
}

/// Starts linking: asks the server for AniList's approval page and goes there.
#[island]
fn ConnectAniList(label: String) -> impl IntoView {
    let start = ServerAction::<StartAnilistLink>::new();
    go_after_success(start, |authorize| Some(authorize.authorize_url.clone()));
    view! {
        <ServerForm action=start attr:class="form inline-form">
            <FormError error=form_error(action_error(start))/>
            <SubmitButton label=label pending_label="Opening AniList…" pending=start.pending()/>
            <p class="field-hint">"You approve BloomWatch on AniList, then come straight back here."</p>
        </ServerForm>
    }
}

/// What is pushed: progress, status, score (notes never).
#[island]
fn SyncSwitchesForm(current: SyncSwitchesDto) -> impl IntoView {
    let save = ServerAction::<UpdateAnilistSwitches>::new();
    let after = reload_after_save(save, "anilist-switches".to_owned(), |_| {
        Some("Saved. Your next changes are sent this way.".to_owned())
    });
    let switch = |name: &'static str, id: &'static str, label: &'static str, on: bool| {
        view! {
            <input type="hidden" name=format!("{name}[]") value="false"/>
            <div class="checkbox-field">
                <input type="checkbox" id=id name=format!("{name}[]") value="true" checked=on/>
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <ServerForm action=save attr:class="form">
            <fieldset>
                <legend>"Send to AniList"</legend>
                <FormError error=form_error(after.error)/>
                {switch("push_progress", "push-progress", "My progress (episodes watched)", current.push_progress)}
                {switch("push_status", "push-status", "My status (watching, completed, …)", current.push_status)}
                {switch("push_score", "push-score", "My score (AniList may round it to your score format)", current.push_score)}
                <p class="field-hint">"Notes are never sent. You can also keep single titles off AniList from their page."</p>
            </fieldset>
            <SubmitButton label="Save sync settings" pending_label="Saving…" pending=save.pending() class="button secondary"/>
            <p class="form-success" role="status">{move || after.saved.get()}</p>
        </ServerForm>
    }
}

/// Unlinking, behind a confirm step.
#[island]
fn UnlinkAniList() -> impl IntoView {
    let unlink = ServerAction::<UnlinkAnilist>::new();
    go_after_success(unlink, |()| {
        Some(format!("{LINKED_ACCOUNTS_PATH}?anilist=unlinked"))
    });
    view! {
        <div class="danger-zone">
            <FormError error=form_error(action_error(unlink))/>
            <ConfirmStep label="Unlink AniList" question="Unlink AniList? Its token is deleted and changes still waiting are not sent.".to_owned() class="button danger small">
                <ServerForm action=unlink>
                    <SubmitButton label="Yes, unlink" pending_label="Unlinking…" pending=unlink.pending() class="button danger small"/>
                </ServerForm>
            </ConfirmStep>
        </div>
    }
}
