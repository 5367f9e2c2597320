//! "Log out": a real form post (works before hydration too), then a full page load of the
//! landing page so nothing of the signed-in session stays in memory.

use crate::flash::go_after_success;
use leptos::prelude::*;

use super::server_fns::LogOut;
use crate::components::{ServerForm, SubmitButton};

#[island]
pub fn LogOutButton() -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    go_after_success(log_out, |()| Some("/".to_owned()));
    view! {
        <ServerForm action=log_out attr:class="log-out">
            <SubmitButton label="Log out" pending_label="Logging out…" pending=log_out.pending() class="button ghost"/>
        </ServerForm>
    }
}
