//! The adult-content opt-in: whether AniList search shows titles marked 18+.

use leptos::prelude::*;

use super::server_fns::UpdateProfile;
use crate::components::{action_error, form_error, FormError, ServerForm, SubmitButton};

#[island]
pub fn AdultContentForm(current: bool) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let error = action_error(save);
    let saved = super::confirm_saved_profile(save, |user| {
        if user.show_adult_content {
            "Saved. Search now includes titles marked 18+.".to_owned()
        } else {
            "Saved. Search leaves out titles marked 18+.".to_owned()
        }
    });
    view! {
        <section class="card" aria-labelledby="adult-content-title">
            <h2 id="adult-content-title">"Search"</h2>
            <ServerForm action=save attr:class="form">
                <FormError error=form_error(error)/>
                <input type="hidden" name="show_adult_content[]" value="false"/>
                <div class="checkbox-field">
                    <input type="checkbox" id="profile-adult-content" name="show_adult_content[]" value="true" checked=current/>
                    <label for="profile-adult-content">"Show adult (18+) titles in search"</label>
                </div>
                <p class="field-hint">"Only for you: the others in your spaces keep their own setting."</p>
                <SubmitButton label="Save search setting" pending_label="Saving…" pending=save.pending()/>
                <p class="form-success" role="status">{move || saved.get()}</p>
            </ServerForm>
        </section>
    }
}
