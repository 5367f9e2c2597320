//! `/register?next=…&email=…`: a short sign-up form with the password rule said up front;
//! the new account is signed in straight away.

use crate::flash::go_after_success;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server_fns::Register;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, ServerForm, SubmitButton,
    TextField,
};
use crate::navigation::{safe_next, with_next};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let next = query.get("next");
    // An invitation link passes the invited email along, so it only needs confirming.
    let invited_email = query.get("email");
    let login_href = next
        .as_deref()
        .map_or_else(|| "/login".to_owned(), |next| with_next("/login", next));

    view! {
        <Title text="Create your account"/>
        <section class="card auth-card" aria-labelledby="register-title">
            <h1 id="register-title">"Create your account"</h1>
            <p class="lede">"One account, one cosy shared backlog. It takes less than a minute."</p>
            <RegisterForm next invited_email/>
            <p class="switch-auth">"Already have an account? " <a href=login_href>"Log in"</a></p>
        </section>
    }
}

/// The form; once the account exists, a full page load of `next` renders everything as it.
#[island]
fn RegisterForm(next: Option<String>, invited_email: Option<String>) -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let error = action_error(register);
    let landing = safe_next(next.as_deref());
    go_after_success(register, move |_| Some(landing.clone()));

    view! {
        <ServerForm action=register attr:class="form" attr:novalidate=true>
            <FormError error=form_error(error)/>
            <input type="hidden" name="next" value=next/>
            <TextField
                id="register-display-name"
                name="display_name"
                label="Display name"
                autocomplete="nickname"
                hint="How the people in your spaces will see you."
                error=field_error(error, "displayName")
                required=true
            />
            <TextField
                id="register-email"
                name="email"
                label="Email"
                input_type="email"
                autocomplete="email"
                value=invited_email
                error=field_error(error, "email")
                required=true
            />
            <PasswordField
                id="register-password"
                name="password"
                label="Password"
                autocomplete="new-password"
                hint="At least 10 characters. No other rules: a short sentence you will remember works well."
                error=field_error(error, "password")
            />
            <SubmitButton label="Create account" pending_label="Creating your account…" pending=register.pending()/>
        </ServerForm>
    }
}
