//! The small chip in the signed-in member's own column of an anime page: where this title
//! stands with their AniList list (synced · sending · failed, with Retry · link expired, with
//! Re-link · not synced for this title), and the switch to keep the title off AniList.
//! Members without a link see nothing; nobody sees anyone else's.

use anilist_sync::contracts::{EntrySyncDto, EntrySyncState};
use anime_tracking::contracts::WatchSpaceAnimeId;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::{RetryAnilistSync, SetAnilistSyncExcluded};
use super::LINKED_ACCOUNTS_PATH;
use crate::components::{form_error, format_date, FormError, ServerForm, SubmitButton};
use crate::flash::reload_after_save;

#[island]
pub fn SyncChip(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    sync: EntrySyncDto,
) -> impl IntoView {
    let retry = ServerAction::<RetryAnilistSync>::new();
    let exclude = ServerAction::<SetAnilistSyncExcluded>::new();
    let retried = reload_after_save(retry, format!("anilist-retry-{anime_id}"), |_| {
        Some("Sending it to AniList again.".to_owned())
    });
    let excluded = reload_after_save(exclude, format!("anilist-exclude-{anime_id}"), |sync| {
        Some(match sync.sync {
            EntrySyncState::Excluded => "This title stays off your AniList list.".to_owned(),
            _ => "This title syncs again from your next change.".to_owned(),
        })
    });
    let (label, class, detail) = match &sync.sync {
        EntrySyncState::NotLinked => return None,
        EntrySyncState::Synced { at_utc } => (
            "On your AniList list".to_owned(),
            "is-good",
            Some(format!("synced {}", format_date(*at_utc))),
        ),
        EntrySyncState::Pending => ("Sending to AniList…".to_owned(), "is-waiting", None),
        EntrySyncState::NotSyncedYet => (
            "AniList: syncs on your next change".to_owned(),
            "is-quiet",
            None,
        ),
        EntrySyncState::Failed { reason } => (
            "AniList sync failed".to_owned(),
            "is-bad",
            Some(reason.clone()),
        ),
        EntrySyncState::LinkExpired => ("AniList link expired".to_owned(), "is-bad", None),
        EntrySyncState::Excluded => ("Not synced to AniList".to_owned(), "is-quiet", None),
    };
    let failed = matches!(sync.sync, EntrySyncState::Failed { .. });
    let expired = matches!(sync.sync, EntrySyncState::LinkExpired);
    let is_excluded = matches!(sync.sync, EntrySyncState::Excluded);
    let relink = sync.relink_in_days.map(|days| match days {
        0 => "Re-link AniList today".to_owned(),
        1 => "Re-link AniList within a day".to_owned(),
        days => format!("Re-link AniList in {days} days"),
    });
    let error = Signal::derive(move || retried.error.get().or_else(|| excluded.error.get()));
    let saved = Signal::derive(move || retried.saved.get().or_else(|| excluded.saved.get()));
    Some(view! {
        <div class="sync-chip-box" role="group" aria-label="Your AniList sync for this title">
            <p class=format!("sync-chip {class}")>
                <span class="sync-chip-label">{label}</span>
                {detail.map(|detail| view! { <span class="sync-chip-detail">" · "{detail}</span> })}
            </p>
            <FormError error=form_error(error)/>
            <div class="sync-chip-actions">
                {failed.then(|| view! {
                    <ServerForm action=retry>
                        <input type="hidden" name="space_id" value=space_id.to_string()/>
                        <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                        <SubmitButton label="Retry" pending_label="Retrying…" pending=retry.pending() class="button secondary small"/>
                    </ServerForm>
                })}
                {(expired || relink.is_some()).then(|| view! {
                    <a class="button secondary small" href=LINKED_ACCOUNTS_PATH>{relink.clone().unwrap_or_else(|| "Re-link".to_owned())}</a>
                })}
                {(!expired).then(|| view! {
                    <ServerForm action=exclude>
                        <input type="hidden" name="space_id" value=space_id.to_string()/>
                        <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                        <input type="hidden" name="excluded" value=(!is_excluded).to_string()/>
                        <SubmitButton
                            label=if is_excluded { "Sync this title" } else { "Don't sync this title" }
                            pending_label="Saving…"
                            pending=exclude.pending()
                            class="button ghost small"
                        />
                    </ServerForm>
                })}
            </div>
            <p class="form-success" role="status">{move || saved.get()}</p>
        </div>
    })
}
