//! The colour theme. The server renders a signed-in user's saved choice into
//! `<html data-theme>` (see `shell`); without a choice CSS follows `prefers-color-scheme`.
//! In the browser a pick applies at once and is remembered here for this page's life.

use identity::contracts::Theme;
use leptos::prelude::*;

use crate::auth::CurrentUser;

/// The browser chrome colour per theme (`--surface` in style/main.css).
pub fn theme_colour(theme: Theme) -> &'static str {
    match theme {
        Theme::Pastel => "#eff1f5",
        Theme::Dark => "#1e1e2e",
    }
}

/// The choice made on this page, if any; otherwise the signed-in user's saved one applies.
#[derive(Clone, Copy)]
pub struct ThemeChoice {
    picked: RwSignal<Option<Option<Theme>>>,
    current_user: CurrentUser,
}

impl ThemeChoice {
    pub fn provide(current_user: CurrentUser) -> Self {
        let choice = Self {
            picked: RwSignal::new(None),
            current_user,
        };
        provide_context(choice);
        choice
    }

    /// The theme in force: `None` follows the device. Read inside `<Transition>`.
    pub fn get(&self) -> Option<Theme> {
        self.picked
            .get()
            .unwrap_or_else(|| self.current_user.user().and_then(|user| user.theme))
    }

    /// Applies `theme` to the page now (saving it is the caller's business).
    pub fn pick(&self, theme: Option<Theme>) {
        self.picked.set(Some(theme));
        apply_to_document(theme);
    }
}

pub fn use_theme_choice() -> Option<ThemeChoice> {
    use_context::<ThemeChoice>()
}

/// Sets `data-theme` on `<html>` and the `theme-color` metas that `shell` rendered.
fn apply_to_document(theme: Option<Theme>) {
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
}

/// Whether the device asks for dark colours (what "follow device" currently means).
pub fn device_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}
