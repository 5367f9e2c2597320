//! One anime in the list: cover, title, format and year, everyone's progress and ratings,
//! a hint when it needs attention, and "+1 episode" for the shared progress.

use anime_tracking::contracts::WatchSpaceAnimeDto;
use leptos::prelude::*;

use super::server_fns::UpdateAnime;
use super::{anime_path, current_members};
use crate::components::{CoverImage, DualProgress, RatingPair};

#[component]
pub fn AnimeCard(anime: WatchSpaceAnimeDto, bump: ServerAction<UpdateAnime>) -> impl IntoView {
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
                <ActionForm action=bump attr:class="bump-form">
                    <input type="hidden" name="space_id" value=anime.watch_space_id.to_string()/>
                    <input type="hidden" name="anime_id" value=anime.id.to_string()/>
                    <input type="hidden" name="version" value=anime.version/>
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
                </ActionForm>
            </div>
        </li>
    }
}
