//! Profile changes: a thin adapter over `Identity::update_profile`.

use identity::contracts::{Theme, UserDto};
use leptos::prelude::*;

use crate::error::AppError;

/// How the theme travels in forms: `pastel`, `dark`, or `device` (no choice: follow the device).
pub const FOLLOW_DEVICE: &str = "device";

/// Changes whichever fields are present. Changing the email or password needs
/// `current_password`; after a password change this browser's session is renewed (other
/// sessions end, since they carry the old password's hash).
///
/// `show_adult_content` comes from a checkbox that follows a hidden `false` of the same
/// name (`show_adult_content[]`), so an unticked box still says "no": on when any is `true`.
#[server(endpoint = "update_profile")]
pub async fn update_profile(
    display_name: Option<String>,
    theme: Option<String>,
    email: Option<String>,
    new_password: Option<String>,
    current_password: Option<String>,
    show_adult_content: Option<Vec<bool>>,
) -> Result<UserDto, AppError> {
    crate::server_status::with_status(
        async move {
            use identity::contracts::LoginUser;

            let theme = theme.as_deref().map(parse_theme).transpose()?;
            let services = crate::services::services()?;
            let mut auth = crate::services::auth_session().await?;
            let user_id = auth
                .user
                .as_ref()
                .map(|session_user| session_user.user.id)
                .ok_or_else(AppError::unauthenticated)?;
            let renewed_password = new_password.clone();
            let user = services
                .identity
                .update_profile(
                    user_id,
                    identity::contracts::UpdateProfile {
                        display_name,
                        theme,
                        email,
                        new_password,
                        current_password,
                        show_adult_content: show_adult_content.map(|values| values.contains(&true)),
                    },
                    &crate::services::client_address().await,
                )
                .await?;
            if let Some(password) = renewed_password {
                crate::auth::server_fns::ssr::start_session(
                    &mut auth,
                    LoginUser {
                        email: user.email.clone(),
                        password,
                    },
                )
                .await?;
            }
            Ok(user)
        }
        .await,
    )
}

impl UpdateProfile {
    /// Saves only the theme (`None`: follow the device).
    pub fn theme_only(theme: Option<Theme>) -> Self {
        Self {
            display_name: None,
            theme: Some(theme.map_or(FOLLOW_DEVICE, Theme::as_str).to_owned()),
            email: None,
            new_password: None,
            current_password: None,
            show_adult_content: None,
        }
    }
}

/// `Some(theme)` or `None` for "follow the device".
#[cfg(feature = "ssr")]
fn parse_theme(raw: &str) -> Result<Option<Theme>, AppError> {
    if raw == FOLLOW_DEVICE {
        return Ok(None);
    }
    Theme::parse(raw).map(Some).ok_or_else(|| AppError {
        kind: kernel::ErrorKind::Validation,
        message: "Please pick Pastel, Dark or Follow my device.".to_owned(),
        field_errors: kernel::FieldErrors::single(
            "theme",
            "Please pick Pastel, Dark or Follow my device.",
        ),
    })
}
