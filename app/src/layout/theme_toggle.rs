//! One button that flips between the pastel and the dark theme. It applies at once; for
//! signed-in people it is also saved on their profile, so the next page load (on any device)
//! is rendered in it.

use identity::contracts::Theme;
use leptos::either::Either;
use leptos::prelude::*;

use crate::profile::UpdateProfile;
use crate::theme::{apply_to_document, device_prefers_dark};

#[island]
pub fn ThemeToggle(
    signed_in: bool,
    /// The theme the page was rendered in (`None` follows the device).
    saved: Option<Theme>,
) -> impl IntoView {
    let picked = RwSignal::new(saved);
    let save = ServerAction::<UpdateProfile>::new();
    // The server cannot know the device's preference: learn it once hydrated.
    let device_dark = RwSignal::new(false);
    Effect::new(move |_| device_dark.set(device_prefers_dark()));
    let dark_now = move || match picked.get() {
        Some(theme) => theme == Theme::Dark,
        None => device_dark.get(),
    };
    let label = move || {
        if dark_now() {
            "Switch to the pastel theme"
        } else {
            "Switch to the dark theme"
        }
    };
    let toggle = move |_| {
        let next = if dark_now() {
            Theme::Pastel
        } else {
            Theme::Dark
        };
        picked.set(Some(next));
        apply_to_document(Some(next));
        if signed_in {
            save.dispatch(UpdateProfile::theme_only(Some(next)));
        }
    };
    view! {
        <button type="button" class="icon-button" aria-label=label title=label on:click=toggle>
            {move || if dark_now() { Either::Left(view! { <SunIcon/> }) } else { Either::Right(view! { <MoonIcon/> }) }}
        </button>
    }
}

#[component]
fn SunIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="4.5" fill="currentColor"/>
            <path
                d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
            />
        </svg>
    }
}

#[component]
fn MoonIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z" fill="currentColor"/>
        </svg>
    }
}
