//! A password input with a "Show" toggle, so people can check what they typed.

use leptos::prelude::*;

use super::text_field::described_by;
use super::FieldError;

#[component]
pub fn PasswordField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    /// `current-password` or `new-password`, so password managers fill the right one.
    autocomplete: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    let what = label.to_ascii_lowercase();
    let toggle_label = move || format!("{} {what}", if shown.get() { "Hide" } else { "Show" });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <div class="password-input">
                <input
                    id=id
                    name=name
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described_by
                />
                <button
                    type="button"
                    class="button ghost small"
                    aria-label=toggle_label
                    aria-controls=id
                    on:click=move |_| shown.update(|shown| *shown = !*shown)
                >
                    {move || if shown.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            <FieldError id=error_id error/>
        </div>
    }
}
