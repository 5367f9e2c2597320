//! Analytics' persistence: the sea-orm entities of its tables (`analytics.random_picks`,
//! `analytics.dashboard_snapshots`) and their repositories. Private to this crate; everything
//! else Analytics shows is computed from the other contexts' facades.

pub mod dashboard_snapshots_repo;
mod entities;
pub mod random_picks_repo;
