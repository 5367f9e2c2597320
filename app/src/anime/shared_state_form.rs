//! What the space shares about an anime: status, episodes watched together, and its mood,
//! vibe and pitch, with everyone's progress above the form.

use anime_tracking::contracts::{Mood, ParticipantEntryDto, Pitch, Vibe, WatchSpaceAnimeDto};
use leptos::prelude::*;

use super::edit_error::EditError;
use super::fields::{NumberField, ShortTextField, StatusField, TextAreaField};
use super::server_fns::UpdateAnime;
use crate::components::{action_error, field_error, DualProgress, SubmitButton};

#[component]
pub fn SharedStateForm(
    anime: WatchSpaceAnimeDto,
    members: Vec<ParticipantEntryDto>,
    update: ServerAction<UpdateAnime>,
) -> impl IntoView {
    let error = action_error(update);
    let saved = move || {
        matches!(update.value().get(), Some(Ok(_))).then_some("Saved for everyone in the space.")
    };
    view! {
        <section class="card" aria-labelledby="together-title">
            <h2 id="together-title">"Together"</h2>
            <DualProgress shared=anime.shared_episodes_watched total=anime.episode_count_snapshot participants=members/>
            <ActionForm action=update attr:class="form" attr:novalidate=true>
                <EditError error/>
                <input type="hidden" name="space_id" value=anime.watch_space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime.id.to_string()/>
                <input type="hidden" name="version" value=anime.version/>
                <div class="field-row">
                    <StatusField id="shared-status" name="shared_status" label="Shared status" current=anime.shared_status/>
                    <NumberField
                        id="shared-episodes"
                        name="shared_episodes_watched"
                        label="Episodes watched together"
                        value=anime.shared_episodes_watched.to_string()
                        min=0.0
                        max=anime.episode_count_snapshot.map(f64::from)
                        error=field_error(error, "sharedEpisodesWatched")
                    />
                </div>
                <div class="field-row">
                    <ShortTextField id="shared-mood" name="mood" label="Mood" value=anime.mood max_characters=Mood::MAX_CHARACTERS placeholder="cozy, cry together…" error=field_error(error, "mood")/>
                    <ShortTextField id="shared-vibe" name="vibe" label="Vibe" value=anime.vibe max_characters=Vibe::MAX_CHARACTERS placeholder="slow and gentle…" error=field_error(error, "vibe")/>
                </div>
                <TextAreaField id="shared-pitch" name="pitch" label="Pitch: why watch it?" value=anime.pitch max_characters=Pitch::MAX_CHARACTERS error=field_error(error, "pitch")/>
                <SubmitButton label="Save for everyone" pending_label="Saving…" pending=update.pending()/>
                <p class="form-success" role="status">{saved}</p>
            </ActionForm>
        </section>
    }
}
