//! `/login?next=…`: email and password, then on to `next` (or the spaces).

use crate::flash::go_after_success;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server_fns::LogIn;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, ServerForm, SubmitButton,
    TextField,
};
use crate::navigation::{safe_next, with_next};

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = use_query_map().read_untracked().get("next");
    let register_href = next.as_deref().map_or_else(
        || "/register".to_owned(),
        |next| with_next("/register", next),
    );

    view! {
        <Title text="Log in"/>
        <section class="card auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"Welcome back"</h1>
            <p class="lede">"Log in to pick up right where you left off together."</p>
            <LogInForm next/>
            <p class="switch-auth">"New to BloomWatch? " <a href=register_href>"Create an account"</a></p>
        </section>
    }
}

/// The form; once signed in, a full page load of `next` renders everything as the new user.
#[island]
fn LogInForm(next: Option<String>) -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let error = action_error(log_in);
    let landing = safe_next(next.as_deref());
    go_after_success(log_in, move |_| Some(landing.clone()));
    view! {
        <ServerForm action=log_in attr:class="form" attr:novalidate=true>
            <FormError error=form_error(error)/>
            <input type="hidden" name="next" value=next/>
            <TextField id="login-email" name="email" label="Email" input_type="email" autocomplete="email" error=field_error(error, "email") required=true/>
            <PasswordField id="login-password" name="password" label="Password" autocomplete="current-password" error=field_error(error, "password")/>
            <SubmitButton label="Log in" pending_label="Signing in…" pending=log_in.pending()/>
        </ServerForm>
    }
}
