//! WatchSpaces: the shared spaces in which small groups watch anime together. Owns the
//! PostgreSQL schema `watch_spaces` (tables `watch_spaces`, `watch_space_members`,
//! `invitations`) and nothing else; depends on the shared kernel and on Identity's facade
//! (for members' emails and display names).
//!
//! Public surface: `contracts` (wasm-safe ids, roles, the space name parser, commands, DTOs and
//! `WatchSpacesError`) and, on the server (`ssr`), the `WatchSpaces` facade.

pub mod contracts;

#[cfg(feature = "ssr")]
mod application;
#[cfg(feature = "ssr")]
mod domain;
#[cfg(feature = "ssr")]
mod infrastructure;

#[cfg(feature = "ssr")]
pub use application::{WatchSpaces, WatchSpacesSettings};
