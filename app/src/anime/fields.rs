//! The labelled inputs of the anime forms (numbers, short and long texts, status selects),
//! each with its inline error, referenced by `aria-describedby` while it is shown.

use anime_tracking::contracts::WatchStatus;
use leptos::prelude::*;

use crate::components::{described_by, FieldError};

#[component]
pub fn NumberField(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    /// Written as the attribute says it ("0.5"): numbers are never formatted in the browser.
    #[prop(optional)]
    min: Option<&'static str>,
    #[prop(optional_no_strip)] max: Option<String>,
    #[prop(default = "1")] step: &'static str,
    #[prop(default = "numeric")] inputmode: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type="number"
                inputmode=inputmode
                min=min
                max=max
                step=step
                value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by(None, error_id.clone(), error)
            />
            <FieldError id=error_id error/>
        </div>
    }
}

#[component]
pub fn TextAreaField(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    value: Option<String>,
    max_characters: usize,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=max_characters
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by(None, error_id.clone(), error)
            >
                {value.unwrap_or_default()}
            </textarea>
            <FieldError id=error_id error/>
        </div>
    }
}

#[component]
pub fn ShortTextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: Option<String>,
    max_characters: usize,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                type="text"
                autocomplete="off"
                maxlength=max_characters
                placeholder=placeholder
                value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by(None, error_id.clone(), error)
            />
            <FieldError id=error_id error/>
        </div>
    }
}

#[component]
pub fn StatusField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    current: WatchStatus,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                {WatchStatus::ALL
                    .into_iter()
                    .map(|status| {
                        view! { <option value=status.as_str() selected=status == current>{status.label()}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
