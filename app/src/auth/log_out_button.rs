//! "Log out": a real form post (works before hydration too), then a full page load of the
//! landing page so nothing of the signed-in session stays in memory.

use leptos::prelude::*;

use super::server_fns::LogOut;
use crate::components::{ServerForm, SubmitButton};

#[island]
pub fn LogOutButton() -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = log_out.value().get() {
            let _ = window().location().assign("/");
        }
    });
    view! {
        <ServerForm action=log_out attr:class="log-out">
            <SubmitButton label="Log out" pending_label="Logging out…" pending=log_out.pending() class="button ghost"/>
        </ServerForm>
    }
}
