//! The guard for pages that need an account: visitors are sent to `/login?next=<here>`
//! (a 302: every page is rendered on the server).

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use super::use_current_user;
use crate::navigation::with_next;

#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"Just a moment…"</p> }>
            <SignedInOnly children/>
        </Transition>
    }
}

#[derive(Clone, PartialEq)]
enum Access {
    Allowed,
    SignInFirst,
    Failed(String),
}

#[component]
fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    let current_user = use_current_user();
    let location = use_location();
    // A memo, so refreshing the user (say, after a profile change) does not rebuild the page.
    let access = Memo::new(move |_| {
        current_user.0.get().map(|result| match result {
            Ok(Some(_)) => Access::Allowed,
            Ok(None) => Access::SignInFirst,
            Err(error) => Access::Failed(error.message),
        })
    });
    move || match access.get() {
        Some(Access::Allowed) => EitherOf3::A(children()),
        Some(Access::SignInFirst) => {
            let search = location.search.get_untracked();
            let here = location.pathname.get_untracked()
                + if search.is_empty() { "" } else { "?" }
                + &search;
            EitherOf3::B(view! { <Redirect path=with_next("/login", &here)/> })
        }
        Some(Access::Failed(message)) => {
            EitherOf3::C(view! { <p class="form-error" role="alert">{message}</p> }.into_any())
        }
        None => EitherOf3::C(view! { <p class="loading">"Just a moment…"</p> }.into_any()),
    }
}
