//! Analytics' persistence: its tables (`analytics.random_picks` through a sea-orm entity;
//! `analytics.dashboard_snapshots` and the generations they are checked against in plain SQL,
//! to read the payload as the text it is served as) and their repositories. Private to this
//! crate; everything else Analytics shows is computed from the other contexts' facades.

pub mod dashboard_snapshots_repo;
mod entities;
pub mod generations_repo;
pub mod random_picks_repo;
