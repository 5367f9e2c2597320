//! `/spaces/:id/anime`: the space's anime on tabs (Watching, Backlog, Finished, Paused &
//! dropped; `?tab=`), sorted as chosen (`?sort=`), with "Add anime". Tabs and sorting are
//! links and a GET form, so they work before and without JavaScript.

use anime_tracking::contracts::{AnimeSort, WatchSpaceAnimeDto};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use watch_spaces::contracts::{WatchSpaceDetailsDto, WatchSpaceId};

use super::add_anime_dialog::AddAnimeButton;
use super::anime_card::AnimeCard;
use super::server_fns::list_anime;
use super::{anime_list_path, use_space_id, AnimeTab};
use crate::components::Blossom;
use crate::spaces::{load_space, space_error, SpaceHeader, SpaceSection};

#[component]
pub fn AnimeListPage() -> impl IntoView {
    let space_id = use_space_id();
    let query = use_query_map().read_untracked();
    let tab = AnimeTab::parse(query.get("tab").as_deref());
    let sort = query
        .get("sort")
        .and_then(|raw| AnimeSort::parse(&raw))
        .unwrap_or_default();
    let space = Resource::new(move || space_id.get(), load_space);
    let anime = Resource::new(
        move || (space_id.get(), tab, sort),
        move |(space_id, tab, sort)| async move {
            match space_id {
                Some(space_id) => list_anime(space_id, tab, sort).await,
                None => Ok(Vec::new()),
            }
        },
    );
    view! {
        <Title text="Anime"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your space…"</p> }>
            {move || Suspend::new(async move {
                match (space.await, anime.await) {
                    (Ok(space), Ok(anime)) => Either::Left(view! {
                        <SpaceAnime space anime tab sort/>
                    }),
                    (Err(error), _) | (_, Err(error)) => {
                        Either::Right(space_error(error, space_id.get_untracked()))
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn SpaceAnime(
    space: WatchSpaceDetailsDto,
    anime: Vec<WatchSpaceAnimeDto>,
    tab: AnimeTab,
    sort: AnimeSort,
) -> impl IntoView {
    let space_id = space.id;
    let members = space.members.len();
    let lede = if members == 1 {
        "Just you so far. Invite someone from Space settings.".to_owned()
    } else {
        format!("{members} of you, watching together")
    };
    view! {
        <Title text=space.name.clone()/>
        <SpaceHeader space_id name=space.name current=SpaceSection::Anime lede/>
        <div class="anime-toolbar">
            <nav class="tabs" aria-label="Anime by status">
                {AnimeTab::ALL
                    .into_iter()
                    .map(|each| {
                        view! {
                            <a class="tab" href=list_href(space_id, each, sort) aria-current=(each == tab).then_some("page")>
                                {each.label()}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <div class="anime-toolbar-actions">
                <SortForm space_id tab sort/>
                <AddAnimeButton space_id/>
            </div>
        </div>
        {anime_list(anime, tab)}
    }
}

fn list_href(space_id: WatchSpaceId, tab: AnimeTab, sort: AnimeSort) -> String {
    format!("{}&sort={}", anime_list_path(space_id, tab), sort.as_str())
}

/// The order, as a GET form: the choice lands in the address like the tab.
#[component]
fn SortForm(space_id: WatchSpaceId, tab: AnimeTab, sort: AnimeSort) -> impl IntoView {
    let options = [
        (AnimeSort::RecentlyUpdated, "Recently updated"),
        (AnimeSort::Title, "Title"),
        (AnimeSort::AddedDate, "Recently added"),
    ];
    view! {
        <form method="GET" action=format!("/spaces/{space_id}/anime") class="sort-form">
            <input type="hidden" name="tab" value=tab.as_str()/>
            <label for="anime-sort">"Sort by"</label>
            <select id="anime-sort" name="sort">
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        view! { <option value=value.as_str() selected=sort == value>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button ghost small">"Sort"</button>
        </form>
    }
}

fn anime_list(anime: Vec<WatchSpaceAnimeDto>, tab: AnimeTab) -> impl IntoView {
    if anime.is_empty() {
        let (title, hint) = tab.empty_state();
        return Either::Left(view! {
            <section class="card empty-state">
                <Blossom size=56 class="empty-state-art"/>
                <h2>{title}</h2>
                <p>{hint}</p>
            </section>
        });
    }
    Either::Right(view! {
        <ul class="anime-grid" aria-label=tab.label()>
            {anime.into_iter().map(|anime| view! { <AnimeCard anime/> }).collect_view()}
        </ul>
    })
}
