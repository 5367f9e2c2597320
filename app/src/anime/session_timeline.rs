//! The watch sessions, newest first: when, which episodes, notes and who was there. Whoever
//! recorded a session can change its notes or delete it (after a confirm step).

use anime_tracking::contracts::{
    Notes, ParticipantEntryDto, WatchSessionDto, WatchSessionId, WatchSpaceAnimeId,
};
use identity::contracts::UserId;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::edit_error::EditError;
use super::fields::TextAreaField;
use super::server_fns::{DeleteSession, UpdateSession};
use crate::components::{
    field_error, format_date, ConfirmStep, MemberBadge, ServerForm, SubmitButton,
};
use crate::flash::reload_after_save;

#[component]
pub fn SessionTimeline(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    sessions: Vec<WatchSessionDto>,
    /// The current members in joining order, for everyone's colour.
    members: Vec<ParticipantEntryDto>,
    me: Option<UserId>,
) -> impl IntoView {
    if sessions.is_empty() {
        return view! {
            <p class="muted session-empty">"No sessions yet. Record your first movie night above 🍵"</p>
        }
        .into_any();
    }
    let position = move |user_id: UserId| {
        members
            .iter()
            .position(|member| member.user_id == user_id)
            .unwrap_or(members.len())
    };
    view! {
        <ol class="session-timeline" aria-label="Sessions, newest first">
            {sessions
                .into_iter()
                .map(|session| {
                    let mine = Some(session.created_by_user_id) == me;
                    let attendees = session
                        .attendees
                        .iter()
                        .map(|attendee| {
                            view! { <li><MemberBadge name=attendee.display_name.clone() position=position(attendee.user_id)/></li> }
                        })
                        .collect_view();
                    let tools = mine.then(|| view! {
                        <SessionTools
                            space_id
                            anime_id
                            session_id=session.id
                            notes=session.notes.clone()
                            when=format_date(session.session_date_utc)
                        />
                    });
                    view! {
                        <li class="session">
                            <p class="session-when">
                                <strong>{format_date(session.session_date_utc)}</strong>
                                " · "
                                {episode_range(session.start_episode, session.end_episode)}
                            </p>
                            {session.notes.clone().map(|notes| view! { <p class="notes-text">{notes}</p> })}
                            <div class="session-who">
                                <span class="muted">"Watched by"</span>
                                <ul class="session-attendees" aria-label="Watched by">{attendees}</ul>
                            </div>
                            <p class="muted session-by">"Recorded by " {session.created_by_display_name.clone()}</p>
                            {tools}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// "ep 3–5", or "ep 3" for a single episode.
pub fn episode_range(start: i32, end: i32) -> String {
    if start == end {
        format!("ep {start}")
    } else {
        format!("ep {start}–{end}")
    }
}

/// Changing the notes (in a disclosure, so it works without JavaScript) and deleting; the
/// page reloads after either.
#[island]
fn SessionTools(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    session_id: WatchSessionId,
    notes: Option<String>,
    /// The session's day, as shown.
    when: String,
) -> impl IntoView {
    let update = ServerAction::<UpdateSession>::new();
    let delete = ServerAction::<DeleteSession>::new();
    let update_error = reload_after_save(update, format!("update-session-{session_id}"), |_| {
        None::<String>
    })
    .error;
    let delete_error = reload_after_save(delete, format!("delete-session-{session_id}"), |_| {
        None::<String>
    })
    .error;
    view! {
        <EditError error=update_error/>
        <EditError error=delete_error/>
        <div class="session-tools">
            <details class="session-edit">
                <summary>"Edit notes"</summary>
                <ServerForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                    <input type="hidden" name="session_id" value=session_id.to_string()/>
                    <TextAreaField
                        id=format!("session-notes-{session_id}")
                        name="notes"
                        label="Notes for this session"
                        value=notes
                        max_characters=Notes::MAX_CHARACTERS
                        error=field_error(update_error, "notes")
                    />
                    <SubmitButton label="Save notes" pending_label="Saving…" pending=update.pending() class="button secondary small"/>
                </ServerForm>
            </details>
            <ConfirmStep label="Delete session" question=format!("Delete the session of {when}? Progress stays where it is.")>
                <ServerForm action=delete>
                    <input type="hidden" name="space_id" value=space_id.to_string()/>
                    <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                    <input type="hidden" name="session_id" value=session_id.to_string()/>
                    <SubmitButton label="Yes, delete" pending_label="Deleting…" pending=delete.pending() class="button danger small"/>
                </ServerForm>
            </ConfirmStep>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episode_ranges_read_naturally() {
        assert_eq!(episode_range(3, 5), "ep 3–5");
        assert_eq!(episode_range(4, 4), "ep 4");
    }
}
