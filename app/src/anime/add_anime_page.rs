//! `/spaces/:id/add?q=`: adding an anime without the dialog: a GET search form whose query is
//! in the address, searched on the server, and the same results and "Add" buttons.

use anilist_sync::contracts::SearchQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::search_results::SearchResults;
use super::server_fns::search_anime;
use super::use_space_id;

#[component]
pub fn AddAnimePage() -> impl IntoView {
    let space_id = use_space_id();
    let typed = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let results = Resource::new(
        {
            let typed = typed.clone();
            move || typed.clone()
        },
        |typed| async move {
            match SearchQuery::parse(&typed) {
                Ok(query) => Some(search_anime(query.into()).await),
                Err(_) => None,
            }
        },
    );
    space_id.get_untracked().map(|space_id| {
        let back = super::anime_list_path(space_id, super::AnimeTab::Backlog);
        let here = format!("/spaces/{space_id}/add");
        view! {
            <Title text="Add anime"/>
            <header class="page-header">
                <a class="back-link" href=back>"← Back to your anime"</a>
                <h1>"Add anime"</h1>
                <p class="lede">"Find it on AniList, then add it to your space's backlog."</p>
            </header>
            <section class="card">
                <form method="GET" action=here class="form search-form" role="search">
                    <div class="field">
                        <label for="add-page-search">"Search AniList"</label>
                        <p class="field-hint" id="add-page-search-hint">"Type at least two letters of the title, in English or romaji."</p>
                        <input id="add-page-search" type="search" name="q" autocomplete="off" value=typed aria-describedby="add-page-search-hint"/>
                    </div>
                    <button type="submit" class="button primary">"Search"</button>
                </form>
                <Transition fallback=|| view! { <p class="loading">"Searching AniList…"</p> }>
                    {move || Suspend::new(async move {
                        results.await.map(|outcome| view! { <SearchResults space_id outcome/> })
                    })}
                </Transition>
            </section>
        }
    })
}
