//! The colour theme. The server renders a signed-in user's saved choice into
//! `<html data-theme>` (see `shell`); without a choice CSS follows `prefers-color-scheme`.
//! In the browser the theme toggle applies a pick at once, before it is saved, and tells the
//! page (the profile's theme picker follows it).

use identity::contracts::Theme;
use leptos::prelude::*;

/// The browser chrome colour per theme (`--surface` in style/main.css).
pub fn theme_colour(theme: Theme) -> &'static str {
    match theme {
        Theme::Pastel => "#eff1f5",
        Theme::Dark => "#1e1e2e",
    }
}

/// The event `apply_to_document` sends on `window` once the page shows another theme.
pub const THEME_APPLIED: &str = "bloomwatch-theme-applied";

/// The theme `<html>` shows now (`None` follows the device).
pub fn document_theme() -> Option<Theme> {
    document()
        .document_element()?
        .get_attribute("data-theme")
        .and_then(|raw| Theme::parse(&raw))
}

/// Sets `data-theme` on `<html>` and the `theme-color` metas that `shell` rendered, then
/// sends [`THEME_APPLIED`].
pub fn apply_to_document(theme: Option<Theme>) {
    let document = document();
    if let Some(root) = document.document_element() {
        let _ = match theme {
            Some(theme) => root.set_attribute("data-theme", theme.as_str()),
            None => root.remove_attribute("data-theme"),
        };
    }
    for (id, device_default) in [
        ("theme-colour-light", Theme::Pastel),
        ("theme-colour-dark", Theme::Dark),
    ] {
        if let Some(meta) = document.get_element_by_id(id) {
            let _ = meta.set_attribute("content", theme_colour(theme.unwrap_or(device_default)));
        }
    }
    if let Ok(event) = leptos::web_sys::Event::new(THEME_APPLIED) {
        let _ = window().dispatch_event(&event);
    }
}

/// Whether the device asks for dark colours (what "follow device" currently means).
pub fn device_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}
