//! "Take your data with you": the space's exports as plain download links (the REST API's
//! answers, authenticated by the browser's session), so they work without JavaScript.

use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

#[component]
pub fn ExportLinks(space_id: WatchSpaceId) -> impl IntoView {
    let export = |file: &str| format!("/api/watch-spaces/{space_id}/{file}");
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">"Take your data with you"</h2>
            <p class="muted">"Every anime in this space with everyone's status, progress, rating and notes side by side."</p>
            <ul class="export-links">
                <li>
                    <a class="button secondary" href=export("export.csv") download>"Download CSV"</a>
                    <span class="field-hint">" for a spreadsheet"</span>
                </li>
                <li>
                    <a class="button secondary" href=export("export.json") download>"Download JSON"</a>
                    <span class="field-hint">" with every watch session too"</span>
                </li>
            </ul>
            <p class="muted">"Your own list in this space, for AniList's or MyAnimeList's import:"</p>
            <a class="button secondary" href=export("export/mal.xml") download>"Download my list (MyAnimeList XML)"</a>
        </section>
    }
}
