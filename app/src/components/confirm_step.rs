//! A destructive action behind a second, explicit step: the first button only reveals the
//! question and the real (submit) button inside `children`.

use leptos::prelude::*;

#[component]
pub fn ConfirmStep(
    /// The first button's text, e.g. "Remove".
    label: &'static str,
    /// Asked before the real button, e.g. "Remove Mika from this space?".
    question: String,
    #[prop(default = "button ghost small")] class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <div class="confirm-step">
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button type="button" class=class aria-expanded="false" on:click=move |_| asking.set(true)>
                            {label}
                        </button>
                    }
                }
            >
                <div class="confirm-box" role="group" aria-label=question.clone()>
                    <p>{question.clone()}</p>
                    <div class="confirm-actions">
                        {children()}
                        <button type="button" class="button ghost small" on:click=move |_| asking.set(false)>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
