//! "Can't decide?": a random show from the backlog, never one somebody dropped, optionally of
//! a genre, a length that fits tonight, or a mood; a reroll never repeats the last pick.
//! Nothing is picked until someone asks, so opening the dashboard changes nothing. An island:
//! a pick changes nothing else on the page.

use leptos::either::Either;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::server_fns::{PickForUs, RandomPickView};
use crate::anime::anime_path;
use crate::components::{action_error, form_error, CoverImage, FormError, ServerForm};

/// The "time tonight" choices: (minutes, label).
const TONIGHT: [(&str, &str); 4] = [
    ("", "Any length"),
    ("30", "About half an hour"),
    ("120", "Up to 2 hours"),
    ("300", "A long evening"),
];

#[island]
pub fn RandomPickCard(space_id: WatchSpaceId, genres: Vec<String>) -> impl IntoView {
    let pick = ServerAction::<PickForUs>::new();
    let error = action_error(pick);
    let picked = move || pick.value().get().and_then(Result::ok);
    let button_label = move || {
        if pick.pending().get() {
            "Picking…"
        } else if picked().is_some_and(|result| result.pick.is_some()) {
            "Reroll"
        } else {
            "Pick something for us"
        }
    };
    view! {
        <section class="card random-pick" aria-labelledby="random-pick-title">
            <h2 id="random-pick-title">"Can't decide?"</h2>
            <p class="muted">"We pick from your backlog, never a show one of you dropped."</p>
            <ServerForm action=pick attr:class="random-pick-form">
                <input type="hidden" name="space_id" value=space_id.to_string()/>
                <div class="random-pick-filters">
                    <label>
                        "Genre"
                        <select name="genre">
                            <option value="">"Any genre"</option>
                            {genres.into_iter().map(|genre| view! { <option value=genre.clone()>{genre.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Time tonight"
                        <select name="max_minutes">
                            {TONIGHT.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Mood"
                        <input type="text" name="mood" maxlength="80" placeholder="cozy, hype…" autocomplete="off"/>
                    </label>
                </div>
                <FormError error=form_error(error)/>
                <button type="submit" class="button primary" disabled=move || pick.pending().get()>
                    {button_label}
                </button>
            </ServerForm>
            <div class="random-pick-result" aria-live="polite">
                {move || picked().map(|result| pick_view(space_id, result))}
            </div>
        </section>
    }
}

fn pick_view(space_id: WatchSpaceId, result: RandomPickView) -> impl IntoView {
    let Some(anime) = result.pick else {
        return Either::Left(view! { <p class="random-pick-message">{result.message}</p> });
    };
    Either::Right(view! {
        <article class="random-pick-choice" aria-label="Tonight's pick">
            <CoverImage url=anime.cover_image_url title=anime.title.clone() size="small"/>
            <div>
                <p class="random-pick-title">
                    <a href=anime_path(space_id, anime.id)>{anime.title}</a>
                </p>
                <p class="muted">{result.details}</p>
                {result.message.map(|message| view! { <p class="random-pick-message">{message}</p> })}
            </div>
        </article>
    })
}
