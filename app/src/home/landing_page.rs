//! `/`: a warm one-screen pitch for visitors; a shortcut to their spaces for members.

use identity::contracts::UserDto;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::use_current_user;
use crate::components::Blossom;

#[component]
pub fn LandingPage() -> impl IntoView {
    let current_user = use_current_user();
    view! {
        <Title text=""/>
        <Transition fallback=|| ()>
            {move || match current_user.user() {
                Some(user) => welcome_back(user).into_any(),
                None => pitch().into_any(),
            }}
        </Transition>
    }
}

fn pitch() -> impl IntoView {
    view! {
        <section class="hero" aria-labelledby="hero-title">
            <div class="hero-art" aria-hidden="true">
                <span class="hero-bubble member-colour-1">"A"</span>
                <span class="hero-heart">"♡"</span>
                <span class="hero-bubble member-colour-2">"M"</span>
            </div>
            <h1 id="hero-title">"Watch anime together, even when you are apart"</h1>
            <p class="lede">
                "BloomWatch is a little shared space for two (or a few) people: one backlog you both add to, "
                "each person's progress and rating side by side, and a gentle record of the evenings you watched together."
            </p>
            <ul class="hero-points">
                <li><Blossom size=20 class="bullet"/>"One shared backlog, no more spreadsheets"</li>
                <li><Blossom size=20 class="bullet"/>"See where each of you is, episode by episode"</li>
                <li><Blossom size=20 class="bullet"/>"Find out how in sync your tastes really are"</li>
            </ul>
            <p class="actions">
                <a class="button primary large" href="/register">"Start your space"</a>
                <a class="button secondary large" href="/login">"Log in"</a>
            </p>
        </section>
    }
}

fn welcome_back(user: UserDto) -> impl IntoView {
    view! {
        <section class="hero" aria-labelledby="hero-title">
            <Blossom size=64 class="hero-blossom"/>
            <h1 id="hero-title">"Welcome back, " {user.display_name}</h1>
            <p class="lede">"Your spaces are waiting, right where you left them."</p>
            <p class="actions">
                <a class="button primary large" href="/spaces">"Go to your spaces"</a>
            </p>
        </section>
    }
}
