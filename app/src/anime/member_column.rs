//! One member's own tracking of an anime: status, progress, rating and notes. The signed-in
//! member's column also holds the forms to change them; everyone else's is read-only.

use anime_tracking::contracts::{Notes, ParticipantEntryDto, WatchSpaceAnimeId};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::anime_detail_page::AnimeActions;
use super::edit_error::EditError;
use super::fields::{NumberField, StatusField, TextAreaField};
use crate::components::{action_error, episode_label, field_error, MemberBadge, SubmitButton};

#[component]
pub fn MemberColumn(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    participant: ParticipantEntryDto,
    /// Colour slot.
    position: usize,
    total: Option<i32>,
    is_me: bool,
    actions: AnimeActions,
) -> impl IntoView {
    let heading_id = format!("member-{}", participant.user_id);
    let labelled_by = heading_id.clone();
    let rating = participant.rating_score.map_or_else(
        || "Not rated yet".to_owned(),
        |score| format!("{score} / 10"),
    );
    let forms = is_me.then(|| {
        view! { <MyForms space_id anime_id participant=participant.clone() total actions/> }
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
            {forms}
        </article>
    }
}

/// The signed-in member's progress and rating forms.
#[component]
fn MyForms(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    participant: ParticipantEntryDto,
    total: Option<i32>,
    actions: AnimeActions,
) -> impl IntoView {
    let progress_error = action_error(actions.progress);
    let rate_error = action_error(actions.rate);
    let progress_saved =
        move || matches!(actions.progress.value().get(), Some(Ok(_))).then_some("Progress saved.");
    let rating_saved =
        move || matches!(actions.rate.value().get(), Some(Ok(_))).then_some("Rating saved.");
    let rated = participant.rating_score.is_some();
    view! {
        <ActionForm action=actions.progress attr:class="form member-form" attr:novalidate=true>
            <EditError error=progress_error/>
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="anime_id" value=anime_id.to_string()/>
            <input type="hidden" name="version" value=participant.version/>
            <StatusField id="my-status" name="individual_status" label="My status" current=participant.individual_status/>
            <NumberField
                id="my-episodes"
                name="episodes_watched"
                label="Episodes I have watched"
                value=participant.episodes_watched.to_string()
                min=0.0
                max=total.map(f64::from)
                error=field_error(progress_error, "episodesWatched")
            />
            <SubmitButton label="Save my progress" pending_label="Saving…" pending=actions.progress.pending() class="button secondary"/>
            <p class="form-success" role="status">{progress_saved}</p>
        </ActionForm>
        <ActionForm action=actions.rate attr:class="form member-form" attr:novalidate=true>
            <EditError error=rate_error/>
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="anime_id" value=anime_id.to_string()/>
            <input type="hidden" name="version" value=participant.version/>
            <NumberField
                id="my-rating"
                name="rating_score"
                label="My rating (0.5 to 10)"
                value=participant.rating_score.map(|score| score.to_string()).unwrap_or_default()
                min=0.5
                max=Some(10.0)
                step="0.5"
                inputmode="decimal"
                error=field_error(rate_error, "ratingScore")
            />
            <TextAreaField
                id="my-notes"
                name="rating_notes"
                label="My notes"
                value=participant.rating_notes.clone()
                max_characters=Notes::MAX_CHARACTERS
                error=field_error(rate_error, "ratingNotes")
            />
            <SubmitButton label="Save my rating" pending_label="Saving…" pending=actions.rate.pending() class="button secondary"/>
            <p class="form-success" role="status">{rating_saved}</p>
        </ActionForm>
        {rated.then(|| view! {
            <ActionForm action=actions.clear_rating attr:class="member-form">
                <EditError error=action_error(actions.clear_rating)/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                <SubmitButton label="Clear my rating" pending_label="Clearing…" pending=actions.clear_rating.pending() class="button ghost small"/>
            </ActionForm>
        })}
    }
}
