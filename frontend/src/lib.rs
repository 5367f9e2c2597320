//! The WASM entry point: hydrates the HTML the server rendered. Depends only on `app` built
//! with `hydrate`, which compiles nothing but the contexts' wasm-safe contracts.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
