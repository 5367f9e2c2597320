//! The theme picker: Pastel, Dark or Follow my device, saved on the profile so every device
//! and every page load (rendered by the server) uses it. The page reloads after a save, so
//! it and the header's toggle show the new theme; a flip of the toggle shows here at once.

use identity::contracts::Theme;
use leptos::prelude::*;

use super::server_fns::{UpdateProfile, FOLLOW_DEVICE};
use crate::components::{form_error, FormError, ServerForm, SubmitButton};
use crate::flash::reload_after_save;
use crate::theme::{document_theme, THEME_APPLIED};

#[island]
pub fn ThemeForm(
    /// The saved theme (`None` follows the device).
    current: Option<Theme>,
) -> impl IntoView {
    let current = RwSignal::new(current);
    // The listener lives as long as the page.
    let _ = window_event_listener_untyped(THEME_APPLIED, move |_| current.set(document_theme()));
    let save = ServerAction::<UpdateProfile>::new();
    let after = reload_after_save(save, "theme".to_owned(), |_| {
        Some("Saved. BloomWatch will look like this on all your devices.".to_owned())
    });
    let options = [
        (
            Some(Theme::Pastel),
            "Pastel",
            "Soft and light, like a spring afternoon.",
        ),
        (
            Some(Theme::Dark),
            "Dark",
            "Gentle on the eyes for late-night episodes.",
        ),
        (
            None,
            "Follow my device",
            "Light or dark, as your device is set.",
        ),
    ];
    view! {
        <section class="card" aria-labelledby="theme-title">
            <h2 id="theme-title">"Theme"</h2>
            <ServerForm action=save attr:class="form">
                <FormError error=form_error(after.error)/>
                <fieldset class="theme-options">
                    <legend class="visually-hidden">"Theme"</legend>
                    {options
                        .into_iter()
                        .map(|(theme, label, description)| {
                            let value = theme.map_or(FOLLOW_DEVICE, Theme::as_str);
                            let id = format!("theme-{value}");
                            view! {
                                <div class="theme-option">
                                    <input type="radio" id=id.clone() name="theme" value=value checked=move || current.get() == theme/>
                                    <label for=id>
                                        <span class=format!("theme-swatch theme-swatch-{value}") aria-hidden="true"></span>
                                        <span class="theme-option-text">
                                            <strong>{label}</strong>
                                            <span>{description}</span>
                                        </span>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <SubmitButton label="Save theme" pending_label="Saving…" pending=save.pending()/>
                <p class="form-success" role="status">{move || after.saved.get()}</p>
            </ServerForm>
        </section>
    }
}
