//! The signed-in user, loaded once per page load on the server. Logging in or out and
//! profile changes reload the page, so it is never stale.

use identity::contracts::UserDto;
use leptos::prelude::*;

use super::server_fns::get_me;
use crate::error::AppError;

/// Who is signed in: `Ok(None)` for visitors.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserDto>, AppError>>);

impl CurrentUser {
    /// Creates the resource and provides it to the whole app. Blocking, so even pages streamed
    /// out of order (the not-found fallback) carry the right header in their first HTML.
    pub fn provide() -> Self {
        let current = Self(Resource::new_blocking(|| (), |()| get_me()));
        provide_context(current);
        current
    }

    /// The user, when known and signed in. Read inside `<Suspense>`/`<Transition>`.
    pub fn user(&self) -> Option<UserDto> {
        self.0.get().and_then(|result| result.ok().flatten())
    }

    /// The user without subscribing: for pages behind `RequireUser`, which has already
    /// waited for it.
    pub fn user_untracked(&self) -> Option<UserDto> {
        self.0
            .get_untracked()
            .and_then(|result| result.ok().flatten())
    }
}

/// The app-wide [`CurrentUser`]; a component rendered outside `App` (never in the app itself)
/// loads its own rather than panicking.
pub fn use_current_user() -> CurrentUser {
    use_context::<CurrentUser>().unwrap_or_else(CurrentUser::provide)
}
