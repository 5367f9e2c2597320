//! Analytics' persistence: the sea-orm entity of its one table, `analytics.random_picks`, and
//! its repository. Private to this crate; everything else Analytics shows is computed on read
//! from the other contexts' facades.

mod entities;
pub mod random_picks_repo;
