//! `/spaces/:id/anime/:anime_id`: one anime in a space: cover and AniList's details (or the
//! snapshot when AniList is unavailable), the shared state, each member's own progress,
//! rating and notes side by side, the watch sessions, and removing it. The forms are
//! islands; every save that succeeds (or finds the entry changed by someone else) reloads
//! the page.

use crate::flash::go_after_success;
use anime_tracking::contracts::{WatchSpaceAnimeDetailsDto, WatchSpaceAnimeId};
use identity::contracts::UserId;
use kernel::ErrorKind;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use watch_spaces::contracts::WatchSpaceId;

use super::member_column::MemberColumn;
use super::record_session_form::RecordSessionForm;
use super::server_fns::{get_anime, AnimeDetailsView, RemoveAnime};
use super::session_timeline::SessionTimeline;
use super::shared_state_form::SharedStateForm;
use super::{current_members, use_space_id};
use crate::auth::use_current_user;
use crate::components::{
    action_error, form_error, ConfirmStep, CoverImage, FormError, RatingPair, ServerForm,
    SubmitButton,
};
use crate::error::AppError;
use crate::layout::NotFound;
use crate::spaces::space_error;

#[component]
pub fn AnimeDetailPage() -> impl IntoView {
    let space_id = use_space_id();
    let params = use_params_map();
    let anime_id = Memo::new(move |_| {
        params
            .read()
            .get("anime_id")
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(WatchSpaceAnimeId)
    });
    let details = Resource::new(
        move || (space_id.get(), anime_id.get()),
        |(space_id, anime_id)| load_anime(space_id, anime_id),
    );
    view! {
        <Title text="Anime"/>
        <Transition fallback=|| view! { <p class="loading">"Fetching this anime…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(details) => Either::Left(view! { <AnimeDetails details/> }),
                    Err(error) => Either::Right(anime_error(error, space_id.get_untracked())),
                }
            })}
        </Transition>
    }
}

async fn load_anime(
    space_id: Option<WatchSpaceId>,
    anime_id: Option<WatchSpaceAnimeId>,
) -> Result<AnimeDetailsView, AppError> {
    match (space_id, anime_id) {
        (Some(space_id), Some(anime_id)) => get_anime(space_id, anime_id).await,
        _ => Err(AppError::from_public(
            &anime_tracking::contracts::AnimeTrackingError::AnimeNotFound,
        )),
    }
}

fn anime_error(error: AppError, space_id: Option<WatchSpaceId>) -> impl IntoView {
    if error.kind == ErrorKind::NotFound {
        Either::Left(
            view! { <NotFound title="We could not find that anime" message=error.message/> },
        )
    } else {
        Either::Right(space_error(error, space_id))
    }
}

#[component]
fn AnimeDetails(details: AnimeDetailsView) -> impl IntoView {
    let me: Option<UserId> = use_current_user().user_untracked().map(|user| user.id);
    let AnimeDetailsView {
        entry,
        space_name,
        my_sync,
        today,
    } = details;
    let WatchSpaceAnimeDetailsDto {
        anime,
        sessions,
        media,
        can_remove,
    } = entry;
    let space_id = anime.watch_space_id;
    let title = anime.display_title().to_owned();
    let romaji = (anime.preferred_title != title).then(|| anime.preferred_title.clone());
    let members = current_members(&anime.participants);
    let total = anime.episode_count_snapshot;
    let meta = [
        anime.format.map(|format| format.label().to_owned()),
        match (anime.season, anime.season_year) {
            (Some(season), Some(year)) => Some(format!("{} {year}", season.label())),
            (None, Some(year)) => Some(year.to_string()),
            _ => None,
        },
        Some(match total {
            Some(1) => "1 episode".to_owned(),
            Some(count) => format!("{count} episodes"),
            None => "Episodes still airing".to_owned(),
        }),
        media
            .as_ref()
            .and_then(|media| media.status)
            .map(|status| status.label().to_owned()),
        media
            .as_ref()
            .and_then(|media| media.average_score)
            .map(|score| format!("AniList score {score}%")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let cover = media
        .as_ref()
        .and_then(|media| media.cover_image_large.clone())
        .or_else(|| anime.cover_image_url_snapshot.clone());
    let colour = media.as_ref().and_then(|media| media.cover_color.clone());
    let genres = media
        .as_ref()
        .map(|media| media.genres.clone())
        .unwrap_or_default();
    let paragraphs: Vec<String> = media
        .as_ref()
        .and_then(|media| media.description.as_deref())
        .map(|description| {
            description
                .split("\n\n")
                .map(str::trim)
                .filter(|paragraph| !paragraph.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let media_missing = media.is_none();
    view! {
        <Title text=title.clone()/>
        <header class="page-header anime-hero">
            <a class="back-link" href=format!("/spaces/{space_id}")>"← " {space_name}</a>
            <div class="anime-hero-body">
                <CoverImage url=cover colour=colour title=title.clone() size="large"/>
                <div class="anime-hero-text">
                    <h1>{title.clone()}</h1>
                    {romaji.map(|romaji| view! { <p class="anime-romaji" lang="ja-Latn">{romaji}</p> })}
                    <p class="anime-meta">{meta}</p>
                    {(!genres.is_empty()).then(|| view! {
                        <ul class="genre-list" aria-label="Genres">
                            {genres.into_iter().map(|genre| view! { <li>{genre}</li> }).collect_view()}
                        </ul>
                    })}
                    {media_missing.then_some(view! {
                        <p class="notice small-notice" role="status">"AniList details are unavailable right now, so this shows what we saved when you added it."</p>
                    })}
                    {anime.needs_attention.then_some(view! {
                        <p class="attention-hint">"AniList now lists fewer episodes than someone has watched. Check the progress below and adjust it if needed."</p>
                    })}
                </div>
            </div>
        </header>
        {(!paragraphs.is_empty()).then(|| view! {
            <section class="card anime-about" aria-labelledby="about-title">
                <h2 id="about-title">"About"</h2>
                {paragraphs.into_iter().map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
            </section>
        })}
        <SharedStateForm anime=anime.clone() members=members.clone()/>
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">"Each of you"</h2>
            <RatingPair participants=members.clone()/>
            <div class="member-columns">
                {members
                    .iter()
                    .enumerate()
                    .map(|(position, participant)| {
                        view! {
                            <MemberColumn
                                space_id
                                anime_id=anime.id
                                participant=participant.clone()
                                position
                                total
                                sync=(Some(participant.user_id) == me).then(|| my_sync.clone())
                            />
                        }
                    })
                    .collect_view()}
            </div>
        </section>
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Watch sessions"</h2>
            <RecordSessionForm
                space_id
                anime_id=anime.id
                members=members
                    .iter()
                    .map(|member| (member.user_id, member.display_name.clone()))
                    .collect()
                next_episode=anime.shared_episodes_watched + 1
                total
                today
            />
            <SessionTimeline space_id anime_id=anime.id sessions members me/>
        </section>
        {can_remove.then(|| view! {
            <section class="card danger-zone" aria-labelledby="remove-title">
                <h2 id="remove-title">"Remove from space"</h2>
                <p class="muted">"Everyone's progress, ratings and sessions for this anime go with it."</p>
                <RemoveAnimeForm space_id anime_id=anime.id title/>
            </section>
        })}
    }
}

/// "Remove from space" after a confirm step, then on to the space's anime.
#[island]
fn RemoveAnimeForm(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    title: String,
) -> impl IntoView {
    let remove = ServerAction::<RemoveAnime>::new();
    go_after_success(remove, move |()| Some(format!("/spaces/{space_id}/anime")));
    view! {
        <FormError error=form_error(action_error(remove))/>
        <ConfirmStep label="Remove from space" question=format!("Remove {title} from this space?") class="button danger">
            <ServerForm action=remove>
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anime_id" value=anime_id.to_string()/>
                <SubmitButton label="Yes, remove" pending_label="Removing…" pending=remove.pending() class="button danger small"/>
            </ServerForm>
        </ConfirmStep>
    }
}
