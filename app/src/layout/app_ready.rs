//! The app's root element. Once the browser has hydrated the page's islands, it is marked
//! `data-hydrated="true"` (end-to-end tests and `/charts.js` wait for that) and the service
//! worker is registered: from here rather than an inline script, which the CSP forbids.

use leptos::prelude::*;

#[component]
pub fn AppReady(children: Children) -> impl IntoView {
    view! {
        <div id="app" class="app">
            {children()}
        </div>
    }
}

/// Runs once the WASM has loaded, before the islands hydrate.
#[cfg(feature = "hydrate")]
pub fn start_browser() {
    use std::time::Duration;

    // Leptos' loader hydrates the islands right after this returns, in a chain of promise
    // callbacks; a timer runs only once that chain is done.
    set_timeout(
        || {
            crate::components::hide_broken_covers();
            if let Some(app) = document().get_element_by_id("app") {
                let _ = app.set_attribute("data-hydrated", "true");
            }
            register_service_worker();
        },
        Duration::ZERO,
    );
}

#[cfg(feature = "hydrate")]
fn register_service_worker() {
    use leptos::web_sys::js_sys::Reflect;
    use leptos::web_sys::wasm_bindgen::JsValue;

    let navigator = window().navigator();
    // Browsers without service workers (or on insecure origins) have no `serviceWorker`.
    if Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
}
