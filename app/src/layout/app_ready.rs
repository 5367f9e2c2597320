//! The app's root element. Once the browser has hydrated it, it is marked
//! `data-hydrated="true"` (end-to-end tests wait for that before clicking) and the service
//! worker is registered: from here rather than an inline script, which the CSP forbids.

use leptos::prelude::*;
use leptos::web_sys::js_sys::Reflect;
use leptos::web_sys::wasm_bindgen::JsValue;

#[component]
pub fn AppReady(children: Children) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        register_service_worker();
    });
    view! {
        <div id="app" class="app" data-hydrated=move || hydrated.get().then_some("true")>
            {children()}
        </div>
    }
}

fn register_service_worker() {
    let navigator = window().navigator();
    // Browsers without service workers (or on insecure origins) have no `serviceWorker`.
    if Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
}
