//! One member's own tracking of an anime: status, progress, rating and notes. The signed-in
//! member's column also holds the forms to change them; everyone else's is read-only.

use anime_tracking::contracts::{Notes, ParticipantEntryDto, WatchSpaceAnimeId};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::edit_error::EditError;
use super::fields::{NumberField, StatusField, TextAreaField};
use super::server_fns::{ClearRating, RateAnime, UpdateParticipantProgress};
use crate::components::{episode_label, field_error, MemberBadge, ServerForm, SubmitButton};
use crate::flash::reload_after_save;
use crate::linked_accounts::SyncChip;
use anilist_sync::contracts::EntrySyncDto;

#[component]
pub fn MemberColumn(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    participant: ParticipantEntryDto,
    /// Colour slot.
    position: usize,
    total: Option<i32>,
    /// The signed-in member's own AniList sync status: set only on their own column, which
    /// is also the one with the forms.
    sync: Option<EntrySyncDto>,
) -> impl IntoView {
    let is_me = sync.is_some();
    let heading_id = format!("member-{}", participant.user_id);
    let labelled_by = heading_id.clone();
    let rating = participant.rating_score.map_or_else(
        || "Not rated yet".to_owned(),
        |score| format!("{score} / 10"),
    );
    let forms = is_me.then(|| {
        view! {
            <MyForms space_id anime_id entry=participant.clone() total/>
        }
    });
    view! {
        <article class="member-column" aria-labelledby=labelled_by>
            <h3 id=heading_id class="member-column-title">
                <MemberBadge name=participant.display_name.clone() position with_name=true/>
                {is_me.then_some(view! { <span class="muted">" (you)"</span> })}
            </h3>
            <dl class="member-facts">
                <div><dt>"Status"</dt><dd>{participant.individual_status.label()}</dd></div>
                <div><dt>"Progress"</dt><dd>{episode_label(participant.episodes_watched, total)}</dd></div>
                <div><dt>"Rating"</dt><dd>{rating}</dd></div>
                <div>
                    <dt>"Notes"</dt>
                    <dd class="notes-text">{participant.rating_notes.clone().unwrap_or_else(|| "No notes yet".to_owned())}</dd>
                </div>
            </dl>
            {sync.map(|sync| view! { <SyncChip space_id anime_id sync/> })}
            {forms}
        </article>
    }
}

/// The signed-in member's progress and rating forms; the page reloads after each save.
#[island]
fn MyForms(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    /// The member's entry as rendered.
    entry: ParticipantEntryDto,
    total: Option<i32>,
) -> impl IntoView {
    let version = entry.version;
    let status = entry.individual_status;
    let episodes = entry.episodes_watched;
    let rating = entry.rating_score.map(|score| score.to_string());
    let notes = entry.rating_notes;
    let progress = ServerAction::<UpdateParticipantProgress>::new();
    let rate = ServerAction::<RateAnime>::new();
    let clear_rating = ServerAction::<ClearRating>::new();
    let progress_after = reload_after_save(progress, "my-progress".to_owned(), |_| {
        Some("Progress saved.".to_owned())
    });
    let rate_after = reload_after_save(rate, "my-rating".to_owned(), |_| {
        Some("Rating saved.".to_owned())
    });
    let clear_error =
        reload_after_save(clear_rating, "clear-rating".to_owned(), |_| None::<String>).error;
    let progress_error = progress_after.error;
    let rate_error = rate_after.error;
    let rated = rating.is_some();
    view! {
        <ServerForm action=progress attr:class="form member-form" attr:novalidate=true>
            <EditError error=progress_error/>
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="anime_id" value=anime_id.to_string()/>
            <input type="hidden" name="version" value=version/>
            <StatusField id="my-status" name="individual_status" label="My status" current=status/>
            <NumberField
                id="my-episodes"
                name="episodes_watched"
                label="Episodes I have watched"
                value=episodes.to_string()
                min="0"
                max=total.map(|total| total.to_string())
                error=field_error(progress_error, "episodesWatched")
            />
            <SubmitButton label="Save my progress" pending_label="Saving…" pending=progress.pending() class="button secondary"/>
            <p class="form-success" role="status">{move || progress_after.saved.get()}</p>
        </ServerForm>
        <ServerForm action=rate attr:class="form member-form" attr:novalidate=true>
            <EditError error=rate_error/>
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="anime_id" value=anime_id.to_string()/>
            <input type="hidden" name="version" value=version/>
            <NumberField
                id="my-rating"
                name="rating_score"
                label="My rating (0.5 to 10)"
                value=rating.unwrap_or_default()
                min="0.5"
                max=Some("10".to_owned())
                step="0.5"
                inputmode="decimal"
                error=field_error(rate_error, "ratingScore")
            />
            <TextAreaField
                id="my-notes"
                name="rating_notes"
                label="My notes"
                value=notes
                max_characters=Notes::MAX_CHARACTERS
                error=field_error(rate_error, "ratingNotes")
            />
            <SubmitButton label="Save my rating" pending_label="Saving…" pending=rate.pending() class="button secondary"/>
            <p class="form-success" role="status">{move || rate_after.saved.get()}</p>
        </ServerForm>
        {rated.then(|| view! {
            <ServerForm action=clear_rating attr:class="member-form">
                <EditError error=clear_error/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                <SubmitButton label="Clear my rating" pending_label="Clearing…" pending=clear_rating.pending() class="button ghost small"/>
            </ServerForm>
        })}
    }
}
