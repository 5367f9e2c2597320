//! `/spaces/:id/anime`: the space's anime on tabs (Watching, Backlog, Finished, Paused &
//! dropped; `?tab=`, each with its count), sorted as chosen (`?sort=`), a page at a time,
//! with "Add anime". Tabs and sorting are links and a GET form, and "Show more" is a link to
//! the next page (`?after=`), so they work before and without JavaScript; with it, "Show
//! more" appends the next page in place.

use anime_tracking::contracts::{AnimePageDto, AnimeSort, StatusTotalsDto};
use kernel::paging::PageCursor;
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
use crate::error::AppError;
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
    let after = query.get("after").map(PageCursor::from_client);
    let continued = after.is_some();
    let space = Resource::new(move || space_id.get(), load_space);
    let anime = Resource::new(
        move || (space_id.get(), after.clone()),
        move |(space_id, after)| async move {
            match space_id {
                Some(space_id) => list_anime(space_id, tab, sort, after).await,
                // No such space: `load_space` says so.
                None => Ok(AnimePageDto {
                    items: Vec::new(),
                    next_cursor: None,
                    totals: StatusTotalsDto::default(),
                }),
            }
        },
    );
    view! {
        <Title text="Anime"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your space…"</p> }>
            {move || Suspend::new(async move {
                match (space.await, anime.await) {
                    (Ok(space), Ok(first)) => Either::Left(view! {
                        <SpaceAnime space first tab sort continued/>
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
    first: AnimePageDto,
    tab: AnimeTab,
    sort: AnimeSort,
    /// Whether this is a later page reached without JavaScript (`?after=`).
    continued: bool,
) -> impl IntoView {
    let space_id = space.id;
    let members = space.members.len();
    let lede = if members == 1 {
        "Just you so far. Invite someone from Space settings.".to_owned()
    } else {
        format!("{members} of you, watching together")
    };
    let totals = first.totals;
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
                                <span class="tab-count">{tab_total(totals, each)}</span>
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
        {continued.then(|| view! {
            <p class="list-continued">
                "Later shows on this tab. "
                <a href=list_href(space_id, tab, sort)>"Back to the first page"</a>
            </p>
        })}
        <AnimePages space_id first tab sort/>
    }
}

fn tab_total(totals: StatusTotalsDto, tab: AnimeTab) -> u32 {
    tab.statuses().iter().map(|status| totals.of(*status)).sum()
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

/// The cards shown so far and "Show more" while another page follows: a link to it, which
/// with JavaScript fetches it and appends its cards instead.
#[component]
fn AnimePages(
    space_id: WatchSpaceId,
    first: AnimePageDto,
    tab: AnimeTab,
    sort: AnimeSort,
) -> impl IntoView {
    if first.items.is_empty() {
        let (title, hint) = tab.empty_state();
        return Either::Left(view! {
            <section class="card empty-state">
                <Blossom size=56 class="empty-state-art"/>
                <h2>{title}</h2>
                <p>{hint}</p>
            </section>
        });
    }
    let shown = RwSignal::new(first.items);
    let next = RwSignal::new(first.next_cursor);
    let more = Action::new(move |after: &PageCursor| {
        let after = after.clone();
        async move {
            let page = list_anime(space_id, tab, sort, Some(after)).await?;
            shown.update(|list| list.extend(page.items));
            next.set(page.next_cursor);
            Ok::<(), AppError>(())
        }
    });
    let failure = move || more.value().get().and_then(Result::err);
    Either::Right(view! {
        <ul class="anime-grid" aria-label=tab.label()>
            <For each=move || shown.get() key=|anime| anime.id let:anime>
                <AnimeCard anime/>
            </For>
        </ul>
        {move || failure().map(|error| view! { <p class="form-error" role="alert">{error.message}</p> })}
        {move || next.get().map(|after| {
            let href = format!("{}&after={}", list_href(space_id, tab, sort), after.as_str());
            view! {
                <p class="show-more">
                    <a
                        class="button ghost"
                        href=href
                        aria-busy=move || more.pending().get().to_string()
                        on:click=move |event| {
                            event.prevent_default();
                            if !more.pending().get_untracked() {
                                more.dispatch(after.clone());
                            }
                        }
                    >
                        {move || if more.pending().get() { "Loading more…" } else { "Show more" }}
                    </a>
                </p>
            }
        })}
    })
}
