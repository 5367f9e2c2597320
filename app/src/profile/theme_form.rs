//! The theme picker: Pastel, Dark or Follow my device, saved on the profile so every device
//! and every page load (rendered by the server) uses it.

use identity::contracts::Theme;
use leptos::prelude::*;

use super::server_fns::{UpdateProfile, FOLLOW_DEVICE};
use crate::components::{action_error, form_error, FormError, SubmitButton};
use crate::theme::use_theme_choice;

#[component]
pub fn ThemeForm() -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let error = action_error(save);
    let choice = use_theme_choice();
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        let result = save.value().get();
        saved.set(matches!(result, Some(Ok(_))));
        if let (Some(Ok(user)), Some(choice)) = (result, choice) {
            choice.pick(user.theme);
        }
    });
    let current = move || choice.and_then(|choice| choice.get());
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
            <ActionForm action=save attr:class="form">
                <FormError error=form_error(error)/>
                <fieldset class="theme-options">
                    <legend class="visually-hidden">"Theme"</legend>
                    {options
                        .into_iter()
                        .map(|(theme, label, description)| {
                            let value = theme.map_or(FOLLOW_DEVICE, Theme::as_str);
                            let id = format!("theme-{value}");
                            view! {
                                <div class="theme-option">
                                    <input type="radio" id=id.clone() name="theme" value=value checked=move || current() == theme/>
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
                <p class="form-success" role="status">{move || saved.get().then_some("Saved. BloomWatch will look like this on all your devices.")}</p>
            </ActionForm>
        </section>
    }
}
