//! The friendly page for addresses that lead nowhere; answers 404 on the server.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::Blossom;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Page not found"/>
        <NotFound
            title="This page wandered off"
            message="We looked under every cushion but could not find this page. The link may be old or mistyped."
        />
    }
}

/// The not-found message itself, also used for spaces and invitations that cannot be found.
/// Rendered on the server, it makes the response a 404.
#[component]
pub fn NotFound(title: &'static str, #[prop(into)] message: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card empty-state" aria-labelledby="not-found-title">
            <Blossom size=56 class="empty-state-art"/>
            <h1 id="not-found-title">{title}</h1>
            <p>{message}</p>
            <p class="actions">
                <a class="button primary" href="/">"Back to the start"</a>
                <a class="button secondary" href="/spaces">"Your spaces"</a>
            </p>
        </section>
    }
}
