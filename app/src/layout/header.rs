//! The header on every page: the wordmark, the main navigation (a bottom bar on phones) and,
//! for signed-in people, the theme toggle and "Log out" (both islands).

use identity::contracts::UserDto;
use leptos::prelude::*;
use leptos_router::components::A;

use super::theme_toggle::ThemeToggle;
use crate::auth::{use_current_user, LogOutButton};
use crate::components::Blossom;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let current_user = use_current_user();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <Blossom/>
                <span class="brand-name">"BloomWatch"</span>
            </a>
            <Transition fallback=|| ()>
                {move || match current_user.user() {
                    Some(user) => signed_in_nav(user).into_any(),
                    None => signed_out_nav().into_any(),
                }}
            </Transition>
        </header>
    }
}

fn signed_in_nav(user: UserDto) -> impl IntoView {
    let initial = user
        .display_name
        .chars()
        .next()
        .map(|first| first.to_uppercase().collect::<String>())
        .unwrap_or_default();
    view! {
        <nav class="main-nav" aria-label="Main">
            <A href="/spaces" attr:class="nav-link">
                <SpacesIcon/>
                <span>"Your spaces"</span>
            </A>
            <A href="/settings/profile" attr:class="nav-link">
                <span class="member-initial member-colour-1 nav-initial" aria-hidden="true">{initial}</span>
                <span>"Profile"</span>
            </A>
        </nav>
        <div class="header-actions">
            <ThemeToggle signed_in=true saved=user.theme/>
            <LogOutButton/>
        </div>
    }
}

fn signed_out_nav() -> impl IntoView {
    view! {
        <div class="header-actions">
            <ThemeToggle signed_in=false saved=None/>
            <a class="button ghost" href="/login">"Log in"</a>
            <a class="button primary" href="/register">"Sign up"</a>
        </div>
    }
}

#[component]
fn SpacesIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d="M4 11.5 12 5l8 6.5V19a1 1 0 0 1-1 1h-4.5v-5h-5v5H5a1 1 0 0 1-1-1z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
        </svg>
    }
}
