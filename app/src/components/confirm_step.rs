//! A destructive action behind a second, explicit step: the first button only reveals the
//! question and the real (submit) button inside `children`. Focus follows the step: onto
//! the real button when asked, back to the first one on "Cancel".

use leptos::either::Either;
use leptos::html::{Button, Div};
use leptos::prelude::*;
use leptos::web_sys::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlElement;

#[component]
pub fn ConfirmStep<Chil>(
    /// The first button's text, e.g. "Remove".
    label: &'static str,
    /// Asked before the real button, e.g. "Remove Mika from this space?".
    question: String,
    #[prop(default = "button ghost small")] class: &'static str,
    children: TypedChildrenFn<Chil>,
) -> impl IntoView
where
    Chil: IntoView + 'static,
{
    let children = children.into_inner();
    let asking = RwSignal::new(false);
    let trigger = NodeRef::<Button>::new();
    let question_box = NodeRef::<Div>::new();
    // Each time one of the two appears (a new element in its NodeRef), it takes the focus;
    // the first button only when coming back from "Cancel", not on the first render.
    let cancelled = StoredValue::new(false);
    Effect::new(move |_| focus_first_button(question_box.get()));
    Effect::new(move |_| {
        if let Some(trigger) = trigger.get() {
            if cancelled.get_value() {
                cancelled.set_value(false);
                let _ = trigger.focus();
            }
        }
    });
    view! {
        <div class="confirm-step">
            {move || {
                if asking.get() {
                    Either::Left(view! {
                        <div class="confirm-box" role="group" aria-label=question.clone() node_ref=question_box>
                            <p>{question.clone()}</p>
                            <div class="confirm-actions">
                                {children()}
                                <button
                                    type="button"
                                    class="button ghost small"
                                    on:click=move |_| {
                                        cancelled.set_value(true);
                                        asking.set(false);
                                    }
                                >
                                    "Cancel"
                                </button>
                            </div>
                        </div>
                    })
                } else {
                    Either::Right(view! {
                        <button type="button" class=class node_ref=trigger on:click=move |_| asking.set(true)>
                            {label}
                        </button>
                    })
                }
            }}
        </div>
    }
}

fn focus_first_button(container: Option<leptos::web_sys::HtmlDivElement>) {
    let button = container
        .and_then(|container| container.query_selector("button").ok().flatten())
        .and_then(|button| button.dyn_into::<HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}
