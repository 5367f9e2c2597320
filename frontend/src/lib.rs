//! The WASM entry point. The server renders every page; in the browser only the islands (the
//! `#[island]` components: forms, toggles, the add-anime dialog) are hydrated. Depends only on
//! `app` built with `hydrate`, which compiles nothing but the contexts' wasm-safe contracts.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::start_browser();
}
