//! "Add anime" (an island): a link to the add page that, once hydrated, opens a modal dialog
//! instead (native `<dialog>`: focus stays inside, Escape closes it). Its search waits until
//! 350 ms after the last keystroke and for at least two characters, so typing costs one
//! call; a slower answer to an older query never replaces a newer one.

use std::time::Duration;

use anilist_sync::contracts::SearchQuery;
use leptos::html::{Dialog, Input};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::search_results::{search_outcome, use_add_anime, AddAnimeStatus};
use super::server_fns::SearchAnime;

/// How long typing must pause before we search.
const DEBOUNCE: Duration = Duration::from_millis(350);

/// "Add anime": the add page's link, which opens the dialog instead once hydrated. The
/// dialog is shown modally, in the top layer, so where it sits in the page does not matter.
#[island]
pub fn AddAnimeButton(space_id: WatchSpaceId) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let input = NodeRef::<Input>::new();
    // The search is built the first time the dialog opens: the page hydrates without it,
    // and nothing is searched for people who never open it.
    let opened = RwSignal::new(false);
    let open = move |event: leptos::ev::MouseEvent| {
        if let Some(dialog) = dialog.get() {
            event.prevent_default();
            opened.set(true);
            let _ = dialog.show_modal();
            if let Some(input) = input.get() {
                let _ = input.focus();
            }
        }
    };
    // The first time, the field appears only after the dialog has opened.
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    // A search field takes the first Escape to clear itself; Escape always closes here.
    let close_on_escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            if let Some(dialog) = dialog.get() {
                dialog.close();
            }
        }
    };
    view! {
        <a class="button primary" href=format!("/spaces/{space_id}/add") on:click=open>
            "Add anime"
        </a>
        <dialog class="add-anime-dialog" node_ref=dialog aria-labelledby="add-anime-title" on:keydown=close_on_escape>
            <div class="dialog-header">
                <h2 id="add-anime-title">"Add anime"</h2>
                <button type="button" class="button ghost small" on:click=close>"Close"</button>
            </div>
            {move || opened.get().then(|| view! { <AnimeSearch space_id input/> })}
        </dialog>
    }
}

#[component]
fn AnimeSearch(space_id: WatchSpaceId, input: NodeRef<Input>) -> impl IntoView {
    // The latest query worth searching; answers to any other (older) query are not shown.
    let query = RwSignal::new(None::<String>);
    let search = ServerAction::<SearchAnime>::new();
    let timer = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let run = move |typed: &str| {
        let searched = SearchQuery::parse(typed).ok().map(String::from);
        query.set(searched.clone());
        if let Some(query) = searched {
            search.dispatch(SearchAnime { query });
        }
    };
    let schedule = move |typed: String| {
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        let handle = set_timeout_with_handle(move || run(&typed), DEBOUNCE).ok();
        timer.set_value(handle);
    };
    let search_now = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        if let Some(input) = input.get() {
            run(&input.value());
        }
    };
    let add = use_add_anime(space_id);
    let latest_answer = move || {
        let current = query.get()?;
        let outcome = search.value().get()?;
        let stale = matches!(&outcome, Ok(found) if found.query != current);
        (!stale).then(|| search_outcome(space_id, outcome, add))
    };
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
            {move || search.pending().get().then(|| view! { <p class="loading">"Searching AniList…"</p> })}
            {latest_answer}
        </div>
    }
}
