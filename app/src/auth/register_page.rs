//! `/register?next=…&email=…`: a short sign-up form with the password rule said up front;
//! the new account is signed in straight away.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::server_fns::Register;
use super::use_current_user;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, SubmitButton, TextField,
};
use crate::navigation::{safe_next, with_next};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next");
    // An invitation link passes the invited email along, so it only needs confirming.
    let invited_email = query.read_untracked().get("email");
    let register = ServerAction::<Register>::new();
    let error = action_error(register);
    let current_user = use_current_user();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(user)) = register.value().get() {
            current_user.set(user);
            navigate(&safe_next(next().as_deref()), Default::default());
        }
    });
    let login_href =
        move || next().map_or_else(|| "/login".to_owned(), |next| with_next("/login", &next));

    view! {
        <Title text="Create your account"/>
        <section class="card auth-card" aria-labelledby="register-title">
            <h1 id="register-title">"Create your account"</h1>
            <p class="lede">"One account, one cosy shared backlog. It takes less than a minute."</p>
            <ActionForm action=register attr:class="form" attr:novalidate=true>
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
            </ActionForm>
            <p class="switch-auth">"Already have an account? " <a href=login_href>"Log in"</a></p>
        </section>
    }
}
