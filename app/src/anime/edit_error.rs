//! The message above a form when its last save failed. When someone else changed the entry
//! in the meantime (a conflict), it comes with a link that reloads the page.

use kernel::ErrorKind;
use leptos::prelude::*;

use crate::error::AppError;

#[component]
pub fn EditError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        // Errors only ever come from a save in the browser, so the address is at hand.
        error.get().map(|error| {
            let reload = (error.kind == ErrorKind::Conflict).then(|| {
                let location = window().location();
                let here = location.pathname().unwrap_or_default()
                    + &location.search().unwrap_or_default();
                view! { " " <a href=here>"Reload"</a> }
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
