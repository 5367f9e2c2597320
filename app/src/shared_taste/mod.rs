//! Shared taste at a glance: the compatibility card on a space's home. Server functions in
//! `server_fns.rs` call the Analytics facade.

mod compatibility_card;
mod server_fns;

pub use compatibility_card::CompatibilityCard;
pub use server_fns::get_compatibility;
