//! The HTML document around the app. The signed-in user's theme is rendered into
//! `<html data-theme>` on the server, so the page never flashes the wrong colours.

use identity::contracts::Theme;
use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::routes::App;
use crate::theme::theme_colour;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = saved_theme();
    // One meta per colour scheme; with a saved theme both carry its colour.
    let light = theme_colour(theme.unwrap_or(Theme::Pastel));
    let dark = theme_colour(theme.unwrap_or(Theme::Dark));
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme.map(Theme::as_str)>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="color-scheme" content="light dark"/>
                {theme_colour_meta("theme-colour-light", "light", light)}
                {theme_colour_meta("theme-colour-dark", "dark", dark)}
                <meta name="description" content="BloomWatch: a shared anime tracker for two (or a few) people."/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <AutoReload options=options.clone()/>
                // Islands: only the interactive parts hydrate, once the browser is idle, so the
                // WASM never competes with the server-rendered page for the first paint.
                <HydrationScripts options islands=true/>
                <script src="/charts.js" defer=true></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// `<meta name="theme-color">` for one colour scheme (`media` has no typed builder on `<meta>`).
fn theme_colour_meta(
    id: &'static str,
    scheme: &'static str,
    colour: &'static str,
) -> impl IntoView {
    leptos::html::meta()
        .id(id)
        .name("theme-color")
        .content(colour)
        .attr("media", format!("(prefers-color-scheme: {scheme})"))
}

/// The theme saved on the signed-in user's profile, read from the request's auth session.
#[cfg(feature = "ssr")]
fn saved_theme() -> Option<Theme> {
    use axum::http::request::Parts;

    use_context::<Parts>()?
        .extensions
        .get::<crate::services::AuthSession>()?
        .user
        .as_ref()?
        .user
        .theme
}

/// In the browser the document already carries the server's `data-theme`.
#[cfg(not(feature = "ssr"))]
fn saved_theme() -> Option<Theme> {
    None
}
