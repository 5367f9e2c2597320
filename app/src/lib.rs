//! BloomWatch's UI, shared by the server (feature `ssr`: renders every page and runs server
//! functions) and the browser (feature `hydrate`: hydrates the islands, the `#[island]`
//! components that need the browser, such as forms and toggles; the rest of the page stays
//! server-rendered HTML). Each area has a folder with its pages and its `server_fns.rs`,
//! thin adapters over the contexts' facades. Under `hydrate` only the contexts' wasm-safe
//! contracts are compiled, so no component can reach a service directly.

// Deeply nested view types (the session timeline inside the detail page) exceed the default.
#![recursion_limit = "256"]

mod anime;
mod auth;
mod charts;
mod components;
pub mod error;
mod flash;
mod home;
mod imports;
mod layout;
mod linked_accounts;
mod navigation;
mod profile;
mod routes;
#[cfg(feature = "ssr")]
mod server_status;
#[cfg(feature = "ssr")]
pub mod services;
mod shared_taste;
mod shell;
mod spaces;
mod theme;

#[cfg(feature = "hydrate")]
pub use layout::start_browser;
pub use routes::App;
pub use shell::shell;
