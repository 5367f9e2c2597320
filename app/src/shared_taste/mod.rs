//! Shared taste and progress at a glance: the space's dashboard (`/spaces/:id`, its home) and
//! the analytics page (`/spaces/:id/analytics`). Server functions in `server_fns.rs` call the
//! Analytics facade and build the charts.

mod analytics_page;
mod compatibility_gauge;
mod dashboard_page;
mod random_pick_card;
mod rating_gap_list;
mod server_fns;
mod sessions_chart;

pub use analytics_page::AnalyticsPage;
pub use dashboard_page::DashboardPage;
