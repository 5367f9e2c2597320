//! `/login?next=…`: email and password, then on to `next` (or the spaces).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::server_fns::LogIn;
use super::use_current_user;
use crate::components::{
    action_error, field_error, form_error, FormError, PasswordField, SubmitButton, TextField,
};
use crate::navigation::{safe_next, with_next};
use crate::theme::use_theme_choice;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next");
    let log_in = ServerAction::<LogIn>::new();
    let error = action_error(log_in);
    let current_user = use_current_user();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(user)) = log_in.value().get() {
            if let (Some(theme), Some(choice)) = (user.theme, use_theme_choice()) {
                choice.pick(Some(theme));
            }
            current_user.set(user);
            navigate(&safe_next(next().as_deref()), Default::default());
        }
    });
    let register_href = move || {
        next().map_or_else(
            || "/register".to_owned(),
            |next| with_next("/register", &next),
        )
    };

    view! {
        <Title text="Log in"/>
        <section class="card auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"Welcome back"</h1>
            <p class="lede">"Log in to pick up right where you left off together."</p>
            <ActionForm action=log_in attr:class="form" attr:novalidate=true>
                <FormError error=form_error(error)/>
                <input type="hidden" name="next" value=next/>
                <TextField id="login-email" name="email" label="Email" input_type="email" autocomplete="email" error=field_error(error, "email") required=true/>
                <PasswordField id="login-password" name="password" label="Password" autocomplete="current-password" error=field_error(error, "password")/>
                <SubmitButton label="Log in" pending_label="Signing in…" pending=log_in.pending()/>
            </ActionForm>
            <p class="switch-auth">"New to BloomWatch? " <a href=register_href>"Create an account"</a></p>
        </section>
    }
}
