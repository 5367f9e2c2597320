//! The message above a form when its last save failed. When someone else changed the entry
//! in the meantime (a conflict), it comes with a link that reloads the page.

use kernel::ErrorKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::error::AppError;

#[component]
pub fn EditError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let location = use_location();
    move || {
        error.get().map(|error| {
            let reload = (error.kind == ErrorKind::Conflict).then(|| {
                let search = location.search.get_untracked();
                let here = location.pathname.get_untracked()
                    + if search.is_empty() { "" } else { "?" }
                    + &search;
                view! { " " <a href=here rel="external">"Reload"</a> }
            });
            let message = if error.field_errors.is_empty() {
                error.message
            } else {
                error.kind.title().to_owned() + ": see the messages below."
            };
            view! { <p class="form-error" role="alert">{message}{reload}</p> }
        })
    }
}
