//! The router's shared state.

use std::sync::Arc;

use app::services::AppServices;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub services: AppServices,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
