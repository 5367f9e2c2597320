//! "Add anime": a link to the add page that, once the app has hydrated, opens a modal dialog
//! instead (native `<dialog>`: focus stays inside, Escape closes it). Its search waits until
//! 350 ms after the last keystroke and for at least two characters, so typing costs one
//! call; a slower answer to an older query never replaces a newer one (the resource keeps
//! only the latest run's result).

use std::time::Duration;

use anilist_sync::contracts::SearchQuery;
use leptos::html::{Dialog, Input};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::search_results::{search_outcome, use_add_anime, AddAnimeStatus};
use super::server_fns::search_anime;

/// How long typing must pause before we search.
const DEBOUNCE: Duration = Duration::from_millis(350);

#[component]
pub fn AddAnimeButton(space_id: WatchSpaceId) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let input = NodeRef::<Input>::new();
    let open = move |event: leptos::ev::MouseEvent| {
        if let Some(dialog) = dialog.get() {
            event.prevent_default();
            if dialog.show_modal().is_ok() {
                if let Some(input) = input.get() {
                    let _ = input.focus();
                }
            }
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    view! {
        <a class="button primary" href=format!("/spaces/{space_id}/add") on:click=open>
            "Add anime"
        </a>
        <dialog class="add-anime-dialog" node_ref=dialog aria-labelledby="add-anime-title">
            <div class="dialog-header">
                <h2 id="add-anime-title">"Add anime"</h2>
                <button type="button" class="button ghost small" on:click=close>"Close"</button>
            </div>
            <AnimeSearch space_id input/>
        </dialog>
    }
}

#[component]
fn AnimeSearch(space_id: WatchSpaceId, input: NodeRef<Input>) -> impl IntoView {
    let query = RwSignal::new(None::<String>);
    let timer = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let schedule = move |typed: String| {
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        let searched = SearchQuery::parse(&typed).ok().map(String::from);
        let handle = set_timeout_with_handle(move || query.set(searched), DEBOUNCE).ok();
        timer.set_value(handle);
    };
    let search_now = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        if let Some(input) = input.get() {
            query.set(SearchQuery::parse(&input.value()).ok().map(String::from));
        }
    };
    let results = Resource::new(
        move || query.get(),
        |query| async move {
            match query {
                Some(query) => Some(search_anime(query).await),
                None => None,
            }
        },
    );
    let add = use_add_anime(space_id);
    view! {
        <form class="form search-form" role="search" on:submit=search_now>
            <div class="field">
                <label for="add-anime-search">"Search AniList"</label>
                <p class="field-hint" id="add-anime-search-hint">"Type at least two letters of the title, in English or romaji."</p>
                <input
                    id="add-anime-search"
                    type="search"
                    autocomplete="off"
                    node_ref=input
                    aria-describedby="add-anime-search-hint"
                    on:input=move |event| schedule(event_target_value(&event))
                />
            </div>
        </form>
        <AddAnimeStatus space_id add/>
        <div class="search-area" aria-live="polite">
            <Transition fallback=|| view! { <p class="loading">"Searching AniList…"</p> }>
                {move || Suspend::new(async move {
                    results.await.map(|outcome| search_outcome(space_id, outcome, add))
                })}
            </Transition>
        </div>
    }
}
