//! "Record a session": the day, the episodes (from the next one together by default), notes
//! and who was there (everyone ticked by default). Recording it moves the shared progress
//! and each attendee's own progress up to its last episode; the page reloads to show it.

use anime_tracking::contracts::{Notes, WatchSpaceAnimeId};
use identity::contracts::UserId;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::edit_error::EditError;
use super::fields::{NumberField, TextAreaField};
use super::server_fns::RecordSession;
use crate::components::{field_error, FieldError, MemberBadge, ServerForm, SubmitButton};
use crate::flash::reload_after_save;

#[island]
pub fn RecordSessionForm(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    /// Who can attend: the current members (id and name) in joining order, their colour slots.
    members: Vec<(UserId, String)>,
    next_episode: i32,
    total: Option<i32>,
    /// `YYYY-MM-DD`.
    today: String,
) -> impl IntoView {
    let record = ServerAction::<RecordSession>::new();
    let error = reload_after_save(record, "record-session".to_owned(), |_| None::<String>).error;
    let date_error = field_error(error, "sessionDateUtc");
    let attendee_error = field_error(error, "attendeeUserIds");
    let first = total.map_or(next_episode, |total| next_episode.min(total.max(1)));
    view! {
        <div class="record-session">
            <h3>"Record a session"</h3>
            <ServerForm action=record attr:class="form" attr:novalidate=true>
                <EditError error/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                <div class="field">
                    <label for="session-date">"Date"</label>
                    <input
                        id="session-date"
                        name="session_date"
                        type="date"
                        value=today
                        required
                        aria-invalid=move || date_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || date_error.with(Option::is_some).then_some("session-date-error")
                    />
                    <FieldError id="session-date-error".to_owned() error=date_error/>
                </div>
                <div class="field-row">
                    <NumberField
                        id="session-start"
                        name="start_episode"
                        label="From episode"
                        value=first.to_string()
                        min="1"
                        max=total.map(|total| total.to_string())
                        error=field_error(error, "startEpisode")
                    />
                    <NumberField
                        id="session-end"
                        name="end_episode"
                        label="To episode"
                        value=first.to_string()
                        min="1"
                        max=total.map(|total| total.to_string())
                        error=field_error(error, "endEpisode")
                    />
                </div>
                <TextAreaField id="session-notes" name="notes" label="Session notes" value=None max_characters=Notes::MAX_CHARACTERS error=field_error(error, "notes")/>
                <fieldset class="attendees" aria-describedby=move || attendee_error.with(Option::is_some).then_some("session-attendees-error")>
                    <legend>"Who was there"</legend>
                    {members
                        .into_iter()
                        .enumerate()
                        .map(|(position, (user_id, name))| {
                            let id = format!("attendee-{user_id}");
                            view! {
                                <div class="attendee">
                                    <input type="checkbox" id=id.clone() name="attendee_user_ids[]" value=user_id.to_string() checked/>
                                    <label for=id>
                                        <MemberBadge name position with_name=true/>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <FieldError id="session-attendees-error".to_owned() error=attendee_error/>
                </fieldset>
                <SubmitButton label="Record session" pending_label="Recording…" pending=record.pending()/>
            </ServerForm>
        </div>
    }
}
