//! `/spaces/:id/add?q=`: adding an anime without JavaScript (the dialog's fallback): a GET
//! search form whose query is in the address, and the same results and "Add" buttons.

use anilist_sync::contracts::SearchQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::search_results::{search_outcome, use_add_anime, AddAnimeStatus};
use super::server_fns::search_anime;
use super::use_space_id;

#[component]
pub fn AddAnimePage() -> impl IntoView {
    let space_id = use_space_id();
    let query_map = use_query_map();
    let typed = Memo::new(move |_| query_map.read().get("q").unwrap_or_default());
    let results = Resource::new(
        move || typed.get(),
        |typed| async move {
            match SearchQuery::parse(&typed) {
                Ok(query) => Some(search_anime(query.into()).await),
                Err(_) => None,
            }
        },
    );
    move || {
        space_id.get().map(|space_id| {
            let add = use_add_anime(space_id);
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
                    <Form method="GET" action=here attr:class="form search-form" attr:role="search">
                        <div class="field">
                            <label for="add-page-search">"Search AniList"</label>
                            <p class="field-hint" id="add-page-search-hint">"Type at least two letters of the title, in English or romaji."</p>
                            <input id="add-page-search" type="search" name="q" autocomplete="off" value=move || typed.get() aria-describedby="add-page-search-hint"/>
                        </div>
                        <button type="submit" class="button primary">"Search"</button>
                    </Form>
                    <AddAnimeStatus space_id add/>
                    <Transition fallback=|| view! { <p class="loading">"Searching AniList…"</p> }>
                        {move || Suspend::new(async move {
                            results.await.map(|outcome| search_outcome(space_id, outcome, add))
                        })}
                    </Transition>
                </section>
            }
        })
    }
}
