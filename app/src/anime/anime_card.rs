//! One anime in the list: cover, title, format and year, everyone's progress and ratings,
//! a hint when it needs attention, and "+1 episode" for the shared progress.

use anime_tracking::contracts::{WatchSpaceAnimeDto, WatchSpaceAnimeId};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::edit_error::EditError;
use super::server_fns::UpdateAnime;
use super::{anime_path, current_members};
use crate::components::{CoverImage, DualProgress, RatingPair, ServerForm};
use crate::flash::reload_after_save;

#[component]
pub fn AnimeCard(anime: WatchSpaceAnimeDto) -> impl IntoView {
    let href = anime_path(anime.watch_space_id, anime.id);
    let title = anime.display_title().to_owned();
    let members = current_members(&anime.participants);
    let next = anime.shared_episodes_watched + 1;
    let at_end = anime
        .episode_count_snapshot
        .is_some_and(|total| anime.shared_episodes_watched >= total);
    let meta = [
        anime.format.map(|format| format.label().to_owned()),
        anime.season_year.map(|year| year.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="anime-card">
            <a class="anime-card-cover" href=href.clone() tabindex="-1" aria-hidden="true">
                <CoverImage url=anime.cover_image_url_snapshot.clone() title=title.clone()/>
            </a>
            <div class="anime-card-body">
                <h3 class="anime-card-title"><a href=href>{title.clone()}</a></h3>
                {(!meta.is_empty()).then(|| view! { <p class="anime-card-meta">{meta}</p> })}
                {anime.needs_attention.then(|| view! {
                    <p class="attention-hint">"AniList now lists fewer episodes than someone has watched. Open it to check everyone's progress."</p>
                })}
                <DualProgress shared=anime.shared_episodes_watched total=anime.episode_count_snapshot participants=members.clone()/>
                <RatingPair participants=members/>
                <BumpEpisode
                    space_id=anime.watch_space_id
                    anime_id=anime.id
                    version=anime.version
                    next
                    title
                    at_end
                />
            </div>
        </li>
    }
}

/// "+1 episode" for the shared progress; the page reloads after it, so the card (and the rest
/// of the page) shows the new progress.
#[island]
fn BumpEpisode(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    version: i32,
    /// The episode the button records.
    next: i32,
    title: String,
    /// Every episode has been watched together already.
    at_end: bool,
) -> impl IntoView {
    let bump = ServerAction::<UpdateAnime>::new();
    let after = reload_after_save(bump, format!("bump-{anime_id}"), |_| None::<String>);
    view! {
        <EditError error=after.error/>
        <ServerForm action=bump attr:class="bump-form">
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="anime_id" value=anime_id.to_string()/>
            <input type="hidden" name="version" value=version/>
            <input type="hidden" name="shared_episodes_watched" value=next/>
            <button
                type="submit"
                class="button secondary small"
                aria-label=format!("+1 episode for {title}")
                disabled=move || at_end || bump.pending().get()
                title=at_end.then_some("You have watched every episode together")
            >
                "+1 episode"
            </button>
        </ServerForm>
    }
}
