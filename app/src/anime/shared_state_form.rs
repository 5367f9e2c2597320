//! What the space shares about an anime: status, episodes watched together, and its mood,
//! vibe and pitch, with everyone's progress above the form (an island; the page reloads
//! after a save).

use anime_tracking::contracts::{
    Mood, ParticipantEntryDto, Pitch, Vibe, WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

use super::edit_error::EditError;
use super::fields::{NumberField, ShortTextField, StatusField, TextAreaField};
use super::server_fns::UpdateAnime;
use crate::components::{field_error, DualProgress, ServerForm, SubmitButton};
use crate::flash::reload_after_save;

#[component]
pub fn SharedStateForm(
    anime: WatchSpaceAnimeDto,
    members: Vec<ParticipantEntryDto>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="together-title">
            <h2 id="together-title">"Together"</h2>
            <DualProgress shared=anime.shared_episodes_watched total=anime.episode_count_snapshot participants=members/>
            <SharedStateFields
                space_id=anime.watch_space_id
                anime_id=anime.id
                shared=SharedFields {
                    version: anime.version,
                    status: anime.shared_status,
                    episodes: anime.shared_episodes_watched,
                    total: anime.episode_count_snapshot,
                    mood: anime.mood,
                    vibe: anime.vibe,
                    pitch: anime.pitch,
                }
            />
        </section>
    }
}

/// The entry's shared fields as they were rendered: the island's props in one piece.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SharedFields {
    version: i32,
    status: WatchStatus,
    episodes: i32,
    total: Option<i32>,
    mood: Option<String>,
    vibe: Option<String>,
    pitch: Option<String>,
}

/// The form, with the entry's shared fields as they were rendered.
#[island]
fn SharedStateFields(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    shared: SharedFields,
) -> impl IntoView {
    let SharedFields {
        version,
        status,
        episodes,
        total,
        mood,
        vibe,
        pitch,
    } = shared;
    let update = ServerAction::<UpdateAnime>::new();
    let after = reload_after_save(update, "shared-state".to_owned(), |_| {
        Some("Saved for everyone in the space.".to_owned())
    });
    let error = after.error;
    view! {
            <ServerForm action=update attr:class="form" attr:novalidate=true>
                <EditError error/>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                <input type="hidden" name="version" value=version/>
                <div class="field-row">
                    <StatusField id="shared-status" name="shared_status" label="Shared status" current=status/>
                    <NumberField
                        id="shared-episodes"
                        name="shared_episodes_watched"
                        label="Episodes watched together"
                        value=episodes.to_string()
                        min="0"
                        max=total.map(|total| total.to_string())
                        error=field_error(error, "sharedEpisodesWatched")
                    />
                </div>
                <div class="field-row">
                    <ShortTextField id="shared-mood" name="mood" label="Mood" value=mood max_characters=Mood::MAX_CHARACTERS placeholder="cozy, cry together…" error=field_error(error, "mood")/>
                    <ShortTextField id="shared-vibe" name="vibe" label="Vibe" value=vibe max_characters=Vibe::MAX_CHARACTERS placeholder="slow and gentle…" error=field_error(error, "vibe")/>
                </div>
                <TextAreaField id="shared-pitch" name="pitch" label="Pitch: why watch it?" value=pitch max_characters=Pitch::MAX_CHARACTERS error=field_error(error, "pitch")/>
                <SubmitButton label="Save for everyone" pending_label="Saving…" pending=update.pending()/>
                <p class="form-success" role="status">{move || after.saved.get()}</p>
            </ServerForm>
    }
}
