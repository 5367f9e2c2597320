//! A link to share: shown in a read-only field (select and copy by hand) with a "Copy link"
//! button that uses the Clipboard API where the browser offers it.

use leptos::prelude::*;
use leptos::web_sys::js_sys::Reflect;
use leptos::web_sys::wasm_bindgen::closure::Closure;
use leptos::web_sys::wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn CopyLink(id: String, #[prop(into)] label: String, url: String) -> impl IntoView {
    let status = RwSignal::new(None::<&'static str>);
    let copy = {
        let url = url.clone();
        move |_| copy_to_clipboard(&url, status)
    };
    view! {
        <div class="copy-link">
            <label for=id.clone()>{label}</label>
            <div class="copy-link-row">
                <input id=id readonly value=url on:focus=|event| select_all(&event)/>
                <button type="button" class="button secondary small" on:click=copy>
                    "Copy link"
                </button>
            </div>
            <p class="copy-status" aria-live="polite">
                {move || status.get()}
            </p>
        </div>
    }
}

fn select_all(event: &leptos::ev::FocusEvent) {
    if let Some(input) = event
        .target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}

fn copy_to_clipboard(url: &str, status: RwSignal<Option<&'static str>>) {
    const FAILED: &str =
        "Could not copy automatically. Select the link above and copy it yourself.";
    let navigator = window().navigator();
    // Only secure pages get `navigator.clipboard`; calling into a missing one would throw.
    if !Reflect::has(&navigator, &JsValue::from_str("clipboard")).unwrap_or(false) {
        status.set(Some(FAILED));
        return;
    }
    let copied = Closure::<dyn FnMut(JsValue)>::once_aborting(move |_: JsValue| {
        status.set(Some("Copied! Send it to them however you like."))
    });
    let failed =
        Closure::<dyn FnMut(JsValue)>::once_aborting(move |_: JsValue| status.set(Some(FAILED)));
    let _ = navigator
        .clipboard()
        .write_text(url)
        .then2(&copied, &failed);
    // The promise settles later, so JavaScript must own the callbacks (a few bytes per click).
    copied.forget();
    failed.forget();
}
