//! What surrounds every page: the header with its navigation and theme toggle, the
//! hydration marker and service-worker registration, and the not-found page. No server
//! functions of its own (theme saving and logging out belong to profile/ and auth/).

mod app_ready;
mod header;
mod not_found_page;
mod theme_toggle;

#[cfg(feature = "hydrate")]
pub use app_ready::start_browser;
pub use app_ready::AppReady;
pub use header::SiteHeader;
pub use not_found_page::{NotFound, NotFoundPage};
