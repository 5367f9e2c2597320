//! Identity: BloomWatch accounts. Owns the PostgreSQL schema `identity` (users,
//! user_preferences, external_account_links, sessions, api_tokens, login_throttle) and nothing
//! else; depends only on the shared kernel. Links to accounts at other services (AniList) live
//! here with their tokens, sealed at rest; the context that syncs with the service asks for
//! the token when it acts, and follows links through `ExternalAccountChanged`.
//!
//! Public surface: `contracts` (wasm-safe ids, value types, DTOs, commands and
//! `IdentityError`) and, on the server (`ssr`), the `Identity` facade plus the `web` adapters
//! that plug accounts into axum-login (auth backend, PostgreSQL session store).

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(feature = "ssr")]
mod infrastructure;
#[cfg(feature = "ssr")]
pub mod web;

#[cfg(feature = "ssr")]
pub use application::{Identity, IdentitySettings, TokenKeys};
