//! `/spaces/:id/anime/:anime_id`: one anime in a space: cover and AniList's details (or the
//! snapshot when AniList is unavailable), the shared state, each member's own progress,
//! rating and notes side by side, the watch sessions, and removing it. Every save that
//! succeeds (or finds the entry changed by someone else) reloads the page's data.

use anime_tracking::contracts::WatchSpaceAnimeId;
use identity::contracts::UserId;
use kernel::ErrorKind;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use watch_spaces::contracts::WatchSpaceId;

use super::member_column::MemberColumn;
use super::record_session_form::RecordSessionForm;
use super::server_fns::{
    get_anime, AnimeDetailsView, ClearRating, DeleteSession, RateAnime, RecordSession, RemoveAnime,
    UpdateAnime, UpdateParticipantProgress, UpdateSession,
};
use super::session_timeline::SessionTimeline;
use super::shared_state_form::SharedStateForm;
use super::{current_members, use_space_id};
use crate::auth::use_current_user;
use crate::components::{
    action_error, form_error, ConfirmStep, CoverImage, FormError, RatingPair, SubmitButton,
};
use crate::error::AppError;
use crate::layout::NotFound;
use crate::spaces::space_error;

/// Every write on this page; created once so their results outlive reloads of the anime.
#[derive(Clone, Copy)]
pub struct AnimeActions {
    pub update: ServerAction<UpdateAnime>,
    pub progress: ServerAction<UpdateParticipantProgress>,
    pub rate: ServerAction<RateAnime>,
    pub clear_rating: ServerAction<ClearRating>,
    pub record_session: ServerAction<RecordSession>,
    pub update_session: ServerAction<UpdateSession>,
    pub delete_session: ServerAction<DeleteSession>,
    pub remove: ServerAction<RemoveAnime>,
    /// Counts the saves after which the page reloads its data.
    reloads: RwSignal<usize>,
}

impl AnimeActions {
    fn new() -> Self {
        let actions = Self {
            update: ServerAction::new(),
            progress: ServerAction::new(),
            rate: ServerAction::new(),
            clear_rating: ServerAction::new(),
            record_session: ServerAction::new(),
            update_session: ServerAction::new(),
            delete_session: ServerAction::new(),
            remove: ServerAction::new(),
            reloads: RwSignal::new(0),
        };
        reload_after(actions.update, actions.reloads);
        reload_after(actions.progress, actions.reloads);
        reload_after(actions.rate, actions.reloads);
        reload_after(actions.clear_rating, actions.reloads);
        reload_after(actions.record_session, actions.reloads);
        reload_after(actions.update_session, actions.reloads);
        reload_after(actions.delete_session, actions.reloads);
        actions
    }
}

/// Reloads after `action` saved, or found the entry changed by someone else (so the page
/// shows their change). Other failures keep the page, and what was typed, as it is.
fn reload_after<S>(action: ServerAction<S>, reloads: RwSignal<usize>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        let reload = action.value().with(|value| match value {
            Some(Ok(_)) => true,
            Some(Err(error)) => error.kind == ErrorKind::Conflict,
            None => false,
        });
        if reload {
            reloads.update(|count| *count += 1);
        }
    });
}

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
    let actions = AnimeActions::new();
    let details = Resource::new(
        move || (space_id.get(), anime_id.get(), actions.reloads.get()),
        |(space_id, anime_id, _)| load_anime(space_id, anime_id),
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(space_id)) =
            (actions.remove.value().get(), space_id.get_untracked())
        {
            navigate(&format!("/spaces/{space_id}/anime"), Default::default());
        }
    });
    view! {
        <Title text="Anime"/>
        <Transition fallback=|| view! { <p class="loading">"Fetching this anime…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(details) => Either::Left(view! { <AnimeDetails details actions/> }),
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
fn AnimeDetails(details: AnimeDetailsView, actions: AnimeActions) -> impl IntoView {
    let me: Option<UserId> = use_current_user().user_untracked().map(|user| user.id);
    let AnimeDetailsView {
        entry,
        media,
        space_name,
        can_remove,
        today,
    } = details;
    let anime = entry.anime;
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
        <SharedStateForm anime=anime.clone() members=members.clone() update=actions.update/>
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
                                is_me=Some(participant.user_id) == me
                                actions
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
                members=members.clone()
                next_episode=anime.shared_episodes_watched + 1
                total
                today
                record=actions.record_session
            />
            <SessionTimeline space_id anime_id=anime.id sessions=entry.sessions members me actions/>
        </section>
        {can_remove.then(|| view! {
            <section class="card danger-zone" aria-labelledby="remove-title">
                <h2 id="remove-title">"Remove from space"</h2>
                <p class="muted">"Everyone's progress, ratings and sessions for this anime go with it."</p>
                <FormError error=form_error(action_error(actions.remove))/>
                <ConfirmStep label="Remove from space" question=format!("Remove {title} from this space?") class="button danger">
                    <ActionForm action=actions.remove>
                        <input type="hidden" name="space_id" value=space_id.to_string()/>
                        <input type="hidden" name="anime_id" value=anime.id.to_string()/>
                        <SubmitButton label="Yes, remove" pending_label="Removing…" pending=actions.remove.pending() class="button danger small"/>
                    </ActionForm>
                </ConfirmStep>
            </section>
        })}
    }
}
