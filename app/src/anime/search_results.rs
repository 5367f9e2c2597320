//! AniList search results with an "Add" button each, shared by the add-anime dialog and the
//! add page (there as an island of its own, `SearchResults`). Picking one adds it and opens
//! its page; one the space already tracks says so and links to it. When AniList is
//! unavailable, cached matches come with the reason, and with nothing cached the page says so
//! kindly.

use crate::flash::go_after_success;
use anilist_sync::contracts::{MediaDto, MediaSearchResultsDto, SearchSource};
use kernel::ErrorKind;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::anime_path;
use super::server_fns::{AddAnime, AddAnimeOutcome};
use crate::components::{action_error, form_error, CoverImage, FormError, ServerForm};
use crate::error::AppError;

/// The add action for a page or dialog: once an anime is added, the browser goes to it.
pub fn use_add_anime(space_id: WatchSpaceId) -> ServerAction<AddAnime> {
    let add = ServerAction::<AddAnime>::new();
    go_after_success(add, move |outcome| match outcome {
        AddAnimeOutcome::Added(anime_id) => Some(anime_path(space_id, *anime_id)),
        _ => None,
    });
    add
}

/// The add page's results (searched on the server) with their "Add" buttons.
#[island]
pub fn SearchResults(
    space_id: WatchSpaceId,
    outcome: Result<MediaSearchResultsDto, AppError>,
) -> impl IntoView {
    let add = use_add_anime(space_id);
    view! {
        <AddAnimeStatus space_id add/>
        {search_outcome(space_id, outcome, add)}
    }
}

/// What happened to the last pick: a failure, or "already in this space" with a link.
#[component]
pub fn AddAnimeStatus(space_id: WatchSpaceId, add: ServerAction<AddAnime>) -> impl IntoView {
    let already = move || match add.value().get() {
        Some(Ok(AddAnimeOutcome::AlreadyTracked {
            message,
            existing_id,
        })) => Some(view! {
            <p class="notice" role="alert">
                {message} " " <a href=anime_path(space_id, existing_id)>"Open it"</a>
            </p>
        }),
        _ => None,
    };
    view! {
        <FormError error=form_error(action_error(add))/>
        {already}
    }
}

/// A search's answer, or why there is none.
pub fn search_outcome(
    space_id: WatchSpaceId,
    outcome: Result<MediaSearchResultsDto, AppError>,
    add: ServerAction<AddAnime>,
) -> impl IntoView {
    match outcome {
        Ok(found) => EitherOf3::A(found_view(space_id, found, add)),
        Err(error)
            if matches!(
                error.kind,
                ErrorKind::Unavailable | ErrorKind::TooManyRequests
            ) =>
        {
            EitherOf3::B(view! {
                <div class="notice" role="status">
                    <p><strong>"We cannot reach AniList right now."</strong></p>
                    <p>{error.message}</p>
                    <p>"Your list and progress still work. Please try searching again in a few minutes."</p>
                </div>
            })
        }
        Err(error) => EitherOf3::C(view! { <FormError error=Some(error.message)/> }),
    }
}

fn found_view(
    space_id: WatchSpaceId,
    found: MediaSearchResultsDto,
    add: ServerAction<AddAnime>,
) -> impl IntoView {
    let from_cache = match &found.source {
        SearchSource::AniList => None,
        SearchSource::Cache { reason, .. } => Some(reason.clone()),
    };
    let banner = from_cache.clone().map(|reason| {
        view! {
            <div class="notice" role="status">
                <p><strong>"We cannot reach AniList right now."</strong></p>
                <p>{reason}</p>
                {(!found.results.is_empty()).then_some(view! { <p>"Here are matching titles we saved earlier."</p> })}
            </div>
        }
    });
    let list = if found.results.is_empty() {
        let message = if from_cache.is_some() {
            format!(
                "Nothing we saved earlier matches “{}” either. Please try again in a few minutes.",
                found.query
            )
        } else {
            format!(
                "No anime on AniList matches “{}”. Try another spelling, or its romaji title.",
                found.query
            )
        };
        Either::Left(view! { <p class="search-empty">{message}</p> })
    } else {
        Either::Right(view! {
            <ul class="search-results" aria-label="Search results">
                {found
                    .results
                    .into_iter()
                    .map(|media| result_item(space_id, media, add))
                    .collect_view()}
            </ul>
        })
    };
    view! {
        {banner}
        {list}
    }
}

fn result_item(
    space_id: WatchSpaceId,
    media: MediaDto,
    add: ServerAction<AddAnime>,
) -> impl IntoView {
    let title = media.display_title().to_owned();
    let romaji = (media.title_romaji != title).then(|| media.title_romaji.clone());
    let episodes = match media.episodes {
        Some(1) => "1 ep".to_owned(),
        Some(count) => format!("{count} eps"),
        None => "? eps".to_owned(),
    };
    let meta = [
        media.format.map(|format| format.label().to_owned()),
        media.season_year.map(|year| year.to_string()),
        Some(episodes),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="search-result">
            <CoverImage url=media.cover_image_medium.clone() colour=media.cover_color.clone() title=title.clone() size="small"/>
            <div class="search-result-text">
                <span class="search-result-title">{title.clone()}</span>
                {romaji.map(|romaji| view! { <span class="muted" lang="ja-Latn">{romaji}</span> })}
                <span class="search-result-meta">{meta}</span>
            </div>
            <ServerForm action=add attr:class="search-result-add">
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <input type="hidden" name="anilist_media_id" value=media.anilist_media_id.to_string()/>
                <button type="submit" class="button primary small" aria-label=format!("Add {title}") disabled=move || add.pending().get()>
                    "Add"
                </button>
            </ServerForm>
        </li>
    }
}
