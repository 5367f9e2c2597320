//! BloomWatch's server: configuration, telemetry, the REST API, security middleware and the
//! composition root. It holds no business rules: those live in the contexts' facades.

mod anilist_outbox;
pub mod client_address;
pub mod config;
mod media_catalog;
mod metrics;
mod rest;
mod security;
pub mod serving;
mod session_outage;
pub mod startup;
mod state;
mod static_files;
pub mod telemetry;

pub use rest::ApiDoc;
